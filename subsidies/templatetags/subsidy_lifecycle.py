"""``{% lifecycle_panel application request.user as panel %}``: what the lifecycle panel on
the application page shows (subsidies/_lifecycle_actions.html): the deadlines with their
state today and the steps the user may take now, each with its URL."""

import datetime
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subsidies import deadlines, lifecycle
from subsidies.enums import ApplicationStatus
from subsidies.views_lifecycle import steps_on_offer

register = template.Library()

S = ApplicationStatus


@dataclass(frozen=True)
class Term:
    """A deadline and how it stands today: ``state`` is "overdue", "soon" (within
    DUE_SOON_DAYS), "running" or "paused"; ``label`` says so in words."""

    ends_on: datetime.date | None
    state: str
    label: str = ""


def term(ends_on, today):
    if ends_on < today:
        return Term(ends_on, "overdue", _("verstreken"))
    if ends_on <= today + datetime.timedelta(days=deadlines.DUE_SOON_DAYS):
        return Term(ends_on, "soon", _("binnen 7 dagen"))
    return Term(ends_on, "running")


@dataclass(frozen=True)
class Action:
    step: object
    url: str


def _actions(user, application, subject, *, today, paid, checked, **kwargs):
    return [
        Action(
            step,
            reverse(
                f"subsidies:{step.name}",
                kwargs={"reference": application.reference, **kwargs},
            ),
        )
        for step in steps_on_offer(
            user, application, subject, today=today, paid=paid, checked=checked
        )
    ]


@register.simple_tag
def lifecycle_panel(application, user, today=None):
    """The panel's content for ``user``: ``decision_term``, ``completion_term``,
    ``objection_term`` (None when they do not apply), ``paid`` (for a granted application),
    ``actions`` on the application, and ``decisions`` and ``objections`` each with their own
    ``actions``. Four queries at most: decisions, objections, payments, and whether the user
    reviewed the application (four eyes) when a step needs a decision."""
    today = today or timezone.localdate()
    paid = lifecycle.paid_total(application) if application.status in S.granted_group() else None
    state = deadlines.deadline_state(application, today)
    if state == deadlines.DeadlineState.paused:
        decision_term = Term(None, "paused", _("opgeschort"))
    elif state == deadlines.DeadlineState.none:
        decision_term = None
    else:
        decision_term = term(application.decision_deadline, today)
    completion_term = None
    if application.status == S.incomplete and application.completion_deadline:
        completion_term = term(application.completion_deadline, today)
    objection_term = None
    if application.objection_deadline:
        objection_term = term(application.objection_deadline, today)
    context = {"today": today, "paid": paid, "checked": {}}
    decisions = [
        (decision, _actions(user, application, decision, **context, pk=decision.pk))
        for decision in application.decisions.order_by("decided_on", "id")
    ]
    objections = [
        (
            objection,
            _actions(user, application, objection, **context, pk=objection.pk),
        )
        for objection in application.objections.select_related("decision").order_by(
            "received_on", "id"
        )
    ]
    return {
        "today": today,
        "decision_term": decision_term,
        "completion_term": completion_term,
        "objection_term": objection_term,
        "paid": paid,
        "actions": _actions(user, application, None, **context),
        "decisions": decisions,
        "objections": objections,
    }
