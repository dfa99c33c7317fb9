"""Generating and downloading factsheet PDFs: a POST asks for one (reports.services), the
status page follows the job until it is ready, the download serves the stored file.
Everything is looked up through the visibility selectors: what the user may not see is a 404,
the factsheet as well as its renderings and their files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from programmes.models import UmbrellaProgramme

from . import services
from .models import RenderStatus
from .rules import can
from .selectors import batches_visible_to, factsheets_visible_to, renderings_visible_to


def _auto_refresh(request, job):
    # The page follows the job until it has ended: static/js/job-progress.js updates it in
    # place from its JSON, and without script a <noscript> meta refresh reloads it (a meta
    # refresh outside <noscript> fails WCAG 2.2.1 in axe). The user can switch that off.
    return job.is_pending and request.GET.get("verversen") != "uit"


def job_status_page(request, template_name, job, context, progress=None):
    """The status page of a job, or with ``?format=json`` what job-progress.js polls."""
    if request.GET.get("format") == "json":
        response = JsonResponse(
            {
                "pending": job.is_pending,
                "status": job.status,
                "status_display": job.get_status_display(),
                **(progress or {}),
            }
        )
    else:
        auto_refresh = _auto_refresh(request, job)
        response = render(
            request,
            template_name,
            {
                **context,
                "job": job,
                "auto_refresh": auto_refresh,
                "json_url": f"{request.path}?format=json" if auto_refresh else "",
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


@login_required
@require_POST
def generate(request, pk):
    factsheet = get_object_or_404(factsheets_visible_to(request.user), pk=pk)
    if not can(request.user, "reports.generate_factsheet", factsheet):
        raise Http404
    force = request.POST.get("opnieuw") == "1"
    rendering = services.request_rendering(factsheet=factsheet, by=request.user, force=force)
    if rendering.status == RenderStatus.ready:
        messages.info(
            request, _("De tekst en de cijfers zijn niet gewijzigd: dit is de bestaande PDF.")
        )
    return redirect("reports:rendering-status", pk=rendering.pk)


@never_cache
@login_required
@require_GET
def rendering_status(request, pk):
    rendering = get_object_or_404(
        renderings_visible_to(request.user).select_related(
            "factsheet__programme", "factsheet__umbrella", "requested_by"
        ),
        pk=pk,
    )
    return job_status_page(
        request, "reports/rendering_status.html", rendering, {"factsheet": rendering.factsheet}
    )


def _file_response(job, *, by):
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        # Removed from storage by hand: the job says ready, but there is nothing to serve.
        raise Http404 from None
    services.record_download(job, by=by)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(job),
        content_type="application/pdf",
    )
    # A factsheet may be confidential to its programme: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request, pk):
    rendering = get_object_or_404(
        renderings_visible_to(request.user).select_related(
            "factsheet__programme", "factsheet__umbrella"
        ),
        pk=pk,
        status=RenderStatus.ready,
    )
    return _file_response(rendering, by=request.user)


@login_required
@require_POST
def batch(request, umbrella):
    umbrella = get_object_or_404(UmbrellaProgramme, slug=umbrella)
    if not can(request.user, "reports.generate_batch", umbrella):
        raise Http404
    job = services.request_batch(umbrella=umbrella, by=request.user)
    return redirect("reports:batch-status", pk=job.pk)


@never_cache
@login_required
@require_GET
def batch_status(request, pk):
    job = get_object_or_404(
        batches_visible_to(request.user).select_related("umbrella__factsheet", "requested_by"),
        pk=pk,
    )
    progress = {
        "done": job.done,
        "total": job.total,
        # The same message as the page's (batch_status.html), so one translation serves both.
        "progress_text": _("%(done)s van %(total)s feitenbladen")
        % {"done": job.done, "total": job.total},
    }
    return job_status_page(request, "reports/batch_status.html", job, {}, progress)


@login_required
@require_GET
def batch_download(request, pk):
    job = get_object_or_404(
        batches_visible_to(request.user).select_related("umbrella"),
        pk=pk,
        status=RenderStatus.ready,
    )
    return _file_response(job, by=request.user)
