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


def percentage(part, whole):
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class OutcomeRow:
    outcome: str
    label: str
    count: int
    percent: int | None


@dataclass
class BreakdownRow:
    label: str
    started: int
    active: int
    paid_work: int
    step: int

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
    def without_outcome(self):
        return self.started - sum(row.count for row in self.outcomes)

    @property
    def without_outcome_percent(self):
        return percentage(self.without_outcome, self.started)

    @property
    def chart(self):
        """Bar geometry of the outcome chart (SVG user units; 20 a row, bars up to 380)."""
        bars = (
            [
                {**row.__dict__, "y": index * 20, "width": round(380 * row.count / self.started)}
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


def programme_figures(programme, *, today=None):
    """The programme's figures. Those computed from its enrolments are cached until
    participant data changes (participants.counting's data version) or the day turns; the
    targets (with their recorded values and grants) are read fresh."""
    today = today or timezone.localdate()
    key = f"programme-figures:{programme.pk}:{data_version()}:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _enrolment_figures(programme, today=today)
        cache.set(key, figures, FIGURES_TTL)
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
