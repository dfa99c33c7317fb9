"""Filters of the subsidy worklists. Schemes and tenders offered are those of the user's
visible applications; municipalities and Beoordelaars are reference data. The rows are always
the visibility selector's (subsidies.selectors), so a stale or forged option finds nothing."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Municipality
from regioportal.roles import roles_of
from regioportal.widgets import FastSelect, FastTextInput, kept

from .counting import data_version
from .deadlines import DUE_SOON_DAYS, DeadlineState
from .enums import ApplicationStatus, ReviewStatus
from .forms_worklist import reviewer_choices
from .models import Application, Review
from .selectors import applications_visible_to

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("Nog niet besloten")), *ApplicationStatus.choices]
DEADLINE_CHOICES = [
    (DeadlineState.overdue, _("Verstreken")),
    (DeadlineState.due_soon, _("Verloopt binnen 7 dagen")),
    (DeadlineState.running, _("Loopt")),
    (DeadlineState.paused, _("Opgeschort (onvolledig)")),
]
# The beslistermijn runs for these; an incomplete application's term is suspended (Awb 4:15).
RUNNING_STATUSES = [s for s in ApplicationStatus.open() if s != ApplicationStatus.incomplete]


def deadline_condition(state, today):
    """The rows in ``state`` on ``today``, as subsidies.deadlines.deadline_state decides it
    for one application, as a condition the database answers (the status and deadline
    index serves it)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    running = Q(status__in=RUNNING_STATUSES)
    return {
        DeadlineState.overdue: running & Q(decision_deadline__lt=today),
        DeadlineState.due_soon: running
        & Q(decision_deadline__gte=today, decision_deadline__lte=soon),
        DeadlineState.running: running & Q(decision_deadline__gt=soon),
        DeadlineState.paused: Q(status=ApplicationStatus.incomplete),
        DeadlineState.none: ~Q(status__in=ApplicationStatus.open()),
    }[state]


def reach_choices(user, version):
    """``(schemes, tenders)``: (id, name) of the schemes and (id, "scheme – tender") of the
    tenders of the applications ``user`` may see, from one query, kept under the data
    ``version`` and the user's roles."""

    def make():
        rows = (
            applications_visible_to(user)
            .order_by()
            .values_list(
                "scheme_id", "scheme__name", "tender_id", "tender__name", "tender__opens_at"
            )
            .distinct()
        )
        schemes, tenders = {}, {}
        for scheme_id, scheme, tender_id, tender, opens_at in rows:
            schemes[str(scheme_id)] = scheme
            if tender_id is not None:
                tenders[str(tender_id)] = (scheme, -opens_at.timestamp(), f"{scheme} – {tender}")
        return (
            sorted(schemes.items(), key=lambda item: (item[1], item[0])),
            [(pk, label) for pk, (*_order, label) in sorted(tenders.items(), key=lambda i: i[1])],
        )

    return kept(("subsidies-reach", user.pk, frozenset(roles_of(user)), version), make)


def municipality_choices(version):
    return kept(
        ("subsidies-municipalities", version),
        lambda: [
            (str(pk), name)
            for pk, name in Municipality.objects.order_by("name").values_list("pk", "name")
        ],
    )


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the Subsidiebehandelaar's worklist (the applications list)."""

    q = django_filters.CharFilter(
        label=_("Zoek op zaaknummer, titel of aanvrager"),
        method="filter_text",
        widget=FastTextInput,
    )
    # The choices of scheme, tender, municipality and reviewer are set per request from
    # lists kept per process until the data changes (forms_worklist.kept), and a value is
    # checked against them: no query per request for the options or to validate a choice.
    scheme = django_filters.ChoiceFilter(
        label=_("Regeling"), method="filter_scheme", empty_label=_("Alle"), widget=FastSelect
    )
    tender = django_filters.ChoiceFilter(
        label=_("Tenderronde"), method="filter_tender", empty_label=_("Alle"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Beslistermijn"),
        choices=DEADLINE_CHOICES,
        method="filter_deadline",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Gemeente van de aanvrager"),
        method="filter_municipality",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    # The Beoordelaars (colleagues: their names are no secret); which of their reviews the
    # filter finds is up to the rows, the user's visible applications only.
    reviewer = django_filters.ChoiceFilter(
        label=_("Beoordelaar"), method="filter_reviewer", empty_label=_("Alle"), widget=FastSelect
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, request=None, today=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.today = today or timezone.localdate()
        user = request.user if request is not None else None
        version = data_version(request)
        schemes, tenders = reach_choices(user, version) if user is not None else ([], [])
        choices = {
            "scheme": schemes,
            "tender": tenders,
            "municipality": municipality_choices(version),
            "reviewer": reviewer_choices(version),
        }
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    def filter_text(self, queryset, name, value):
        """Every word must occur in the reference, the title or the applicant's name."""
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(applicant__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=ApplicationStatus.open())
        return queryset.filter(status=value)

    def filter_deadline(self, queryset, name, value):
        return queryset.filter(deadline_condition(value, self.today))

    def filter_scheme(self, queryset, name, value):
        return queryset.filter(scheme_id=int(value))

    def filter_tender(self, queryset, name, value):
        return queryset.filter(tender_id=int(value))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(applicant__municipality_id=int(value))

    def filter_reviewer(self, queryset, name, value):
        # Exists, not a join: one row per application whatever the number of reviews.
        return queryset.filter(
            Exists(Review.objects.filter(application=OuterRef("pk"), reviewer_id=int(value)))
        )


# --- the reviewer's list ---------------------------------------------------------------------

TO_DECLARE = "verklaren"
REVIEW_STATUS_CHOICES = [
    (TO_DECLARE, _("Nog verklaren")),
    (ReviewStatus.draft.value, _("Concept")),
    (ReviewStatus.submitted.value, _("Ingediend")),
]
DUE_OVERDUE, DUE_SOON = "verstreken", "binnenkort"
DUE_CHOICES = [
    (DUE_OVERDUE, _("Verstreken")),
    (DUE_SOON, _("Binnen 7 dagen")),
]


def review_stage_condition(stage):
    """Where a review stands for its reviewer: a conflict of interest still to declare, a
    draft, or submitted."""
    return {
        TO_DECLARE: Q(conflict_of_interest__isnull=True) & ~Q(status=ReviewStatus.submitted),
        ReviewStatus.draft: Q(conflict_of_interest=False, status=ReviewStatus.draft),
        ReviewStatus.submitted: Q(status=ReviewStatus.submitted),
    }[stage]


def review_due_condition(due, today):
    """Unsubmitted reviews whose due date has passed, or falls within 7 days."""
    pending = ~Q(status=ReviewStatus.submitted)
    if due == DUE_OVERDUE:
        return pending & Q(due_on__lt=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return pending & Q(due_on__gte=today, due_on__lte=soon)


class ReviewFilter(django_filters.FilterSet):
    """Filters of "Mijn beoordelingen"."""

    stage = django_filters.ChoiceFilter(
        label=_("Stand"),
        choices=REVIEW_STATUS_CHOICES,
        method="filter_stage",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    due = django_filters.ChoiceFilter(
        label=_("Gereed uiterlijk"),
        choices=DUE_CHOICES,
        method="filter_due",
        empty_label=_("Alle"),
        widget=FastSelect,
    )

    class Meta:
        model = Review
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_stage(self, queryset, name, value):
        return queryset.filter(review_stage_condition(value))

    def filter_due(self, queryset, name, value):
        return queryset.filter(review_due_condition(value, self.today))
