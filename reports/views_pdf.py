"""Generating and downloading factsheet PDFs: a POST asks for one (reports.services), the
status page follows the job until it is ready, the download serves the stored file.
Everything is looked up through the visibility selectors: what the user may not see is a 404,
the factsheet as well as its renderings and their files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programmes.models import UmbrellaProgramme

from . import services
from .models import RenderStatus
from .rules import can
from .selectors import batches_visible_to, factsheets_visible_to, renderings_visible_to


def _auto_refresh(request, job):
    # The page reloads itself (a meta refresh: no script, so the CSP holds) until the job has
    # ended; the user can switch that off (WCAG 2.2.1).
    return job.is_pending and request.GET.get("verversen") != "uit"


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


@login_required
@require_GET
def rendering_status(request, pk):
    rendering = get_object_or_404(
        renderings_visible_to(request.user).select_related(
            "factsheet__programme", "factsheet__umbrella", "requested_by"
        ),
        pk=pk,
    )
    return render(
        request,
        "reports/rendering_status.html",
        {
            "job": rendering,
            "factsheet": rendering.factsheet,
            "auto_refresh": _auto_refresh(request, rendering),
        },
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


@login_required
@require_GET
def batch_status(request, pk):
    job = get_object_or_404(
        batches_visible_to(request.user).select_related("umbrella", "requested_by"), pk=pk
    )
    return render(
        request,
        "reports/batch_status.html",
        {"job": job, "auto_refresh": _auto_refresh(request, job)},
    )


@login_required
@require_GET
def batch_download(request, pk):
    job = get_object_or_404(
        batches_visible_to(request.user).select_related("umbrella"),
        pk=pk,
        status=RenderStatus.ready,
    )
    return _file_response(job, by=request.user)
