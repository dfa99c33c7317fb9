"""Creating the participants of a checked file, in bulk."""

import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from regioportal.models import AuditAction, AuditEntry, AuditScope

from .. import counting
from ..models import Consent, Enrolment, LadderStep, Participant
from ..names import sort_name
from ..rules import require

BATCH_SIZE = 2000


def _new_references(count):
    """``count`` unused participant numbers, in the format of services.new_reference, checked
    against the database in a few queries instead of one per participant."""
    references = set()
    while len(references) < count:
        candidates = {f"D-{secrets.randbelow(10**8):08d}" for _ in range(count - len(references))}
        candidates -= references
        taken = set(
            Participant.objects.filter(reference__in=candidates).values_list("reference", flat=True)
        )
        references |= candidates - taken
    return list(references)


def create_participants(*, intakes, by, reason=""):
    """Create what ``services.register_intake`` creates, for many intakes at once.

    Effects, per intake: one Participant, one Consent, one Enrolment (status intake), a
    LadderStep when a starting level is given, and an audit entry 'aangemaakt'. Call inside a
    transaction. Returns the participants."""
    for programme in {intake.programme for intake in intakes}:
        require(by, "participants.import_participants", programme)
    participants = Participant.objects.bulk_create(
        [
            Participant(
                reference=reference,
                first_name=intake.first_name.strip(),
                surname_prefix=intake.surname_prefix.strip(),
                last_name=intake.last_name.strip(),
                # bulk_create does not call save(), which keeps the sort name.
                sort_name=sort_name(intake.first_name, intake.surname_prefix, intake.last_name),
                birth_date=intake.birth_date,
                birth_year=None if intake.birth_date else intake.birth_year,
                municipality=intake.municipality,
                email=intake.email,
                phone=intake.phone,
                created_by=by,
            )
            for reference, intake in zip(_new_references(len(intakes)), intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                participant=participant,
                given_on=intake.consent_date,
                purpose=intake.consent_purpose,
                recorded_by=by,
            )
            for participant, intake in zip(participants, intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    transaction.on_commit(counting.data_changed)  # bulk_create sends no signals
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                participant=participant,
                programme=intake.programme,
                track=intake.track,
                coach=intake.coach,
                status=intake.enrolment_state()[0],
                personal_goal=intake.personal_goal,
                start_date=intake.start_date,
                end_date=intake.enrolment_state()[1],
                outcome=intake.outcome,
                outcome_date=intake.outcome_date,
                starting_ladder_level=intake.starting_ladder_level,
                current_ladder_level=intake.starting_ladder_level,
            )
            for participant, intake in zip(participants, intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    steps = [
        LadderStep(
            enrolment=enrolment,
            level=intake.starting_ladder_level,
            recorded_on=intake.start_date,
            recorded_by=by,
        )
        for enrolment, intake in zip(enrolments, intakes, strict=True)
        if intake.starting_ladder_level
    ]
    if steps:
        LadderStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    content_type = ContentType.objects.get_for_model(Participant, for_concrete_model=False)
    actor = by if by is not None and by.is_authenticated else None
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                content_type=content_type,
                object_id=str(participant.pk),
                object_repr=str(participant)[:200],
                action=AuditAction.create,
                # The same changes as register_intake records.
                changes={
                    "programme": [None, str(intake.programme)],
                    "track": [None, str(intake.track) if intake.track else None],
                },
                reason=reason,
                # Scoped like register_intake's entry: to the new enrolment.
                scope=AuditScope.enrolment,
                participant=participant,
                programme=intake.programme,
                enrolment=enrolment,
            )
            for participant, enrolment, intake in zip(
                participants, enrolments, intakes, strict=True
            )
        ],
        batch_size=BATCH_SIZE,
    )
    return participants
