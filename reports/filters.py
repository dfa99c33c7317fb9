import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.models import UmbrellaProgramme
from regioportal.widgets import FastSelect, FastTextInput

from .models import Factsheet, FactsheetKind, RenderStatus

NO_PDF = "geen"
PDF_STATUS_CHOICES = [*RenderStatus.choices, (NO_PDF, _("Nog geen PDF"))]


class FactsheetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoek op titel of onderwerp"), method="filter_text", widget=FastTextInput
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=FactsheetKind.choices, empty_label=_("Alle"), widget=FastSelect
    )
    umbrella = django_filters.ModelChoiceFilter(
        label=_("Overkoepelend programma"),
        queryset=UmbrellaProgramme.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Alle"),
        method="filter_umbrella",
        widget=FastSelect,
    )
    pdf = django_filters.ChoiceFilter(
        label=_("Status laatste PDF"),
        choices=PDF_STATUS_CHOICES,
        empty_label=_("Alle"),
        method="filter_pdf",
        widget=FastSelect,
    )

    class Meta:
        model = Factsheet
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, FastSelect):
                # Reference lists, the same for everyone: kept a minute per process.
                field.widget.cache_key = ("factsheet-filter", name)

    def filter_text(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(programme__name__icontains=word)
                | Q(umbrella__name__icontains=word)
            )
        return queryset

    def filter_umbrella(self, queryset, name, value):
        # A programme's sheet belongs to its umbrella; an overview sheet is the umbrella's own.
        return queryset.filter(Q(programme__umbrella=value) | Q(umbrella=value))

    def filter_pdf(self, queryset, name, value):
        # latest_status is annotated by the view (reports.views_list.factsheet_rows).
        if value == NO_PDF:
            return queryset.filter(latest_status__isnull=True)
        return queryset.filter(latest_status=value)
