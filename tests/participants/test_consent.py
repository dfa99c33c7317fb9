"""Consent withdrawal recorded in the portal: it blocks new progress entries, group activity
attendance and imports for the participant, and the participant page says so (issue 6,
section 8)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants import services
from participants.imports import COLUMNS
from participants.models import Consent, ParticipantImport, ProgressEntry
from programmes.enums import ActivityKind
from regioportal.models import AuditAction, AuditEntry
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers", has_participants=True)


@pytest.fixture
def coordinator(programme):
    return CoordinatorFactory(programmes=[programme], username="carla")


@pytest.fixture
def eva(programme):
    participant = ParticipantFactory(
        first_name="Eva", surname_prefix="de", last_name="Boer", birth_year=2001
    )
    Consent.objects.create(participant=participant, given_on=date(2024, 1, 5), purpose="Deelname")
    EnrolmentFactory(participant=participant, programme=programme, start_date=date(2024, 2, 1))
    return participant


def withdraw_url(participant):
    return reverse("participants:withdraw-consent", args=[participant.pk])


def test_withdrawal_is_recorded_and_audited(eva, coordinator):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))

    assert list(eva.consents.values_list("withdrawn_on", flat=True)) == [date(2024, 6, 3)]
    entry = AuditEntry.objects.get(participant=eva)
    assert (entry.actor, entry.action, entry.changes) == (
        coordinator,
        AuditAction.update,
        {"withdrawn_on": [None, "03-06-2024"]},
    )


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (date(2024, 1, 4), "De datum ligt vóór de toestemming (05-01-2024)."),
        (date(2999, 1, 1), "De datum ligt in de toekomst."),
    ],
)
def test_withdrawal_date_must_fit(eva, coordinator, on, message):
    with pytest.raises(ValidationError) as error:
        services.withdraw_consent(participant=eva, by=coordinator, on=on)
    assert error.value.messages == [message]
    assert eva.consents.get().withdrawn_on is None


def test_withdrawing_twice_is_explained(eva, coordinator):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    with pytest.raises(ValidationError) as error:
        services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 4))
    assert error.value.messages == ["Er is geen toestemming die nog kan worden ingetrokken."]


def test_a_withdrawn_consent_blocks_new_progress_entries(eva, coordinator):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    with pytest.raises(ValidationError) as error:
        services.add_progress_entry(
            enrolment=eva.enrolments.get(),
            by=coordinator,
            kind=ActivityKind.coaching,
            date=date(2024, 6, 4),
        )
    assert error.value.messages == [
        "De toestemming van Eva de Boer is ingetrokken; er kan geen nieuwe voortgang worden "
        "vastgelegd."
    ]
    assert ProgressEntry.objects.count() == 0


def test_a_new_consent_after_a_withdrawal_allows_entries_again(eva, coordinator):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    Consent.objects.create(participant=eva, given_on=date(2024, 7, 1), purpose="Opnieuw")
    services.add_progress_entry(
        enrolment=eva.enrolments.get(),
        by=coordinator,
        kind=ActivityKind.coaching,
        date=date(2024, 7, 2),
    )
    assert ProgressEntry.objects.count() == 1


def test_a_withdrawn_consent_blocks_group_activity_attendance(eva, coordinator, programme):
    other = EnrolmentFactory(programme=programme)
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    with pytest.raises(ValidationError):
        services.record_group_activity(
            programme=programme,
            by=coordinator,
            kind=ActivityKind.workshop,
            title="Solliciteren",
            date=date(2024, 6, 5),
            enrolments=[eva.enrolments.get(), other],
        )
    assert ProgressEntry.objects.count() == 0


def test_group_activity_page_no_longer_offers_the_participant(client, eva, coordinator, programme):
    other = EnrolmentFactory(programme=programme)
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    client.force_login(coordinator)
    url = reverse("participants:group-activity") + "?programma=op-koers&wie=alle"

    response = client.get(url)
    offered = [e.pk for e in response.context["form"].fields["attendees"].queryset]
    assert offered == [other.pk]
    response = client.post(
        url,
        {
            "programma": "op-koers",
            "wie": "alle",
            "kind": "workshop",
            "title": "X",
            "date": "2024-06-05",
            "attendees": [eva.enrolments.get().pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]
    assert ProgressEntry.objects.count() == 0


def test_a_withdrawn_participant_is_not_imported_again(client, eva, coordinator, programme):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    values = {
        "voornaam": "Eva",
        "tussenvoegsel": "de",
        "achternaam": "Boer",
        "geboortejaar": "2001",
        "startdatum": "01-09-2024",
        "toestemming_datum": "01-09-2024",
        "toestemming_doel": "Deelname",
    }
    data = ";".join(COLUMNS) + "\r\n" + ";".join(values.get(c, "") for c in COLUMNS) + "\r\n"
    client.force_login(coordinator)

    client.post(
        reverse("participants:import"),
        {
            "programme": "op-koers",
            "file": SimpleUploadedFile("d.csv", data.encode(), content_type="text/csv"),
        },
    )

    assert [e["message"] for e in ParticipantImport.objects.get().errors] == [
        f"Rij 2: Eva de Boer (deelnemer {eva.reference}) heeft de toestemming ingetrokken; "
        "importeer deze deelnemer niet opnieuw."
    ]


def test_coordinator_records_the_withdrawal_on_the_participant_page(client, eva, coordinator):
    client.force_login(coordinator)
    page = client.get(eva.get_absolute_url()).content.decode()
    assert f'href="{withdraw_url(eva)}">Toestemming ingetrokken</a>' in page
    assert 'id="quick-add"' in page

    response = client.post(withdraw_url(eva), {"on": "03-06-2024"})

    assert response.status_code == 302
    page = client.get(eva.get_absolute_url()).content.decode()
    assert 'id="consent-withdrawn"' in page
    assert "De deelnemer heeft de toestemming op 03-06-2024 ingetrokken." in page
    assert 'id="quick-add"' not in page
    assert f'href="{withdraw_url(eva)}"' not in page


def test_the_coordinator_reads_the_withdrawal_in_the_history_tab(client, eva, coordinator):
    # Found in the browser: the entry was scoped as enrolment data of no programme, so only
    # the roles that see every programme read it, and its field showed as a raw code.
    client.force_login(coordinator)
    client.post(withdraw_url(eva), {"on": "03-06-2024"})

    response = client.get(reverse("participants:history", args=[eva.pk]))

    updates = [
        entry.change_rows
        for entry in response.context["audit_entries"]
        if entry.action == AuditAction.update
    ]
    assert updates == [[("Ingetrokken op", "– → 03-06-2024")]]


def test_a_quick_add_posted_after_the_withdrawal_gets_a_dutch_message(client, eva, coordinator):
    services.withdraw_consent(participant=eva, by=coordinator, on=date(2024, 6, 3))
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:add-entry", args=[eva.pk]),
        {"enrolment": eva.enrolments.get().pk, "kind": "coachinggesprek", "date": "2024-06-04"},
    )
    assert response.status_code == 400
    assert response.context["entry_form"].non_field_errors() == [
        "De toestemming van Eva de Boer is ingetrokken; er kan geen nieuwe voortgang worden "
        "vastgelegd."
    ]


@pytest.mark.parametrize("data", [{}, {"on": "gisteren"}, {"on": "01-01-2999"}, {"on": "1-1-1"}])
def test_junk_in_the_withdrawal_form_is_answered_in_dutch(client, eva, coordinator, data):
    client.force_login(coordinator)
    response = client.post(withdraw_url(eva), data)
    assert response.status_code == 400
    assert response.context["form"].errors["on"]
    assert eva.consents.get().withdrawn_on is None


def test_only_who_may_change_the_participant_records_a_withdrawal(client, eva):
    client.force_login(CoordinatorFactory(programmes=[ProgrammeFactory()]))
    assert client.post(withdraw_url(eva), {"on": "03-06-2024"}).status_code == 404
    assert eva.consents.get().withdrawn_on is None
