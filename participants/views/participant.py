import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes.selectors import programmes_editable_by

from .. import services
from ..enums import EnrolmentStatus
from ..forms import (
    EnrolmentForm,
    GroupActivityForm,
    IntakeForm,
    OutcomeForm,
    ParticipantForm,
    ProgressEntryForm,
)
from ..models import Enrolment, LadderStep
from ..privacy import can_anonymise, change_rows
from ..rules import can, require
from ..selectors import (
    audit_entries_visible_to,
    enrolments_visible_to,
    excluding_withdrawn_consent,
    participants_visible_to,
    progress_entries_visible_to,
)

TIMELINE_PAGE_SIZE = 50
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
ATTENDEE_LIMIT = 300


def _programmes_for_editing(user):
    return programmes_editable_by(user).order_by("name")


@login_required
def intake(request):
    require(request.user, "participants.record_intake")
    programmes = _programmes_for_editing(request.user)
    form = IntakeForm(request.POST or None, programmes=programmes)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            services.likely_duplicates(
                programme=data["programme"],
                first_name=data["first_name"],
                surname_prefix=data["surname_prefix"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
                birth_year=data["birth_year"],
            )
        )
        if not duplicates or data["confirm_duplicate"]:
            fields = {k: v for k, v in data.items() if k != "confirm_duplicate"}
            participant, _enrolment = services.register_intake(
                intake=services.Intake(**fields), by=request.user
            )
            messages.success(
                request, _("%(name)s is ingeschreven.") % {"name": participant.full_name}
            )
            return redirect(participant)
    return render(request, "participants/intake.html", {"form": form, "duplicates": duplicates})


def _int_or_404(value):
    """An object id from a query or form parameter; anything but a number finds nothing."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _slug_or_404(value):
    """A slug from a query or form parameter; anything else (a NUL byte would make the
    database refuse the query) finds nothing."""
    if not SLUG.fullmatch(value):
        raise Http404
    return value


def _selected_enrolment(enrolments, request):
    wanted = request.GET.get("inschrijving") or request.POST.get("enrolment")
    for enrolment in enrolments:
        if str(enrolment.pk) == str(wanted):
            return enrolment
    if wanted:
        raise Http404
    return enrolments[0] if enrolments else None


def _detail_context(request, participant, *, entry_form=None, outcome_form=None):
    """Everything the participant page shows, in a fixed number of queries."""
    enrolments = list(
        enrolments_visible_to(request.user)
        .filter(participant=participant)
        .select_related("programme", "track", "coach")
        .prefetch_related(
            Prefetch("ladder_steps", queryset=LadderStep.objects.order_by("-recorded_on", "-id"))
        )
        .order_by("-start_date", "-id")
    )
    enrolment = _selected_enrolment(enrolments, request)
    entries = (
        progress_entries_visible_to(request.user)
        .filter(enrolment=enrolment)
        .select_related("author", "group_activity")
        .order_by("-date", "-id")
    )
    page = Paginator(entries, TIMELINE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    # Writing is for members of the selected enrolment's programme, whatever the user reads.
    can_edit = (
        enrolment is not None
        and not participant.anonymised_at
        and not enrolment.erased_at
        and can(request.user, "participants.edit_enrolment", enrolment)
    )
    is_open = enrolment is not None and enrolment.status not in EnrolmentStatus.closed()
    consents = list(participant.consents.all())
    consent_withdrawn = services.consent_is_withdrawn(consents)
    return {
        "participant": participant,
        "enrolments": enrolments,
        "enrolment": enrolment,
        "entries": page,
        "consents": consents,
        "consent_withdrawn": consent_withdrawn,
        "can_edit": can_edit,
        "can_add_entry": can_edit and is_open and not consent_withdrawn,
        "can_end_enrolment": can_edit and is_open,
        "can_anonymise": not participant.anonymised_at
        and can_anonymise(request.user, participant, enrolments),
        "entry_form": entry_form or ProgressEntryForm(),
        "outcome_form": outcome_form or (OutcomeForm(enrolment=enrolment) if enrolment else None),
        "tab": "overzicht",
    }


def _visible_participant(request, pk):
    return get_object_or_404(
        participants_visible_to(request.user).select_related("municipality"), pk=pk
    )


@login_required
def detail(request, pk):
    participant = _visible_participant(request, pk)
    context = _detail_context(request, participant)
    services.record_view(participant=participant, by=request.user)
    return render(request, "participants/participant_detail.html", context)


@login_required
@require_POST
def add_entry(request, pk):
    """The quick-add form. Works without JavaScript: on success back to the page, on an error the
    page again with the form and everything typed in it."""
    participant = _visible_participant(request, pk)
    enrolment = get_object_or_404(
        enrolments_visible_to(request.user).filter(participant=participant),
        pk=_int_or_404(request.POST.get("enrolment")),
    )
    require(request.user, "participants.add_entry", enrolment)
    form = ProgressEntryForm(request.POST)
    if form.is_valid():
        try:
            services.add_progress_entry(
                enrolment=enrolment,
                by=request.user,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                note=form.cleaned_data["note"],
                milestone=form.cleaned_data["milestone"],
                ladder_level=form.cleaned_data["ladder_level"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Voortgang opgeslagen."))
            if request.headers.get("X-Requested-With") == "fetch":
                # The page's script swaps in the new timeline: answer with the page itself
                # rather than a redirect (which would count as one more view of it).
                context = _detail_context(request, participant)
                return render(request, "participants/participant_detail.html", context)
            return redirect(
                f"{participant.get_absolute_url()}?inschrijving={enrolment.pk}#tijdlijn"
            )
    context = _detail_context(request, participant, entry_form=form)
    return render(request, "participants/participant_detail.html", context, status=400)


@login_required
def outcome(request, pk, enrolment_pk):
    participant = _visible_participant(request, pk)
    enrolment = get_object_or_404(
        enrolments_visible_to(request.user).filter(participant=participant), pk=enrolment_pk
    )
    require(request.user, "participants.edit_enrolment", enrolment)
    if request.method != "POST":
        return redirect(f"{participant.get_absolute_url()}?inschrijving={enrolment.pk}#uitstroom")
    form = OutcomeForm(request.POST, enrolment=enrolment)
    if form.is_valid():
        try:
            services.record_outcome(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Uitstroom vastgelegd."))
            return redirect(f"{participant.get_absolute_url()}?inschrijving={enrolment.pk}")
    context = _detail_context(request, participant, outcome_form=form)
    context["enrolment"] = enrolment
    return render(request, "participants/participant_detail.html", context, status=400)


@login_required
def edit(request, pk):
    participant = _visible_participant(request, pk)
    if participant.anonymised_at:
        raise PermissionDenied
    # Only the enrolments of the user's own programmes, whatever else they may read.
    enrolments = [
        enrolment
        for enrolment in enrolments_visible_to(request.user)
        .filter(participant=participant)
        .select_related("programme")
        if can(request.user, "participants.edit_enrolment", enrolment)
    ]
    if not enrolments:
        raise PermissionDenied
    enrolment = _selected_enrolment(enrolments, request)
    if request.method == "GET":
        # The form quotes personal data and the goal: a view like the participant page.
        services.record_view(participant=participant, by=request.user, enrolment=enrolment)
    participant_form = ParticipantForm(request.POST or None, instance=participant, prefix="p")
    enrolment_form = EnrolmentForm(request.POST or None, instance=enrolment, prefix="e")
    if request.method == "POST" and participant_form.is_valid() and enrolment_form.is_valid():
        with transaction.atomic():
            services.update_participant(
                participant=participant,
                by=request.user,
                **{
                    name: participant_form.cleaned_data[name]
                    for name in participant_form.changed_data
                },
            )
            services.update_enrolment(
                enrolment=enrolment,
                by=request.user,
                **{name: enrolment_form.cleaned_data[name] for name in enrolment_form.changed_data},
            )
        messages.success(request, _("Gegevens opgeslagen."))
        return redirect(f"{participant.get_absolute_url()}?inschrijving={enrolment.pk}")
    return render(
        request,
        "participants/participant_edit.html",
        {
            "participant": participant,
            "enrolment": enrolment,
            "participant_form": participant_form,
            "enrolment_form": enrolment_form,
        },
    )


@login_required
def history(request, pk):
    participant = _visible_participant(request, pk)
    entries = Paginator(audit_entries_visible_to(request.user, participant), 50).get_page(
        request.GET.get("pagina")
    )
    for entry in entries:
        entry.change_rows = change_rows(entry.action, entry.changes)
    # The trail quotes earlier values (an old address, a note): seeing it is a view too.
    services.record_view(participant=participant, by=request.user)
    return render(
        request,
        "participants/participant_history.html",
        {"participant": participant, "audit_entries": entries, "tab": "geschiedenis"},
    )


def _own_entry(request, pk):
    entry = get_object_or_404(
        progress_entries_visible_to(request.user).select_related("enrolment__participant"), pk=pk
    )
    require(request.user, "participants.change_entry", entry)
    if entry.enrolment.participant.anonymised_at:
        raise PermissionDenied  # erasure is final
    return entry


@login_required
def edit_entry(request, pk):
    entry = _own_entry(request, pk)
    participant = entry.enrolment.participant
    if request.method == "GET":
        services.record_view(participant=participant, by=request.user, enrolment=entry.enrolment)
    form = ProgressEntryForm(request.POST or None, instance=entry, with_ladder=False)
    if request.method == "POST" and form.is_valid():
        services.update_progress_entry(
            entry=entry,
            by=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("Voortgang gewijzigd."))
        return redirect(
            f"{participant.get_absolute_url()}?inschrijving={entry.enrolment_id}#tijdlijn"
        )
    # Re-read: a failed validation must not show half-applied values in the page header.
    return render(
        request,
        "participants/entry_edit.html",
        {"form": form, "entry": entry, "participant": participant},
    )


@login_required
def delete_entry(request, pk):
    entry = _own_entry(request, pk)
    participant = entry.enrolment.participant
    if request.method == "POST":
        services.delete_progress_entry(entry=entry, by=request.user)
        messages.success(request, _("Voortgang verwijderd."))
        return redirect(
            f"{participant.get_absolute_url()}?inschrijving={entry.enrolment_id}#tijdlijn"
        )
    return render(
        request, "participants/entry_delete.html", {"entry": entry, "participant": participant}
    )


@login_required
def group_activity(request):
    """Record a workshop or thema-avond once and tick the attendees from the programme's
    open enrolments: one progress entry per attendee, in one transaction."""
    require(request.user, "participants.record_group_activity")
    programmes = _programmes_for_editing(request.user)
    programme = None
    slug = request.GET.get("programma") or request.POST.get("programma")
    if slug:
        programme = get_object_or_404(programmes, slug=_slug_or_404(slug))
    elif len(programmes) == 1:
        programme = programmes[0]
    if programme is None:
        return render(request, "participants/group_activity.html", {"programmes": programmes})
    # A programme can have thousands of open enrolments: show the coordinator's own
    # participants first, optionally one track, and never more than ATTENDEE_LIMIT boxes.
    params = request.POST if request.method == "POST" else request.GET
    open_enrolments = excluding_withdrawn_consent(
        Enrolment.objects.filter(
            programme=programme, status__in=EnrolmentStatus.open(), participant__anonymised_at=None
        )
    )
    mine = open_enrolments.filter(coach=request.user)
    who = params.get("wie") or ("mijn" if mine.exists() else "alle")
    enrolments = mine if who == "mijn" else open_enrolments
    track = None
    if params.get("traject"):
        # A track of another programme, or no track id at all: not found (never a 500).
        track = get_object_or_404(programme.tracks, pk=_int_or_404(params["traject"]))
    if track:
        enrolments = enrolments.filter(track=track)
    total = enrolments.count()
    if total > ATTENDEE_LIMIT:
        first = enrolments.order_by("participant__sort_name", "pk")
        enrolments = open_enrolments.filter(
            pk__in=list(first.values_list("pk", flat=True)[:ATTENDEE_LIMIT])
        )
    enrolments = enrolments.select_related("participant").order_by("participant__sort_name", "pk")
    form = GroupActivityForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_group_activity(
                programme=programme,
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                duration_minutes=data["duration_minutes"],
                note=data["note"],
                enrolments=data["attendees"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(title)s vastgelegd voor %(count)s deelnemers.")
                % {"title": data["title"], "count": len(data["attendees"])},
            )
            return redirect(programme)
    return render(
        request,
        "participants/group_activity.html",
        {
            "programmes": programmes,
            "programme": programme,
            "form": form,
            "who": who,
            "track": track,
            "tracks": programme.tracks.all(),
            "total": total,
            "limit": ATTENDEE_LIMIT,
        },
    )
