import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Factsheet, FactsheetKind, RenderStatus
from .rules import can

PAGE_SIZE = 25
STATUS_LABELS = dict(RenderStatus.choices)
KIND_SHORT = {FactsheetKind.highlight: _("Uitgelicht"), FactsheetKind.overview: _("Overzicht")}


def pdf_size(record):
    """The latest PDF's size in bytes, as its job recorded it, or None."""
    if record.latest_status != RenderStatus.ready:
        return None
    return record.latest_size


def _local(moment):
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") if moment else ""


class FactsheetTable(tables.Table):
    # On the page the subject is a line under the title (it often repeats it); the export
    # has its own column.
    title = tables.Column(verbose_name=_("Feitenblad"), attrs={"td": {"class": "table-title"}})
    kind = tables.Column(verbose_name=_("Soort"))
    subject = tables.Column(
        verbose_name=_("Programma of overkoepelend programma"),
        accessor="subject_name",
        order_by=("subject_name", "title"),
        visible=False,
    )
    updated_at = tables.DateTimeColumn(verbose_name=_("Laatst gewijzigd"), format="d-m-Y H:i")
    # On the page the latest PDF is one cell (status, moment, size); the export has a column
    # for each.
    latest = tables.Column(
        verbose_name=_("Laatste PDF"),
        accessor="latest_at",
        order_by=("latest_at", "title"),
        exclude_from_export=True,
        empty_values=(),
    )
    latest_status = tables.Column(verbose_name=_("Status laatste PDF"), visible=False)
    latest_at = tables.DateTimeColumn(verbose_name=_("PDF gemaakt"), visible=False)
    size = tables.Column(verbose_name=_("Grootte (bytes)"), accessor="pk", visible=False)
    actions = tables.Column(
        verbose_name=_("Acties"), accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Factsheet
        fields = ()
        sequence = (
            "title", "kind", "updated_at", "latest", "actions", "subject", "latest_status",
            "latest_at", "size",
        )  # fmt: skip
        order_by = ("title",)
        empty_text = _("Geen feitenbladen gevonden met deze filters.")
        attrs = {"class": "data-table"}

    caption = _("Feitenbladen")

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def paginate(self, *args, **kwargs):
        # Always the view's page size (see programmes.tables.ProgrammeTable.paginate).
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def render_title(self, record):
        if record.subject_name == record.title:
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)
        return format_html(
            '<a href="{}">{}</a><span class="table-note">{}</span>',
            record.get_absolute_url(),
            record.title,
            record.subject_name,
        )

    def value_title(self, record):
        return record.title

    def render_kind(self, record):
        return KIND_SHORT.get(record.kind, record.kind)

    def value_kind(self, value, record):
        return record.get_kind_display()

    # Exports: local time as the page shows it (a spreadsheet cannot hold a time zone).
    def value_updated_at(self, value):
        return _local(value)

    def value_latest_at(self, value):
        return _local(value)

    def render_latest(self, record):
        if not record.latest_status:
            return format_html('<span class="muted">{}</span>', _("Nog geen PDF"))
        size = pdf_size(record)
        return format_html(
            '<span class="badge badge--{}">{}</span> <span class="table-note">{}{}</span>',
            record.latest_status,
            STATUS_LABELS.get(record.latest_status, record.latest_status),
            _local(record.latest_at),
            "" if size is None else format_html(" · {}", filesizeformat(size)),
        )

    def value_latest_status(self, value):
        return str(STATUS_LABELS.get(value, "")) if value else ""

    def value_size(self, record):
        return pdf_size(record)

    def render_actions(self, record):
        parts = [
            format_html(
                '<a class="button button--small" href="{}">{}<span class="visually-hidden"> {}'
                "</span></a>",
                record.get_absolute_url(),
                _("Bekijken"),
                record.title,
            )
        ]
        if can(self.request.user, "reports.edit_factsheet", record):
            parts.append(
                format_html(
                    '<a class="button button--small" href="{}">{}<span class="visually-hidden">'
                    " {}</span></a>",
                    reverse("reports:factsheet-edit", kwargs={"pk": record.pk}),
                    _("Bewerken"),
                    record.title,
                )
            )
        # Every factsheet in the list is visible, which is the generate rule.
        parts.append(
            format_html(
                '<form method="post" action="{}" class="inline-form">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button type="submit" class="button button--small">{}'
                '<span class="visually-hidden"> {}</span></button></form>',
                reverse("reports:generate", kwargs={"pk": record.pk}),
                get_token(self.request),
                _("Genereer PDF"),
                record.title,
            )
        )
        return format_html(
            '<div class="table-actions">{}</div>', format_html("".join(["{}"] * len(parts)), *parts)
        )
