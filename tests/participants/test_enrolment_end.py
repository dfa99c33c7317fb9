"""Ending an enrolment: "Traject beëindigen" (uitgevallen or gestopt), the database rule that
a closed enrolment has an end date, and the nightly closing of enrolments without activity
so that the retention period applies to them (issue 6, section 8)."""

from datetime import date, timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.enums import EnrolmentStatus
from participants.models import Enrolment, Participant
from participants.tasks_retention import close_inactive_enrolments
from regioportal.models import AuditAction, AuditEntry
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ProgressEntryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ENROLMENT_INACTIVE_DAYS = 365
    settings.PARTICIPANT_RETENTION_DAYS = 730


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def coordinator(programme):
    return CoordinatorFactory(programmes=[programme], username="carla")


@pytest.fixture
def enrolment(programme, coordinator):
    participant = ParticipantFactory(first_name="Eva", surname_prefix="de", last_name="Boer")
    return EnrolmentFactory(
        participant=participant, programme=programme, coach=coordinator, start_date=date(2024, 2, 1)
    )


def end_url(enrolment):
    return reverse("participants:end-enrolment", args=[enrolment.participant_id, enrolment.pk])


# --- the constraint ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", EnrolmentStatus.closed())
def test_a_closed_enrolment_without_end_date_is_refused_by_the_database(enrolment, status):
    with pytest.raises(IntegrityError):
        Enrolment.objects.filter(pk=enrolment.pk).update(status=status, end_date=None)


def test_full_clean_explains_the_missing_end_date_in_dutch(enrolment):
    enrolment.status = EnrolmentStatus.dropped_out
    with pytest.raises(ValidationError) as error:
        enrolment.full_clean()
    assert error.value.messages == ["Een afgesloten inschrijving heeft een einddatum."]


def test_the_data_migration_gives_closed_enrolments_an_end_date(programme):
    import importlib

    from django.apps import apps
    from django.db import connection

    with_outcome = EnrolmentFactory(
        programme=programme, outcome="betaald_werk", outcome_date=date(2024, 9, 1)
    )
    with_entries = EnrolmentFactory(programme=programme)
    ProgressEntryFactory(enrolment=with_entries, date=date(2024, 5, 6))
    bare = EnrolmentFactory(programme=programme)
    migration = importlib.import_module(
        "participants.migrations.0004_split_surname_prefixes_close_end_dates"
    )
    with connection.cursor() as cursor:
        # The rows as they could be before the constraint existed. (Deferred foreign key
        # checks of the rows above must run first: no ALTER with pending trigger events.)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE participants_enrolment DROP CONSTRAINT enrolment_closed_has_end_date"
        )
    Enrolment.objects.filter(pk=with_outcome.pk).update(
        status="afgerond", outcome_date=date(2024, 9, 1), end_date=None
    )
    Enrolment.objects.filter(pk__in=[with_entries.pk, bare.pk]).update(
        status="uitgevallen", end_date=None
    )

    migration.close_end_dates(apps, None)

    assert list(Enrolment.objects.order_by("pk").values_list("end_date", flat=True)) == [
        date(2024, 9, 1),
        date(2024, 5, 6),
        date(2024, 2, 1),
    ]


# --- Traject beëindigen ---------------------------------------------------------------------


def test_end_enrolment_closes_it_with_date_and_reason_and_audits(enrolment, coordinator):
    services.end_enrolment(
        enrolment=enrolment,
        by=coordinator,
        status=EnrolmentStatus.dropped_out,
        end_date=date(2024, 6, 3),
        reason="Verhuisd naar Zwolle",
    )

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date, enrolment.outcome) == (
        EnrolmentStatus.dropped_out,
        date(2024, 6, 3),
        "",
    )
    entry = AuditEntry.objects.get(object_id=str(enrolment.participant_id))
    assert (entry.actor, entry.action, entry.reason, entry.changes) == (
        coordinator,
        AuditAction.update,
        "Verhuisd naar Zwolle",
        {"status": ["actief", "uitgevallen"], "end_date": [None, "03-06-2024"]},
    )


@pytest.mark.parametrize(
    ("status", "end_date", "reason", "message"),
    [
        ("afgerond", date(2024, 6, 3), "x", "Kies uitgevallen of gestopt."),
        ("gestopt", date(2024, 1, 31), "x", "De einddatum ligt vóór de startdatum (01-02-2024)."),
        ("gestopt", date(2024, 6, 3), "  ", "Geef een reden."),
    ],
)
def test_end_enrolment_refuses_what_does_not_fit(
    enrolment, coordinator, status, end_date, reason, message
):
    with pytest.raises(ValidationError) as error:
        services.end_enrolment(
            enrolment=enrolment, by=coordinator, status=status, end_date=end_date, reason=reason
        )
    assert error.value.messages == [message]
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.active


def test_an_enrolment_cannot_be_ended_twice(enrolment, coordinator):
    arguments = {"status": "gestopt", "end_date": date(2024, 6, 3), "reason": "Gestopt"}
    services.end_enrolment(enrolment=enrolment, by=coordinator, **arguments)
    with pytest.raises(ValidationError) as error:
        services.end_enrolment(enrolment=enrolment, by=coordinator, **arguments)
    assert error.value.messages == ["Deze inschrijving is al afgesloten."]


def test_coordinator_ends_an_enrolment_from_the_participant_page(client, enrolment, coordinator):
    client.force_login(coordinator)
    page = client.get(enrolment.participant.get_absolute_url()).content.decode()
    assert f'href="{end_url(enrolment)}">Traject beëindigen</a>' in page

    response = client.post(
        end_url(enrolment), {"status": "gestopt", "end_date": "03-06-2024", "reason": "Geen tijd"}
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{enrolment.participant.get_absolute_url()}?inschrijving={enrolment.pk}"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == ("gestopt", date(2024, 6, 3))
    page = client.get(response["Location"]).content.decode()
    assert "Traject beëindigen</a>" not in page
    assert "Voortgang toevoegen" not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "afgerond", "end_date": "03-06-2024", "reason": "x"},
        {"status": "gestopt", "end_date": "31-02-2024", "reason": "x"},
        {"status": "gestopt", "end_date": "01-01-2024", "reason": "x"},
        {"status": "gestopt", "end_date": "01-01-2999", "reason": "x"},
        {"status": ["gestopt", "x"], "end_date": "<script>", "reason": "x" * 600},
    ],
)
def test_junk_in_the_end_form_is_answered_in_dutch_and_changes_nothing(
    client, enrolment, coordinator, data
):
    client.force_login(coordinator)
    response = client.post(end_url(enrolment), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.active


def test_the_error_summary_links_to_the_choice_of_how_the_enrolment_ends(
    client, enrolment, coordinator
):
    # Found in the browser: the radio group's summary link was href="#" (a dead link to the
    # top of the page) and read "Hoe eindigt het traject?: Kies ...".
    client.force_login(coordinator)

    response = client.post(end_url(enrolment), {"end_date": "01-06-2025", "reason": "Verhuisd"})

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        '<li><a href="#id_status">Hoe eindigt het traject? Kies uitgevallen of gestopt.</a></li>'
        in html
    )
    assert 'id="id_status"' in html


def test_others_cannot_end_an_enrolment(client, enrolment):
    other = CoordinatorFactory(programmes=[ProgrammeFactory()])
    client.force_login(other)
    data = {"status": "gestopt", "end_date": "03-06-2024", "reason": "x"}
    assert client.post(end_url(enrolment), data).status_code == 404
    client.force_login(ProgrammeManagerFactory())
    assert client.post(end_url(enrolment), data).status_code == 403
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.active


# --- enrolments without activity --------------------------------------------------------------


def make(programme, start, *, entry_on=None, changed_on=None, status=EnrolmentStatus.active):
    enrolment = EnrolmentFactory(programme=programme, start_date=start, status=status)
    if entry_on:
        entry = ProgressEntryFactory(enrolment=enrolment, date=entry_on)
        ProgressEntryFactory._meta.model.objects.filter(pk=entry.pk).update(
            created_at=timezone.make_aware(timezone.datetime(entry_on.year, entry_on.month, 1))
        )
    changed = changed_on or start
    Enrolment.objects.filter(pk=enrolment.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(changed.year, changed.month, changed.day))
    )
    return enrolment


def test_enrolments_without_activity_for_the_period_are_closed_as_gestopt(programme):
    cutoff = TODAY - timedelta(days=365)
    quiet = make(programme, date(2023, 1, 10), entry_on=date(2024, 3, 4))
    never_seen = make(programme, date(2023, 3, 1))
    recent_entry = make(programme, date(2023, 1, 10), entry_on=cutoff)
    recently_changed = make(programme, date(2023, 1, 10), changed_on=cutoff)
    new = make(programme, cutoff + timedelta(days=1))
    paused = make(programme, date(2023, 1, 10), status=EnrolmentStatus.paused)
    finished = make(programme, date(2023, 1, 10), status=EnrolmentStatus.finished)

    assert services.close_inactive_enrolments(today=TODAY) == 3

    def state(enrolment):
        enrolment.refresh_from_db()
        return enrolment.status, enrolment.end_date

    assert state(quiet) == ("gestopt", date(2024, 3, 4))
    assert state(never_seen) == ("gestopt", date(2023, 3, 1))
    assert state(paused) == ("gestopt", date(2023, 1, 10))
    assert state(recent_entry) == ("actief", None)
    assert state(recently_changed) == ("actief", None)
    assert state(new) == ("actief", None)
    assert state(finished) == ("afgerond", finished.start_date)
    entry = AuditEntry.objects.get(object_id=str(quiet.participant_id))
    assert (entry.actor, entry.reason) == (
        None,
        "Geen activiteit in 365 dagen; automatisch gestopt.",
    )
    assert services.close_inactive_enrolments(today=TODAY) == 0  # idempotent


def test_a_closed_inactive_enrolment_then_falls_under_the_retention_period(programme):
    # Last activity three years ago: closed tonight, and two years past its end date.
    enrolment = make(programme, date(2021, 9, 1), entry_on=date(2022, 4, 5))
    assert list(services.participants_past_retention(today=TODAY)) == []

    services.close_inactive_enrolments(today=TODAY)

    assert list(services.participants_past_retention(today=TODAY)) == [enrolment.participant]
    assert services.anonymise_past_retention(today=TODAY) == 1
    assert Participant.objects.get(pk=enrolment.participant_id).anonymised_at is not None


def test_the_period_is_configurable(programme, settings):
    settings.ENROLMENT_INACTIVE_DAYS = 3 * 365
    make(programme, date(2023, 1, 10), entry_on=date(2023, 3, 4))
    assert services.close_inactive_enrolments(today=TODAY) == 0


def test_beat_closes_inactive_enrolments_every_night_before_the_anonymisation(programme):
    entry = settings.CELERY_BEAT_SCHEDULE["close-inactive-enrolments"]
    assert entry["task"] == close_inactive_enrolments.name
    assert entry["task"] == "participants.tasks_retention.close_inactive_enrolments"
    assert entry["schedule"] == crontab(hour=2, minute=30)
    make(programme, date(2020, 1, 10))
    assert close_inactive_enrolments.run() == 1
