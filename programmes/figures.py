"""Figures of a programme, computed from its enrolments at request (or render) time.

Percentages are shares of *started* enrolments, rounded half up to whole percents, as the
province publishes them ("Van de 232 gestarte deelnemers is 23% betaald aan het werk")."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.counting import data_version
from participants.enums import EnrolmentStatus, Outcome
from participants.models import Enrolment

from .enums import TargetMetric

# Cells counting fewer people than this are not shown to roles that may not see the
# programme's participants: with a municipality and a track, one or two people are recognisable.
SMALL_NUMBER = 5


class Withheld:
    """A count of SMALL_NUMBER or more that is hidden only because a small count in its
    column would follow from it by subtraction (secondary suppression). It shows as "×":
    "< 5" would tell the reader something untrue ("< 5 zette een stap" where 93 did)."""

    def __repr__(self):
        return "WITHHELD"


WITHHELD = Withheld()


def percentage(part, whole):
    """``part`` as a whole percentage of ``whole``; None when either is unknown (suppressed)
    or there is nothing to divide by."""
    if not isinstance(part, int) or not isinstance(whole, int) or not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class OutcomeRow:
    outcome: str
    label: str
    count: int | Withheld | None  # None: fewer than SMALL_NUMBER, suppressed
    percent: int | None


@dataclass
class BreakdownRow:
    """One municipality or track. A count is None (small) or WITHHELD when it is suppressed
    (see ``suppressed``)."""

    label: str
    started: int | None
    active: int | None
    paid_work: int | None
    step: int | None

    @property
    def paid_work_percent(self):
        return percentage(self.paid_work, self.started)

    @property
    def step_percent(self):
        return percentage(self.step, self.started)


@dataclass
class TargetRow:
    name: str
    unit: str
    target_value: Decimal | None
    actual_value: Decimal | None
    is_minimum: bool
    computed: bool
    year: int | None
    source: str

    @property
    def reached(self):
        if self.target_value is None or self.actual_value is None:
            return None
        return self.actual_value >= self.target_value


@dataclass
class ProgrammeFigures:
    started: int = 0
    active: int = 0
    finished: int = 0
    paid_work: int = 0
    step: int = 0
    ongoing: int = 0
    no_next_step: int = 0
    with_ladder: int = 0
    rose_on_ladder: int = 0
    average_duration_days: int | None = None
    outcomes: list[OutcomeRow] = field(default_factory=list)
    per_track: list[BreakdownRow] = field(default_factory=list)
    per_municipality: list[BreakdownRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    # With small numbers suppressed, ``started`` may be None although there are enrolments.
    has_enrolments: bool = False
    without_outcome: int | Withheld | None = 0
    # True for the copy made by ``suppressed``: the page then explains "< 5" and "×".
    is_suppressed: bool = False

    @property
    def paid_work_percent(self):
        return percentage(self.paid_work, self.started)

    @property
    def step_percent(self):
        return percentage(self.step, self.started)

    @property
    def ongoing_percent(self):
        return percentage(self.ongoing, self.started)

    @property
    def no_next_step_percent(self):
        return percentage(self.no_next_step, self.started)

    @property
    def without_outcome_percent(self):
        return percentage(self.without_outcome, self.started)

    @property
    def chart(self):
        """Bar geometry of the outcome chart (SVG user units; 20 a row, bars up to 380). A
        suppressed count gets no bar: its length would give the number away."""
        bars = (
            [
                {
                    **row.__dict__,
                    "y": index * 20,
                    "width": round(380 * row.count / self.started)
                    if isinstance(row.count, int)
                    else 0,
                }
                for index, row in enumerate(self.outcomes)
            ]
            if self.started
            else []
        )
        return {"bars": bars, "height": 20 * len(bars)}

    @property
    def breakdowns(self):
        return [(_("Per traject"), self.per_track), (_("Per woongemeente"), self.per_municipality)]

    @property
    def rose_on_ladder_percent(self):
        return percentage(self.rose_on_ladder, self.with_ladder)

    @property
    def average_duration_months(self):
        if self.average_duration_days is None:
            return None
        return (Decimal(self.average_duration_days) / Decimal("30.44")).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _counts():
    step = Q(outcome__in=Outcome.step())
    return {
        "started": Count("id"),
        "active": Count("id", filter=Q(status__in=EnrolmentStatus.open())),
        "paid_work": Count("id", filter=Q(outcome=Outcome.paid_work)),
        "step": Count("id", filter=step),
    }


def programme_figures(programme, *, today=None, exact=True):
    """The programme's figures. Those computed from its enrolments are cached until
    participant data changes (participants.counting's data version) or the day turns; the
    targets (with their recorded values and grants) are read fresh. Without ``exact``, small
    numbers are suppressed (``suppressed``), also in the targets computed from them."""
    today = today or timezone.localdate()
    # v2: figures cached before small numbers were suppressed lack has_enrolments and
    # without_outcome as fields.
    key = f"programme-figures:v2:{programme.pk}:{data_version()}:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _enrolment_figures(programme, today=today)
        cache.set(key, figures, FIGURES_TTL)
    if not exact:
        figures = suppressed(figures)
    figures.targets = _targets(programme, figures)
    return figures


FIGURES_TTL = 600  # seconds; a safety net, the data version decides


def _enrolment_figures(programme, *, today):
    """All figures of the programme page and factsheet, in a fixed number of queries."""
    enrolments = Enrolment.objects.filter(programme=programme)
    totals = enrolments.aggregate(
        **_counts(),
        finished=Count("id", filter=Q(status__in=EnrolmentStatus.closed())),
        ongoing=Count("id", filter=Q(outcome=Outcome.ongoing)),
        no_next_step=Count("id", filter=Q(outcome=Outcome.no_next_step)),
        with_ladder=Count(
            "id",
            filter=Q(starting_ladder_level__isnull=False, current_ladder_level__isnull=False),
        ),
        rose=Count("id", filter=Q(current_ladder_level__gt=F("starting_ladder_level"))),
        **{f"outcome_{o.value}": Count("id", filter=Q(outcome=o.value)) for o in Outcome},
    )
    figures = ProgrammeFigures(
        started=totals["started"],
        active=totals["active"],
        finished=totals["finished"],
        paid_work=totals["paid_work"],
        step=totals["step"],
        ongoing=totals["ongoing"],
        no_next_step=totals["no_next_step"],
        with_ladder=totals["with_ladder"],
        rose_on_ladder=totals["rose"],
        has_enrolments=totals["started"] > 0,
    )
    figures.outcomes = [
        OutcomeRow(
            outcome=o.value,
            label=o.label,
            count=totals[f"outcome_{o.value}"],
            percent=percentage(totals[f"outcome_{o.value}"], figures.started),
        )
        for o in Outcome
    ]
    figures.without_outcome = figures.started - sum(row.count for row in figures.outcomes)
    figures.average_duration_days = _average_duration_days(enrolments, today)
    figures.per_track = [
        BreakdownRow(
            label=row["track__name"] or str(_("Geen traject")),
            started=row["started"],
            active=row["active"],
            paid_work=row["paid_work"],
            step=row["step"],
        )
        for row in enrolments.values("track__name", "track__order")
        .annotate(**_counts())
        .order_by("track__order", "track__name")
    ]
    figures.per_municipality = [
        BreakdownRow(
            label=row["participant__municipality__name"] or str(_("Onbekend")),
            started=row["started"],
            active=row["active"],
            paid_work=row["paid_work"],
            step=row["step"],
        )
        for row in enrolments.values("participant__municipality__name")
        .annotate(**_counts())
        .order_by("-started", "participant__municipality__name")
    ]
    return figures


def suppressed(figures):
    """A copy of ``figures`` for roles that may not see the programme's participants: every
    count under SMALL_NUMBER becomes None (shown as "< 5"), and so does every percentage
    computed from one. Where a table's column adds up to a published total (the tracks and the
    municipalities to the started enrolments, the outcomes to the started enrolments), one
    hidden cell would follow from the others by subtraction, so the smallest other cell of
    that column is hidden with it: WITHHELD (shown as "×") when it is not small itself."""
    started = _small_or(figures.started)
    hidden_outcomes = _hidden_in_column(
        [row.count for row in figures.outcomes] + [figures.without_outcome]
    )
    outcomes = [
        OutcomeRow(
            outcome=row.outcome,
            label=row.label,
            count=_hidden(row.count) if index in hidden_outcomes else row.count,
            percent=None if index in hidden_outcomes else percentage(row.count, started),
        )
        for index, row in enumerate(figures.outcomes)
    ]
    shown = {row.outcome: row.count for row in outcomes}
    # The step total adds up the step outcomes: shown only when each of them is.
    step = (
        _hidden(figures.step)
        if any(not isinstance(shown.get(o), int) for o in Outcome.step())
        else _small_or(figures.step)
    )
    totals = {
        "started": started,
        "active": _small_or(figures.active),
        "paid_work": shown.get(Outcome.paid_work),
        "step": step,
    }
    # A breakdown column adds up to its total: when the total is hidden, so is a cell of the
    # column, or the total (and with it what it hides) would follow from the column's sum.
    hidden_totals = {name for name, total in totals.items() if not isinstance(total, int)}
    return ProgrammeFigures(
        started=started,
        active=totals["active"],
        finished=_small_or(figures.finished),
        paid_work=totals["paid_work"],
        step=step,
        ongoing=shown.get(Outcome.ongoing),
        no_next_step=shown.get(Outcome.no_next_step),
        with_ladder=_small_or(figures.with_ladder),
        rose_on_ladder=_small_or(figures.rose_on_ladder),
        # The average of one or two enrolments is their own length.
        average_duration_days=figures.average_duration_days if started is not None else None,
        outcomes=outcomes,
        per_track=_suppressed_breakdown(figures.per_track, hidden_totals),
        per_municipality=_suppressed_breakdown(figures.per_municipality, hidden_totals),
        has_enrolments=figures.has_enrolments,
        without_outcome=_hidden(figures.without_outcome)
        if len(outcomes) in hidden_outcomes
        else figures.without_outcome,
        is_suppressed=True,
    )


def _small_or(count):
    return None if count < SMALL_NUMBER else count


def _hidden(count):
    """A hidden cell: None when it is small itself, else WITHHELD (hidden for another)."""
    return None if count < SMALL_NUMBER else WITHHELD


def _hidden_in_column(counts):
    """Indexes of the cells to hide in a column whose total is published."""
    hidden = {index for index, count in enumerate(counts) if count < SMALL_NUMBER}
    if len(hidden) == 1 and len(counts) > 1:
        hidden.add(min((i for i in range(len(counts)) if i not in hidden), key=counts.__getitem__))
    return hidden


def _suppressed_breakdown(rows, hidden_totals):
    columns = ("started", "active", "paid_work", "step")
    hidden = {name: _hidden_in_column([getattr(row, name) for row in rows]) for name in columns}
    for name in hidden_totals:
        if rows and not hidden[name]:
            counts = [getattr(row, name) for row in rows]
            hidden[name] = {min(range(len(counts)), key=counts.__getitem__)}
    return [
        BreakdownRow(
            label=row.label,
            **{
                name: _hidden(getattr(row, name)) if index in hidden[name] else getattr(row, name)
                for name in columns
            },
        )
        for index, row in enumerate(rows)
    ]


def _average_duration_days(enrolments, today):
    """Average length of the enrolments in days: start to end, or to today while running."""
    length = ExpressionWrapper(
        Coalesce(F("end_date"), Value(today, output_field=DateField())) - F("start_date"),
        output_field=DurationField(),
    )
    average = enrolments.aggregate(average=Avg(length))["average"]
    if average is None:
        return None
    return round(average.total_seconds() / 86400)


def programme_targets(programme, figures=None):
    """Each target against its actual value: computed from the enrolments (``figures``) or the
    granted applications, or as recorded by staff. Without ``figures`` (a programme that
    registers no participants) the enrolment-based actuals are unknown."""
    return _targets(programme, figures or ProgrammeFigures())


def _targets(programme, figures):
    from subsidies.enums import ApplicationStatus  # local: subsidies depends on programmes

    grants = programme.applications.filter(status__in=ApplicationStatus.granted_group()).aggregate(
        count=Count("id"), amount=Sum("granted_amount")
    )
    computed = {
        TargetMetric.enrolments_started: figures.started,
        TargetMetric.enrolments_active: figures.active,
        TargetMetric.paid_work_share: figures.paid_work_percent,
        TargetMetric.step_share: figures.step_percent,
        TargetMetric.ongoing_share: figures.ongoing_percent,
        TargetMetric.ladder_rise_share: figures.rose_on_ladder_percent,
        TargetMetric.grants_count: grants["count"],
        TargetMetric.grants_amount: grants["amount"] or Decimal(0),
    }
    rows = []
    for target in programme.targets.all():
        is_computed = target.metric != TargetMetric.recorded
        actual = computed.get(target.metric) if is_computed else target.recorded_value
        rows.append(
            TargetRow(
                name=target.name,
                unit=target.unit,
                target_value=target.target_value,
                actual_value=Decimal(actual) if actual is not None else None,
                is_minimum=target.is_minimum,
                computed=is_computed,
                year=target.year,
                source=target.source,
            )
        )
    return rows
