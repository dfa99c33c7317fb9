"""Filters of the subsidy worklists. Every choice offers only what the user may see; the rows
are always the visibility selector's (subsidies.selectors), so a stale or forged option finds
nothing."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Municipality
from regioportal.widgets import FastSelect, FastTextInput

from .deadlines import DUE_SOON_DAYS, DeadlineState
from .enums import ApplicationStatus, ReviewStatus
from .forms_worklist import person_name, reviewer_candidates, reviewer_choices
from .models import Application, Review, Scheme, Tender
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


def _visible(request):
    return applications_visible_to(request.user)


def _schemes(request):
    return Scheme.objects.filter(pk__in=_visible(request).values("scheme")).order_by("name")


def _tenders(request):
    return (
        Tender.objects.filter(pk__in=_visible(request).values("tender"))
        .select_related("scheme")
        .order_by("scheme__name", "-opens_at", "id")
    )


class TenderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.scheme.name} – {obj.name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class TenderFilter(django_filters.ModelChoiceFilter):
    field_class = TenderChoiceField


class ReviewerFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the Subsidiebehandelaar's worklist (the applications list)."""

    q = django_filters.CharFilter(
        label=_("Zoek op zaaknummer, titel of aanvrager"),
        method="filter_text",
        widget=FastTextInput,
    )
    scheme = django_filters.ModelChoiceFilter(
        label=_("Regeling"), queryset=_schemes, empty_label=_("Alle"), widget=FastSelect
    )
    tender = TenderFilter(
        label=_("Tenderronde"), queryset=_tenders, empty_label=_("Alle"), widget=FastSelect
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
    municipality = django_filters.ModelChoiceFilter(
        label=_("Gemeente van de aanvrager"),
        field_name="applicant__municipality",
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    # The Beoordelaars (colleagues: their names are no secret); which of their reviews the
    # filter finds is up to the rows, the user's visible applications only. The options come
    # from the list of reviewer_choices() that the bulk form shows too (one query a minute).
    reviewer = ReviewerFilter(
        label=_("Beoordelaar"),
        queryset=reviewer_candidates(),
        method="filter_reviewer",
        empty_label=_("Alle"),
        widget=FastSelect,
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, request=None, today=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.today = today or timezone.localdate()
        user_id = request.user.pk if request is not None else None
        for name, field in self.form.fields.items():
            if isinstance(field.widget, FastSelect):
                # The options depend on the user's reach only: kept per user a minute.
                field.widget.cache_key = ("subsidies-worklist-filter", user_id, name)
        reviewer = self.form.fields["reviewer"].widget
        reviewer.cache_key = None
        reviewer.choices = [("", self.form.fields["reviewer"].empty_label), *reviewer_choices()]

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

    def filter_reviewer(self, queryset, name, value):
        # Exists, not a join: one row per application whatever the number of reviews.
        return queryset.filter(
            Exists(Review.objects.filter(application=OuterRef("pk"), reviewer=value))
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
