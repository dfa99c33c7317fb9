"""Ranking a tender: eligible applications by weighted total, the thresholds that keep an
application out, where the ceiling (minus the reserve) cuts the ranking, and ties at the cut-off
that need a lottery."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from regioportal.audit import entries_for
from subsidies.allocation import confirm, proposals_from
from subsidies.enums import AllocationMethod, ApplicationStatus, RejectionReason
from subsidies.lottery import draw_lottery
from subsidies.models import Application
from subsidies.ranking import compute_ranking, rank_tender
from subsidies.rules import can
from tests.factories import ApplicationFactory, SubsidyOfficerFactory
from tests.subsidies.scoring import (
    scheme_with_criteria,
    scored_application,
    submitted_review,
    tender_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return SubsidyOfficerFactory()


@pytest.fixture
def scheme(officer):
    # One criterion, weight 1, 0–10, minimum 5: the score is the points.
    return scheme_with_criteria((1, 10, 5), handlers=[officer])


def app(tender, reference, points, requested="10000", **fields):
    return scored_application(tender, [points], reference=reference, requested=requested, **fields)


def summary(ranking):
    return [(row.application.reference, row.position, row.total, row.fits) for row in ranking.rows]


def test_eligible_applications_are_ranked_by_weighted_total(scheme):
    tender = tender_for(scheme, ceiling="100000")
    app(tender, "A", 6)
    app(tender, "B", 9)
    app(tender, "C", 7)

    ranking = compute_ranking(tender)

    assert summary(ranking) == [
        ("B", 1, Decimal("9.00"), True),
        ("C", 2, Decimal("7.00"), True),
        ("A", 3, Decimal("6.00"), True),
    ]
    assert [row.cumulative for row in ranking.rows] == [
        Decimal("10000"),
        Decimal("20000"),
        Decimal("30000"),
    ]
    assert (ranking.cut_off, ranking.needs_lottery, ranking.remaining) == (
        None,
        False,
        Decimal("70000"),
    )


def test_weights_decide_the_order():
    scheme = scheme_with_criteria((3, 10, 0), (1, 10, 0))
    tender = tender_for(scheme)
    scored_application(tender, [6, 10], reference="A")  # 28
    scored_application(tender, [8, 4], reference="B")  # 28
    scored_application(tender, [9, 0], reference="C")  # 27

    ranking = compute_ranking(tender)

    assert [(row.application.reference, row.total) for row in ranking.rows] == [
        ("A", Decimal("28.00")),
        ("B", Decimal("28.00")),
        ("C", Decimal("27.00")),
    ]
    # Equal totals share a position until a lottery orders them.
    assert [row.position for row in ranking.rows] == [1, 1, 3]
    assert [row.tie for row in ranking.rows] == [True, True, False]


def test_below_a_threshold_or_unreviewed_is_not_ranked(scheme):
    scheme.min_total_score = Decimal("6")
    scheme.save()
    tender = tender_for(scheme)
    app(tender, "A", 8)
    app(tender, "B", 4)  # below the criterion's minimum 5
    app(tender, "C", 5)  # on the criterion's minimum, below the scheme's total 6
    ApplicationFactory(tender=tender, reference="D")  # no review yet

    ranking = compute_ranking(tender)

    assert summary(ranking) == [("A", 1, Decimal("8.00"), True)]
    assert [(row.application.reference, row.scores["reasons"]) for row in ranking.ineligible] == [
        (
            "B",
            [
                "De gewogen totaalscore (4,00) ligt onder het minimum van de regeling (6,00).",
                "Op ‘Criterium 1’ ligt de gemiddelde score (4,00) onder de minimumscore (5).",
            ],
        ),
        ("C", ["De gewogen totaalscore (5,00) ligt onder het minimum van de regeling (6,00)."]),
        ("D", ["Er is nog geen ingediende beoordeling."]),
    ]
    assert ranking.unreviewed_count == 1


def test_withdrawn_and_substantively_rejected_applications_are_out_of_the_competition(scheme):
    tender = tender_for(scheme)
    app(tender, "A", 8)
    app(tender, "B", 9, status=ApplicationStatus.withdrawn)
    app(
        tender,
        "C",
        9,
        status=ApplicationStatus.rejected,
        rejection_reason=RejectionReason.inadmissible,
    )
    app(
        tender,
        "D",
        7,
        status=ApplicationStatus.rejected,
        rejection_reason=RejectionReason.ceiling_reached,
    )

    ranking = compute_ranking(tender)

    # A rejection for the ceiling keeps its place, taking nothing from the budget.
    assert summary(ranking) == [("A", 1, Decimal("8.00"), True), ("D", 2, Decimal("7.00"), None)]


def test_the_ceiling_minus_the_reserve_cuts_the_ranking(scheme):
    tender = tender_for(scheme, ceiling="40000", reserve="10000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 7, requested="10001")
    app(tender, "D", 6, requested="1000")

    ranking = compute_ranking(tender)

    # C does not fit in the € 10.000 left; D would, but the ranking's order is strict.
    assert summary(ranking) == [
        ("A", 1, Decimal("9.00"), True),
        ("B", 2, Decimal("8.00"), True),
        ("C", 3, Decimal("7.00"), False),
        ("D", 4, Decimal("6.00"), False),
    ]
    assert (ranking.available, ranking.cut_off, ranking.remaining) == (
        Decimal("30000"),
        1,
        Decimal("10000"),
    )


def test_grants_already_made_take_their_granted_amount(scheme):
    tender = tender_for(scheme, ceiling="30000")
    app(tender, "A", 6, status=ApplicationStatus.granted, granted_amount=Decimal("8000"))
    tender.granted_total = Decimal("8000")
    tender.save()
    app(tender, "B", 9)
    app(tender, "C", 8)
    app(tender, "D", 7)

    ranking = compute_ranking(tender)

    assert summary(ranking) == [
        ("B", 1, Decimal("9.00"), True),
        ("C", 2, Decimal("8.00"), True),
        ("D", 3, Decimal("7.00"), False),
        ("A", 4, Decimal("6.00"), None),
    ]
    assert [row.amount for row in ranking.rows] == [
        Decimal("10000"),
        Decimal("10000"),
        Decimal("10000"),
        Decimal("8000"),
    ]
    assert ranking.remaining == Decimal("2000")


def test_a_tie_the_budget_cannot_fund_in_full_at_the_cut_off_needs_a_lottery(scheme):
    tender = tender_for(scheme, ceiling="25000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 8)
    app(tender, "D", 7)

    ranking = compute_ranking(tender)

    assert summary(ranking) == [
        ("A", 1, Decimal("9.00"), True),
        ("B", 2, Decimal("8.00"), None),
        ("C", 2, Decimal("8.00"), None),
        ("D", 4, Decimal("7.00"), None),
    ]
    assert [row.application.reference for row in ranking.tie] == ["B", "C"]
    assert (ranking.needs_lottery, ranking.tie_remaining, ranking.cut_off) == (
        True,
        Decimal("15000"),
        0,
    )
    assert [row.tie_at_cut_off for row in ranking.rows] == [False, True, True, False]


def test_a_tie_the_budget_funds_in_full_needs_no_lottery(scheme):
    tender = tender_for(scheme, ceiling="30000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 8)
    app(tender, "D", 7)

    ranking = compute_ranking(tender)

    assert [row.fits for row in ranking.rows] == [True, True, True, False]
    assert ranking.needs_lottery is False


def test_a_tie_of_which_the_budget_funds_none_needs_no_lottery(scheme):
    tender = tender_for(scheme, ceiling="15000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 8)

    ranking = compute_ranking(tender)

    assert [row.fits for row in ranking.rows] == [True, False, False]
    assert (ranking.needs_lottery, ranking.cut_off) == (False, 0)


def test_a_drawn_lottery_orders_the_tie(scheme, officer):
    tender = tender_for(scheme, ceiling="25000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 8)
    app(tender, "D", 7)

    lottery = draw_lottery(tender, by=officer)
    ranking = compute_ranking(tender)

    first, second = lottery.order
    assert summary(ranking) == [
        ("A", 1, Decimal("9.00"), True),
        (first, 2, Decimal("8.00"), True),
        (second, 3, Decimal("8.00"), False),
        ("D", 4, Decimal("7.00"), False),
    ]
    assert (ranking.needs_lottery, ranking.lottery, ranking.cut_off) == (False, lottery, 1)


def test_first_come_first_served_ranks_by_the_moment_of_receipt(officer):
    scheme = scheme_with_criteria(
        (1, 10, 5), handlers=[officer], allocation_method=AllocationMethod.first_come
    )
    tender = tender_for(scheme, ceiling="20000")
    day = datetime.date(2024, 4, 2)

    def moment(hour):
        return timezone.make_aware(datetime.datetime(2024, 4, 2, hour))

    def received(reference, on, at=None):
        ApplicationFactory(
            tender=tender,
            reference=reference,
            requested_amount=Decimal("10000"),
            received_on=on,
            received_at=at,
        )

    received("A", day, moment(15))
    received("B", day, moment(9))
    received("C", day - datetime.timedelta(days=1))
    received("D", day, moment(11))

    ranking = compute_ranking(tender)

    assert summary(ranking) == [
        ("C", 1, None, True),
        ("B", 2, None, True),
        ("D", 3, None, False),
        ("A", 4, None, False),
    ]
    assert ranking.ineligible == []


def test_ranking_stores_total_eligibility_and_position_and_audits_the_changes(scheme, officer):
    tender = tender_for(scheme)
    a = app(tender, "A", 6)
    b = app(tender, "B", 9)
    c = app(tender, "C", 3)

    rank_tender(tender, by=officer)

    for application in (a, b, c):
        application.refresh_from_db()
    assert [(x.rank, x.score_total, x.is_eligible) for x in (a, b, c)] == [
        (2, Decimal("6.00"), True),
        (1, Decimal("9.00"), True),
        (None, Decimal("3.00"), False),
    ]
    assert [entry.changes for entry in entries_for(b).filter(reason__startswith="Rang")] == [
        {"rank": [None, 1]}
    ]
    # Ranking again changes nothing and records nothing.
    rank_tender(tender, by=officer)
    assert entries_for(b).filter(reason__startswith="Rang").count() == 1


def test_only_a_handler_of_the_scheme_ranks(scheme):
    tender = tender_for(scheme)

    with pytest.raises(PermissionDenied):
        rank_tender(tender, by=SubsidyOfficerFactory())


def test_reviews_by_several_reviewers_are_averaged_in_the_ranking(scheme):
    tender = tender_for(scheme)
    a = app(tender, "A", 6)
    submitted_review(a, [9])  # average 7,5
    app(tender, "B", 7)

    ranking = compute_ranking(tender)

    assert [(row.application.reference, row.total) for row in ranking.rows] == [
        ("A", Decimal("7.50")),
        ("B", Decimal("7.00")),
    ]


@pytest.mark.parametrize("count", [1, 40])
def test_ranking_runs_the_same_queries_for_one_or_many_applications(
    scheme, officer, count, django_assert_num_queries
):
    tender = tender_for(scheme, ceiling="1000000")
    for number in range(count):
        app(tender, f"R-{number:03d}", 5 + number % 5)

    # Read once per request or process: the officer's roles and schemes, the content type.
    can(officer, "subsidies.rank_tender", tender)
    ContentType.objects.get_for_model(Application)

    # The tender, its applications, the criteria, the scores, the reviews, the lotteries;
    # storing: one update, one insert of audit entries.
    with django_assert_num_queries(8):
        rank_tender(tender, by=officer)
    assert Application.objects.filter(tender=tender, rank__isnull=False).count() == count


def test_after_the_decisions_the_lottery_still_orders_the_tie_and_the_line_stays(scheme, officer):
    tender = tender_for(scheme, ceiling="25000")
    app(tender, "A", 9)
    app(tender, "B", 8)
    app(tender, "C", 8)
    lottery = draw_lottery(tender, by=officer)
    confirm(proposals_from(compute_ranking(tender)), by=officer)

    ranking = compute_ranking(tender)

    first, second = lottery.order
    assert [(row.application.reference, row.position) for row in ranking.rows] == [
        ("A", 1),
        (first, 2),
        (second, 3),
    ]
    assert [row.application.status for row in ranking.rows] == [
        ApplicationStatus.granted,
        ApplicationStatus.granted,
        ApplicationStatus.rejected,
    ]
    assert ranking.cut_off == 1
