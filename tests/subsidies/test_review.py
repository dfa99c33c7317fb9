"""Reviewing: assigning reviewers, the declaration of a conflict of interest, scoring with
drafts and a locked submission, and the scores an application gets from its reviews."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from regioportal.audit import entries_for
from regioportal.roles import Role
from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.models import Review
from subsidies.review import (
    application_scores,
    assign_reviewers,
    declare_conflict,
    reviews_complete,
    save_review,
)
from subsidies.rules import can
from subsidies.selectors import applications_visible_to, may_see_documents, reviews_assigned_to
from subsidies.transitions import TransitionError
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    ReviewerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
    UserFactory,
)
from tests.subsidies.scoring import scheme_with_criteria, submitted_review, tender_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def scheme(officer):
    # Weights 3 and 1, at most 10 points, at least 5 and 4.
    return scheme_with_criteria((3, 10, 5), (1, 10, 4), handlers=[officer])


@pytest.fixture
def application(scheme):
    return ApplicationFactory(tender=tender_for(scheme), reference="ZV-2024-0001")


@pytest.fixture
def reviewer():
    return ReviewerFactory(username="femke")


def criteria_of(application):
    return list(application.scheme.criteria.all())


def full_scores(application, *points):
    return {
        criterion.pk: (p, f"Toelichting {criterion.name}")
        for criterion, p in zip(criteria_of(application), points, strict=True)
    }


# --- assigning ------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2024, 5, 6, 10, 0, tzinfo=datetime.UTC))
def test_assigning_creates_a_draft_review_due_in_two_weeks_and_audits_it(
    application, officer, reviewer
):
    (review,) = assign_reviewers(application, [reviewer], by=officer)

    assert (review.reviewer, review.status, review.due_on, review.assigned_by) == (
        reviewer,
        ReviewStatus.draft,
        datetime.date(2024, 5, 20),
        officer,
    )
    assert review.conflict_of_interest is None
    (entry,) = entries_for(application)
    assert (entry.actor, entry.changes) == (
        officer,
        {"reviewer": [None, "femke"], "due_on": [None, "2024-05-20"]},
    )


def test_assigning_again_keeps_the_review_and_adds_only_the_new_reviewer(
    application, officer, reviewer
):
    other = ReviewerFactory(username="jelle")
    (first,) = assign_reviewers(
        application, [reviewer], by=officer, due_on=datetime.date(2024, 6, 1)
    )

    again = assign_reviewers(application, [reviewer, other], by=officer)

    assert [review.pk for review in again][0] == first.pk
    assert Review.objects.filter(application=application).count() == 2
    assert entries_for(application).count() == 2


def test_only_a_beoordelaar_can_be_assigned(application, officer):
    coordinator = CoordinatorFactory(first_name="Anouk", last_name="Hazenberg")

    with pytest.raises(ValidationError) as error:
        assign_reviewers(application, [coordinator], by=officer)

    assert error.value.message_dict == {
        "reviewers": ["Anouk Hazenberg heeft geen rol als beoordelaar."]
    }
    assert Review.objects.count() == 0


def test_an_officer_of_another_scheme_cannot_assign(application, reviewer):
    with pytest.raises(PermissionDenied):
        assign_reviewers(application, [reviewer], by=SubsidyOfficerFactory())


def test_no_reviewers_are_assigned_to_a_decided_application(application, officer, reviewer):
    application.status = ApplicationStatus.rejected
    application.save()

    with pytest.raises(TransitionError) as error:
        assign_reviewers(application, [reviewer], by=officer)

    assert error.value.message == (
        "Aan een aanvraag met status “Afgewezen” wijst u geen beoordelaars meer toe."
    )


# --- the declaration ------------------------------------------------------------------------


def test_before_declaring_the_reviewer_sees_the_application_but_not_its_documents(
    application, reviewer
):
    ReviewFactory(application=application, reviewer=reviewer)

    assert list(applications_visible_to(reviewer)) == [application]
    assert may_see_documents(reviewer, application) is False


def test_declaring_no_conflict_opens_the_documents(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)

    review = declare_conflict(review, by=reviewer, has_conflict=False)

    assert review.conflict_of_interest is False
    assert review.conflict_declared_at is not None
    assert may_see_documents(reviewer, application) is True
    (entry,) = entries_for(application)
    assert entry.changes == {"reviewer": "femke", "conflict_of_interest": [None, False]}


def test_a_conflict_needs_an_explanation(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)

    with pytest.raises(ValidationError) as error:
        declare_conflict(review, by=reviewer, has_conflict=True, explanation="  ")

    assert error.value.message_dict == {
        "explanation": ["Licht toe waarom er sprake is van belangenverstrengeling."]
    }


def test_with_a_conflict_the_reviewer_no_longer_sees_the_application(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)

    declare_conflict(review, by=reviewer, has_conflict=True, explanation="Bestuurslid.")

    assert list(applications_visible_to(reviewer)) == []
    assert list(reviews_assigned_to(reviewer)) == []
    (entry,) = entries_for(application)
    assert (entry.changes["conflict_of_interest"], entry.reason) == ([None, True], "Bestuurslid.")


def test_a_declared_conflict_is_final(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)
    declare_conflict(review, by=reviewer, has_conflict=True, explanation="Bestuurslid.")

    with pytest.raises(TransitionError):
        declare_conflict(review, by=reviewer, has_conflict=False)


def test_a_reviewer_who_declared_none_may_still_declare_a_conflict_before_submitting(
    application, reviewer
):
    review = ReviewFactory(application=application, reviewer=reviewer)
    declare_conflict(review, by=reviewer, has_conflict=False)
    save_review(
        review,
        by=reviewer,
        scores=full_scores(application, 8, 8),
        recommendation="",
        comments="",
    )

    review = declare_conflict(review, by=reviewer, has_conflict=True, explanation="Familie.")

    assert review.conflict_of_interest is True
    assert application_scores(application)["review_count"] == 0


def test_only_the_reviewer_declares(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)

    with pytest.raises(PermissionDenied):
        declare_conflict(review, by=ReviewerFactory(), has_conflict=False)


# --- scoring ---------------------------------------------------------------------------------


@pytest.fixture
def declared(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)
    return declare_conflict(review, by=reviewer, has_conflict=False)


def test_scoring_waits_for_the_declaration(application, reviewer):
    review = ReviewFactory(application=application, reviewer=reviewer)

    with pytest.raises(TransitionError) as error:
        save_review(review, by=reviewer, scores={}, recommendation="", comments="")

    assert error.value.message == (
        "Verklaar eerst dat u geen belangenverstrengeling heeft met deze aanvraag."
    )


def test_a_draft_may_leave_criteria_open(application, reviewer, declared):
    first, _second = criteria_of(application)

    review = save_review(
        declared,
        by=reviewer,
        scores={first.pk: (7, "Goed plan")},
        recommendation="",
        comments="Nog niet af",
    )

    assert review.status == ReviewStatus.draft
    assert list(review.scores.values_list("criterion_id", "points", "note")) == [
        (first.pk, 7, "Goed plan")
    ]
    # A draft changes no score of the application and is not audited.
    application.refresh_from_db()
    assert (application.score_total, application.is_eligible) == (None, None)
    assert entries_for(application).count() == 1  # the declaration


def test_a_draft_note_without_points_is_refused_rather_than_lost(application, reviewer, declared):
    first, _second = criteria_of(application)

    with pytest.raises(ValidationError) as error:
        save_review(
            declared,
            by=reviewer,
            scores={first.pk: (None, "Goed plan")},
            recommendation="",
            comments="",
        )

    assert error.value.message_dict == {
        f"points_{first.pk}": ["Geef een score voor ‘Criterium 1’."]
    }


def test_submitting_needs_every_criterion_with_a_note_and_a_recommendation(
    application, reviewer, declared
):
    first, second = criteria_of(application)

    with pytest.raises(ValidationError) as error:
        save_review(
            declared,
            by=reviewer,
            scores={first.pk: (7, "")},
            recommendation="",
            comments="",
            submit=True,
        )

    assert error.value.message_dict == {
        f"note_{first.pk}": ["Licht de score voor ‘Criterium 1’ toe."],
        f"points_{second.pk}": ["Geef een score voor ‘Criterium 2’."],
        "recommendation": ["Geef een advies."],
    }
    declared.refresh_from_db()
    assert declared.status == ReviewStatus.draft


@pytest.mark.parametrize("points", [-1, 11, "x", True])
def test_points_outside_zero_to_the_maximum_are_refused(application, reviewer, declared, points):
    first, second = criteria_of(application)

    with pytest.raises(ValidationError) as error:
        save_review(
            declared,
            by=reviewer,
            scores={first.pk: (points, "a"), second.pk: (5, "b")},
            recommendation="honoreren",
            comments="",
        )

    assert error.value.message_dict == {
        f"points_{first.pk}": ["Geef voor ‘Criterium 1’ 0 tot en met 10 punten."]
    }


def test_a_score_for_a_criterion_of_another_scheme_is_refused(application, reviewer, declared):
    other = scheme_with_criteria((1, 10, 0)).criteria.get()

    with pytest.raises(ValidationError) as error:
        save_review(
            declared,
            by=reviewer,
            scores={other.pk: (5, "x")},
            recommendation="",
            comments="",
        )

    assert error.value.message_dict == {
        "scores": ["Een score hoort bij een criterium van een andere regeling."]
    }


def test_submitting_locks_the_review_and_scores_the_application(application, reviewer, declared):
    review = save_review(
        declared,
        by=reviewer,
        scores=full_scores(application, 8, 6),
        recommendation="honoreren",
        comments="Sterk plan.",
        submit=True,
    )

    assert review.status == ReviewStatus.submitted
    assert review.submitted_at is not None
    application.refresh_from_db()
    # 3 × 8 + 1 × 6
    assert (application.score_total, application.is_eligible) == (Decimal("30.00"), True)
    entry = entries_for(application).order_by("-at", "-id").first()
    assert (entry.reason, entry.changes) == (
        "Beoordeling ingediend",
        {
            "reviewer": "femke",
            "review": ["concept", "ingediend"],
            "recommendation": "honoreren",
            "score_total": [None, "30.00"],
            "is_eligible": [None, True],
        },
    )
    with pytest.raises(TransitionError) as error:
        save_review(
            review,
            by=reviewer,
            scores=full_scores(application, 1, 1),
            recommendation="afwijzen",
            comments="",
        )
    assert error.value.message == (
        "Deze beoordeling is al ingediend en kan niet meer worden gewijzigd."
    )
    assert sorted(review.scores.values_list("points", flat=True)) == [6, 8]


def test_another_reviewer_cannot_write_the_review(application, declared):
    with pytest.raises(PermissionDenied):
        save_review(
            declared,
            by=ReviewerFactory(),
            scores={},
            recommendation="",
            comments="",
        )


def test_a_reviewer_who_lost_the_role_cannot_write(application, reviewer, declared):
    reviewer.groups.clear()
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)

    with pytest.raises(PermissionDenied):
        save_review(declared, by=reviewer, scores={}, recommendation="", comments="")


# --- the application's scores ---------------------------------------------------------------


def test_scores_average_the_submitted_reviews_and_weigh_them(application):
    submitted_review(application, [8, 6])
    submitted_review(application, [7, 9])

    scores = application_scores(application)

    assert [(row.average, row.count, row.weighted) for row in scores["criteria"]] == [
        (Decimal("7.5"), 2, Decimal("22.5")),
        (Decimal("7.5"), 2, Decimal("7.5")),
    ]
    assert (scores["total"], scores["eligible"], scores["reasons"], scores["review_count"]) == (
        Decimal("30.00"),
        True,
        [],
        2,
    )


def test_drafts_and_conflicted_reviews_do_not_count(application, reviewer):
    submitted_review(application, [8, 8])
    conflicted = submitted_review(application, [1, 1])
    Review.objects.filter(pk=conflicted.pk).update(conflict_of_interest=True)
    ReviewFactory(application=application, reviewer=reviewer)  # assigned, nothing yet

    scores = application_scores(application)

    assert (scores["total"], scores["review_count"]) == (Decimal("32.00"), 1)


def test_without_a_submitted_review_the_application_is_not_eligible(application):
    scores = application_scores(application)

    assert (scores["total"], scores["eligible"], scores["reasons"]) == (
        None,
        False,
        ["Er is nog geen ingediende beoordeling."],
    )


def test_below_a_criterion_minimum_the_application_is_not_eligible(application):
    submitted_review(application, [10, 4])
    submitted_review(application, [10, 3])

    scores = application_scores(application)

    assert scores["eligible"] is False
    assert scores["reasons"] == [
        "Op ‘Criterium 2’ ligt de gemiddelde score (3,50) onder de minimumscore (4)."
    ]


def test_below_the_schemes_minimum_total_the_application_is_not_eligible(application):
    application.scheme.min_total_score = Decimal("30")
    application.scheme.save()
    submitted_review(application, [7, 8])  # 29

    scores = application_scores(application)

    assert (scores["total"], scores["eligible"], scores["reasons"]) == (
        Decimal("29.00"),
        False,
        ["De gewogen totaalscore (29,00) ligt onder het minimum van de regeling (30,00)."],
    )


def test_exactly_on_the_minimums_is_eligible(application):
    application.scheme.min_total_score = Decimal("19")
    application.scheme.save()
    submitted_review(application, [5, 4])

    assert application_scores(application)["eligible"] is True


def test_reviews_are_complete_when_every_unconflicted_reviewer_submitted(application):
    waiting = ReviewFactory(application=application)
    ReviewFactory(application=application, conflicted=True)
    submitted_review(application, [8, 8])
    assert reviews_complete(application) is False

    Review.objects.filter(pk=waiting.pk).update(conflict_of_interest=True)

    assert reviews_complete(application) is True


# --- four eyes ------------------------------------------------------------------------------


def test_an_officer_who_reviewed_the_application_does_not_decide_it(application, officer):
    colleague = UserFactory(roles=[Role.subsidy_officer, Role.reviewer])
    application.scheme.handlers.add(colleague)
    submitted_review(application, [8, 8], reviewer=colleague)

    assert (
        can(officer, "subsidies.decide", application),
        can(colleague, "subsidies.decide", application),
    ) == (True, False)
