"""The one way an application changes status: lock its row, check the move is allowed, save,
audit (who, when, from, to, reason).

Every lifecycle function (subsidies.lifecycle, subsidies.allocation, subsidies.review) goes
through :func:`transition`, so a status can never change unaudited or from a state the Awb
lifecycle does not allow. A repeated call that finds the application already in the target
state returns it unchanged (idempotent: a double click, a retried request).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from regioportal.audit import record
from regioportal.models import AuditAction

from .enums import ApplicationStatus
from .models import Application

S = ApplicationStatus

# From which statuses each status may be reached.
ALLOWED = {
    S.incomplete: {S.received, S.in_review},
    S.received: set(),
    S.in_review: {S.received, S.incomplete},
    S.advised: {S.in_review},
    S.granted: {S.received, S.in_review, S.advised},
    S.rejected: {S.received, S.incomplete, S.in_review, S.advised},
    S.not_considered: {S.incomplete},
    S.withdrawn: {S.received, S.incomplete, S.in_review, S.advised},
    S.advance_paid: {S.granted},
    S.accountability: {S.granted, S.advance_paid},
    S.settled: {S.accountability},
}


class TransitionError(Exception):
    """A move the lifecycle does not allow. ``message`` is Dutch, for the page."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Result:
    application: Application
    changed: bool


def lock(application):
    """The application's row, locked until the transaction ends, fresh from the database."""
    return Application.objects.select_for_update().get(pk=application.pk)


def transition(application, to, *, by, reason="", changes=None, allowed_from=None, **fields):
    """Move ``application`` to status ``to`` and set ``fields`` on it, under a row lock.

    Returns a :class:`Result`; ``changed`` is False when the application already had status
    ``to`` (nothing saved, nothing audited). Raises :class:`TransitionError` for a move the
    lifecycle does not allow. Must run inside ``transaction.atomic``; callers check who may
    act (subsidies.rules) before calling."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic().")
    to = S(to)
    current = lock(application)
    if current.status == to:
        return Result(current, changed=False)
    allowed = ALLOWED[to] if allowed_from is None else set(allowed_from)
    if current.status not in allowed:
        raise TransitionError(
            _("Een aanvraag met status “%(current)s” kan niet naar “%(to)s”.")
            % {"current": current.get_status_display(), "to": to.label}
        )
    before = current.status
    current.status = to
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=["status", "updated_at", *fields])
    record(
        actor=by,
        obj=current,
        action=AuditAction.status,
        changes={"status": [before, to.value], **(changes or {})},
        reason=reason,
    )
    return Result(current, changed=True)
