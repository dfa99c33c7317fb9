import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioportal.widgets import FastSelect, FastTextInput

from .enums import ProgrammeStatus
from .models import Municipality, Programme, UmbrellaProgramme


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoek op naam of penvoerder"), method="filter_text", widget=FastTextInput
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProgrammeStatus.choices, empty_label=_("Alle"), widget=FastSelect
    )
    umbrella = django_filters.ModelChoiceFilter(
        label=_("Overkoepelend programma"),
        queryset=UmbrellaProgramme.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Gemeente"),
        field_name="municipalities",
        queryset=Municipality.objects.all(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )

    class Meta:
        model = Programme
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, FastSelect):
                # Reference lists, the same for everyone: kept a minute per process.
                field.widget.cache_key = ("programme-filter", name)

    def filter_text(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(lead_organisation__name__icontains=word)
            )
        return queryset
