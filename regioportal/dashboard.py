"""What each role's home dashboard shows. Every figure comes from the visibility query
functions (``*/selectors.py``), so a dashboard never shows more than its user may see.

Each role's block runs a fixed number of queries, whatever the number of rows:
coordinator 2, reviewer 3, subsidy officer 4, programme manager 2, administrator 6.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from participants.counting import data_version
from participants.enums import EnrolmentStatus
from participants.selectors import (
    enrolments_visible_to,
    participants_visible_to,
    progress_entries_visible_to,
)
from programmes.enums import ProgrammeStatus
from programmes.selectors import programmes_visible_to, programmes_with_participants_visible_to
from regioportal.context_processors import optional_url, role_labels
from regioportal.roles import Role, roles_of
from reports.models import RenderStatus
from reports.selectors import factsheets_visible_to
from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.models import Scheme, Tender
from subsidies.selectors import applications_visible_to, reviews_visible_to

DEADLINE_HORIZON_DAYS = 14
RECENT_PROGRESS = 8
RECENT_REVIEWS = 5
DEADLINE_ROWS = 25


def dashboard_for(user):
    roles = roles_of(user)
    context = {"roles": role_labels(roles)}
    if Role.coordinator in roles:
        context["coordinator"] = _coordinator(user)
    if Role.reviewer in roles:
        context["reviewer"] = _reviewer(user)
    if Role.subsidy_officer in roles:
        context["subsidy_officer"] = _subsidy_officer(user)
    if Role.programme_manager in roles:
        context["programme_manager"] = _programme_manager(user)
    if Role.administrator in roles:
        context["administrator"] = _administrator(user)
    return context


def _coordinator(user):
    # "Mine" narrows the visible programmes to those the user coordinates; it is not a
    # permission filter (a coordinator who is also programme manager may see more).
    programmes = list(
        programmes_with_participants_visible_to(user).filter(members=user).order_by("name")
    )
    # Counted per programme on the enrolment table alone (an index-only scan on programme and
    # status), not as an annotation that groups by every programme column.
    counts = cache.get(key := f"dashboard-counts:{user.pk}:{data_version()}")
    if counts is None:
        counts = {
            row["programme_id"]: row
            for row in enrolments_visible_to(user)
            .filter(programme__in=programmes)
            .values("programme_id")
            .annotate(
                total=Count("*"),
                active=Count("status", filter=Q(status__in=EnrolmentStatus.open())),
            )
            .order_by()
        }
        # Until participant data or a programme membership changes (participants.counting).
        cache.set(key, counts, 600)
    for programme in programmes:
        row = counts.get(programme.pk, {})
        programme.active_participants = row.get("active", 0)
        programme.enrolment_count = row.get("total", 0)
    recent_progress = list(
        progress_entries_visible_to(user)
        .filter(author=user)
        .select_related("enrolment__participant", "enrolment__programme")
        .order_by("-date", "-id")[:RECENT_PROGRESS]
    )
    return {
        "programmes": programmes,
        "active_participants": sum(p.active_participants for p in programmes),
        "enrolment_count": sum(p.enrolment_count for p in programmes),
        "recent_progress": recent_progress,
        "participants_url": optional_url("participants:list", "/participants/"),
    }


def _reviewer(user):
    mine = reviews_visible_to(user).filter(reviewer=user, conflict_of_interest=False)
    counts = mine.aggregate(
        to_do=Count("id", filter=Q(status=ReviewStatus.draft)),
        submitted=Count("id", filter=Q(status=ReviewStatus.submitted)),
    )
    related = ("application__scheme", "application__tender")
    return {
        "to_do": list(
            mine.filter(status=ReviewStatus.draft)
            .select_related(*related)
            .order_by("application__decision_deadline", "id")
        ),
        "submitted": list(
            mine.filter(status=ReviewStatus.submitted)
            .select_related(*related)
            .order_by("-submitted_at", "-id")[:RECENT_REVIEWS]
        ),
        "to_do_count": counts["to_do"],
        "submitted_count": counts["submitted"],
        "reviews_url": optional_url("subsidies:review-list"),
    }


def _subsidy_officer(user):
    today = timezone.localdate()
    now = timezone.now()
    applications = applications_visible_to(user)

    counts = dict(applications.order_by().values_list("status").annotate(n=Count("id")))
    by_status = [
        {"value": status.value, "label": status.label, "count": counts.get(status.value, 0)}
        for status in ApplicationStatus
    ]

    # An incomplete application's decision deadline is suspended (Awb 4:15), so it is not due.
    due = [
        {
            "application": application,
            "days_left": (application.decision_deadline - today).days,
            "days_overdue": (today - application.decision_deadline).days,
        }
        for application in applications.filter(
            status__in=[s for s in ApplicationStatus.open() if s != ApplicationStatus.incomplete],
            decision_deadline__lte=today + datetime.timedelta(days=DEADLINE_HORIZON_DAYS),
        )
        .select_related("scheme", "handler")
        .order_by("decision_deadline", "id")[:DEADLINE_ROWS]
    ]

    # Tenders and their ceilings are published facts; the amounts granted come from the
    # applications the officer may see (all of them).
    tenders = list(
        Tender.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("scheme")
        .order_by("closes_at", "id")
    )
    totals = {
        row["tender"]: row
        for row in applications.filter(tender__in=[t.pk for t in tenders])
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

    return {
        "by_status": by_status,
        "total": sum(counts.values()),
        "open_count": sum(counts.get(s.value, 0) for s in ApplicationStatus.open()),
        "due": due,
        "overdue_count": sum(1 for row in due if row["days_left"] < 0),
        "horizon_days": DEADLINE_HORIZON_DAYS,
        "tenders": tenders,
        "applications_url": optional_url("subsidies:application-list"),
    }


def _programme_manager(user):
    programmes = list(
        programmes_visible_to(user).select_related("umbrella", "lead_organisation").order_by("name")
    )
    by_status = dict.fromkeys(ProgrammeStatus, 0)
    for programme in programmes:
        by_status[ProgrammeStatus(programme.status)] += 1
    factsheets = list(
        factsheets_visible_to(user)
        .select_related("programme", "umbrella")
        .annotate(
            last_rendered=Max(
                "renderings__finished_at", filter=Q(renderings__status=RenderStatus.ready)
            )
        )
        .order_by("title")
    )
    return {
        "programmes": programmes,
        "status_counts": [{"label": s.label, "count": n} for s, n in by_status.items()],
        "factsheets": factsheets,
        "factsheets_url": optional_url("reports:factsheet-list"),
    }


def _administrator(user):
    users = get_user_model().objects.filter(is_active=True)
    return {
        "user_count": users.count(),
        "users_without_role": users.filter(groups=None, is_superuser=False).count(),
        "programme_count": programmes_visible_to(user).count(),
        "participant_count": participants_visible_to(user).count(),
        "application_count": applications_visible_to(user).count(),
        "scheme_count": Scheme.objects.filter(is_active=True).count(),
    }
