"""State changes of participant data. Each function guards its preconditions, writes the
rows, and records an audit entry; views, imports, tasks and commands all call these."""

import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regioportal import audit
from regioportal.models import AuditAction, AuditEntry, AuditScope

from . import counting, names
from .enums import EnrolmentStatus, Outcome
from .models import (
    Consent,
    Enrolment,
    GroupActivity,
    LadderStep,
    Participant,
    ProgressEntry,
)
from .rules import can, require

PARTICIPANT_FIELDS = [
    "first_name",
    "surname_prefix",
    "last_name",
    "birth_date",
    "birth_year",
    "municipality",
    "email",
    "phone",
]


def new_reference():
    """A participant number that says nothing about the person: D- and 8 random digits."""
    while True:
        reference = f"D-{secrets.randbelow(10**8):08d}"
        if not Participant.objects.filter(reference=reference).exists():
            return reference


def likely_duplicates(
    *, programme, first_name, last_name, birth_date=None, birth_year=None, surname_prefix=""
):
    """Participants in ``programme`` with the same name and birth date (or year). Names
    compare case- and accent-insensitively ("Celine de Boer" is "Céline de Boer")."""
    same_birth = Q()
    if birth_date:
        same_birth = Q(birth_date=birth_date) | Q(birth_year=birth_date.year)
    elif birth_year:
        same_birth = Q(birth_year=birth_year) | Q(birth_date__year=birth_year)
    else:
        return Participant.objects.none()
    return Participant.objects.filter(
        same_birth,
        sort_name=names.sort_name(first_name, surname_prefix, last_name),
        enrolments__programme=programme,
        anonymised_at__isnull=True,
    ).distinct()


@dataclass
class Intake:
    """What a coordinator records at intake (and what one CSV import row holds)."""

    first_name: str
    last_name: str
    programme: object
    start_date: date
    consent_date: date
    consent_purpose: str
    birth_date: date | None = None
    birth_year: int | None = None
    surname_prefix: str = ""
    municipality: object = None
    email: str = ""
    phone: str = ""
    track: object = None
    coach: object = None
    personal_goal: str = ""
    starting_ladder_level: int | None = None
    # Historical data (the CSV import): an uitstroom already reached.
    outcome: str = ""
    outcome_date: date | None = None
    end_date: date | None = None

    def enrolment_state(self):
        """(status, end date) of the new enrolment: a final uitstroom closes it (afgerond,
        ending on the end date or else the outcome date), as services.record_outcome does."""
        if self.outcome and self.outcome != Outcome.ongoing:
            return EnrolmentStatus.finished, self.end_date or self.outcome_date
        return EnrolmentStatus.intake, None


def register_intake(*, intake, by, audit_entry=True):
    """Create the participant, their consent, the enrolment and the first ladder step.

    Effects: one Participant, one Consent, one Enrolment (status intake), a LadderStep when a
    starting level is given, and an audit entry 'aangemaakt' for the participant, scoped to
    the new enrolment. Only a member of the programme may (participants.record_intake)."""
    require(by, "participants.record_intake", intake.programme)
    if intake.track is not None and intake.track.programme_id != intake.programme.pk:
        raise ValidationError({"track": _("Dit traject hoort niet bij het gekozen programma.")})
    with transaction.atomic():
        participant = Participant.objects.create(
            reference=new_reference(),
            first_name=intake.first_name.strip(),
            surname_prefix=intake.surname_prefix.strip(),
            last_name=intake.last_name.strip(),
            birth_date=intake.birth_date,
            birth_year=None if intake.birth_date else intake.birth_year,
            municipality=intake.municipality,
            email=intake.email,
            phone=intake.phone,
            created_by=by,
        )
        Consent.objects.create(
            participant=participant,
            given_on=intake.consent_date,
            purpose=intake.consent_purpose,
            recorded_by=by,
        )
        status, end_date = intake.enrolment_state()
        enrolment = Enrolment.objects.create(
            participant=participant,
            programme=intake.programme,
            track=intake.track,
            coach=intake.coach,
            status=status,
            personal_goal=intake.personal_goal,
            start_date=intake.start_date,
            end_date=end_date,
            outcome=intake.outcome,
            outcome_date=intake.outcome_date,
            starting_ladder_level=intake.starting_ladder_level,
            current_ladder_level=intake.starting_ladder_level,
        )
        if intake.starting_ladder_level:
            LadderStep.objects.create(
                enrolment=enrolment,
                level=intake.starting_ladder_level,
                recorded_on=intake.start_date,
                recorded_by=by,
            )
        if audit_entry:
            audit.record(
                actor=by,
                obj=participant,
                action=AuditAction.create,
                changes={
                    "programme": [None, str(intake.programme)],
                    "track": [None, str(intake.track) if intake.track else None],
                },
                enrolment=enrolment,
            )
    return participant, enrolment


def _stored(instance):
    """The row as it is in the database: a bound ModelForm has already changed ``instance``."""
    return type(instance)._default_manager.get(pk=instance.pk)


def update_participant(*, participant, by, **fields):
    """Change personal data; audits the changed fields (old and new values)."""
    _guard_not_anonymised(participant)
    require(by, "participants.edit_participant", participant)
    before = audit.snapshot(_stored(participant), fields)
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.full_clean()
    changes = audit.diff(before, participant)
    if changes:
        participant.save(update_fields=list(fields))
        audit.record(actor=by, obj=participant, action=AuditAction.update, changes=changes)
    return participant


def update_enrolment(*, enrolment, by, **fields):
    """Change an enrolment's data; audits the changed fields, scoped to the enrolment."""
    _guard_not_anonymised(enrolment.participant, enrolment)
    require(by, "participants.edit_enrolment", enrolment)
    before = audit.snapshot(_stored(enrolment), fields)
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.full_clean(exclude=["participant", "programme"])
    if enrolment.outcome_date and enrolment.start_date > enrolment.outcome_date:
        raise ValidationError({"start_date": _("De startdatum ligt na de datum van de uitstroom.")})
    changes = audit.diff(before, enrolment)
    if changes:
        enrolment.save(update_fields=[*fields, "updated_at"])
        audit.record(
            actor=by,
            obj=enrolment.participant,
            action=AuditAction.update,
            changes=changes,
            enrolment=enrolment,
        )
    return enrolment


def change_ladder_level(*, enrolment, level, on, by):
    """Record a new level on the participation ladder and keep the enrolment's current level
    in step with the newest recorded step."""
    _guard_not_anonymised(enrolment.participant, enrolment)
    require(by, "participants.edit_enrolment", enrolment)
    with transaction.atomic():
        LadderStep.objects.create(enrolment=enrolment, level=level, recorded_on=on, recorded_by=by)
        newest = enrolment.ladder_steps.order_by("-recorded_on", "-id").first()
        old = enrolment.current_ladder_level
        enrolment.current_ladder_level = newest.level
        if enrolment.starting_ladder_level is None:
            enrolment.starting_ladder_level = newest.level
        enrolment.save(
            update_fields=["current_ladder_level", "starting_ladder_level", "updated_at"]
        )
        audit.record(
            actor=by,
            obj=enrolment.participant,
            action=AuditAction.update,
            changes={"current_ladder_level": [old, enrolment.current_ladder_level]},
            enrolment=enrolment,
        )


def add_progress_entry(
    *, enrolment, by, kind, date, duration_minutes=None, note="", milestone="", ladder_level=None
):
    """Add one entry to the enrolment's timeline; optionally record a ladder level change.

    An enrolment in intake becomes active with its first entry."""
    _guard_not_anonymised(enrolment.participant, enrolment)
    require(by, "participants.add_entry", enrolment)
    _guard_consent([enrolment.participant])
    if enrolment.status in EnrolmentStatus.closed():
        raise ValidationError(
            _("Deze inschrijving is afgesloten; voortgang toevoegen kan niet meer.")
        )
    with transaction.atomic():
        entry = ProgressEntry.objects.create(
            enrolment=enrolment,
            kind=kind,
            date=date,
            duration_minutes=duration_minutes,
            note=note,
            milestone=milestone,
            author=by,
        )
        if enrolment.status == EnrolmentStatus.intake:
            enrolment.status = EnrolmentStatus.active
            enrolment.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=by,
            obj=enrolment.participant,
            action=AuditAction.create,
            changes={"progress_entry": [None, f"{entry.get_kind_display()} {entry.date:%d-%m-%Y}"]},
            enrolment=enrolment,
        )
        if ladder_level and ladder_level != enrolment.current_ladder_level:
            change_ladder_level(enrolment=enrolment, level=ladder_level, on=date, by=by)
    return entry


def update_progress_entry(*, entry, by, **fields):
    """Change one's own entry (author only, in one's own programme); audited, scoped."""
    _guard_not_anonymised(entry.enrolment.participant, entry.enrolment)
    require(by, "participants.change_entry", entry)
    before = audit.snapshot(_stored(entry), fields)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean(exclude=["enrolment", "group_activity", "author"])
    changes = audit.diff(before, entry)
    if changes:
        entry.save(update_fields=[*fields, "updated_at"])
        audit.record(
            actor=by,
            obj=entry.enrolment.participant,
            action=AuditAction.update,
            changes={f"progress_entry.{k}": v for k, v in changes.items()},
            enrolment=entry.enrolment,
        )
    return entry


def delete_progress_entry(*, entry, by):
    participant = entry.enrolment.participant
    _guard_not_anonymised(participant, entry.enrolment)
    require(by, "participants.delete_entry", entry)
    enrolment = entry.enrolment
    description = f"{entry.get_kind_display()} {entry.date:%d-%m-%Y}"
    with transaction.atomic():
        entry.delete()
        audit.record(
            actor=by,
            obj=participant,
            action=AuditAction.delete,
            changes={"progress_entry": [description, None]},
            enrolment=enrolment,
        )


def record_group_activity(
    *, programme, by, kind, title, date, enrolments, duration_minutes=None, note=""
):
    """Record a workshop or thema-avond once and give every attendee a progress entry, all in
    one transaction. ``enrolments`` must be open enrolments in ``programme`` of participants
    who are not anonymised; only a member of the programme may record it."""
    require(by, "participants.record_group_activity", programme)
    enrolments = list(enrolments)
    if not enrolments:
        raise ValidationError(_("Kies ten minste één deelnemer."))
    foreign = [e for e in enrolments if e.programme_id != programme.pk]
    if foreign:
        raise ValidationError(_("Alle deelnemers moeten in dit programma ingeschreven zijn."))
    # Read fresh: the form's choices may predate an erasure.
    if Enrolment.objects.filter(
        Q(participant__anonymised_at__isnull=False) | Q(erased_at__isnull=False),
        pk__in=[e.pk for e in enrolments],
    ).exists():
        raise ValidationError(
            _("Een of meer gekozen deelnemers zijn geanonimiseerd; kies de deelnemers opnieuw.")
        )
    _guard_consent([e.participant for e in enrolments])
    with transaction.atomic():
        activity = GroupActivity.objects.create(
            programme=programme,
            kind=kind,
            title=title,
            date=date,
            duration_minutes=duration_minutes,
            note=note,
            author=by,
        )
        ProgressEntry.objects.bulk_create(
            ProgressEntry(
                enrolment=enrolment,
                kind=kind,
                date=date,
                duration_minutes=duration_minutes,
                note=title if not note else f"{title}: {note}",
                group_activity=activity,
                author=by,
            )
            for enrolment in enrolments
        )
        Enrolment.objects.filter(
            pk__in=[e.pk for e in enrolments], status=EnrolmentStatus.intake
        ).update(status=EnrolmentStatus.active, updated_at=timezone.now())
        transaction.on_commit(counting.data_changed)  # update() sends no signals
        for enrolment in enrolments:
            audit.record(
                actor=by,
                obj=enrolment.participant,
                action=AuditAction.create,
                changes={"progress_entry": [None, f"{activity.get_kind_display()}: {title}"]},
                enrolment=enrolment,
            )
    return activity


def record_outcome(*, enrolment, by, outcome, outcome_date, end_date=None):
    """Record the uitstroom. A final outcome closes the enrolment (status afgerond, end date);
    'nog bezig' keeps it open."""
    _guard_not_anonymised(enrolment.participant, enrolment)
    require(by, "participants.edit_enrolment", enrolment)
    if outcome_date < enrolment.start_date:
        raise ValidationError({"outcome_date": _("De uitstroomdatum ligt vóór de startdatum.")})
    fields = {"outcome": outcome, "outcome_date": outcome_date}
    if outcome == Outcome.ongoing:
        fields["end_date"] = None
        if enrolment.status in EnrolmentStatus.closed():
            fields["status"] = EnrolmentStatus.active
    else:
        fields["end_date"] = end_date or outcome_date
        fields["status"] = EnrolmentStatus.finished
        if fields["end_date"] < enrolment.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de startdatum.")})
    return update_enrolment(enrolment=enrolment, by=by, **fields)


def record_view(*, participant, by, enrolment=None):
    """Every view of a participant page is logged (AVG); a page that shows one enrolment
    (the edit forms) is scoped to it."""
    audit.record(actor=by, obj=participant, action=AuditAction.view, enrolment=enrolment)


def record_list_export(*, enrolments, by, file_format):
    """A list export reveals each exported row: one audit entry 'geëxporteerd' per row, on
    its participant and scoped to its enrolment, so the participant's history and access
    export say their data was exported (and only to those who may see that programme).

    One INSERT … SELECT over the filtered enrolments: the rows never pass through Python.
    Building and inserting them from Python in batches took longer than gunicorn's 30 s for
    the 100.000-row export in `make bench`. Returns how many entries."""
    actor = by if by is not None and by.is_authenticated else None
    content_type = ContentType.objects.get_for_model(Participant)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Export van de deelnemerslijst")
    selected, selected_params = enrolments.order_by().values("pk").query.sql_with_params()
    audit_table = AuditEntry._meta.db_table
    enrolment_table = Enrolment._meta.db_table
    participant_table = Participant._meta.db_table
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    # The reference, not the name, as the object's name: nothing to scrub at erasure.
    sql = f"""
        INSERT INTO {audit_table} (
            actor_id, at, content_type_id, object_id, object_repr, action, changes, reason,
            scope, participant_id, programme_id, enrolment_id
        )
        SELECT %s, %s, %s, CAST(e.participant_id AS TEXT), p.reference, %s, {json_param}, %s,
            %s, e.participant_id, e.programme_id, e.id
        FROM {enrolment_table} e JOIN {participant_table} p ON p.id = e.participant_id
        WHERE e.id IN ({selected})
    """  # noqa: S608 (table names from the models; every value is a parameter)
    params = [
        actor.pk if actor else None,
        timezone.now(),
        content_type.pk,
        AuditAction.export.value,
        json.dumps({"format": file_format}),
        reason,
        AuditScope.enrolment.value,
        *selected_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def record_export(*, participant, by, file_format):
    audit.record(
        actor=by, obj=participant, action=AuditAction.export, changes={"format": file_format}
    )


def anonymise_participant(*, participant, by, reason):
    """Erase the person while keeping the rows that the statistics count.

    Names, contact details, birth date (the year is kept, for age bands), free-text notes,
    personal goals, milestones and consent purposes are removed, and the personal values in
    earlier audit entries are blanked (every entry about the participant, whatever object it
    was recorded on); the reference, municipality, enrolments, outcomes, ladder levels and the
    kind/date/duration of progress entries stay. Records an audit entry 'geanonimiseerd' with
    the reason. Doing it twice changes nothing.

    Who (participants.erase_participant): the Beheerder, a coordinator all of whose
    participant's enrolments lie in their own programmes, or the system (``by=None``, the
    retention task). A coordinator whose participant is also enrolled elsewhere erases only
    their own programmes' part with :func:`erase_enrolments`."""
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het anonimiseren."))
    with transaction.atomic():
        # Lock the row and read it fresh: a coordinator and the retention task may act at
        # once, and the second must find it done rather than anonymise (and audit) it again.
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.anonymised_at:
            return participant
        # Checked under the lock: an enrolment elsewhere added meanwhile is seen.
        require(by, "participants.erase_participant", participant)
        # Stored text, not UI: the same words whichever language the user happens to use.
        with translation.override(settings.LANGUAGE_CODE):
            placeholder_name = _("Geanonimiseerd")
            placeholder_purpose = _("(geanonimiseerd)")
        participant.birth_year = participant.year_of_birth
        participant.birth_date = None
        participant.first_name = placeholder_name
        participant.surname_prefix = ""
        participant.last_name = ""
        participant.email = ""
        participant.phone = ""
        participant.anonymised_at = timezone.now()
        participant.save(
            update_fields=[
                "first_name",
                "surname_prefix",
                "last_name",
                "birth_date",
                "birth_year",
                "email",
                "phone",
                "anonymised_at",
            ]
        )
        Enrolment.objects.filter(participant=participant).update(
            personal_goal="", erased_at=timezone.now(), updated_at=timezone.now()
        )
        ProgressEntry.objects.filter(enrolment__participant=participant).update(
            note="", milestone="", updated_at=timezone.now()
        )
        participant.consents.update(purpose=placeholder_purpose)
        _scrub_audit_trail(participant)
        audit.record(actor=by, obj=participant, action=AuditAction.anonymise, reason=reason)
    return participant


def erase_enrolments(*, participant, by, reason):
    """Erase what a coordinator may erase of a person who is also enrolled in a programme
    they are not a member of: the personal goals, notes and milestones of the enrolments in
    their own programmes, and those values in the audit entries scoped to these enrolments.
    The person record (name, contact) and the other programmes' enrolments stay; the
    Beheerder carries out the full erasure (:func:`anonymise_participant`).

    Records an audit entry 'geanonimiseerd' with the reason per enrolment, scoped to it.
    Returns the erased enrolments."""
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het anonimiseren."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        _guard_not_anonymised(participant)
        enrolments = [
            enrolment
            for enrolment in Enrolment.objects.filter(participant=participant).order_by("pk")
            if can(by, "participants.erase_enrolment", enrolment)
        ]
        if not enrolments:
            raise PermissionDenied
        ids = [enrolment.pk for enrolment in enrolments]
        Enrolment.objects.filter(pk__in=ids).update(
            personal_goal="", erased_at=timezone.now(), updated_at=timezone.now()
        )
        ProgressEntry.objects.filter(enrolment__in=ids).update(
            note="", milestone="", updated_at=timezone.now()
        )
        _scrub_changes(AuditEntry.objects.filter(enrolment__in=ids))
        for enrolment in enrolments:
            audit.record(
                actor=by,
                obj=participant,
                action=AuditAction.anonymise,
                reason=reason,
                enrolment=enrolment,
            )
    return enrolments


AUDIT_PERSONAL_KEYS = {
    *PARTICIPANT_FIELDS,
    "personal_goal",
    "note",
    "milestone",
    "progress_entry",
    "purpose",
}


def _scrub_audit_trail(participant):
    """The audit trail keeps who did what when, but no longer the erased person's details:
    the name in ``object_repr`` of every entry about them (also those the admin recorded on
    an enrolment or consent) and the personal values in ``changes`` (an old e-mail address,
    a goal, a note)."""
    entries = AuditEntry.objects.filter(
        Q(participant=participant)
        | Q(
            content_type=ContentType.objects.get_for_model(Participant),
            object_id=str(participant.pk),
        )
    )
    entries.filter(content_type=ContentType.objects.get_for_model(Participant)).update(
        object_repr=str(participant)[:200]
    )
    # Entries on other objects whose text names the person: an enrolment ("name – programme")
    # and a consent (its purpose).
    for model, rows in [
        (Enrolment, participant.enrolments.select_related("programme")),
        (Consent, participant.consents.all()),
    ]:
        content_type = ContentType.objects.get_for_model(model)
        for row in rows:
            entries.filter(content_type=content_type, object_id=str(row.pk)).update(
                object_repr=str(row)[:200]
            )
    _scrub_changes(entries)


def _scrub_changes(entries):
    """Blank the personal values in ``changes``: a save only for entries that hold any (a
    participant's trail is mostly 'bekeken' entries without changes)."""
    for entry in entries.exclude(changes={}).select_related(None).only("pk", "changes"):
        scrubbed = {
            name: (["—", "—"] if name.split(".")[-1] in AUDIT_PERSONAL_KEYS else values)
            for name, values in entry.changes.items()
        }
        if scrubbed != entry.changes:
            entry.changes = scrubbed
            entry.save(update_fields=["changes"])


def participants_past_retention(*, today=None):
    """Participants (not yet anonymised) with at least one enrolment, every one of which
    ended before the retention period: ``end_date`` earlier than today minus
    PARTICIPANT_RETENTION_DAYS. An open enrolment (no end date) keeps the participant.

    One query: a semi-join and an anti-join on enrolment (its participant_id index), no
    GROUP BY over all enrolments."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.PARTICIPANT_RETENTION_DAYS)
    enrolments = Enrolment.objects.filter(participant=OuterRef("pk"))
    still_needed = enrolments.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff))
    return Participant.objects.filter(
        Exists(enrolments), ~Exists(still_needed), anonymised_at__isnull=True
    )


def anonymise_past_retention(*, today=None):
    """Anonymise every participant past the retention period. Returns how many.

    Each participant is locked and checked again in its own transaction, so a participant
    who enrolled again after the selection keeps their data and one failure does not undo
    the others. Idempotent: anonymised participants are no longer selected."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Bewaartermijn verstreken (%(days)s dagen na einde inschrijving).") % {
            "days": settings.PARTICIPANT_RETENTION_DAYS
        }
    count = 0
    for pk in list(participants_past_retention(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            # Lock first, then check in a new statement (a new snapshot under READ
            # COMMITTED): an enrolment inserted meanwhile has either committed and is seen
            # here, or waits for this lock (the insert takes a key-share lock on the row).
            participant = (
                Participant.objects.select_for_update()
                .filter(pk=pk, anonymised_at__isnull=True)
                .first()
            )
            if participant is None:
                continue
            if not participants_past_retention(today=today).filter(pk=pk).exists():
                continue
            anonymise_participant(participant=participant, by=None, reason=reason)
        count += 1
    return count


def _guard_not_anonymised(participant, enrolment=None):
    """Erasure is final: nothing is written about an anonymised person, nor to an enrolment
    whose free text was erased (erase_enrolments)."""
    if participant.anonymised_at:
        raise ValidationError(
            _("Deze deelnemer is geanonimiseerd en kan niet meer worden gewijzigd.")
        )
    if enrolment is not None and enrolment.erased_at:
        raise ValidationError(
            _(
                "De gegevens van deze inschrijving zijn gewist; er kan niets meer aan worden "
                "toegevoegd."
            )
        )


IMPORT_ERRORS_KEPT_DAYS = 30


def purge_old_import_errors(*, today=None):
    """Rejected import rows are listed with the values a coordinator typed (names, dates):
    keep them long enough to fix the file, then drop them. Returns how many imports."""
    from .models import ParticipantImport

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=IMPORT_ERRORS_KEPT_DAYS)
    return (
        ParticipantImport.objects.filter(created_at__date__lt=cutoff)
        .exclude(errors=[])
        .update(errors=[])
    )


# Consent withdrawal, ending enrolments, outcomes in bulk and closing inactive enrolments.


def consent_withdrawn_ids(participant_ids):
    """The ids among ``participant_ids`` whose consent is withdrawn: they have a withdrawn
    consent and none that still holds. One query."""
    withdrawn, holding = set(), set()
    rows = Consent.objects.filter(participant_id__in=list(participant_ids)).values_list(
        "participant_id", "withdrawn_on"
    )
    for participant_id, withdrawn_on in rows:
        (withdrawn if withdrawn_on else holding).add(participant_id)
    return withdrawn - holding


def consent_is_withdrawn(consents):
    """For a participant's consents already loaded: the rule of consent_withdrawn_ids."""
    consents = list(consents)
    return bool(consents) and all(consent.withdrawn_on for consent in consents)


def _guard_consent(participants):
    """No new data about someone who withdrew their consent (AVG: no processing without a
    basis). Raises one Dutch message naming them."""
    blocked = consent_withdrawn_ids(p.pk for p in participants)
    if blocked:
        names_ = sorted({p.full_name for p in participants if p.pk in blocked})
        raise ValidationError(
            _(
                "De toestemming van %(names)s is ingetrokken; er kan geen nieuwe voortgang "
                "worden vastgelegd."
            )
            % {"names": ", ".join(names_)}
        )


def withdraw_consent(*, participant, by, on):
    """Record that the participant withdrew their consent on ``on``.

    Effects: every consent that still holds gets ``withdrawn_on``; an audit entry. From then
    on add_progress_entry, record_group_activity and the CSV import refuse new data about
    the participant; existing data stays (erasure is a separate request: anonymise)."""
    _guard_not_anonymised(participant)
    require(by, "participants.edit_participant", participant)
    if on > timezone.localdate():
        raise ValidationError({"on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        holding = list(participant.consents.select_for_update().filter(withdrawn_on__isnull=True))
        if not holding:
            raise ValidationError(_("Er is geen toestemming die nog kan worden ingetrokken."))
        earliest = min(consent.given_on for consent in holding)
        if on < earliest:
            raise ValidationError(
                {
                    "on": _("De datum ligt vóór de toestemming (%(date)s).")
                    % {"date": f"{earliest:%d-%m-%Y}"}
                }
            )
        Consent.objects.filter(pk__in=[consent.pk for consent in holding]).update(withdrawn_on=on)
        audit.record(
            actor=by,
            obj=participant,
            action=AuditAction.update,
            # Consent.withdrawn_on: a person-level key, so the entry is scoped to the
            # participant and the coordinator who recorded it reads it in the history tab.
            changes={"withdrawn_on": [None, f"{on:%d-%m-%Y}"]},
        )


def end_enrolment(*, enrolment, by, status, end_date, reason):
    """ "Traject beëindigen": close an open enrolment as uitgevallen or gestopt.

    Effects: status and end date (no uitstroom is invented), an audit entry with the reason.
    The retention period then runs from the end date (participants_past_retention)."""
    if status not in EnrolmentStatus.ended_early():
        raise ValidationError({"status": _("Kies uitgevallen of gestopt.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden.")})
    _guard_not_anonymised(enrolment.participant, enrolment)
    require(by, "participants.edit_enrolment", enrolment)
    with transaction.atomic():
        # Locked: the coordinator and the nightly task may close the same enrolment at once.
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status in EnrolmentStatus.closed():
            raise ValidationError(_("Deze inschrijving is al afgesloten."))
        if end_date < locked.start_date:
            raise ValidationError(
                {
                    "end_date": _("De einddatum ligt vóór de startdatum (%(date)s).")
                    % {"date": f"{locked.start_date:%d-%m-%Y}"}
                }
            )
        if end_date > timezone.localdate():
            raise ValidationError({"end_date": _("De einddatum ligt in de toekomst.")})
        changes = {
            "status": [locked.status, status],
            "end_date": [None, f"{end_date:%d-%m-%Y}"],
        }
        locked.status, locked.end_date = status, end_date
        locked.save(update_fields=["status", "end_date", "updated_at"])
        audit.record(
            actor=by,
            obj=locked.participant,
            action=AuditAction.update,
            changes=changes,
            reason=reason,
            enrolment=locked,
        )
    enrolment.status, enrolment.end_date = status, end_date
    return enrolment


def record_outcomes(*, enrolments, by, outcome, outcome_date, end_date=None):
    """ "Uitstroom vastleggen" for several enrolments: record_outcome for each, in one
    transaction, audited per participant. All or nothing: when one enrolment cannot take
    the outcome, a ValidationError lists every such participant and nothing is saved.
    The caller passes only enrolments the user may change."""
    enrolments = list(enrolments)
    if not enrolments:
        raise ValidationError(_("Kies ten minste één deelnemer."))
    problems = []
    with transaction.atomic():
        for enrolment in enrolments:
            try:
                with transaction.atomic():
                    record_outcome(
                        enrolment=enrolment,
                        by=by,
                        outcome=outcome,
                        outcome_date=outcome_date,
                        end_date=end_date,
                    )
            except ValidationError as error:
                problems.append(
                    _("%(name)s: %(reason)s")
                    % {"name": enrolment.participant.full_name, "reason": " ".join(error.messages)}
                )
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ValidationError(problems)
    return enrolments


def inactive_enrolments(*, today=None):
    """Open enrolments without any activity for ENROLMENT_INACTIVE_DAYS: started before the
    cut-off, not changed since (``updated_at``), and no progress entry dated or recorded
    since."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.ENROLMENT_INACTIVE_DAYS)
    recent_entries = ProgressEntry.objects.filter(enrolment=OuterRef("pk")).filter(
        Q(date__gte=cutoff) | Q(created_at__date__gte=cutoff)
    )
    return Enrolment.objects.filter(
        status__in=EnrolmentStatus.open(),
        start_date__lt=cutoff,
        updated_at__date__lt=cutoff,
    ).exclude(Exists(recent_entries))


def close_inactive_enrolments(*, today=None):
    """Close every inactive enrolment (inactive_enrolments) as gestopt, ending on its last
    activity, so the retention period applies to it. Returns how many.

    Each enrolment is closed by end_enrolment in its own transaction (one failure does not
    undo the others); an enrolment that was closed or touched meanwhile is skipped."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Geen activiteit in %(days)s dagen; automatisch gestopt.") % {
            "days": settings.ENROLMENT_INACTIVE_DAYS
        }
    today = today or timezone.localdate()
    count = 0
    candidates = (
        inactive_enrolments(today=today)
        .annotate(last_entry=Max("progress_entries__date"))
        .select_related("participant")
    )
    for enrolment in list(candidates):
        if not inactive_enrolments(today=today).filter(pk=enrolment.pk).exists():
            continue
        last_activity = max(
            day
            for day in (enrolment.start_date, enrolment.last_entry, enrolment.updated_at.date())
            if day is not None
        )
        try:
            end_enrolment(
                enrolment=enrolment,
                by=None,
                status=EnrolmentStatus.stopped,
                end_date=min(last_activity, today),
                reason=reason,
            )
        except ValidationError:
            continue  # closed or anonymised meanwhile
        count += 1
    return count
