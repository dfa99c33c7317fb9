"""Decision letters (beschikkingen): the PDF of every decision on an application, made by
Celery through the reports PDF pipeline and kept unchanged.

- A decision is made (subsidies.signals.decision_made) → once the deciding transaction has
  committed, :func:`request_letter` queues its letter (a DecisionLetter, one RenderJob) on the
  ``pdf`` queue (subsidies.tasks.render_decision_letter).
- The task claims the letter (reports.services.claim_job), renders
  ``subsidies/letter_pdf.html`` with ``static/css/letter.css`` (:func:`produce_letter`) and
  stores the file with its SHA-256 (reports.services.store_pdf).
- A ready letter is never made again: its file is the beschikking as it was sent. A corrected
  decision (Decision.supersedes) is a decision of its own and gets a letter of its own; the
  old decision keeps its letter.
- A letter whose worker was lost is re-queued by the PDF sweeper
  (reports.services.sweep_stuck_jobs); one that failed can be asked for again.
"""

import hashlib
import json
import logging
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.utils.text import get_valid_filename

from regioportal import audit
from regioportal.models import AuditAction
from reports import rendering, services
from reports.models import RenderStatus

from . import deadlines
from .enums import AllocationMethod, DecisionOutcome, PaymentKind
from .models import Decision, DecisionLetter
from .rules import can, require
from .selectors import applications_visible_to
from .signals import decision_made

logger = logging.getLogger(__name__)

TEMPLATE = "subsidies/letter_pdf.html"
STYLESHEET = "css/letter.css"
# A letter is one or two pages: far below a factsheet's limits.
SOFT_TIME_LIMIT = 60
TIME_LIMIT = 90
# Letters that exist or will: a decision with one of these is not given another.
LIVE_STATUSES = [*RenderStatus.pending(), RenderStatus.ready]


def _enqueue(letter):
    from . import tasks

    tasks.render_decision_letter.apply_async(
        kwargs={"letter_id": letter.pk}, task_id=letter.task_id
    )


services.register_job_model(DecisionLetter, enqueue=_enqueue, time_limit=TIME_LIMIT)


@receiver(decision_made, dispatch_uid="subsidies.letters.request_on_decision")
def _decision_made(sender, decision, by=None, **kwargs):
    # After the commit: the task must find the decision, and a decision rolled back has no
    # letter. robust: the decision stands even when queueing its letter fails (the letter can
    # be asked for from the application page).
    transaction.on_commit(lambda: request_letter(decision, by=by), robust=True)


def request_letter(decision, *, by):
    """Ask for the beschikking PDF of ``decision`` and return its letter:

    - the letter that is queued, being made or ready (one letter per decision: a ready
      letter is never replaced, and two requests are one job);
    - otherwise (no letter yet, or only failed ones) a new queued letter, its task sent to the
      ``pdf`` queue once the transaction commits, audited on the application.

    Rule: subsidies.handle_application."""
    require(by, "subsidies.handle_application", decision.application)
    with transaction.atomic():
        # The decision's row lock serialises requests for its letter: the second waits for
        # the first to commit, then finds its letter (the partial unique constraint
        # one_pending_letter_per_decision backs this up).
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        letter = decision.letters.filter(status__in=LIVE_STATUSES).order_by("-id").first()
        if letter is not None:
            return letter
        letter = DecisionLetter.objects.create(
            decision=decision, requested_by=by, task_id=str(uuid.uuid4())
        )
        transaction.on_commit(lambda: _enqueue(letter))
        audit.record(
            actor=by,
            obj=decision.application,
            action=AuditAction.create,
            changes={"beschikking": [None, letter.pk]},
            reason=f"Beschikking (pdf) aangevraagd: {decision.get_outcome_display()}",
        )
    return letter


def letters_visible_to(user):
    """The letters of the applications ``user`` may see (subsidies.selectors)."""
    return DecisionLetter.objects.filter(decision__application__in=applications_visible_to(user))


def letters_for(application):
    """The letters of the application's decisions, newest first, with their decisions."""
    return (
        DecisionLetter.objects.filter(decision__application=application)
        .select_related("decision__supersedes")
        .order_by("-requested_at", "-id")
    )


def letters_overview(application, user):
    """What the application page shows about its letters: ``letters`` (newest first),
    ``without_letter`` (decisions with no letter queued, being made or ready: one that
    failed, or whose request was lost) and ``can_request`` (whether ``user`` may ask for
    them). Two queries, and the user's handled schemes once per request."""
    letters = list(letters_for(application))
    live = {letter.decision_id for letter in letters if letter.status in LIVE_STATUSES}
    failed = {letter.decision_id for letter in letters if letter.status == RenderStatus.failed}
    without_letter = [
        decision
        for decision in application.decisions.order_by("-decided_on", "-id")
        if decision.pk not in live
    ]
    for decision in without_letter:
        decision.letter_failed = decision.pk in failed
    return {
        "letters": letters,
        "without_letter": without_letter,
        "can_request": can(user, "subsidies.handle_application", application),
    }


# --- the letter's content ---------------------------------------------------------------------


def letter_date(decision):
    """The date on the letter: the verzenddatum once known, else the day of the decision."""
    return decision.sent_on or decision.decided_on


def objection_deadline(decision):
    """The last day of the bezwaartermijn: as recorded on the decision, else six weeks from
    the letter's date (Awb 6:7, moved to a working day by the Algemene termijnenwet)."""
    return decision.objection_deadline or deadlines.objection_deadline(letter_date(decision))


def letter_content(decision):
    """Everything the letter says, as plain values (the template formats them): its content
    hash is the hash of this."""
    application = decision.application
    organisation = application.applicant
    advances = to_pay = to_reclaim = None
    if decision.outcome == DecisionOutcome.settled and decision.amount is not None:
        # What was paid in advance against the final amount: the rest is paid, or reclaimed.
        advances = application.payments.filter(kind=PaymentKind.advance).aggregate(
            total=Sum("amount")
        )["total"] or Decimal(0)
        to_pay = max(decision.amount - advances, 0)
        to_reclaim = max(advances - decision.amount, 0)
    signer = decision.decided_by
    previous = decision.supersedes
    return {
        "reference": application.reference,
        "date": letter_date(decision),
        "received_on": application.received_on,
        "applicant": organisation.name,
        "municipality": organisation.municipality.name if organisation.municipality else "",
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "title": application.title,
        "scheme": application.scheme.name,
        "tender": application.tender.name if application.tender else "",
        "first_come": application.scheme.allocation_method == AllocationMethod.first_come,
        "requested_amount": application.requested_amount,
        "granted_amount": application.granted_amount,
        "outcome": decision.outcome,
        "amount": decision.amount,
        "reason": decision.reason,
        "completion_deadline": application.completion_deadline,
        "advances": advances,
        "to_pay": to_pay,
        "to_reclaim": to_reclaim,
        "motivation": [p.strip() for p in decision.motivation.split("\n\n") if p.strip()],
        "effective_on": decision.effective_on or letter_date(decision),
        "objection_deadline": objection_deadline(decision),
        "supersedes": (
            {"date": previous.decided_on, "outcome": previous.get_outcome_display()}
            if previous
            else None
        ),
        "signer": (signer.get_full_name() or signer.get_username()) if signer else "",
    }


def content_hash(content):
    """The SHA-256 of the letter's content (not of the PDF file, which also holds the moment
    it was made)."""
    encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def pdf_title(content):
    return f"Beschikking {content['reference']}"


def render_letter(decision):
    """The decision's letter as a tagged A4 PDF (reports.rendering.RenderedPdf)."""
    content = letter_content(decision)
    return rendering.render_job_pdf(
        template_name=TEMPLATE,
        context={"letter": content, "outcomes": DecisionOutcome},
        title=pdf_title(content),
        content_hash=content_hash(content),
        stylesheet=STYLESHEET,
    )


def produce_letter(letter, *, task_id):
    """Render the claimed letter and store it (reports.services.store_pdf): a new file in
    ``letters/``, never over an older one. Returns whether it is ready."""
    decision = Decision.objects.select_related(
        "application__applicant__municipality",
        "application__scheme",
        "application__tender",
        "decided_by",
        "supersedes",
    ).get(pk=letter.decision_id)
    pdf = render_letter(decision)
    reference = get_valid_filename(decision.application.reference)
    name = f"beschikking-{reference}-{letter.pk}-{pdf.sha256[:12]}.pdf"
    return services.store_pdf(letter, pdf=pdf, name=name, task_id=task_id)


# --- downloads --------------------------------------------------------------------------------


def download_name(letter):
    """``beschikking-<reference>-<YYYY-MM-DD>.pdf``, with the date on the letter."""
    decision = letter.decision
    reference = get_valid_filename(decision.application.reference)
    return f"beschikking-{reference}-{letter_date(decision).isoformat()}.pdf"


def record_download(letter, *, by):
    audit.record(
        actor=by,
        obj=letter.decision.application,
        action=AuditAction.view,
        changes={"beschikking": [None, letter.pk]},
        reason="Beschikking (pdf) gedownload",
    )
