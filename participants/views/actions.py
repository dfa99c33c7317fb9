"""Actions on enrolments and consent: "Traject beëindigen", "Toestemming ingetrokken" on the
participant page, and "Uitstroom vastleggen" for the rows ticked on the participants list.
Thin views: the permitted object, a form, the domain function, a message, a redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programmes.selectors import programmes_editable_by

from .. import services
from ..enums import EnrolmentStatus
from ..forms import BulkOutcomeForm, EndEnrolmentForm, WithdrawConsentForm
from ..rules import can, require
from ..selectors import enrolments_visible_to, participants_visible_to


def may_record_outcomes(user):
    """Whether to offer "Uitstroom vastleggen" at all (the Coördinator role); the enrolments
    offered are editable_enrolments(user) and the domain function checks each one."""
    return can(user, "participants.edit_enrolment_somewhere")


def editable_enrolments(user):
    """Enrolments whose outcome and status the user may change."""
    return enrolments_visible_to(user).filter(programme__in=programmes_editable_by(user))


def _editable_participant(request, pk):
    participant = get_object_or_404(participants_visible_to(request.user), pk=pk)
    require(request.user, "participants.edit_participant", participant)
    if participant.anonymised_at:
        raise PermissionDenied
    return participant


@login_required
def end_enrolment(request, pk, enrolment_pk):
    """ "Traject beëindigen": close an open enrolment as uitgevallen or gestopt."""
    participant = _editable_participant(request, pk)
    enrolment = get_object_or_404(
        editable_enrolments(request.user)
        .filter(participant=participant)
        .select_related("programme"),
        pk=enrolment_pk,
    )
    back = f"{participant.get_absolute_url()}?inschrijving={enrolment.pk}"
    if enrolment.status in EnrolmentStatus.closed():
        messages.info(request, _("Deze inschrijving is al afgesloten."))
        return redirect(back)
    form = EndEnrolmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_enrolment(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het traject is beëindigd."))
            return redirect(back)
    return render(
        request,
        "participants/enrolment_end.html",
        {"participant": participant, "enrolment": enrolment, "form": form, "back": back},
        status=400 if form.errors else 200,
    )


@login_required
def withdraw_consent(request, pk):
    """ "Toestemming ingetrokken": record the date; blocks new data about the participant."""
    participant = _editable_participant(request, pk)
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                participant=participant, by=request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De intrekking van de toestemming is vastgelegd."))
            return redirect(participant)
    return render(
        request,
        "participants/consent_withdraw.html",
        {"participant": participant, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def bulk_outcome(request):
    """ "Uitstroom vastleggen" for the enrolments ticked on the list: all in one transaction,
    audited per participant. Without errors back to the list (with its filters); otherwise
    a page that lists the chosen participants and the errors, to correct and send again."""
    if not may_record_outcomes(request.user):
        raise PermissionDenied
    enrolments = editable_enrolments(request.user).select_related("participant")
    form = BulkOutcomeForm(request.POST, enrolments=enrolments)
    back = _list_url(request.POST.get("terug", ""))
    if form.is_valid():
        chosen = list(form.cleaned_data["enrolments"])
        try:
            services.record_outcomes(
                enrolments=chosen,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                outcome_date=form.cleaned_data["outcome_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Uitstroom vastgelegd voor %(count)s deelnemer.",
                    "Uitstroom vastgelegd voor %(count)s deelnemers.",
                    len(chosen),
                )
                % {"count": len(chosen)},
            )
            return redirect(back)
    # The enrolments are hidden inputs: name their errors at the top of the page.
    for error in form.errors.get("enrolments", []):
        form.add_error(None, error)
    chosen = _chosen(form, enrolments)
    return render(
        request,
        "participants/bulk_outcome.html",
        {"form": form, "chosen": chosen, "back": back, "back_query": back.partition("?")[2]},
        status=400,
    )


def _chosen(form, enrolments):
    """The valid, permitted enrolments among those posted (to show and to send again)."""
    wanted = [value for value in form.data.getlist("enrolments") if value.isdigit()]
    return list(
        enrolments.filter(pk__in=wanted[: BulkOutcomeForm.MAX_ROWS]).order_by(
            "participant__sort_name", "id"
        )
    )


def _list_url(query):
    """The list with the filters it was submitted from. Only a query string is taken from
    the form, re-encoded, so the redirect cannot lead anywhere but the list."""
    params = QueryDict(query.lstrip("?"))
    url = reverse("participants:list")
    return f"{url}?{urlencode(list(params.lists()), doseq=True)}" if params else url
