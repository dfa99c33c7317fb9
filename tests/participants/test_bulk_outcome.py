""" "Uitstroom vastleggen" for the rows ticked on the participants list: one transaction,
audited per participant, only enrolments the user may change; works without JavaScript
(issue 6, section 8)."""

from datetime import date

import pytest
from django.urls import reverse

from participants.enums import EnrolmentStatus, Outcome
from participants.models import Enrolment
from regioportal.models import AuditAction, AuditEntry
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("participants:bulk-outcome")


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def coordinator(programme):
    return CoordinatorFactory(programmes=[programme], username="carla")


@pytest.fixture
def enrolments(programme):
    return [
        EnrolmentFactory(
            programme=programme,
            start_date=date(2024, 2, 1),
            participant=ParticipantFactory(first_name=name, last_name="Jansen"),
        )
        for name in ("Anna", "Bram", "Cas")
    ]


def state(enrolment):
    enrolment.refresh_from_db()
    return enrolment.status, enrolment.outcome, enrolment.outcome_date, enrolment.end_date


def test_list_offers_a_checkbox_per_row_and_the_bulk_form(client, coordinator, enrolments):
    client.force_login(coordinator)
    html = client.get(reverse("participants:list"), {"status": ""}).content.decode()
    for enrolment in enrolments:
        assert (
            f'<input type="checkbox" name="enrolments" value="{enrolment.pk}" '
            f'form="bulk-outcome" aria-label="Selecteer Jansen, '
        ) in html
    assert f'<form method="post" action="{URL}" id="bulk-outcome"' in html
    assert '<input type="hidden" name="terug" value="status=">' in html
    assert "js/list-select" in html


def test_read_only_roles_get_no_checkboxes(client, enrolments):
    client.force_login(ProgrammeManagerFactory())
    html = client.get(reverse("participants:list"), {"status": ""}).content.decode()
    assert 'name="enrolments"' not in html
    assert 'id="bulk-outcome"' not in html


def test_outcome_is_recorded_for_every_ticked_enrolment_and_audited_each(
    client, coordinator, enrolments
):
    anna, bram, cas = enrolments
    client.force_login(coordinator)

    response = client.post(
        URL,
        {
            "enrolments": [anna.pk, bram.pk],
            "outcome": Outcome.paid_work,
            "outcome_date": "03-06-2024",
            "terug": "status=&q=jansen",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/participants/?status=&q=jansen"
    closed = (EnrolmentStatus.finished, Outcome.paid_work, date(2024, 6, 3), date(2024, 6, 3))
    assert [state(anna), state(bram)] == [closed, closed]
    assert state(cas) == (EnrolmentStatus.active, "", None, None)
    audited = AuditEntry.objects.filter(
        action=AuditAction.update, participant__isnull=False
    ).order_by("object_id")
    assert [(e.object_id, e.actor, e.changes["outcome"]) for e in audited] == [
        (str(anna.participant_id), coordinator, ["", "betaald_werk"]),
        (str(bram.participant_id), coordinator, ["", "betaald_werk"]),
    ]


def test_one_enrolment_that_cannot_take_the_outcome_saves_nothing(client, coordinator, enrolments):
    anna, bram, _cas = enrolments
    Enrolment.objects.filter(pk=bram.pk).update(start_date=date(2024, 7, 1))
    client.force_login(coordinator)

    response = client.post(
        URL,
        {"enrolments": [anna.pk, bram.pk], "outcome": "scholing", "outcome_date": "03-06-2024"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Bram Jansen: De uitstroomdatum ligt vóór de startdatum."
    ]
    assert [e.pk for e in response.context["chosen"]] == [anna.pk, bram.pk]
    assert state(anna) == (EnrolmentStatus.active, "", None, None)
    assert AuditEntry.objects.filter(participant__isnull=False).count() == 0


def test_an_enrolment_of_another_programme_is_refused_and_nothing_saved(
    client, coordinator, enrolments
):
    foreign = EnrolmentFactory(programme=ProgrammeFactory())
    client.force_login(coordinator)

    response = client.post(
        URL,
        {
            "enrolments": [enrolments[0].pk, foreign.pk],
            "outcome": "scholing",
            "outcome_date": "03-06-2024",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "U kunt niet alle gekozen inschrijvingen wijzigen."
    ]
    assert [e.pk for e in response.context["chosen"]] == [enrolments[0].pk]
    assert state(enrolments[0])[1] == ""
    assert state(foreign)[1] == ""


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "scholing", "outcome_date": "03-06-2024"},
        {"enrolments": ["abc"], "outcome": "scholing", "outcome_date": "03-06-2024"},
        {"enrolments": ["1"], "outcome": "<script>", "outcome_date": "03-06-2024"},
        {"enrolments": ["1"], "outcome": "scholing", "outcome_date": "31-02-2024"},
        {"enrolments": ["1"], "outcome": "scholing", "outcome_date": "01-01-2999"},
        {"enrolments": ["99999999999999999999"], "outcome": "scholing"},
        {"enrolments": ["1"], "terug": "//evil.example/?x=1", "outcome": "x"},
    ],
)
def test_junk_is_answered_in_dutch_never_500(client, coordinator, enrolments, data):
    client.force_login(coordinator)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["back"].startswith("/participants/")
    assert Enrolment.objects.exclude(outcome="").count() == 0


def test_only_users_who_may_change_participants_may_post(client, enrolments):
    client.force_login(ProgrammeManagerFactory())
    response = client.post(
        URL, {"enrolments": [enrolments[0].pk], "outcome": "scholing", "outcome_date": "03-06-2024"}
    )
    assert response.status_code == 403
    assert client.get(URL).status_code == 405
