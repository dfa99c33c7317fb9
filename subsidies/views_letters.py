"""Decision letters (beschikkingen) in the browser: the status page of a letter being made,
the download of a ready one, and asking again for the letter of a decision whose letter
failed. Letters are found through the applications the user may see
(subsidies.letters.letters_visible_to): anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from reports.models import RenderStatus
from reports.views_pdf import job_status_page

from . import letters
from .models import Decision
from .rules import can, require
from .selectors import applications_visible_to


@never_cache
@login_required
@require_GET
def letter_status(request, pk):
    letter = get_object_or_404(
        letters.letters_visible_to(request.user).select_related(
            "decision__application", "requested_by"
        ),
        pk=pk,
    )
    return job_status_page(
        request,
        "subsidies/letter_status.html",
        letter,
        {
            "application": letter.decision.application,
            "decision": letter.decision,
            "can_request": can(
                request.user, "subsidies.handle_application", letter.decision.application
            ),
        },
    )


@login_required
@require_GET
def letter_download(request, pk):
    letter = get_object_or_404(
        letters.letters_visible_to(request.user).select_related("decision__application"),
        pk=pk,
        status=RenderStatus.ready,
    )
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError:
        # Removed from storage by hand: the letter says ready, but there is nothing to serve.
        raise Http404 from None
    letters.record_download(letter, by=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=letters.download_name(letter),
        content_type="application/pdf",
    )
    # An application's decision is confidential: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def letter_request(request, pk):
    """Ask (again) for the letter of decision ``pk``: for a decision whose letter failed or
    was never queued. A decision that has its letter already leads to that letter."""
    decision = get_object_or_404(
        Decision.objects.filter(
            application__in=applications_visible_to(request.user)
        ).select_related("application"),
        pk=pk,
    )
    require(request.user, "subsidies.handle_application", decision.application)
    letter = letters.request_letter(decision, by=request.user)
    if letter.status == RenderStatus.ready:
        messages.info(
            request,
            _("Deze beschikking is al gemaakt; een gemaakte beschikking blijft ongewijzigd."),
        )
    return redirect("subsidies:letter-status", pk=letter.pk)


urlpatterns = [
    path("beschikkingen/<int:pk>/", letter_status, name="letter-status"),
    path("beschikkingen/<int:pk>/download/", letter_download, name="letter-download"),
    path("besluiten/<int:pk>/beschikking/", letter_request, name="letter-request"),
]
