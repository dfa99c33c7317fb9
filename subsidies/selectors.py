"""Who may see which subsidy application (confidential: business plans, budgets)."""

from django.db.models import Q

from regioportal.roles import Role, has_role

from .enums import ReviewStatus
from .models import Application, Review


def applications_visible_to(user):
    """Officers, programme managers and administrators see every application; a reviewer sees
    the applications assigned to them for which they declared no conflict of interest."""
    if has_role(user, Role.subsidy_officer, Role.programme_manager, Role.administrator):
        return Application.objects.all()
    if has_role(user, Role.reviewer):
        return Application.objects.filter(
            reviews__reviewer=user, reviews__conflict_of_interest=False
        ).distinct()
    return Application.objects.none()


def reviews_visible_to(user):
    """Officers and administrators see all reviews; a reviewer sees their own."""
    if has_role(user, Role.subsidy_officer, Role.administrator):
        return Review.objects.all()
    if has_role(user, Role.programme_manager):
        return Review.objects.filter(status=ReviewStatus.submitted)
    if has_role(user, Role.reviewer):
        return Review.objects.filter(Q(reviewer=user))
    return Review.objects.none()
