import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Municipality, Track
from programmes.selectors import programmes_with_participants_visible_to
from regioportal.widgets import FastDateInput, FastSelect

from .counting import data_version
from .enums import EnrolmentStatus, Outcome
from .models import Enrolment
from .names import search_words
from .selectors import coaches_of

OPEN = "lopend"
STATUS_CHOICES = [(OPEN, _("Lopend (intake, actief, gepauzeerd)")), *EnrolmentStatus.choices]

# Age bands as the programmes' target groups use them (Van Waarde: 16–27, Klei Impuls: tot 30).
AGE_BANDS = {
    "tot16": (_("jonger dan 16"), 0, 15),
    "16-17": (_("16–17 jaar"), 16, 17),
    "18-22": (_("18–22 jaar"), 18, 22),
    "23-27": (_("23–27 jaar"), 23, 27),
    "28-30": (_("28–30 jaar"), 28, 30),
    "31-44": (_("31–44 jaar"), 31, 44),
    "45-64": (_("45–64 jaar"), 45, 64),
    "65plus": (_("65 jaar en ouder"), 65, 130),
}


def _programmes(request):
    return programmes_with_participants_visible_to(request.user).filter(has_participants=True)


def programme_choices(request):
    """(pk, slug, name) of the programmes whose participants the user may see, cached until
    participant data or a programme membership changes (participants.counting)."""
    key = f"participants:programme-choices:{request.user.pk}:{data_version(request)}"
    choices = cache.get(key)
    if choices is None:
        choices = list(_programmes(request).order_by("name").values_list("pk", "slug", "name"))
        cache.set(key, choices, 600)
    return choices


def _tracks(request):
    return Track.objects.filter(programme__in=_programmes(request)).select_related("programme")


def _coaches(request):
    return coaches_of(_programmes(request))


class TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme.name} – {obj.name}"


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class TrackFilter(django_filters.ModelChoiceFilter):
    field_class = TrackChoiceField


class CoachFilter(django_filters.ModelChoiceFilter):
    field_class = CoachChoiceField


class EnrolmentFilter(django_filters.FilterSet):
    """Filters of the participants list. Choices only offer what the user may see."""

    q = django_filters.CharFilter(label=_("Zoek op naam of deelnemersnummer"), method="filter_text")
    # By slug, validated against the user's programmes (choices set per request from a
    # cached list: see programme_choices).
    programme = django_filters.ChoiceFilter(
        label=_("Programma"), method="filter_programme", empty_label=_("Alle"), widget=FastSelect
    )
    track = TrackFilter(
        label=_("Traject"), queryset=_tracks, empty_label=_("Alle"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    coach = CoachFilter(
        label=_("Coach"), queryset=_coaches, empty_label=_("Alle"), widget=FastSelect
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Woongemeente"),
        field_name="participant__municipality",
        queryset=Municipality.objects.all(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Uitstroom"),
        choices=[("geen", _("Nog geen")), *Outcome.choices],
        method="filter_outcome",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    age = django_filters.ChoiceFilter(
        label=_("Leeftijd"),
        choices=[(key, label) for key, (label, _low, _high) in AGE_BANDS.items()],
        method="filter_age",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    start_after = django_filters.DateFilter(
        label=_("Intake vanaf"),
        field_name="start_date",
        lookup_expr="gte",
        widget=FastDateInput(attrs={"type": "date"}),
    )
    start_before = django_filters.DateFilter(
        label=_("Intake tot en met"),
        field_name="start_date",
        lookup_expr="lte",
        widget=FastDateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.programme_ids = {}
        if request is not None:
            programmes = programme_choices(request)
            self.programme_ids = {slug: pk for pk, slug, _name in programmes}
            self.filters["programme"].extra["choices"] = [
                (slug, name) for _pk, slug, name in programmes
            ]
        user_id = request.user.pk if request is not None else None
        version = data_version(request) if request is not None else None
        for name, field in self.form.fields.items():
            if isinstance(field.widget, FastSelect):
                # The options depend on the user's reach: keep them per user under the data
                # version, which a change of programme membership moves on commit
                # (participants.counting), and a minute at most: the tracks and coaches of a
                # programme someone left are gone at their next request.
                field.widget.cache_key = ("participants-filter", user_id, version, name)

    def filter_programme(self, queryset, name, value):
        return queryset.filter(programme_id=self.programme_ids[value])

    def filter_text(self, queryset, name, value):
        """Every word must start a word of the name (voornaam, tussenvoegsel or
        achternaam), in any order, ignoring case and accents ("de boer", "celine",
        "van der veen"), or be the participant number. Matched in the stored sort name,
        which is normalised the same way (participants.names)."""
        for word in search_words(value):
            condition = Q(participant__sort_name__startswith=word) | Q(
                participant__sort_name__contains=f" {word}"
            )
            if any(char.isdigit() for char in word):
                # Participant numbers are stored in capitals (services.new_reference): an
                # exact match uses the unique index, and names (without digits) do not
                # add a condition that no index answers.
                condition |= Q(participant__reference=word.upper())
            queryset = queryset.filter(condition)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=EnrolmentStatus.open())
        return queryset.filter(status=value)

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(outcome="" if value == "geen" else value)

    def filter_age(self, queryset, name, value, today=None):
        _label, low, high = AGE_BANDS[value]
        this_year = (today or timezone.localdate()).year
        # Age by year of birth: exact enough for a band, and works for birth-year-only rows.
        first, last = this_year - high, this_year - low
        return queryset.filter(
            Q(participant__birth_date__year__range=(first, last))
            | Q(participant__birth_year__range=(first, last))
        )
