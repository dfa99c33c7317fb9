import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regioportal.templatetags.portal import euro

from .models import Programme

PAGE_SIZE = 25


class ProgrammeTable(tables.Table):
    name = tables.Column(verbose_name=_("Programma"), linkify=True)
    status = tables.Column(verbose_name=_("Status"))
    umbrella = tables.Column(
        verbose_name=_("Overkoepelend programma"), order_by=("umbrella__name",)
    )
    lead_organisation = tables.Column(
        verbose_name=_("Penvoerder"), order_by=("lead_organisation__name",)
    )
    start_date = tables.DateColumn(verbose_name=_("Start"), format="d-m-Y")
    end_date = tables.DateColumn(verbose_name=_("Einde"), format="d-m-Y")
    budget = tables.Column(verbose_name=_("Budget"), attrs={"td": {"class": "numeric"}})

    class Meta:
        model = Programme
        fields = ()
        sequence = (
            "name", "status", "umbrella", "lead_organisation", "start_date", "end_date", "budget",
        )  # fmt: skip
        order_by = ("name",)
        empty_text = _("Geen programma's gevonden met deze filters.")
        attrs = {"class": "data-table"}

    caption = _("Programma's")

    def paginate(self, *args, **kwargs):
        # Always the view's page size: django-tables2 would take ?per_page= from the address,
        # where a negative one answers 500 and a huge one loads every row.
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge badge--{}">{}</span>', record.status, record.get_status_display()
        )

    def value_status(self, value, record):
        return record.get_status_display()

    def render_budget(self, value):
        return euro(value)

    def value_budget(self, value):
        return value
