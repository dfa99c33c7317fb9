"""Registering an application: reference numbers, receipt, deadlines, the checks on tender and
amounts, correcting registered data; references without gaps or duplicates under
concurrency, on the real PostgreSQL."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from programmes.enums import OrganisationKind
from programmes.models import Organisation
from regioportal.models import AuditAction, AuditEntry
from subsidies import registration
from subsidies.enums import AllocationMethod, ApplicationStatus
from subsidies.models import Application, ReferenceSequence, Scheme, Tender
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
)
from tests.subsidies.application_data import (
    AMSTERDAM,
    BUDGET,
    NOW,
    TODAY,
    registration_data,
    tender_for,
    tender_scheme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def scheme(officer):
    return tender_scheme(handlers=[officer])


@pytest.fixture
def tender(scheme):
    return tender_for(scheme, name="2024 – ronde 1")


@pytest.fixture
def applicant():
    return OrganisationFactory(name="Stichting Dorpshuis De Klinker")


def register(scheme, tender, by, applicant, *, budget_lines=BUDGET, **changes):
    return registration.register_application(
        scheme=scheme,
        tender=tender,
        by=by,
        data=registration_data(applicant, **changes),
        budget_lines=budget_lines,
        attachments=[],
    )


def errors_of(call):
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_registering_sets_reference_receipt_deadline_and_handler(
    scheme, tender, officer, applicant
):
    application = register(scheme, tender, officer, applicant)

    application.refresh_from_db()
    assert (
        application.reference,
        application.status,
        application.received_on,
        application.received_at,
        application.decision_deadline,
        application.handler,
        application.tender,
        application.requested_amount,
        application.co_financing,
    ) == (
        "ZV-2024-001",
        ApplicationStatus.received,
        TODAY,
        NOW,
        datetime.date(2024, 5, 28),  # 8 weeks after 2 April 2024, a Tuesday
        officer,
        tender,
        Decimal("60000.00"),
        Decimal("40000.00"),
    )
    assert [
        (line.order, line.description, line.amount) for line in application.budget_lines.all()
    ] == [
        (1, "Verbouwing", Decimal("80000.00")),
        (2, "Inrichting", Decimal("20000.00")),
    ]


def test_registration_is_audited_on_the_application_with_what_was_registered(
    scheme, tender, officer, applicant
):
    application = register(scheme, tender, officer, applicant)

    entry = AuditEntry.objects.get(object_id=str(application.pk))
    assert (entry.actor, entry.action, entry.reason) == (
        officer,
        AuditAction.create,
        "Aanvraag geregistreerd",
    )
    assert entry.changes["requested_amount"] == [None, "60000.00"]
    assert entry.changes["tender"] == [None, "2024 – ronde 1"]
    assert entry.changes["decision_deadline"] == [None, "2024-05-28"]
    assert entry.changes["budget_lines"] == [None, "Verbouwing €\xa080.000; Inrichting €\xa020.000"]


def test_references_count_per_scheme_and_year(scheme, tender, officer, applicant):
    other = tender_scheme(
        handlers=[officer], code="TPW", allocation_method=AllocationMethod.first_come
    )

    first = register(scheme, tender, officer, applicant)
    second = register(scheme, tender, officer, applicant)
    elsewhere = register(other, None, officer, applicant)
    last_year = register(other, None, officer, applicant, received_on=datetime.date(2023, 12, 29))

    assert [first.reference, second.reference, elsewhere.reference, last_year.reference] == [
        "ZV-2024-001",
        "ZV-2024-002",
        "TPW-2024-001",
        "TPW-2023-001",
    ]
    assert sorted(ReferenceSequence.objects.values_list("scheme__code", "year", "last")) == [
        ("TPW", 2023, 1),
        ("TPW", 2024, 1),
        ("ZV", 2024, 2),
    ]


def test_a_reference_already_given_elsewhere_is_skipped(scheme, tender, officer, applicant):
    ApplicationFactory(reference="ZV-2024-001", tender=tender)

    application = register(scheme, tender, officer, applicant)

    assert application.reference == "ZV-2024-002"


def test_a_decision_deadline_on_a_public_holiday_moves_to_the_next_working_day(
    scheme, tender, officer, applicant
):
    # 8 weeks after 25 March 2024 is Whit Monday, 20 May.
    application = register(
        scheme, tender, officer, applicant, received_on=datetime.date(2024, 3, 25)
    )

    assert application.decision_deadline == datetime.date(2024, 5, 21)


def test_a_scheme_with_longer_decision_weeks_gives_a_later_deadline(
    scheme, tender, officer, applicant
):
    Scheme.objects.filter(pk=scheme.pk).update(decision_weeks=13)
    scheme.refresh_from_db()

    application = register(scheme, tender, officer, applicant)

    assert application.decision_deadline == datetime.date(2024, 7, 2)


def test_an_earlier_receipt_without_a_time_counts_from_the_start_of_that_day(
    scheme, tender, officer, applicant
):
    application = register(
        scheme, tender, officer, applicant, received_on=datetime.date(2024, 3, 28)
    )

    assert application.received_at == datetime.datetime(2024, 3, 28, 0, 0, tzinfo=AMSTERDAM)


def test_a_given_time_of_receipt_is_kept(scheme, tender, officer, applicant):
    application = register(
        scheme,
        tender,
        officer,
        applicant,
        received_on=datetime.date(2024, 3, 28),
        received_time=datetime.time(14, 5),
    )

    assert application.received_at == datetime.datetime(2024, 3, 28, 14, 5, tzinfo=AMSTERDAM)


# --- who may register ---------------------------------------------------------------------------


def test_an_officer_who_does_not_handle_the_scheme_cannot_register(scheme, tender, applicant):
    with pytest.raises(PermissionDenied):
        register(scheme, tender, SubsidyOfficerFactory(), applicant)

    assert Application.objects.count() == 0


def test_a_reviewer_cannot_register(scheme, tender, applicant):
    with pytest.raises(PermissionDenied):
        register(scheme, tender, ReviewerFactory(), applicant)


# --- the tender ---------------------------------------------------------------------------------


def test_a_tender_scheme_needs_a_tender(scheme, officer, applicant):
    assert errors_of(lambda: register(scheme, None, officer, applicant)) == {
        "tender": ["Kies de tenderronde waarin de aanvraag is ontvangen."]
    }


def test_a_first_come_scheme_needs_no_tender(officer, applicant):
    scheme = tender_scheme(
        handlers=[officer], code="PEV", allocation_method=AllocationMethod.first_come
    )

    application = register(scheme, None, officer, applicant)

    assert (application.reference, application.tender) == ("PEV-2024-001", None)


def test_a_tender_of_another_scheme_is_refused(scheme, officer, applicant):
    other_tender = tender_for(tender_scheme(code="SA"), name="Sociale Agenda 2024")

    assert errors_of(lambda: register(scheme, other_tender, officer, applicant)) == {
        "tender": [
            "De tenderronde Sociale Agenda 2024 hoort niet bij de regeling "
            "Subsidieregeling Zorg & Voorzieningen."
        ]
    }


def test_an_application_received_before_the_round_opened_is_refused(
    scheme, tender, officer, applicant
):
    errors = errors_of(
        lambda: register(scheme, tender, officer, applicant, received_on=datetime.date(2024, 2, 29))
    )

    assert errors == {
        "tender": [
            "De tenderronde 2024 – ronde 1 was niet open toen de aanvraag binnenkwam "
            "(open van 1 maart 2024 09:00 tot en met 30 april 2024 17:00)."
        ]
    }
    assert Application.objects.count() == 0
    assert ReferenceSequence.objects.count() == 0


def test_the_opening_day_counts_by_the_hour_when_the_time_is_known(
    scheme, tender, officer, applicant
):
    early = datetime.time(8, 59)
    errors = errors_of(
        lambda: register(
            scheme,
            tender,
            officer,
            applicant,
            received_on=datetime.date(2024, 3, 1),
            received_time=early,
        )
    )
    on_the_day = register(scheme, tender, officer, applicant, received_on=datetime.date(2024, 3, 1))

    assert list(errors) == ["tender"]
    assert on_the_day.reference == "ZV-2024-001"


# --- amounts and dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (
            "9999.99",
            "Het aangevraagde bedrag is lager dan het minimum van de regeling (€\xa010.000).",
        ),
        (
            "250000.01",
            "Het aangevraagde bedrag is hoger dan het maximum van de regeling (€\xa0250.000).",
        ),
    ],
)
def test_the_requested_amount_must_lie_within_the_schemes_range(
    scheme, tender, officer, applicant, amount, message
):
    errors = errors_of(
        lambda: register(
            scheme, tender, officer, applicant, requested_amount=Decimal(amount), budget_lines=[]
        )
    )

    assert errors == {"requested_amount": [message]}


def test_the_requested_amount_cannot_exceed_the_budget_minus_co_financing(
    scheme, tender, officer, applicant
):
    errors = errors_of(
        lambda: register(scheme, tender, officer, applicant, requested_amount=Decimal("60000.01"))
    )

    assert errors == {
        "requested_amount": [
            "Het aangevraagde bedrag is hoger dan de begroting (€\xa0100.000) min de "
            "cofinanciering (€\xa040.000): €\xa060.000."
        ]
    }


def test_co_financing_cannot_exceed_the_budget(scheme, tender, officer, applicant):
    errors = errors_of(
        lambda: register(scheme, tender, officer, applicant, co_financing=Decimal("100000.01"))
    )

    assert errors == {
        "co_financing": ["De cofinanciering is hoger dan de begroting (€\xa0100.000)."]
    }


def test_without_a_budget_the_application_is_registered_to_be_completed_later(
    scheme, tender, officer, applicant
):
    application = register(scheme, tender, officer, applicant, budget_lines=[])

    assert application.budget_lines.count() == 0


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        (datetime.date(2024, 4, 3), "De ontvangstdatum ligt in de toekomst."),
        (datetime.date(2018, 12, 31), "De ontvangstdatum ligt meer dan 5 jaar terug."),
    ],
)
def test_a_receipt_date_in_the_future_or_long_ago_is_refused(
    officer, applicant, received_on, message
):
    scheme = tender_scheme(
        handlers=[officer], code="TPW", allocation_method=AllocationMethod.first_come
    )

    assert errors_of(
        lambda: register(scheme, None, officer, applicant, received_on=received_on)
    ) == {"received_on": [message]}


def test_a_new_applicant_is_created_once_and_found_again_by_name(scheme, tender, officer):
    new = {"name": "Dorpsbelang Ezinge", "kind": OrganisationKind.association, "municipality": None}

    first = register(scheme, tender, officer, None, new_applicant=new)
    again = register(
        scheme, tender, officer, None, new_applicant={**new, "name": "dorpsbelang ezinge"}
    )

    assert first.applicant == again.applicant
    assert Organisation.objects.filter(name__iexact="dorpsbelang ezinge").count() == 1


# --- correcting registered data -----------------------------------------------------------------


def test_correcting_is_audited_with_old_and_new_values(scheme, tender, officer, applicant):
    application = register(scheme, tender, officer, applicant)

    registration.update_application(
        application,
        by=officer,
        data={"title": "Dorpshuis De Klinker, fase 2", "requested_amount": Decimal("50000")},
        budget_lines=[{"description": "Verbouwing", "amount": Decimal("90000")}],
    )

    application.refresh_from_db()
    entry = AuditEntry.objects.get(object_id=str(application.pk), action=AuditAction.update)
    assert (application.title, application.requested_amount) == (
        "Dorpshuis De Klinker, fase 2",
        Decimal("50000.00"),
    )
    assert entry.changes == {
        "title": ["Dorpshuis De Klinker", "Dorpshuis De Klinker, fase 2"],
        "requested_amount": ["60000.00", "50000.00"],
        "budget_lines": [
            "Verbouwing €\xa080.000; Inrichting €\xa020.000",
            "Verbouwing €\xa090.000",
        ],
    }


def test_a_corrected_receipt_date_moves_the_decision_deadline(scheme, tender, officer, applicant):
    application = register(scheme, tender, officer, applicant)

    registration.update_application(
        application, by=officer, data={"received_on": datetime.date(2024, 3, 25)}
    )

    application.refresh_from_db()
    assert (application.received_on, application.decision_deadline) == (
        datetime.date(2024, 3, 25),
        datetime.date(2024, 5, 21),
    )


def test_nothing_changed_writes_no_audit_entry(scheme, tender, officer, applicant):
    application = register(scheme, tender, officer, applicant)

    registration.update_application(
        application, by=officer, data={"title": application.title}, budget_lines=BUDGET
    )

    assert AuditEntry.objects.filter(object_id=str(application.pk)).count() == 1


def test_an_application_in_review_can_no_longer_be_corrected(scheme, tender, officer, applicant):
    application = register(scheme, tender, officer, applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.in_review)

    with pytest.raises(ValidationError) as error:
        registration.update_application(application, by=officer, data={"title": "Anders"})

    assert error.value.messages == [
        "Alleen een ontvangen of onvolledige aanvraag kan worden gewijzigd."
    ]


def test_an_officer_of_another_scheme_cannot_correct(scheme, tender, officer, applicant):
    application = register(scheme, tender, officer, applicant)

    with pytest.raises(PermissionDenied):
        registration.update_application(
            application, by=SubsidyOfficerFactory(), data={"title": "Anders"}
        )


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_get_consecutive_references_without_gaps_or_duplicates():
    """Many officers register in the same scheme and year at the same moment, the first
    registrations of that year among them (so the sequence row does not exist yet): every
    application gets its own number and together they are 001..N."""
    count = 12
    officer = SubsidyOfficerFactory(username="ruben")
    scheme = tender_scheme(handlers=[officer])
    tender = tender_for(scheme)
    applicant = OrganisationFactory()
    barrier = threading.Barrier(count)
    references, failures = [], []

    def register_one():
        try:
            by = get_user_model().objects.get(pk=officer.pk)
            mine = Scheme.objects.get(pk=scheme.pk)
            round_ = Tender.objects.get(pk=tender.pk)
            barrier.wait(timeout=30)
            application = register(mine, round_, by, applicant)
            references.append(application.reference)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(references) == [f"ZV-2024-{number:03d}" for number in range(1, count + 1)]
    assert ReferenceSequence.objects.get(scheme=scheme, year=2024).last == count
    assert Application.objects.count() == count


def test_correcting_a_contact_is_not_blocked_by_a_scheme_range_changed_since(
    scheme, tender, officer, applicant
):
    application = register(scheme, tender, officer, applicant)
    Scheme.objects.filter(pk=scheme.pk).update(max_amount=Decimal("50000"))
    application.scheme.refresh_from_db()

    registration.update_application(application, by=officer, data={"contact_phone": "06-1"})
    errors = errors_of(
        lambda: registration.update_application(
            application, by=officer, data={"requested_amount": Decimal("59000")}
        )
    )

    assert errors == {
        "requested_amount": [
            "Het aangevraagde bedrag is hoger dan het maximum van de regeling (€\xa050.000)."
        ]
    }
