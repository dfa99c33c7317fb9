"""AVG retention: participants whose every enrolment ended longer ago than
PARTICIPANT_RETENTION_DAYS are anonymised by a nightly Celery beat task."""

import logging
import subprocess
import sys
from datetime import date, timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from participants.enums import EnrolmentStatus, Outcome
from participants.models import Participant, ParticipantImport, ProgressEntry
from participants.services import (
    anonymise_past_retention,
    participants_past_retention,
    purge_old_import_errors,
)
from participants.tasks_retention import anonymise_expired_participants
from programmes.enums import ActivityKind
from regioportal.models import AuditAction, AuditEntry
from tests.factories import (
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgressEntryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def two_years(settings):
    settings.PARTICIPANT_RETENTION_DAYS = 730


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


def make_participant(programme, reference, *end_dates, today=TODAY):
    """A participant with one enrolment per end date (None: still open), each started a year
    before it ended (or before ``today``), with a goal, an outcome and a progress note."""
    participant = ParticipantFactory(
        reference=reference,
        first_name="Jan",
        last_name=f"Jansen {reference}",
        birth_date=date(1998, 2, 3),
        birth_year=None,
        email=f"{reference.lower()}@example.nl",
        phone="050 1234567",
    )
    for end_date in end_dates:
        enrolment = EnrolmentFactory(
            participant=participant,
            programme=programme,
            status=EnrolmentStatus.finished if end_date else EnrolmentStatus.active,
            start_date=(end_date or today) - timedelta(days=365),
            end_date=end_date,
            personal_goal="Werk vinden",
            outcome=Outcome.paid_work if end_date else "",
            outcome_date=end_date,
            starting_ladder_level=3,
            current_ladder_level=6 if end_date else 3,
        )
        ProgressEntryFactory(enrolment=enrolment, date=enrolment.start_date, note="Eerste gesprek")
    return participant


def years_ago(years, today=TODAY):
    return today - timedelta(days=365 * years)


def anonymised(*participants):
    return [Participant.objects.get(pk=p.pk).anonymised_at is not None for p in participants]


def test_participant_whose_enrolment_ended_three_years_ago_is_anonymised(programme):
    participant = make_participant(programme, "D-00000001", years_ago(3))

    count = anonymise_past_retention(today=TODAY)

    assert count == 1
    participant.refresh_from_db()
    assert (
        participant.first_name,
        participant.last_name,
        participant.email,
        participant.phone,
        participant.birth_date,
        participant.birth_year,
    ) == ("Geanonimiseerd", "", "", "", None, 1998)
    enrolment = participant.enrolments.get()
    assert (enrolment.personal_goal, enrolment.outcome, enrolment.current_ladder_level) == (
        "",
        "betaald_werk",
        6,
    )
    assert list(ProgressEntry.objects.filter(enrolment=enrolment).values_list("note", "kind")) == [
        ("", ActivityKind.coaching)
    ]
    entry = AuditEntry.objects.get(action=AuditAction.anonymise)
    assert (entry.actor, entry.object_id, entry.reason) == (
        None,
        str(participant.pk),
        "Bewaartermijn verstreken (730 dagen na einde inschrijving).",
    )


def test_who_is_past_retention(programme):
    ended_3_years_ago = make_participant(programme, "D-00000001", years_ago(3))
    ended_1_year_ago = make_participant(programme, "D-00000002", years_ago(1))
    open_enrolment = make_participant(programme, "D-00000003", None)
    ended_long_ago_and_open = make_participant(programme, "D-00000004", years_ago(4), None)
    ended_long_ago_and_recently = make_participant(
        programme, "D-00000005", years_ago(5), years_ago(1)
    )
    both_ended_long_ago = make_participant(programme, "D-00000006", years_ago(5), years_ago(3))
    no_enrolment = make_participant(programme, "D-00000007")
    ended_exactly_730_days_ago = make_participant(
        programme, "D-00000008", TODAY - timedelta(days=730)
    )
    ended_731_days_ago = make_participant(programme, "D-00000009", TODAY - timedelta(days=731))

    count = anonymise_past_retention(today=TODAY)

    assert count == 3
    assert anonymised(
        ended_3_years_ago,
        ended_1_year_ago,
        open_enrolment,
        ended_long_ago_and_open,
        ended_long_ago_and_recently,
        both_ended_long_ago,
        no_enrolment,
        ended_exactly_730_days_ago,
        ended_731_days_ago,
    ) == [True, False, False, False, False, True, False, False, True]
    kept = Participant.objects.get(pk=ended_long_ago_and_open.pk)
    assert (kept.first_name, kept.email) == ("Jan", "d-00000004@example.nl")


def test_running_twice_anonymises_nobody_new(programme):
    make_participant(programme, "D-00000001", years_ago(3))
    make_participant(programme, "D-00000002", years_ago(1))

    first = anonymise_past_retention(today=TODAY)
    second = anonymise_past_retention(today=TODAY)

    assert (first, second) == (1, 0)
    assert AuditEntry.objects.filter(action=AuditAction.anonymise).count() == 1


def test_participants_past_retention_is_one_query(programme, django_assert_num_queries):
    for number in range(1, 6):
        make_participant(programme, f"D-0000000{number}", years_ago(3), years_ago(4))
    make_participant(programme, "D-00000009", years_ago(3), None)

    with django_assert_num_queries(1):
        references = sorted(p.reference for p in participants_past_retention(today=TODAY))

    assert references == [f"D-0000000{n}" for n in range(1, 6)]


def test_already_anonymised_participants_are_not_selected(programme):
    participant = make_participant(programme, "D-00000001", years_ago(3))
    Participant.objects.filter(pk=participant.pk).update(anonymised_at=timezone.now())

    assert list(participants_past_retention(today=TODAY)) == []


def test_celery_task_anonymises_and_logs_how_many(programme, caplog):
    today = timezone.localdate()
    expired = make_participant(programme, "D-00000001", years_ago(3, today), today=today)
    current = make_participant(programme, "D-00000002", None, today=today)

    with caplog.at_level(logging.INFO, logger="participants.tasks_retention"):
        result = anonymise_expired_participants.run()

    assert result == 1
    assert anonymised(expired, current) == [True, False]
    assert [r.getMessage() for r in caplog.records if r.name == "participants.tasks_retention"] == [
        "Retention: anonymised 1 participant(s) past the retention period.",
        "Retention: cleared the row errors of 0 old import(s).",
    ]
    assert anonymise_expired_participants.run() == 0


def test_beat_runs_the_retention_task_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-expired-participants"]

    assert entry["task"] == anonymise_expired_participants.name
    assert entry["task"] == "participants.tasks_retention.anonymise_expired_participants"
    assert entry["schedule"] == crontab(hour=3, minute=0)


def test_worker_knows_the_retention_task():
    # A fresh process, as a worker starts: only what the Celery app itself imports counts.
    code = (
        "import django; django.setup()\n"
        "from regioportal.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(name for name in app.tasks if name.startswith('participants.')))\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "regioportal.settings", "DEBUG": "true", "PATH": ""},
    ).stdout
    assert "participants.tasks_retention.anonymise_expired_participants" in out


def test_old_import_errors_are_cleared_and_recent_ones_kept(programme):
    old = ParticipantImport.objects.create(
        programme=programme, original_name="a.csv", errors=["Rij 2, kolom voornaam: Jan"]
    )
    recent = ParticipantImport.objects.create(
        programme=programme, original_name="b.csv", errors=["Rij 3, kolom voornaam: Piet"]
    )
    ParticipantImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    assert purge_old_import_errors() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.errors, recent.errors) == ([], ["Rij 3, kolom voornaam: Piet"])
