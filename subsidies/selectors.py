"""Who may see which subsidy application (confidential: business plans, budgets)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from regioportal.roles import Role, has_role

from .enums import ApplicationStatus, ReviewStatus
from .models import Application, Review, Scheme, Tender
from .rules import handles_scheme


def applications_visible_to(user):
    """The applications ``user`` may read (the union over their roles):

    - Programmamanager and Beheerder: every application (read only, see subsidies.rules);
    - Subsidiebehandelaar: the applications of the schemes they handle (``Scheme.handlers``);
    - Beoordelaar: the applications assigned to them, unless they declared a conflict of
      interest (before declaring they see the application, not its documents: see
      :func:`may_see_documents`).
    Coordinators see none."""
    if has_role(user, Role.programme_manager, Role.administrator):
        return Application.objects.all()
    reach = Q(pk__in=[])
    if has_role(user, Role.subsidy_officer):
        # A subquery, not a join: joined, a scheme with two handlers would repeat each
        # application once per handler when another part of the reach is OR-ed in.
        reach |= Q(scheme__in=Scheme.objects.filter(handlers=user))
    if has_role(user, Role.reviewer):
        reach |= Q(
            Exists(
                Review.objects.filter(application=OuterRef("pk"), reviewer=user).exclude(
                    conflict_of_interest=True
                )
            )
        )
    if not has_role(user, Role.subsidy_officer, Role.reviewer):
        return Application.objects.none()
    return Application.objects.filter(reach)


def schemes_visible_to(user):
    """Scheme and tender pages (criteria, ceilings, figures): the roles that work with
    subsidies. Schemes and tenders are published facts, so a Subsidiebehandelaar sees every
    scheme, not only those they handle; the figures on those pages come from
    :func:`applications_visible_to`. A Beoordelaar sees their reviews and nothing else;
    coordinators see none."""
    if has_role(user, Role.subsidy_officer, Role.programme_manager, Role.administrator):
        return Scheme.objects.all()
    return Scheme.objects.none()


def tenders_visible_to(user):
    """The tenders of the schemes the user may see (:func:`schemes_visible_to`)."""
    if has_role(user, Role.subsidy_officer, Role.programme_manager, Role.administrator):
        return Tender.objects.all()
    return Tender.objects.none()


def may_see_documents(user, application):
    """Attachments, budget lines and other reviews of a visible application: everyone who
    may see it, except a reviewer who has not declared that they have no conflict of
    interest."""
    if has_role(user, Role.programme_manager, Role.administrator):
        return True
    if handles_scheme(user, application.scheme_id):
        return True
    return Review.objects.filter(
        application=application, reviewer=user, conflict_of_interest=False
    ).exists()


def reviews_visible_to(user):
    """Administrators see every review, programme managers the submitted ones, officers the
    reviews of the schemes they handle; a reviewer sees their own."""
    if has_role(user, Role.administrator):
        return Review.objects.all()
    reach = Q(pk__in=[])
    if has_role(user, Role.programme_manager):
        reach |= Q(status=ReviewStatus.submitted)
    if has_role(user, Role.subsidy_officer):
        reach |= Q(application__scheme__in=Scheme.objects.filter(handlers=user))
    if has_role(user, Role.reviewer):
        reach |= Q(reviewer=user)
    return Review.objects.filter(reach)


def reviews_assigned_to(user):
    """The reviews the user is to write or wrote, without those they withdrew from for a
    conflict of interest."""
    return reviews_visible_to(user).filter(reviewer=user).exclude(conflict_of_interest=True)


def review_counts(reviews):
    """``{"to_do": n, "submitted": n}`` for a queryset of reviews, in one query."""
    return reviews.aggregate(
        to_do=Count("id", filter=Q(status=ReviewStatus.draft)),
        submitted=Count("id", filter=Q(status=ReviewStatus.submitted)),
    )


def application_counts_by_status(user):
    """``{status: n}`` of the applications the user may see, in one query."""
    return dict(
        applications_visible_to(user).order_by().values_list("status").annotate(n=Count("id"))
    )


def applications_due(user, *, until):
    """Open applications the user may see whose decision deadline is at or before ``until``,
    most urgent first. An incomplete application's decision deadline is suspended (Awb 4:15),
    so it is not due."""
    return (
        applications_visible_to(user)
        .filter(
            status__in=[s for s in ApplicationStatus.open() if s != ApplicationStatus.incomplete],
            decision_deadline__lte=until,
        )
        .select_related("scheme", "handler")
        .order_by("decision_deadline", "id")
    )


def open_tenders_with_totals(user, *, now):
    """Tenders open at ``now``, each with ``granted``, ``application_count`` and ``remaining``
    (the ceiling minus what was granted). Tenders and their ceilings are published facts; the
    amounts come from the applications the user may see. Two queries."""
    tenders = list(
        Tender.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("scheme")
        .order_by("closes_at", "id")
    )
    totals = {
        row["tender"]: row
        for row in applications_visible_to(user)
        .filter(tender__in=[t.pk for t in tenders])
        .order_by()
        .values("tender")
        .annotate(
            granted=Sum("granted_amount", filter=Q(status__in=ApplicationStatus.granted_group())),
            application_count=Count("id"),
        )
    }
    for tender in tenders:
        row = totals.get(tender.pk, {})
        tender.granted = row.get("granted") or 0
        tender.application_count = row.get("application_count", 0)
        tender.remaining = tender.ceiling - tender.granted
    return tenders


def active_schemes():
    """Schemes open to new tenders and applications (reference data, public)."""
    return Scheme.objects.filter(is_active=True)
