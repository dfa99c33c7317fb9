"""The Awb lifecycle of an application after receipt: one function per step.

Each function checks who may act (subsidies.rules, also when a view already did), runs in one
transaction under a row lock on the application, changes the status through
:func:`subsidies.transitions.transition` (which audits who, when, from, to and why) and
records every other write on the application's audit trail too. A repeated call that finds
the application already where the call would bring it changes nothing (a double click, a
retried request).

Errors the page shows:
- :class:`~subsidies.transitions.TransitionError`: the step is not possible in the current
  state (a Dutch message);
- ``ValidationError`` keyed by the field at fault (``requested_on``, ``amount``, …, the names
  of the forms in subsidies.forms_lifecycle): a date or amount that cannot be right;
- ``PermissionDenied``: the user may not handle (or decide on) the application.

Granting and rejecting are subsidies.allocation's; this module takes the application before
and after that decision.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from regioportal.audit import entries_for, plain, record
from regioportal.models import AuditAction
from regioportal.templatetags.portal import euro as _euro

from . import deadlines
from .enums import ApplicationStatus, DecisionOutcome, ObjectionOutcome, PaymentKind
from .models import Decision, Objection, Payment
from .rules import require
from .signals import decision_made
from .transitions import TransitionError, lock, transition

S = ApplicationStatus

# Where a completed application goes back to: the status it had when the completion was
# requested (see ALLOWED[S.incomplete] in subsidies.transitions).
RESUMABLE = (S.received, S.in_review)
NOTHING = Decimal("0.00")


# --- helpers ------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _date(value):
    return formats.date_format(value, "j F Y")


def _refuse_closed(application):
    if application.status in S.closed():
        raise TransitionError(
            _(
                "Deze aanvraag is afgesloten (status “%(status)s”): er kan niets meer aan "
                "worden gewijzigd."
            )
            % {"status": application.get_status_display()}
        )


def _check_day(day, *, field, not_before=None, not_before_message=""):
    """A date the user gave for something that happened: not in the future, and not before
    ``not_before`` (checked before any arithmetic on it: 9999-12-31 plus six weeks overflows)."""
    if day > _today():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: not_before_message % {"date": _date(not_before)}})


def _require_reason(reason, *, field, message):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: message})
    return reason


def paid_total(application):
    """What was paid on the application: advances and settlement payments less reclaims."""
    totals = Payment.objects.filter(application=application).aggregate(
        paid=Sum("amount", filter=~Q(kind=PaymentKind.reclaim)),
        reclaimed=Sum("amount", filter=Q(kind=PaymentKind.reclaim)),
    )
    return (totals["paid"] or NOTHING) - (totals["reclaimed"] or NOTHING)


def _status_before_incomplete(application):
    """The status the application had when its completion was requested, from its audit
    trail; ``ontvangen`` when the trail does not tell."""
    entry = (
        entries_for(application)
        .filter(action=AuditAction.status, changes__status__1=S.incomplete.value)
        .order_by("-at", "-id")
        .first()
    )
    before = entry.changes["status"][0] if entry else None
    return S(before) if before in RESUMABLE else S.received


# --- completeness (Awb 4:5, 4:15) ---------------------------------------------------------


def request_completion(application, *, by, reason, requested_on=None):
    """ontvangen / in beoordeling → onvolledig: the applicant is asked to complete the
    application within the scheme's hersteltermijn (``Scheme.completion_weeks``).

    Effects: ``incomplete_since`` = ``requested_on`` (default today), ``completion_deadline``
    = the end of the hersteltermijn on a working day; audited with ``reason`` (what is
    missing). From the day after the request the beslistermijn is suspended (Awb 4:15)."""
    require(by, "subsidies.handle_application", application)
    reason = _require_reason(
        reason, field="reason", message=_("Vul in wat er aan de aanvraag ontbreekt.")
    )
    requested_on = requested_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.incomplete:
            return current
        _refuse_closed(current)
        _check_day(
            requested_on,
            field="requested_on",
            not_before=current.received_on,
            not_before_message=_("Deze datum ligt vóór de ontvangst van de aanvraag (%(date)s)."),
        )
        deadline = deadlines.completion_deadline(
            requested_on, weeks=current.scheme.completion_weeks
        )
        result = transition(
            current,
            S.incomplete,
            by=by,
            reason=reason,
            changes={
                "incomplete_since": [None, plain(requested_on)],
                "completion_deadline": [None, plain(deadline)],
            },
            incomplete_since=requested_on,
            completion_deadline=deadline,
        )
    return result.application


def receive_completion(application, *, by, completed_on=None):
    """onvolledig → the status it had before (ontvangen or in beoordeling): the completion
    arrived on ``completed_on`` (default today).

    Effects: the days of suspension are added to ``paused_days`` and the ``decision_deadline``
    is computed anew from the date of receipt with all suspensions; ``incomplete_since`` and
    ``completion_deadline`` are cleared (the audit entry keeps them). The suspension ends on
    the day the completion arrived, or on the last day of the hersteltermijn when it arrives
    later (Awb 4:15(1)(a): "of de daarvoor gestelde termijn ongebruikt is verstreken")."""
    require(by, "subsidies.handle_application", application)
    completed_on = completed_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status in RESUMABLE:
            return current
        _refuse_closed(current)
        if current.status != S.incomplete:
            raise TransitionError(
                _("Een aanvulling kan alleen worden vastgelegd voor een onvolledige aanvraag.")
            )
        requested_on = current.incomplete_since or current.received_on
        _check_day(
            completed_on,
            field="completed_on",
            not_before=requested_on,
            not_before_message=_(
                "De aanvulling kan niet vóór het verzoek (%(date)s) zijn ontvangen."
            ),
        )
        pause_ends = completed_on
        if current.completion_deadline and current.completion_deadline < completed_on:
            pause_ends = current.completion_deadline
        paused = current.paused_days + deadlines.paused_days(requested_on, pause_ends)
        decision_deadline = deadlines.decision_deadline(
            current.received_on, weeks=current.scheme.decision_weeks, paused=paused
        )
        result = transition(
            current,
            _status_before_incomplete(current),
            by=by,
            allowed_from={S.incomplete},
            changes={
                "completed_on": [None, plain(completed_on)],
                "paused_days": [current.paused_days, paused],
                "decision_deadline": [
                    plain(current.decision_deadline),
                    plain(decision_deadline),
                ],
                "incomplete_since": [plain(current.incomplete_since), None],
                "completion_deadline": [plain(current.completion_deadline), None],
            },
            paused_days=paused,
            decision_deadline=decision_deadline,
            incomplete_since=None,
            completion_deadline=None,
        )
    return result.application


def not_consider(application, *, by, decided_on=None, motivation=""):
    """onvolledig → buiten behandeling, after the hersteltermijn lapsed unused (Awb 4:5).

    Effects: a Decision "buiten behandeling gesteld" of ``decided_on`` (default today) by
    ``by``; the application's ``decided_on``; ``decision_made`` is sent (the letter). A
    decision: four eyes apply (subsidies.decide). Returns the Decision."""
    require(by, "subsidies.decide", application)
    decided_on = decided_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.not_considered:
            return current.decisions.filter(outcome=DecisionOutcome.not_considered).first()
        _refuse_closed(current)
        if current.status != S.incomplete:
            raise TransitionError(
                _("Alleen een onvolledige aanvraag kan buiten behandeling worden gesteld.")
            )
        _check_day(
            decided_on,
            field="decided_on",
            not_before=current.incomplete_since,
            not_before_message=_("Deze datum ligt vóór het verzoek om aanvulling (%(date)s)."),
        )
        if current.completion_deadline and decided_on <= current.completion_deadline:
            raise TransitionError(
                _(
                    "De hersteltermijn loopt tot en met %(date)s; pas daarna kan de aanvraag "
                    "buiten behandeling worden gesteld."
                )
                % {"date": _date(current.completion_deadline)}
            )
        decision = Decision.objects.create(
            application=current,
            outcome=DecisionOutcome.not_considered,
            decided_on=decided_on,
            decided_by=by,
            **deadlines.decision_dates(decided_on),
            motivation=motivation,
        )
        transition(
            current,
            S.not_considered,
            by=by,
            reason=motivation,
            changes={"decided_on": [None, plain(decided_on)]},
            decided_on=decided_on,
            objection_deadline=deadlines.objection_deadline(decided_on),
        )
        decision_made.send(sender=Decision, decision=decision, by=by)
    return decision


def withdraw(application, *, by, reason, withdrawn_on=None):
    """Any open status → ingetrokken, at the applicant's request (received on
    ``withdrawn_on``, default today). ``reason`` is required; audited."""
    require(by, "subsidies.handle_application", application)
    reason = _require_reason(
        reason, field="reason", message=_("Vul de reden van de intrekking in.")
    )
    withdrawn_on = withdrawn_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.withdrawn:
            return current
        _refuse_closed(current)
        if current.status not in S.open():
            raise TransitionError(
                _(
                    "Over deze aanvraag is al besloten (status “%(status)s”); alleen een aanvraag "
                    "in behandeling kan worden ingetrokken."
                )
                % {"status": current.get_status_display()}
            )
        _check_day(
            withdrawn_on,
            field="withdrawn_on",
            not_before=current.received_on,
            not_before_message=_("Deze datum ligt vóór de ontvangst van de aanvraag (%(date)s)."),
        )
        result = transition(
            current,
            S.withdrawn,
            by=by,
            reason=reason,
            changes={"withdrawn_on": [None, plain(withdrawn_on)]},
        )
    return result.application


# --- review -------------------------------------------------------------------------------


def start_review(application, *, by):
    """ontvangen → in beoordeling. An incomplete application first needs its completion
    (:func:`receive_completion`), which accounts for the suspension."""
    require(by, "subsidies.handle_application", application)
    with transaction.atomic():
        current = lock(application)
        if current.status == S.incomplete:
            raise TransitionError(
                _("De aanvraag is onvolledig: leg eerst vast dat de aanvulling is ontvangen.")
            )
        _refuse_closed(current)
        result = transition(current, S.in_review, by=by, allowed_from={S.received})
    return result.application


def record_advice(application, *, by, note=""):
    """in beoordeling → advies: the assessment is done and the advice is ready for the
    decision. ``note`` is kept on the audit entry."""
    require(by, "subsidies.handle_application", application)
    with transaction.atomic():
        current = lock(application)
        _refuse_closed(current)
        result = transition(current, S.advised, by=by, reason=note)
    return result.application


# --- after the grant ----------------------------------------------------------------------


def pay_advance(application, *, by, amount, paid_on=None, note=""):
    """verleend → voorschot betaald, with a Payment "voorschot" of ``amount`` paid on
    ``paid_on`` (default today). Further advances are recorded without a change of status.
    What was paid in total never exceeds the granted amount.

    A second advance of the same amount on the same day is taken for a repeated request and
    returns the first one. Returns the Payment."""
    require(by, "subsidies.handle_application", application)
    paid_on = paid_on or _today()
    with transaction.atomic():
        # The row lock also serialises two advances paid at the same moment.
        current = lock(application)
        if current.status not in (S.granted, S.advance_paid):
            _refuse_closed(current)
            raise TransitionError(
                _(
                    "Een voorschot kan alleen worden betaald op een verleende subsidie; deze "
                    "aanvraag heeft status “%(status)s”."
                )
                % {"status": current.get_status_display()}
            )
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("Vul een bedrag groter dan nul in.")})
        _check_day(
            paid_on,
            field="paid_on",
            not_before=current.decided_on,
            not_before_message=_("Deze datum ligt vóór het besluit tot verlening (%(date)s)."),
        )
        repeated = Payment.objects.filter(
            application=current, kind=PaymentKind.advance, amount=amount, paid_on=paid_on
        ).first()
        if repeated is not None:
            return repeated
        paid = paid_total(current)
        if paid + amount > current.granted_amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Het totaal betaalde komt dan boven het verleende bedrag (%(granted)s). "
                        "Er kan nog ten hoogste %(left)s worden betaald."
                    )
                    % {
                        "granted": _euro(current.granted_amount),
                        "left": _euro(current.granted_amount - paid),
                    }
                }
            )
        payment = Payment.objects.create(
            application=current,
            kind=PaymentKind.advance,
            amount=amount,
            paid_on=paid_on,
            note=note[:200],
        )
        changes = {
            "advance": [None, plain(amount)],
            "paid_on": [None, plain(paid_on)],
            "paid_total": [plain(paid), plain(paid + amount)],
        }
        result = transition(current, S.advance_paid, by=by, reason=note, changes=changes)
        if not result.changed:
            record(actor=by, obj=current, action=AuditAction.update, changes=changes, reason=note)
    return payment


def receive_accountability(application, *, by, received_on=None):
    """verleend / voorschot betaald → verantwoording: the applicant's account of the
    activities and costs arrived on ``received_on`` (default today)."""
    require(by, "subsidies.handle_application", application)
    received_on = received_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.accountability:
            return current
        _refuse_closed(current)
        if current.status not in (S.granted, S.advance_paid):
            raise TransitionError(
                _(
                    "Een verantwoording hoort bij een verleende subsidie; deze aanvraag heeft "
                    "status “%(status)s”."
                )
                % {"status": current.get_status_display()}
            )
        _check_day(
            received_on,
            field="received_on",
            not_before=current.decided_on,
            not_before_message=_("Deze datum ligt vóór het besluit tot verlening (%(date)s)."),
        )
        result = transition(
            current,
            S.accountability,
            by=by,
            changes={"accountability_received_on": [None, plain(received_on)]},
        )
    return result.application


def settle(application, *, by, amount, settled_on=None, motivation=""):
    """verantwoording → vastgesteld: the subsidy is settled at ``amount`` (at most the
    granted amount) on ``settled_on`` (default today).

    Effects: ``settled_amount`` and ``settled_on`` on the application; a Decision
    "vastgesteld"; a Payment "terugvordering" of the difference when less was settled than
    was paid, or "vaststelling" of the rest when more; ``decision_made`` is sent. A decision:
    four eyes apply (subsidies.decide). Returns the Decision."""
    require(by, "subsidies.decide", application)
    settled_on = settled_on or _today()
    with transaction.atomic():
        current = lock(application)
        if current.status == S.settled:
            return current.decisions.filter(outcome=DecisionOutcome.settled).first()
        _refuse_closed(current)
        if current.status != S.accountability:
            raise TransitionError(
                _(
                    "Een subsidie wordt vastgesteld na ontvangst van de verantwoording; deze "
                    "aanvraag heeft status “%(status)s”."
                )
                % {"status": current.get_status_display()}
            )
        if amount is None or amount < 0:
            raise ValidationError({"amount": _("Vul een bedrag van nul of meer in.")})
        if amount > current.granted_amount:
            raise ValidationError(
                {
                    "amount": _("Het vastgestelde bedrag is hoger dan het verleende (%(granted)s).")
                    % {"granted": _euro(current.granted_amount)}
                }
            )
        _check_day(
            settled_on,
            field="settled_on",
            not_before=current.decided_on,
            not_before_message=_("Deze datum ligt vóór het besluit tot verlening (%(date)s)."),
        )
        paid = paid_total(current)
        decision = Decision.objects.create(
            application=current,
            outcome=DecisionOutcome.settled,
            amount=amount,
            decided_on=settled_on,
            decided_by=by,
            **deadlines.decision_dates(settled_on),
            motivation=motivation,
        )
        changes = {
            "settled_amount": [None, plain(amount)],
            "settled_on": [None, plain(settled_on)],
        }
        if amount != paid:
            kind = PaymentKind.reclaim if amount < paid else PaymentKind.settlement
            Payment.objects.create(
                application=current,
                kind=kind,
                amount=abs(paid - amount),
                paid_on=settled_on,
                note=_("Na vaststelling"),
            )
            changes[kind.value] = [None, plain(abs(paid - amount))]
        transition(
            current,
            S.settled,
            by=by,
            reason=motivation,
            changes=changes,
            settled_amount=amount,
            settled_on=settled_on,
        )
        decision_made.send(sender=Decision, decision=decision, by=by)
    return decision


# --- decisions and objections (Awb 6:7, 6:8) ----------------------------------------------


def send_decision(decision, *, by, sent_on=None, effective_on=None):
    """Record that ``decision`` was sent on ``sent_on`` (default today): the verzenddatum,
    the ingangsdatum (default the date of the decision) and the end of the six-week
    bezwaartermijn (uiterlijke reactiedatum), on the decision and on the application.
    Returns the Decision."""
    application = decision.application
    require(by, "subsidies.handle_application", application)
    sent_on = sent_on or _today()
    with transaction.atomic():
        current = lock(application)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.sent_on is not None:
            if decision.sent_on == sent_on:
                return decision
            raise TransitionError(
                _("Dit besluit is al verzonden op %(date)s.") % {"date": _date(decision.sent_on)}
            )
        _check_day(
            sent_on,
            field="sent_on",
            not_before=decision.decided_on,
            not_before_message=_(
                "Een besluit kan niet vóór de datum van het besluit (%(date)s) zijn verzonden."
            ),
        )
        decision.sent_on = sent_on
        decision.effective_on = effective_on or decision.effective_on or decision.decided_on
        decision.objection_deadline = deadlines.objection_deadline(sent_on)
        decision.save(update_fields=["sent_on", "effective_on", "objection_deadline"])
        before = current.objection_deadline
        if before is None or before < decision.objection_deadline:
            current.objection_deadline = decision.objection_deadline
            current.save(update_fields=["objection_deadline", "updated_at"])
        record(
            actor=by,
            obj=current,
            action=AuditAction.update,
            changes={
                "decision": [
                    None,
                    f"{decision.get_outcome_display()} {plain(decision.decided_on)}",
                ],
                "sent_on": [None, plain(sent_on)],
                "effective_on": [None, plain(decision.effective_on)],
                "objection_deadline": [plain(before), plain(current.objection_deadline)],
            },
        )
    return decision


def register_objection(decision, *, by, received_on, grounds=""):
    """Register a bezwaar against ``decision`` received on ``received_on``. Refused when the
    decision was never sent or the objection came after the bezwaartermijn. The same
    objection registered twice is kept once. Returns the Objection."""
    application = decision.application
    require(by, "subsidies.handle_application", application)
    with transaction.atomic():
        current = lock(application)
        decision = Decision.objects.get(pk=decision.pk)
        if decision.sent_on is None or decision.objection_deadline is None:
            raise TransitionError(
                _(
                    "Dit besluit is nog niet verzonden; leg eerst de verzending vast. De "
                    "bezwaartermijn begint na de verzending."
                )
            )
        _check_day(
            received_on,
            field="received_on",
            not_before=decision.decided_on,
            not_before_message=_(
                "Het bezwaar kan niet vóór het besluit (%(date)s) zijn ontvangen."
            ),
        )
        if received_on > decision.objection_deadline:
            raise TransitionError(
                _(
                    "De bezwaartermijn van dit besluit eindigde op %(date)s; een later ontvangen "
                    "bezwaar kan niet worden geregistreerd."
                )
                % {"date": _date(decision.objection_deadline)}
            )
        grounds = (grounds or "").strip()
        objection = Objection.objects.filter(
            decision=decision, received_on=received_on, grounds=grounds
        ).first()
        if objection is not None:
            return objection
        objection = Objection.objects.create(
            application=current,
            decision=decision,
            received_on=received_on,
            grounds=grounds,
            registered_by=by,
        )
        record(
            actor=by,
            obj=current,
            action=AuditAction.create,
            changes={
                "objection": [None, plain(received_on)],
                "decision": [
                    None,
                    f"{decision.get_outcome_display()} {plain(decision.decided_on)}",
                ],
            },
            reason=grounds,
        )
    return objection


def decide_objection(objection, *, by, outcome, decided_on=None, note=""):
    """Record the beslissing op bezwaar: ``outcome`` (gegrond, ongegrond, niet ontvankelijk,
    ingetrokken) on ``decided_on`` (default today), with ``note`` on the audit entry. A
    well-founded objection against a rejection is then granted by the officer through
    subsidies.allocation (``grant(..., on_objection=True)``). Returns the Objection."""
    application = objection.application
    require(by, "subsidies.decide", application)
    decided_on = decided_on or _today()
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Kies een beslissing op het bezwaar.")})
    outcome = ObjectionOutcome(outcome)
    with transaction.atomic():
        current = lock(application)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome:
            if objection.outcome == outcome:
                return objection
            raise TransitionError(
                _("Op dit bezwaar is al beslist: %(outcome)s.")
                % {"outcome": objection.get_outcome_display().lower()}
            )
        _check_day(
            decided_on,
            field="decided_on",
            not_before=objection.received_on,
            not_before_message=_("Deze datum ligt vóór de ontvangst van het bezwaar (%(date)s)."),
        )
        objection.outcome = outcome
        objection.decided_on = decided_on
        objection.save(update_fields=["outcome", "decided_on"])
        record(
            actor=by,
            obj=current,
            action=AuditAction.update,
            changes={
                "objection": [None, plain(objection.received_on)],
                "objection_outcome": ["", outcome.value],
                "objection_decided_on": [None, plain(decided_on)],
            },
            reason=note,
        )
    return objection
