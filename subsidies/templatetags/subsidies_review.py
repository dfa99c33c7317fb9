"""``{% review_summary application as summary %}``: what the review part of the application
page shows to the user looking at it (subsidies/_review_summary.html)."""

from django import template
from django.db.models import Prefetch

from regioportal.roles import Role, has_role

from ..enums import ApplicationStatus, ReviewStatus
from ..models import Score
from ..review import application_scores
from ..rules import can, handles_scheme
from ..selectors import reviews_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def review_summary(context, application):
    """The reviews the user may see (subsidies.selectors.reviews_visible_to: a reviewer only
    their own), each with its scores; the averages and weighted total only for those who see
    every review of the application (its handlers, the Beheerder, the Programmamanager)."""
    user = context["request"].user
    criteria = list(application.scheme.criteria.all())
    reviews = list(
        reviews_visible_to(user)
        .filter(application=application)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by()))
        .order_by("assigned_at", "id")
    )
    for review in reviews:
        by_criterion = {score.criterion_id: score for score in review.scores.all()}
        review.scored = [(criterion, by_criterion.get(criterion.pk)) for criterion in criteria]
        review.shows_scores = (
            review.status == ReviewStatus.submitted or review.reviewer_id == user.pk
        )
    sees_all = has_role(user, Role.programme_manager, Role.administrator) or handles_scheme(
        user, application.scheme_id
    )
    counted = [r for r in reviews if r.conflict_of_interest is not True]
    complete = bool(counted) and all(r.status == ReviewStatus.submitted for r in counted)
    return {
        "reviews": reviews,
        "own": next((r for r in reviews if r.reviewer_id == user.pk), None),
        "scores": application_scores(application) if sees_all else None,
        "can_assign": can(user, "subsidies.assign_reviewers", application)
        and application.status in ApplicationStatus.open(),
        "complete": sees_all and complete,
        "ready_for_advice": sees_all
        and complete
        and application.status == ApplicationStatus.in_review,
    }
