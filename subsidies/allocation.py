"""Deciding on applications against the subsidieplafond: granting, rejecting, the allocation
proposal of a tender and its confirmation, and changing a tender's ceiling.

Granting beyond the ceiling is unlawful (Awb 4:25(2)) and must be impossible, also when two
officers grant at the same moment. Every grant therefore

1. locks the row that guards the ceiling *first* (the tender, or for a grant outside tenders
   the scheme with its budget), then the application: all grants in a tender queue on the
   same row in the same order, so they neither deadlock nor both see the old total;
2. checks the new total against the ceiling minus the reserve kept for objections, under
   that lock, and refuses with a Dutch message that says what is left;
3. adds the amount to ``Tender.granted_total`` in the database (``granted_total + amount``),
   where the check constraint ``tender_granted_within_ceiling`` refuses any total above the
   ceiling: the last line should the lock ever be bypassed.

A grant on objection (Awb 4:25(3): decided against the ceiling as it stood at the original
decision) may use the reserve."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from regioportal.audit import record
from regioportal.models import AuditAction
from regioportal.templatetags.portal import euro

from . import deadlines
from .enums import AllocationMethod, ApplicationStatus, DecisionOutcome, RejectionReason
from .models import Application, Decision, Scheme, Tender
from .ranking import DECIDABLE, compute_ranking, receipt_key
from .rules import require
from .signals import decision_made
from .transitions import ALLOWED, TransitionError, lock, transition

S = ApplicationStatus


class CeilingExceeded(TransitionError):
    """A grant that would take the granted total beyond the ceiling (minus the reserve)."""


def _amount(value):
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"amount": _("Geef een bedrag in euro’s.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("Het bedrag moet groter zijn dan nul.")})
    return amount


def _latest(application, outcome):
    return (
        Decision.objects.filter(application=application, outcome=outcome)
        .order_by("-decided_on", "-id")
        .first()
    )


def ceiling_message(name, available, amount):
    return _(
        "Het subsidieplafond van %(name)s is bereikt: nog %(available)s beschikbaar, "
        "%(amount)s gevraagd."
    ) % {"name": name, "available": euro(max(available, 0)), "amount": euro(amount)}


def grant(application, *, amount, by, motivation="", decided_on=None, on_objection=False):
    """Grant ``amount`` to the application (verlening). Returns the Decision.

    Rule subsidies.decide (a handler of the scheme who did not review it). Refused with a
    :class:`CeilingExceeded` (Dutch message) when the tender's granted total plus ``amount``
    would pass its ceiling minus its reserve (on objection: its ceiling), or, outside tenders,
    the scheme's budget; with a ValidationError for an amount of nothing or above the request
    or the scheme's maximum; with a TransitionError from a status that cannot be granted.
    Granting an application that is already granted returns its decision (a double click).

    Effects, in one transaction: Tender.granted_total increased; the application to
    ``verleend`` with ``granted_amount`` and ``decided_on`` (audited); a Decision (verleend,
    amount, date, who, motivation); the signal ``decision_made`` (the beschikking)."""
    require(by, "subsidies.decide", application)
    amount = _amount(amount)
    decided_on = decided_on or timezone.localdate()
    allowed_from = set(ALLOWED[S.granted]) | ({S.rejected} if on_objection else set())
    with transaction.atomic():
        # The ceiling's row first, then the application (see the module's docstring).
        tender = scheme = None
        if application.tender_id:
            tender = Tender.objects.select_for_update().get(pk=application.tender_id)
        else:
            scheme = Scheme.objects.select_for_update().get(pk=application.scheme_id)
        current = lock(application)
        if current.status == S.granted:
            existing = _latest(current, DecisionOutcome.granted)
            if existing is not None:
                return existing
        if current.status not in allowed_from:
            raise TransitionError(
                _("Een aanvraag met status “%(status)s” kan niet worden verleend.")
                % {"status": current.get_status_display()}
            )
        if amount > current.requested_amount:
            raise ValidationError(
                {
                    "amount": _("Het bedrag is hoger dan het aangevraagde bedrag (%(requested)s).")
                    % {"requested": euro(current.requested_amount)}
                }
            )
        if scheme is not None:
            max_amount = scheme.max_amount
        else:
            max_amount = Scheme.objects.values_list("max_amount", flat=True).get(
                pk=current.scheme_id
            )
        if max_amount is not None and amount > max_amount:
            raise ValidationError(
                {
                    "amount": _("Het bedrag is hoger dan het maximum van de regeling (%(max)s).")
                    % {"max": euro(max_amount)}
                }
            )
        if tender is not None:
            _charge_tender(tender, amount, on_objection=on_objection, by=by, reference=current)
        else:
            _check_scheme_budget(scheme, amount)
        result = transition(
            current,
            S.granted,
            by=by,
            reason=motivation,
            changes={"granted_amount": [_plain(current.granted_amount), str(amount)]},
            allowed_from=allowed_from,
            granted_amount=amount,
            decided_on=decided_on,
            objection_deadline=deadlines.objection_deadline(decided_on),
            rejection_reason="",
        )
        decision = Decision.objects.create(
            application=result.application,
            outcome=DecisionOutcome.granted,
            amount=amount,
            decided_on=decided_on,
            decided_by=by,
            **deadlines.decision_dates(decided_on),
            motivation=motivation,
        )
        decision_made.send(sender=Decision, decision=decision, by=by)
    return decision


def _charge_tender(tender, amount, *, on_objection, by, reference):
    limit = tender.ceiling if on_objection else tender.ceiling - tender.reserve
    available = limit - tender.granted_total
    if amount > available:
        message = ceiling_message(tender.name, available, amount)
        if tender.reserve and not on_objection:
            message += " " + _(
                "Daarnaast is %(reserve)s gereserveerd voor subsidies die in bezwaar worden "
                "verleend."
            ) % {"reserve": euro(tender.reserve)}
        raise CeilingExceeded(message)
    # An expression, not a value computed here: the database adds to the total it holds, and
    # its check constraint refuses a total above the ceiling.
    Tender.objects.filter(pk=tender.pk).update(granted_total=F("granted_total") + amount)
    before = tender.granted_total
    tender.granted_total = before + amount
    record(
        actor=by,
        obj=tender,
        action=AuditAction.update,
        changes={"granted_total": [str(before), str(tender.granted_total)]},
        reason=_("Verlening %(reference)s") % {"reference": reference.reference},
    )


def scheme_granted_total(scheme):
    total = Application.objects.filter(scheme=scheme, status__in=S.granted_group()).aggregate(
        total=Sum("granted_amount")
    )["total"]
    return total or Decimal(0)


def _check_scheme_budget(scheme, amount):
    """Outside tenders the scheme's budget (if it has one) is the ceiling; the scheme's row is
    locked, so the sum read here stays true until the grant commits."""
    if scheme.budget is None:
        return
    available = scheme.budget - scheme_granted_total(scheme)
    if amount > available:
        raise CeilingExceeded(ceiling_message(scheme.name, available, amount))


def reject(application, *, reason, by, motivation="", decided_on=None):
    """Reject the application (afwijzing) for ``reason`` (a RejectionReason). Returns the
    Decision; rejecting an application that is already rejected returns its decision.

    Rule subsidies.decide. Effects: the application to ``afgewezen`` with its
    ``rejection_reason`` and ``decided_on`` (audited); a Decision (afgewezen, reason, date,
    who, motivation); the signal ``decision_made``."""
    require(by, "subsidies.decide", application)
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Kies een reden van afwijzing.")})
    decided_on = decided_on or timezone.localdate()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.rejected:
            existing = _latest(current, DecisionOutcome.rejected)
            if existing is not None:
                return existing
        result = transition(
            current,
            S.rejected,
            by=by,
            reason=motivation,
            changes={"rejection_reason": [current.rejection_reason or None, reason]},
            rejection_reason=reason,
            decided_on=decided_on,
            objection_deadline=deadlines.objection_deadline(decided_on),
        )
        decision = Decision.objects.create(
            application=result.application,
            outcome=DecisionOutcome.rejected,
            reason=reason,
            decided_on=decided_on,
            decided_by=by,
            **deadlines.decision_dates(decided_on),
            motivation=motivation,
        )
        decision_made.send(sender=Decision, decision=decision, by=by)
    return decision


# --- the proposal -------------------------------------------------------------------------


GRANT, REJECT, LOTTERY = "verlenen", "afwijzen", "loting"


@dataclass(eq=False)
class Proposal:
    """One proposed decision. ``action`` is GRANT, REJECT (with ``reason``) or LOTTERY (the
    tie at the cut-off must be drawn first: nothing to confirm yet)."""

    application: Application
    action: str
    amount: Decimal | None = None
    reason: str = ""
    motivation: str = ""
    position: int | None = None
    score: Decimal | None = None

    @property
    def confirmable(self):
        return self.action in (GRANT, REJECT)

    @property
    def reference(self):
        return self.application.reference


def allocation_proposal(tender):
    """The proposed decisions for the tender's undecided applications: down the ranking (or,
    first come first served, the order of receipt) grant each application that fits within
    the ceiling minus the reserve; the rest "plafond bereikt". At an unbroken tie at the
    cut-off the tied and everything below wait for the lottery. Eligible-or-not follows the
    reviews: an application below the minimums is proposed for rejection on substance; one
    without a submitted review gets no proposal yet."""
    return proposals_from(compute_ranking(tender))


def proposals_from(ranking):
    rows = []
    first_come = ranking.method == AllocationMethod.first_come
    for row in ranking.rows:
        if not row.decidable:
            continue
        common = {"position": row.position, "score": row.total}
        if row.fits is None:
            rows.append(Proposal(row.application, LOTTERY, **common))
        elif row.fits:
            motivation = (
                _(
                    "De aanvraag is op volgorde van binnenkomst behandeld en past binnen "
                    "het plafond."
                )
                if first_come
                else _(
                    "De aanvraag staat op plaats %(position)s in de rangschikking en past "
                    "binnen het subsidieplafond."
                )
                % {"position": row.position}
            )
            rows.append(
                Proposal(
                    row.application,
                    GRANT,
                    amount=row.application.requested_amount,
                    motivation=motivation,
                    **common,
                )
            )
        else:
            motivation = (
                _("Het subsidieplafond is bereikt.")
                if first_come
                else _("Het subsidieplafond is bereikt (plaats %(position)s in de rangschikking).")
                % {"position": row.position}
            )
            rows.append(
                Proposal(
                    row.application,
                    REJECT,
                    reason=RejectionReason.ceiling_reached,
                    motivation=motivation,
                    **common,
                )
            )
    for row in ranking.ineligible:
        if row.decidable and row.scores and row.scores["review_count"]:
            rows.append(
                Proposal(
                    row.application,
                    REJECT,
                    reason=RejectionReason.substantive,
                    motivation=" ".join(str(reason) for reason in row.scores["reasons"]),
                    score=row.total,
                )
            )
    return rows


def scheme_allocation_proposal(scheme):
    """First come, first served outside tenders: the scheme's undecided applications without
    a tender in order of receipt, granted while the scheme's budget lasts."""
    applications = sorted(
        Application.objects.filter(scheme=scheme, tender=None, status__in=DECIDABLE),
        key=receipt_key,
    )
    remaining = None
    if scheme.budget is not None:
        remaining = scheme.budget - scheme_granted_total(scheme)
    rows, stopped = [], False
    for position, application in enumerate(applications, start=1):
        amount = application.requested_amount
        if not stopped and (remaining is None or amount <= remaining):
            if remaining is not None:
                remaining -= amount
            rows.append(
                Proposal(
                    application,
                    GRANT,
                    amount=amount,
                    position=position,
                    motivation=_(
                        "De aanvraag is op volgorde van binnenkomst behandeld en past binnen "
                        "het budget van de regeling."
                    ),
                )
            )
        else:
            stopped = True
            rows.append(
                Proposal(
                    application,
                    REJECT,
                    reason=RejectionReason.ceiling_reached,
                    position=position,
                    motivation=_("Het budget van de regeling is bereikt."),
                )
            )
    return rows


@dataclass(frozen=True)
class Confirmed:
    proposal: Proposal
    decision: Decision | None
    message: str

    @property
    def ok(self):
        return self.decision is not None


def confirm(rows, *, by, decided_on=None):
    """Take the proposed decisions, each in a transaction of its own: a row that is refused
    (the ceiling, a status, the four-eyes rule) leaves the others standing. Returns a
    :class:`Confirmed` per confirmable row, with a Dutch message."""
    results = []
    for row in rows:
        if not row.confirmable:
            continue
        reference = row.application.reference
        try:
            if row.action == GRANT:
                decision = grant(
                    row.application,
                    amount=row.amount,
                    by=by,
                    motivation=row.motivation,
                    decided_on=decided_on,
                )
                message = _("%(reference)s: verleend (%(amount)s).") % {
                    "reference": reference,
                    "amount": euro(decision.amount),
                }
            else:
                decision = reject(
                    row.application,
                    reason=row.reason,
                    by=by,
                    motivation=row.motivation,
                    decided_on=decided_on,
                )
                message = _("%(reference)s: afgewezen (%(reason)s).") % {
                    "reference": reference,
                    "reason": RejectionReason(row.reason).label,
                }
        except TransitionError as error:
            decision, message = None, f"{reference}: {error.message}"
        except ValidationError as error:
            decision, message = None, f"{reference}: {' '.join(error.messages)}"
        except PermissionDenied:
            decision = None
            message = _(
                "%(reference)s: u mag hierover niet besluiten (u heeft de aanvraag beoordeeld "
                "of behandelt de regeling niet)."
            ) % {"reference": reference}
        results.append(Confirmed(row, decision, message))
    return results


def _plain(value):
    return None if value is None else str(value)
