"""Ranking a tender: its eligible applications by weighted total score, and where the
subsidieplafond cuts the ranking.

The budget to divide is the ceiling minus the reserve kept for objections (Awb 4:25(3)),
minus what was already granted. Going down the ranking, every undecided application that fits
in what remains is within the ceiling; the first that does not fit marks the cut-off, and the
applications below it fall outside ("plafond bereikt"). Applications with the same score form
a group; when the remaining budget at a group cannot fund all of its undecided members but
could fund at least one, the order inside the group decides who is granted: that tie must be
broken by a recorded lottery (subsidies.lottery) before the allocation goes on.

In a first-come-first-served scheme the order is the moment of receipt, without scores.

:func:`compute_ranking` reads (six queries, whatever the size of the tender);
:func:`rank_tender` also stores each application's total, eligibility and position."""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db import connection
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from regioportal.audit import entry, plain
from regioportal.models import AuditAction, AuditEntry

from .enums import AllocationMethod, ApplicationStatus, RejectionReason
from .models import Application, Tender
from .review import counted_reviews, counted_scores, summarise
from .rules import require

S = ApplicationStatus
# Undecided applications that may still be granted or rejected in the allocation.
DECIDABLE = (S.received, S.in_review, S.advised)
# Not in the competition at all.
OUT_OF_COMPETITION = (S.withdrawn, S.not_considered)
RANKED_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "tender_id",
    "scheme_id",
    "applicant_id",
    "requested_amount",
    "granted_amount",
    "rejection_reason",
    "received_on",
    "received_at",
    "score_total",
    "is_eligible",
    "rank",
    "lottery_number",
)


@dataclass(eq=False)
class RankRow:
    application: Application
    scores: dict | None  # subsidies.review.summarise(); None in a first-come scheme
    position: int | None = None
    # What the application takes from the ceiling: the granted amount once granted, else the
    # requested amount.
    amount: Decimal = Decimal(0)
    # Granted plus within-ceiling amounts from the top of the ranking down to this row.
    cumulative: Decimal | None = None
    tie: bool = False  # shares its score with another ranked application
    tie_at_cut_off: bool = False  # ... and the ceiling falls inside that group: lottery
    fits: bool | None = None  # undecided: within the ceiling (None: waits for a lottery)

    @property
    def total(self):
        return self.scores["total"] if self.scores else None

    @property
    def decided(self):
        return self.application.status not in (*DECIDABLE, S.incomplete)

    @property
    def decidable(self):
        return self.application.status in DECIDABLE

    @property
    def granted(self):
        return self.application.status in S.granted_group()


@dataclass
class Ranking:
    tender: Tender
    method: str
    rows: list = field(default_factory=list)  # ranked (eligible) applications, in order
    ineligible: list = field(default_factory=list)  # RankRows, with their scores' reasons
    available: Decimal = Decimal(0)  # ceiling − reserve
    granted_total: Decimal = Decimal(0)
    remaining: Decimal = Decimal(0)  # after the grants and the rows within the ceiling
    tie: list = field(default_factory=list)  # the RankRows of an unbroken tie at the cut-off
    tie_remaining: Decimal | None = None  # the budget left where the tie starts
    lottery: object = None  # the drawn Lottery that orders a tie at the cut-off, if any
    # Index into rows after which the ceiling line falls (None: everything fits).
    cut_off: int | None = None

    @property
    def needs_lottery(self):
        return bool(self.tie)

    @property
    def unreviewed_count(self):
        return sum(1 for row in self.ineligible if not row.scores or not row.scores["review_count"])


def competing(tender):
    """The tender's applications that take part in the competition: not withdrawn, not left
    undecided for incompleteness, not rejected on substance."""
    return (
        Application.objects.filter(tender=tender)
        .exclude(status__in=OUT_OF_COMPETITION)
        .exclude(
            status=S.rejected,
            rejection_reason__in=[RejectionReason.substantive, RejectionReason.inadmissible],
        )
        .only(*RANKED_FIELDS)
        .select_related("applicant")
        .order_by()
    )


def receipt_key(application):
    # Applications registered without a moment of receipt count from the start of their day.
    moment = application.received_at.timestamp() if application.received_at else None
    return (application.received_on, moment is None, moment or 0, application.reference)


def compute_ranking(tender):
    """The tender's ranking as it stands, without writing anything."""
    tender = Tender.objects.select_related("scheme").get(pk=tender.pk)
    ranking = Ranking(
        tender=tender,
        method=tender.scheme.allocation_method,
        available=tender.ceiling - tender.reserve,
        granted_total=tender.granted_total,
    )
    applications = list(competing(tender))
    if ranking.method == AllocationMethod.first_come:
        rows = [RankRow(application, None) for application in sorted(applications, key=receipt_key)]
        ranking.rows = rows
        for position, row in enumerate(rows, start=1):
            row.position = position
        _allocate(ranking, [[row] for row in rows])
        return ranking

    criteria = list(tender.scheme.criteria.all())
    sums = {}
    for application_id, criterion_id, points, count in (
        counted_scores()
        .filter(review__application__tender=tender)
        .order_by()
        .values_list("review__application_id", "criterion_id")
        .annotate(Sum("points"), Count("id"))
    ):
        sums.setdefault(application_id, {})[criterion_id] = (points, count)
    review_counts = dict(
        counted_reviews()
        .filter(application__tender=tender)
        .order_by()
        .values_list("application_id")
        .annotate(Count("id"))
    )
    lotteries = list(tender.lotteries.exclude(drawn_at=None).order_by("-drawn_at", "-id"))

    eligible = []
    for application in applications:
        scores = summarise(
            criteria,
            sums.get(application.pk, {}),
            review_counts.get(application.pk, 0),
            tender.scheme.min_total_score,
        )
        row = RankRow(application, scores)
        (eligible if scores["eligible"] else ranking.ineligible).append(row)
    ranking.ineligible.sort(key=lambda row: receipt_key(row.application))

    eligible.sort(key=lambda row: (-row.total, receipt_key(row.application)))
    groups = [list(group) for _total, group in groupby(eligible, key=lambda row: row.total)]
    position = 1
    for group in groups:
        lottery = _lottery_for(group, lotteries) if len(group) > 1 else None
        if lottery is not None:
            order = {reference: index for index, reference in enumerate(lottery.order)}
            group.sort(key=lambda row: _group_key(row, order))
        for offset, row in enumerate(group):
            row.tie = len(group) > 1
            # Equal scores share a position until a lottery orders them.
            row.position = position + (offset if lottery is not None or not row.tie else 0)
        position += len(group)
        ranking.rows += group
    _allocate(ranking, groups, lotteries)
    return ranking


def _group_key(row, order):
    """Inside a tie ordered by lottery: the granted first, then the lottery's order."""
    return (not row.granted, order.get(row.application.reference, len(order)))


def _lottery_for(group, lotteries):
    """The latest drawn lottery among whose tied applications are all the group's undecided
    members (or, when all are decided, all its members), or None."""
    # The undecided members; once all are decided, the group as it was drawn.
    references = {row.application.reference for row in group if row.decidable} or {
        row.application.reference for row in group
    }
    for lottery in lotteries:
        if references <= set(lottery.order):
            return lottery
    return None


def _allocate(ranking, groups, lotteries=()):
    """Walk down the ranking: amounts, cumulative totals, which undecided rows fit within the
    ceiling, where the cut-off falls and whether a tie there needs a lottery."""
    remaining = ranking.available - ranking.granted_total
    cumulative = Decimal(0)
    stopped = False  # an undecided application did not fit: the rest falls outside
    waiting = False  # an unbroken tie at the cut-off: the rest waits for the lottery
    index = -1
    for group in groups:
        open_rows = [row for row in group if row.decidable]
        if not stopped and not waiting and len(open_rows) > 1:
            needed = sum(row.application.requested_amount for row in open_rows)
            smallest = min(row.application.requested_amount for row in open_rows)
            if needed > remaining >= smallest:
                for row in group:
                    row.tie_at_cut_off = True
                if _lottery_for(group, lotteries) is not None:
                    ranking.lottery = _lottery_for(group, lotteries)
                else:
                    ranking.tie = list(group)
                    ranking.tie_remaining = remaining
                    waiting = True
                    if ranking.cut_off is None:
                        ranking.cut_off = index
        for row in group:
            index += 1
            application = row.application
            if row.granted:
                row.amount = application.granted_amount or Decimal(0)
                cumulative += row.amount
                row.cumulative = cumulative
                continue
            row.amount = application.requested_amount
            if not row.decidable:
                continue  # rejected (ceiling) or still incomplete: takes nothing
            if waiting:
                row.fits = None
            elif not stopped and row.amount <= remaining:
                row.fits = True
                remaining -= row.amount
                cumulative += row.amount
                row.cumulative = cumulative
            else:
                row.fits = False
                if not stopped:
                    stopped = True
                    ranking.cut_off = index - 1
    ranking.remaining = remaining
    if ranking.cut_off is None:
        # Everything undecided fits (or nothing is undecided): the line falls after the last
        # application that takes from the ceiling, if any falls outside it.
        rows = [row for group in groups for row in group]
        inside = [i for i, row in enumerate(rows) if row.granted or row.fits]
        if inside and inside[-1] < len(rows) - 1:
            ranking.cut_off = inside[-1]


def rank_tender(tender, *, by):
    """Rank the tender and store, on each competing application, its weighted total
    (``score_total``), whether it is eligible (``is_eligible``) and its position (``rank``;
    None when not eligible). Returns the :class:`Ranking`.

    Rule subsidies.rank_tender. Effects: the changed applications updated in one query, an
    audit entry on each changed application (one insert)."""
    require(by, "subsidies.rank_tender", tender)
    ranking = compute_ranking(tender)
    changed, entries = [], []
    ranked = {id(row) for row in ranking.rows}
    for row in [*ranking.rows, *ranking.ineligible]:
        application = row.application
        new = {
            "score_total": row.total,
            "is_eligible": row.scores["eligible"] if row.scores else None,
            "rank": row.position if id(row) in ranked else None,
        }
        changes = {}
        for name, value in new.items():
            old = getattr(application, name)
            if old != value:
                changes[name] = [plain(old), plain(value)]
                setattr(application, name, value)
        if changes:
            changed.append(application)
            entries.append(
                entry(
                    actor=by,
                    obj=application,
                    action=AuditAction.update,
                    changes=changes,
                    reason=_("Rangschikking van %(tender)s") % {"tender": ranking.tender},
                )
            )
    if changed:
        _store(changed)
        AuditEntry.objects.bulk_create(entries)
    return ranking


def _store(applications):
    """Write score_total, is_eligible and rank of ``applications`` in one UPDATE from arrays.
    (QuerySet.bulk_update builds a CASE expression per row and field: for a tender of 500
    applications that took over half a second of Python before the query ran.)"""
    meta = Application._meta
    columns = [meta.get_field(name).column for name in ("score_total", "is_eligible", "rank")]
    sql = (
        f'UPDATE "{meta.db_table}" AS a SET '  # noqa: S608 - names from the model, values bound
        + ", ".join(f'"{column}" = v."{column}"' for column in columns)
        + ' FROM unnest(%s::bigint[], %s::numeric[], %s::boolean[], %s::integer[]) AS v(id, "'
        + '", "'.join(columns)
        + '") WHERE a.id = v.id'
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [application.pk for application in applications],
                [application.score_total for application in applications],
                [application.is_eligible for application in applications],
                [application.rank for application in applications],
            ],
        )
