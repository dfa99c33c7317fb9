from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from .filters import FactsheetFilter
from .models import RenderedFactsheet
from .selectors import factsheets_visible_to
from .tables import PAGE_SIZE, FactsheetTable


def factsheet_rows(user):
    """The factsheets the user may see, each with its subject's name and the status, moment
    and size of its latest rendering, in one query (subqueries, no query per row)."""
    latest = RenderedFactsheet.objects.filter(factsheet=OuterRef("pk")).order_by(
        "-requested_at", "-id"
    )
    return (
        factsheets_visible_to(user)
        .select_related("programme", "umbrella")
        .annotate(
            subject_name=Coalesce("programme__name", "umbrella__name"),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_at=Subquery(
                latest.annotate(at=Coalesce("finished_at", "requested_at")).values("at")[:1]
            ),
            latest_size=Subquery(latest.values("size")[:1]),
        )
    )


class FactsheetListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The factsheets the user may see: filter, sort, paginate, export (CSV, Excel)."""

    table_class = FactsheetTable
    filterset_class = FactsheetFilter
    template_name = "reports/factsheet_list.html"
    table_pagination = {"per_page": PAGE_SIZE}
    export_formats = ("csv", "xlsx")
    export_name = "feitenbladen"
    export_trigger_param = "export"

    def get_paginate_by(self, queryset):
        return None  # the table paginates

    def get_queryset(self):
        return factsheet_rows(self.request.user)

    def get_table_kwargs(self):
        return {"request": self.request}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "sort", "export"):
            query.pop(name, None)
        context["export_query"] = query.urlencode()
        return context


factsheet_list = FactsheetListView.as_view()
