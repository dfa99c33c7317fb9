"""The recorded lottery that breaks a tie at a tender's cut-off.

1. A seed is drawn with :mod:`secrets` (32 random bytes, as 64 hex digits).
2. Its SHA-256 is stored with the tied applications (reference, title, score and amount, in
   the order before the draw), the budget left for them, who draws and when, and the method;
   that row is committed *before* the draw, so the outcome cannot be chosen afterwards.
3. The draw is a pure function of the seed and the references (:func:`draw`): each tied
   application gets SHA-256(seed + reference), and the order is by that digest, ascending.
   The seed and the order are stored, and every tied application gets its lottery number.

Anyone with the record can check it: SHA-256 of the seed equals the stored hash, and
``draw(seed, references)`` gives the stored order (:func:`verify`)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regioportal.audit import entry, record
from regioportal.models import AuditAction, AuditEntry

from .models import Application, Lottery, Tender
from .ranking import compute_ranking
from .rules import require
from .transitions import TransitionError

ALGORITHM = "sha256(seed + reference) ascending, v1"


def seed_hash(seed):
    return hashlib.sha256(seed.encode()).hexdigest()


def draw(seed, references):
    """The order of ``references`` drawn with ``seed``: ascending by the hexadecimal SHA-256
    of the seed followed by the reference (UTF-8). Deterministic: the same seed and
    references always give the same order, whatever order they are given in."""
    return sorted(
        references,
        key=lambda reference: (hashlib.sha256((seed + reference).encode()).hexdigest(), reference),
    )


def verify(lottery):
    """Whether a drawn lottery's seed matches its hash and re-running it gives its order."""
    if not lottery.seed or seed_hash(lottery.seed) != lottery.seed_sha256:
        return False
    references = [tied["reference"] for tied in lottery.tied]
    return draw(lottery.seed, references) == list(lottery.order)


def commit_lottery(tender, *, by):
    """Step 1 and 2: draw a seed and commit its hash with the tie it will break. Returns
    ``(lottery, seed)``; the seed is known only to the caller until :func:`perform_draw`.

    Rule subsidies.rank_tender; refused (TransitionError) when the tender has no tie at its
    cut-off."""
    require(by, "subsidies.rank_tender", tender)
    ranking = compute_ranking(tender)
    if not ranking.tie:
        raise TransitionError(
            _("Er is geen gelijke stand op de grens van het plafond: een loting is niet nodig.")
        )
    tied = sorted(
        (row for row in ranking.tie if row.decidable), key=lambda row: row.application.reference
    )
    seed = secrets.token_hex(32)
    with transaction.atomic():
        lottery = Lottery.objects.create(
            tender=ranking.tender,
            algorithm=ALGORITHM,
            seed_sha256=seed_hash(seed),
            tied=[
                {
                    "reference": row.application.reference,
                    "title": row.application.title,
                    "score": str(row.total),
                    "amount": str(row.application.requested_amount),
                }
                for row in tied
            ],
            remaining_budget=ranking.tie_remaining,
            drawn_by=by,
        )
        record(
            actor=by,
            obj=ranking.tender,
            action=AuditAction.create,
            changes={
                "lottery": lottery.pk,
                "seed_sha256": lottery.seed_sha256,
                "tied": [row.application.reference for row in tied],
            },
            reason=_("Loting vastgelegd vóór de trekking"),
        )
    return lottery, seed


def perform_draw(lottery, seed, *, by):
    """Step 3: draw with the committed seed, store the outcome and each tied application's
    lottery number (audited on the application)."""
    require(by, "subsidies.rank_tender", lottery.tender)
    if seed_hash(seed) != lottery.seed_sha256:
        raise ValueError("The seed does not match the committed hash.")
    with transaction.atomic():
        # The tender's row serialises draws: two officers drawing at once get one lottery.
        Tender.objects.select_for_update().get(pk=lottery.tender_id)
        current = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if current.drawn_at is not None:
            raise TransitionError(_("Deze loting is al getrokken."))
        references = [tied["reference"] for tied in current.tied]
        ranking = compute_ranking(current.tender)
        still_tied = {row.application.reference for row in ranking.tie if row.decidable}
        if still_tied != set(references):
            raise TransitionError(
                _(
                    "De gelijke stand is veranderd of al door een andere loting beslist; "
                    "trek zo nodig opnieuw."
                )
            )
        current.seed = seed
        current.order = draw(seed, references)
        current.drawn_at = timezone.now()
        current.drawn_by = by
        current.save(update_fields=["seed", "order", "drawn_at", "drawn_by"])
        applications = {
            application.reference: application
            for application in Application.objects.filter(
                tender_id=current.tender_id, reference__in=references
            ).only("id", "reference", "title", "lottery_number")
        }
        entries = []
        for number, reference in enumerate(current.order, start=1):
            application = applications[reference]
            entries.append(
                entry(
                    actor=by,
                    obj=application,
                    action=AuditAction.update,
                    changes={"lottery_number": [application.lottery_number, number]},
                    reason=_("Loting %(pk)s, startwaarde %(seed)s")
                    % {"pk": current.pk, "seed": seed},
                )
            )
            application.lottery_number = number
        Application.objects.bulk_update(applications.values(), ["lottery_number"])
        AuditEntry.objects.bulk_create(entries)
    return current


def draw_lottery(tender, *, by):
    """Break the tie at the tender's cut-off by a recorded lottery: commit the seed's hash,
    then draw. Returns the drawn Lottery."""
    lottery, seed = commit_lottery(tender, by=by)
    return perform_draw(lottery, seed, by=by)
