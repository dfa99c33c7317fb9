"""Builders for the review, ranking and allocation tests: a scheme with weighted criteria
handled by an officer, a tender, and applications with submitted reviews and their scores."""

from decimal import Decimal

from django.utils import timezone

from subsidies.enums import ReviewStatus
from subsidies.models import Score
from subsidies.review import update_scores
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    ReviewerFactory,
    ReviewFactory,
    SchemeFactory,
    TenderFactory,
)


def scheme_with_criteria(*criteria, handlers=(), min_total_score=None, **fields):
    """``criteria``: (weight, max points, min points) per criterion, in order."""
    scheme = SchemeFactory(handlers=list(handlers), min_total_score=min_total_score, **fields)
    for order, (weight, max_points, min_points) in enumerate(criteria):
        CriterionFactory(
            scheme=scheme,
            name=f"Criterium {order + 1}",
            weight=Decimal(str(weight)),
            max_points=max_points,
            min_points=min_points,
            order=order,
        )
    return scheme


def tender_for(scheme, *, ceiling="100000", reserve="0", **fields):
    return TenderFactory(
        scheme=scheme, ceiling=Decimal(ceiling), reserve=Decimal(reserve), **fields
    )


def submitted_review(application, points, *, reviewer=None):
    """A submitted review with ``points`` per criterion of the application's scheme, in the
    criteria's order; the application's stored scores updated."""
    review = ReviewFactory(
        application=application,
        reviewer=reviewer or ReviewerFactory(),
        status=ReviewStatus.submitted,
        submitted_at=timezone.now(),
        conflict_of_interest=False,
        recommendation="honoreren",
    )
    criteria = list(application.scheme.criteria.all())
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, points=p, note="Toelichting")
        for criterion, p in zip(criteria, points, strict=True)
    )
    update_scores(application)
    return review


def scored_application(tender, *points_per_review, requested="10000", **fields):
    """An application in ``tender`` with one submitted review per list of points."""
    application = ApplicationFactory(tender=tender, requested_amount=Decimal(requested), **fields)
    for points in points_per_review:
        submitted_review(application, points)
    return application
