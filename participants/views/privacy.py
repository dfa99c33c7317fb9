"""AVG: a participant's data export (inzageverzoek) and erasure (anonimiseren)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..forms_privacy import AnonymiseForm
from ..models import Enrolment, LadderStep, ProgressEntry
from ..privacy import (
    EXPORT_FORMATS,
    can_erase_person,
    erasable_enrolments,
    export_filename,
    participant_export,
    render_export_pdf,
)
from ..selectors import enrolments_visible_to, participants_visible_to

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


@login_required
@require_GET
def data_export(request, pk, file_format):
    """Everything stored about one participant, as JSON or PDF. Audited; not cached."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    participant = get_object_or_404(participants_visible_to(request.user), pk=pk)
    # One transaction: the audit entry stays only when the file was made, and the export
    # lists itself in its own audit trail.
    with transaction.atomic():
        services.record_export(participant=participant, by=request.user, file_format=file_format)
        data = participant_export(participant, user=request.user)
        if file_format == "pdf":
            content = render_export_pdf(data)
        else:
            content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            content = content.encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(participant, file_format)
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def anonymise(request, pk):
    """Confirm with a reason, then erase the person's details (the rows stay, for the
    figures). A coordinator whose participant is also enrolled in a programme they are not a
    member of erases only their own programmes' part; the page says so, and the Beheerder
    erases the person."""
    participant = get_object_or_404(participants_visible_to(request.user), pk=pk)
    if participant.anonymised_at:
        messages.info(request, _("Deze deelnemer is al geanonimiseerd."))
        return redirect(participant)
    full_erasure = can_erase_person(request.user, participant)
    own_enrolments = [] if full_erasure else erasable_enrolments(request.user, participant)
    if not full_erasure and not own_enrolments:
        raise PermissionDenied
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if full_erasure:
            services.anonymise_participant(participant=participant, by=request.user, reason=reason)
            messages.success(request, _("Deelnemer is geanonimiseerd."))
        else:
            services.erase_enrolments(participant=participant, by=request.user, reason=reason)
            messages.success(
                request,
                _(
                    "Doelen, notities en mijlpalen in uw programma's zijn gewist. Naam en "
                    "contactgegevens blijven staan tot de beheerder de deelnemer anonimiseert."
                ),
            )
        return redirect(participant)
    if request.method == "GET":
        services.record_view(participant=participant, by=request.user)
    # What stays, counted within the user's reach (no hint of other programmes' rows).
    enrolments = (
        Enrolment.objects.filter(pk__in=[e.pk for e in own_enrolments])
        if own_enrolments
        else enrolments_visible_to(request.user).filter(participant=participant)
    )
    counts = {
        "enrolments": enrolments.count(),
        "progress_entries": ProgressEntry.objects.filter(enrolment__in=enrolments).count(),
        "ladder_steps": LadderStep.objects.filter(enrolment__in=enrolments).count(),
    }
    return render(
        request,
        "participants/anonymise.html",
        {
            "participant": participant,
            "form": form,
            "counts": counts,
            "full_erasure": full_erasure,
            "own_enrolments": own_enrolments,
        },
    )
