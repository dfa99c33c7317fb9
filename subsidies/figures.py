"""Figures of subsidy schemes, computed from the applications: tenders, applications, grants
and the amounts granted per year, and the sentences the province publishes them in ("Er zijn
in 10 tenders 42 subsidieaanvragen ingediend, waarvan 31 zijn gehonoreerd.").

The caller passes the applications to count. Pages pass ``applications_visible_to(user)``, so
a count never includes an application the user may not see; the umbrella factsheet, a
published document, passes them all. Two queries for any number of schemes.

A grant belongs to the year of its decision (the year the province counts it in)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from regioportal.templatetags.portal import euro, euro_short, number

from .enums import ApplicationStatus
from .models import Application, Tender

GRANTED = ApplicationStatus.granted_group()


@dataclass(frozen=True)
class Grant:
    reference: str
    applicant: str
    title: str
    amount: Decimal
    decided_on: date | None
    received_on: date

    @property
    def year(self):
        return (self.decided_on or self.received_on).year


@dataclass
class YearFigures:
    year: int
    grants: list[Grant] = field(default_factory=list)

    @property
    def granted_count(self):
        return len(self.grants)

    @property
    def granted_amount(self):
        return sum((grant.amount for grant in self.grants), Decimal(0))


@dataclass
class SchemeFigures:
    scheme: object
    tender_count: int
    application_count: int
    grants: list[Grant] = field(default_factory=list)

    @property
    def granted_count(self):
        return len(self.grants)

    @property
    def granted_amount(self):
        return sum((grant.amount for grant in self.grants), Decimal(0))

    @property
    def per_year(self):
        """YearFigures for every year with a grant, oldest first."""
        years = defaultdict(list)
        for grant in self.grants:
            years[grant.year].append(grant)
        return [YearFigures(year=year, grants=grants) for year, grants in sorted(years.items())]

    @property
    def budget_spent(self):
        """Whether the scheme's total budget is fully granted (None without a budget)."""
        if not self.scheme.budget:
            return None
        return self.granted_amount >= self.scheme.budget

    @property
    def results(self):
        return scheme_results(self)


def _per_scheme(queryset, aggregate):
    """A subquery of ``aggregate`` over the rows of ``queryset`` of the outer scheme."""
    return Subquery(
        queryset.filter(scheme=OuterRef("pk"))
        .order_by()
        .values("scheme")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def with_counts(schemes, applications):
    """``schemes`` annotated with ``tender_count``, ``application_count``, ``granted_count``
    and ``granted_amount``, counting the applications of ``applications`` (subqueries: one
    query for the list, whatever its length)."""
    distinct = Application.objects.filter(pk__in=applications.values("pk"))
    granted = distinct.filter(status__in=GRANTED)
    return schemes.annotate(
        tender_count=Coalesce(
            _per_scheme(Tender.objects.all(), Count("pk")), Value(0), output_field=IntegerField()
        ),
        application_count=Coalesce(
            _per_scheme(distinct, Count("pk")), Value(0), output_field=IntegerField()
        ),
        granted_count=Coalesce(
            _per_scheme(granted, Count("pk")), Value(0), output_field=IntegerField()
        ),
        granted_amount=Coalesce(
            _per_scheme(granted, Sum("granted_amount")),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )


def scheme_figures(schemes, applications):
    """A SchemeFigures for each scheme of the queryset ``schemes``, in its order, counting
    the applications of the queryset ``applications``. Tenders are published facts and all
    count. Two queries (one when there are no schemes)."""
    rows = list(with_counts(schemes, applications))
    if not rows:
        return []
    figures = {
        scheme.pk: SchemeFigures(
            scheme=scheme,
            tender_count=scheme.tender_count,
            application_count=scheme.application_count,
        )
        for scheme in rows
    }
    # distinct(): a visibility filter over several relations must not count a grant twice.
    grants = (
        applications.filter(scheme__in=list(figures), status__in=GRANTED)
        .order_by("decided_on", "reference")
        .values(
            "pk",
            "scheme_id",
            "reference",
            "applicant__name",
            "title",
            "granted_amount",
            "decided_on",
            "received_on",
        )
        .distinct()
    )
    for row in grants:
        figures[row["scheme_id"]].grants.append(
            Grant(
                reference=row["reference"],
                applicant=row["applicant__name"],
                title=row["title"],
                amount=row["granted_amount"] or Decimal(0),
                decided_on=row["decided_on"],
                received_on=row["received_on"],
            )
        )
    return list(figures.values())


def dutch_list(items):
    """ "a, b en c"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_('en')} {items[-1]}"


def scheme_results(figures):
    """The results of one scheme in the terugblik's sentences:

    - a scheme with tenders: how many applications in how many tenders, how many granted;
    - a scheme with a total budget: the budget, whether it is spent, the grants per year;
    - otherwise: the yearly subsidies (the same applicants every year), then the other
      grants per year with their amounts."""
    results = []
    if figures.tender_count:
        results.append(
            _(
                "Er zijn in %(tenders)s tenders %(applications)s subsidieaanvragen ingediend, "
                "waarvan %(granted)s zijn gehonoreerd."
            )
            % {
                "tenders": number(figures.tender_count),
                "applications": number(figures.application_count),
                "granted": number(figures.granted_count),
            }
        )
        return results
    per_year = figures.per_year
    budget = figures.scheme.budget
    if budget:
        spent = (
            _("Dit is volledig besteed.")
            if figures.budget_spent
            else _("Daarvan is %(spent)s besteed.") % {"spent": euro_short(figures.granted_amount)}
        )
        results.append(
            _("Het totaalbudget bedroeg %(budget)s. %(spent)s")
            % {"budget": euro_short(budget), "spent": spent}
        )
        results.append(
            _("In totaal zijn %(count)s aanvragen gehonoreerd: %(years)s.")
            % {
                "count": number(figures.granted_count),
                "years": dutch_list(
                    _("%(count)s in %(year)s") % {"count": row.granted_count, "year": row.year}
                    for row in per_year
                ),
            }
        )
        return results
    # Grants to the same applicant in every year of the scheme are the yearly subsidies.
    years = [row.year for row in per_year]
    by_applicant = defaultdict(dict)
    for grant in figures.grants:
        by_applicant[grant.applicant][grant.year] = grant
    yearly = [
        name
        for name, grants_per_year in by_applicant.items()
        if len(years) > 1 and sorted(grants_per_year) == years
    ]
    if yearly:
        yearly_total = sum(
            (grant.amount for name in yearly for grant in by_applicant[name].values()),
            Decimal(0),
        ) / len(years)
        rounded = yearly_total.quantize(Decimal("1E4"), rounding=ROUND_DOWN)
        results.append(
            _("Er is jaarlijks subsidie verstrekt ter hoogte van %(about)s %(amount)s aan %(who)s.")
            % {
                "about": _("ruim") if rounded < yearly_total else _("ca."),
                "amount": euro(rounded),
                "who": dutch_list(yearly),
            }
        )
    for row in per_year:
        items = [grant for grant in row.grants if grant.applicant not in yearly]
        if not items:
            continue
        amounts = dutch_list(
            _("%(amount)s voor %(who)s") % {"amount": euro(grant.amount), "who": grant.applicant}
            for grant in items
        )
        if yearly:
            text = _("In %(year)s is daarnaast %(amounts)s verleend.")
        elif len(items) == 1:
            text = _("In %(year)s is 1 project gehonoreerd: %(amounts)s.")
        else:
            text = _("In %(year)s zijn %(count)s projecten gehonoreerd: %(amounts)s.")
        results.append(text % {"year": row.year, "count": len(items), "amounts": amounts})
    return results
