"""Deciding against the subsidieplafond: granting within the ceiling and its reserve, the
refusal beyond it, objections using the reserve, first come first served, rejecting, the
allocation proposal and its bulk confirmation, and changing the ceiling."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from regioportal.audit import entries_for
from regioportal.roles import Role
from subsidies.allocation import (
    GRANT,
    LOTTERY,
    REJECT,
    CeilingExceeded,
    allocation_proposal,
    confirm,
    grant,
    reject,
    scheme_allocation_proposal,
)
from subsidies.deadlines import objection_deadline
from subsidies.enums import (
    AllocationMethod,
    ApplicationStatus,
    DecisionOutcome,
    RejectionReason,
)
from subsidies.lottery import draw_lottery
from subsidies.models import Decision, Tender
from subsidies.signals import decision_made
from subsidies.transitions import TransitionError
from tests.factories import (
    ApplicationFactory,
    SubsidyOfficerFactory,
    UserFactory,
)
from tests.subsidies.scoring import (
    scheme_with_criteria,
    scored_application,
    submitted_review,
    tender_for,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 3)


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def scheme(officer):
    return scheme_with_criteria((1, 10, 5), handlers=[officer])


@pytest.fixture
def tender(scheme):
    return tender_for(scheme, name="2024 – ronde 1", ceiling="100000", reserve="10000")


@pytest.fixture
def signals():
    sent = []

    def receiver(sender, decision, by, **kwargs):
        sent.append((decision.pk, by))

    decision_made.connect(receiver)
    yield sent
    decision_made.disconnect(receiver)


def application_in(tender, reference, requested, points=8, **fields):
    return scored_application(tender, [points], reference=reference, requested=requested, **fields)


def plain(value):
    """Money is written with a no-break space after the euro sign; compare it as a space."""
    if isinstance(value, dict):
        return {key: [plain(v) for v in values] for key, values in value.items()}
    return value.replace("\xa0", " ")


def refreshed(tender):
    return Tender.objects.get(pk=tender.pk)


# --- granting -------------------------------------------------------------------------------


def test_a_grant_within_the_ceiling_decides_and_adds_to_the_granted_total(tender, officer, signals):
    application = application_in(tender, "ZV-2024-0001", "40000")

    decision = grant(
        application,
        amount="35000",
        by=officer,
        motivation="Past binnen het plafond.",
        decided_on=DAY,
    )

    application.refresh_from_db()
    assert (application.status, application.granted_amount, application.decided_on) == (
        ApplicationStatus.granted,
        Decimal("35000.00"),
        DAY,
    )
    assert (
        decision.outcome,
        decision.amount,
        decision.decided_on,
        decision.decided_by,
        decision.motivation,
    ) == (DecisionOutcome.granted, Decimal("35000.00"), DAY, officer, "Past binnen het plafond.")
    assert refreshed(tender).granted_total == Decimal("35000.00")
    assert signals == [(decision.pk, officer)]
    # The letter is made at once and sent the same day: the bezwaartermijn runs from it.
    assert (decision.sent_on, decision.effective_on, decision.objection_deadline) == (
        DAY,
        DAY,
        objection_deadline(DAY),
    )
    assert application.objection_deadline == objection_deadline(DAY)
    (status_entry,) = entries_for(application).filter(action="status")
    assert status_entry.changes == {
        "status": ["ontvangen", "verleend"],
        "granted_amount": [None, "35000.00"],
    }
    assert [entry.changes for entry in entries_for(tender)] == [
        {"granted_total": ["0.00", "35000.00"]}
    ]


def test_a_grant_beyond_the_ceiling_minus_the_reserve_is_refused_with_what_is_left(
    tender, officer, signals
):
    grant(application_in(tender, "ZV-2024-0001", "80000"), amount="80000", by=officer)
    second = application_in(tender, "ZV-2024-0002", "12500")

    with pytest.raises(CeilingExceeded) as error:
        grant(second, amount="12500", by=officer)

    assert plain(error.value.message) == (
        "Het subsidieplafond van 2024 – ronde 1 is bereikt: nog € 10.000 beschikbaar, "
        "€ 12.500 gevraagd. Daarnaast is € 10.000 gereserveerd voor subsidies die in bezwaar "
        "worden verleend."
    )
    second.refresh_from_db()
    assert (second.status, second.granted_amount) == (ApplicationStatus.received, None)
    assert refreshed(tender).granted_total == Decimal("80000.00")
    assert len(signals) == 1


def test_a_grant_up_to_exactly_the_ceiling_minus_the_reserve_is_allowed(tender, officer):
    grant(application_in(tender, "ZV-2024-0001", "90000"), amount="90000", by=officer)

    assert refreshed(tender).granted_total == Decimal("90000.00")


def test_a_grant_on_objection_may_use_the_reserve(tender, officer):
    grant(application_in(tender, "ZV-2024-0001", "90000"), amount="90000", by=officer)
    objector = application_in(
        tender,
        "ZV-2024-0002",
        "10000",
        status=ApplicationStatus.rejected,
        rejection_reason=RejectionReason.ceiling_reached,
    )
    with pytest.raises(TransitionError):
        grant(objector, amount="10000", by=officer)

    decision = grant(objector, amount="10000", by=officer, on_objection=True)

    assert decision.amount == Decimal("10000.00")
    objector.refresh_from_db()
    assert (objector.status, objector.rejection_reason) == (ApplicationStatus.granted, "")
    assert refreshed(tender).granted_total == Decimal("100000.00")


def test_even_on_objection_the_ceiling_itself_is_not_passed(tender, officer):
    grant(application_in(tender, "ZV-2024-0001", "90000"), amount="90000", by=officer)
    objector = application_in(tender, "ZV-2024-0002", "10001", status=ApplicationStatus.rejected)

    with pytest.raises(CeilingExceeded) as error:
        grant(objector, amount="10001", by=officer, on_objection=True)

    assert plain(error.value.message) == (
        "Het subsidieplafond van 2024 – ronde 1 is bereikt: nog € 10.000 beschikbaar, "
        "€ 10.001 gevraagd."
    )


def test_the_database_refuses_a_granted_total_above_the_ceiling(tender):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tender.objects.filter(pk=tender.pk).update(granted_total=Decimal("100000.01"))


def test_granting_twice_is_one_grant(tender, officer, signals):
    application = application_in(tender, "ZV-2024-0001", "40000")

    first = grant(application, amount="40000", by=officer)
    second = grant(application, amount="40000", by=officer)

    assert first == second
    assert Decision.objects.count() == 1
    assert refreshed(tender).granted_total == Decimal("40000.00")
    assert len(signals) == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Het bedrag moet groter zijn dan nul."),
        ("-5", "Het bedrag moet groter zijn dan nul."),
        ("x", "Geef een bedrag in euro’s."),
        ("NaN", "Het bedrag moet groter zijn dan nul."),
        ("40000.01", "Het bedrag is hoger dan het aangevraagde bedrag (€ 40.000)."),
    ],
)
def test_an_amount_of_nothing_or_above_the_request_is_refused(tender, officer, amount, message):
    application = application_in(tender, "ZV-2024-0001", "40000")

    with pytest.raises(ValidationError) as error:
        grant(application, amount=amount, by=officer)

    assert plain(error.value.message_dict) == {"amount": [message]}
    assert refreshed(tender).granted_total == 0


def test_an_amount_above_the_schemes_maximum_is_refused(tender, scheme, officer):
    scheme.max_amount = Decimal("25000")
    scheme.save()
    application = application_in(tender, "ZV-2024-0001", "40000")

    with pytest.raises(ValidationError) as error:
        grant(application, amount="30000", by=officer)

    assert plain(error.value.message_dict) == {
        "amount": ["Het bedrag is hoger dan het maximum van de regeling (€ 25.000)."]
    }


def test_an_incomplete_application_is_not_granted(tender, officer):
    application = application_in(
        tender, "ZV-2024-0001", "40000", status=ApplicationStatus.incomplete
    )

    with pytest.raises(TransitionError) as error:
        grant(application, amount="40000", by=officer)

    assert error.value.message == "Een aanvraag met status “Onvolledig” kan niet worden verleend."


def test_who_reviewed_the_application_does_not_grant_it(tender, officer):
    colleague = UserFactory(roles=[Role.subsidy_officer, Role.reviewer])
    tender.scheme.handlers.add(colleague)
    application = application_in(tender, "ZV-2024-0001", "40000")
    submitted_review(application, [8], reviewer=colleague)

    with pytest.raises(PermissionDenied):
        grant(application, amount="40000", by=colleague)
    with pytest.raises(PermissionDenied):
        reject(application, reason=RejectionReason.substantive, by=colleague)


def test_an_officer_of_another_scheme_does_not_grant(tender):
    application = application_in(tender, "ZV-2024-0001", "40000")

    with pytest.raises(PermissionDenied):
        grant(application, amount="40000", by=SubsidyOfficerFactory())


def test_outside_tenders_the_schemes_budget_is_the_ceiling(officer):
    scheme = scheme_with_criteria(
        handlers=[officer],
        allocation_method=AllocationMethod.first_come,
        budget=Decimal("100000"),
        name="Transitiefonds",
    )
    first = ApplicationFactory(
        tender=None, scheme=scheme, requested_amount=Decimal("70000"), reference="TPW-1"
    )
    second = ApplicationFactory(
        tender=None, scheme=scheme, requested_amount=Decimal("40000"), reference="TPW-2"
    )
    grant(first, amount="70000", by=officer)

    with pytest.raises(CeilingExceeded) as error:
        grant(second, amount="40000", by=officer)

    assert plain(error.value.message) == (
        "Het subsidieplafond van Transitiefonds is bereikt: nog € 30.000 beschikbaar, "
        "€ 40.000 gevraagd."
    )
    assert grant(second, amount="30000", by=officer).amount == Decimal("30000.00")


# --- rejecting ------------------------------------------------------------------------------


def test_a_rejection_records_its_reason(tender, officer, signals):
    application = application_in(tender, "ZV-2024-0001", "40000")

    decision = reject(
        application,
        reason=RejectionReason.ceiling_reached,
        by=officer,
        motivation="Het plafond is bereikt.",
        decided_on=DAY,
    )

    application.refresh_from_db()
    assert (application.status, application.rejection_reason, application.decided_on) == (
        ApplicationStatus.rejected,
        RejectionReason.ceiling_reached,
        DAY,
    )
    assert (decision.outcome, decision.reason, decision.amount, decision.decided_by) == (
        DecisionOutcome.rejected,
        RejectionReason.ceiling_reached,
        None,
        officer,
    )
    assert signals == [(decision.pk, officer)]
    assert reject(application, reason=RejectionReason.ceiling_reached, by=officer) == decision


def test_a_rejection_needs_a_known_reason(tender, officer):
    application = application_in(tender, "ZV-2024-0001", "40000")

    with pytest.raises(ValidationError) as error:
        reject(application, reason="geen zin", by=officer)

    assert plain(error.value.message_dict) == {"reason": ["Kies een reden van afwijzing."]}


# --- the proposal ---------------------------------------------------------------------------


def proposal_summary(rows):
    return [(row.reference, row.action, row.amount, row.reason) for row in rows]


def test_the_proposal_grants_down_the_ranking_until_the_ceiling(tender, officer):
    application_in(tender, "A", "50000", points=9)
    application_in(tender, "B", "40000", points=8)
    application_in(tender, "C", "20000", points=7)
    application_in(tender, "D", "5000", points=6)
    application_in(tender, "E", "5000", points=3)  # below the minimum of 5
    ApplicationFactory(tender=tender, reference="F")  # not reviewed yet

    rows = allocation_proposal(tender)

    assert proposal_summary(rows) == [
        ("A", GRANT, Decimal("50000.00"), ""),
        ("B", GRANT, Decimal("40000.00"), ""),
        ("C", REJECT, None, RejectionReason.ceiling_reached),
        ("D", REJECT, None, RejectionReason.ceiling_reached),
        ("E", REJECT, None, RejectionReason.substantive),
    ]
    assert [row.motivation for row in rows] == [
        "De aanvraag staat op plaats 1 in de rangschikking en past binnen het subsidieplafond.",
        "De aanvraag staat op plaats 2 in de rangschikking en past binnen het subsidieplafond.",
        "Het subsidieplafond is bereikt (plaats 3 in de rangschikking).",
        "Het subsidieplafond is bereikt (plaats 4 in de rangschikking).",
        "Op ‘Criterium 1’ ligt de gemiddelde score (3,00) onder de minimumscore (5).",
    ]


def test_a_tie_at_the_cut_off_waits_for_the_lottery(tender, officer):
    application_in(tender, "A", "50000", points=9)
    application_in(tender, "B", "30000", points=8)
    application_in(tender, "C", "30000", points=8)
    application_in(tender, "D", "5000", points=7)

    rows = allocation_proposal(tender)

    assert proposal_summary(rows) == [
        ("A", GRANT, Decimal("50000.00"), ""),
        ("B", LOTTERY, None, ""),
        ("C", LOTTERY, None, ""),
        ("D", LOTTERY, None, ""),
    ]

    lottery = draw_lottery(tender, by=officer)
    winner, loser = lottery.order

    assert proposal_summary(allocation_proposal(tender)) == [
        ("A", GRANT, Decimal("50000.00"), ""),
        (winner, GRANT, Decimal("30000.00"), ""),
        (loser, REJECT, None, RejectionReason.ceiling_reached),
        ("D", REJECT, None, RejectionReason.ceiling_reached),
    ]


def test_confirming_the_proposal_decides_each_row_on_its_own(tender, officer):
    a = application_in(tender, "A", "50000", points=9)
    application_in(tender, "B", "40000", points=8)
    application_in(tender, "C", "20000", points=7)
    # B was reviewed by a colleague who is also a handler; the officer may decide all; a
    # grant outside the ranking has taken part of the budget meanwhile.
    rows = allocation_proposal(tender)
    outside = application_in(tender, "X", "5000", points=1)
    grant(outside, amount="5000", by=officer)

    results = confirm(rows, by=officer, decided_on=DAY)

    assert [(r.proposal.reference, r.ok, plain(r.message)) for r in results] == [
        ("A", True, "A: verleend (€ 50.000)."),
        (
            "B",
            False,
            "B: Het subsidieplafond van 2024 – ronde 1 is bereikt: nog € 35.000 beschikbaar, "
            "€ 40.000 gevraagd. Daarnaast is € 10.000 gereserveerd voor subsidies die in "
            "bezwaar worden verleend.",
        ),
        ("C", True, "C: afgewezen (Subsidieplafond bereikt)."),
    ]
    a.refresh_from_db()
    assert (a.status, a.decided_on) == (ApplicationStatus.granted, DAY)
    assert refreshed(tender).granted_total == Decimal("55000.00")


def test_confirming_reports_the_four_eyes_refusal_per_row(tender, officer):
    colleague = UserFactory(roles=[Role.subsidy_officer, Role.reviewer])
    tender.scheme.handlers.add(colleague)
    mine = application_in(tender, "A", "10000", points=9)
    submitted_review(mine, [9], reviewer=colleague)
    application_in(tender, "B", "10000", points=8)

    results = confirm(allocation_proposal(tender), by=colleague)

    assert [(r.proposal.reference, r.ok) for r in results] == [("A", False), ("B", True)]
    assert results[0].message == (
        "A: u mag hierover niet besluiten (u heeft de aanvraag beoordeeld of behandelt de "
        "regeling niet)."
    )


def test_first_come_first_served_proposes_in_the_order_of_receipt(officer):
    scheme = scheme_with_criteria(handlers=[officer], allocation_method=AllocationMethod.first_come)
    tender = tender_for(scheme, ceiling="30000")
    for reference, day in (("B", 3), ("A", 1), ("C", 2)):
        ApplicationFactory(
            tender=tender,
            reference=reference,
            requested_amount=Decimal("12000"),
            received_on=datetime.date(2024, 4, day),
        )

    assert proposal_summary(allocation_proposal(tender)) == [
        ("A", GRANT, Decimal("12000.00"), ""),
        ("C", GRANT, Decimal("12000.00"), ""),
        ("B", REJECT, None, RejectionReason.ceiling_reached),
    ]


def test_first_come_outside_tenders_allocates_the_schemes_budget(officer):
    scheme = scheme_with_criteria(
        handlers=[officer], allocation_method=AllocationMethod.first_come, budget=Decimal("25000")
    )
    for reference, day in (("B", 3), ("A", 1), ("C", 2)):
        ApplicationFactory(
            tender=None,
            scheme=scheme,
            reference=reference,
            requested_amount=Decimal("12000"),
            received_on=datetime.date(2024, 4, day),
        )

    rows = scheme_allocation_proposal(scheme)

    assert proposal_summary(rows) == [
        ("A", GRANT, Decimal("12000.00"), ""),
        ("C", GRANT, Decimal("12000.00"), ""),
        ("B", REJECT, None, RejectionReason.ceiling_reached),
    ]
    assert [r.ok for r in confirm(rows, by=officer)] == [True, True, True]


# --- the ceiling ----------------------------------------------------------------------------
