"""What each role's home dashboard shows. Every block is put together from the apps' query
functions (``*/selectors.py``), so a dashboard never shows more than its user may see and
holds no queries of its own beyond the user counts (users belong to this app).

Each role's block runs a fixed number of queries, whatever the number of rows:
coordinator 2, reviewer 3, subsidy officer 4, programme manager 2, administrator 6.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.selectors import (
    enrolment_counts_by_programme,
    participants_visible_to,
    recent_progress_by,
)
from programmes.enums import ProgrammeStatus
from programmes.selectors import programmes_visible_to, programmes_with_participants_visible_to
from regioportal.context_processors import optional_url, role_labels
from regioportal.roles import Role, roles_of
from reports.selectors import factsheets_with_last_rendering
from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.selectors import (
    active_schemes,
    application_counts_by_status,
    applications_due,
    applications_visible_to,
    open_tenders_with_totals,
    review_counts,
    reviews_assigned_to,
)

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
    counts = enrolment_counts_by_programme(user, programmes)
    for programme in programmes:
        row = counts.get(programme.pk, {})
        programme.active_participants = row.get("active", 0)
        programme.enrolment_count = row.get("total", 0)
    return {
        "programmes": programmes,
        "active_participants": sum(p.active_participants for p in programmes),
        "enrolment_count": sum(p.enrolment_count for p in programmes),
        "recent_progress": recent_progress_by(user, limit=RECENT_PROGRESS),
        "participants_url": optional_url("participants:list", "/participants/"),
    }


def _reviewer(user):
    mine = reviews_assigned_to(user)
    counts = review_counts(mine)
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
    counts = application_counts_by_status(user)
    by_status = [
        {"value": status.value, "label": status.label, "count": counts.get(status.value, 0)}
        for status in ApplicationStatus
    ]
    due = [
        {
            "application": application,
            "days_left": (application.decision_deadline - today).days,
            "days_overdue": (today - application.decision_deadline).days,
        }
        for application in applications_due(
            user, until=today + datetime.timedelta(days=DEADLINE_HORIZON_DAYS)
        )[:DEADLINE_ROWS]
    ]
    return {
        "by_status": by_status,
        "total": sum(counts.values()),
        "open_count": sum(counts.get(s.value, 0) for s in ApplicationStatus.open()),
        "due": due,
        "overdue_count": sum(1 for row in due if row["days_left"] < 0),
        "horizon_days": DEADLINE_HORIZON_DAYS,
        "tenders": open_tenders_with_totals(user, now=timezone.now()),
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
        factsheets_with_last_rendering(user)
        .select_related("programme", "umbrella")
        .order_by("title")
    )
    return {
        "programmes": programmes,
        "status_counts": [{"label": s.label, "count": n} for s, n in by_status.items()],
        "factsheets": factsheets,
        "factsheets_url": optional_url("reports:list"),
    }


def _administrator(user):
    users = get_user_model().objects.filter(is_active=True)
    return {
        "user_count": users.count(),
        "users_without_role": users.filter(groups=None, is_superuser=False).count(),
        "programme_count": programmes_visible_to(user).count(),
        "participant_count": participants_visible_to(user).count(),
        "application_count": applications_visible_to(user).count(),
        "scheme_count": active_schemes().count(),
    }
