import html

import django_tables2 as tables
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .enums import EnrolmentStatus, Outcome
from .models import Enrolment

PAGE_SIZE = 50


class EnrolmentTable(tables.Table):
    """The participants list: one row per enrolment the user may see.

    The columns below drive the headers, sorting and pagination; the body's rows are built
    in Python by :meth:`body_html` (see participants/enrolment_table.html). Rendering 50 rows
    of nine cells through django-tables2's per-cell machinery, or even a template loop, was
    most of the page's time at province scale."""

    name = tables.Column(
        verbose_name=_("Naam"),
        accessor="participant__last_name",
        order_by=("participant__last_name", "participant__first_name", "id"),
    )
    reference = tables.Column(
        verbose_name=_("Nummer"),
        accessor="participant__reference",
        order_by=("participant__reference",),
    )
    programme = tables.Column(verbose_name=_("Programma"), order_by=("programme__name", "id"))
    track = tables.Column(verbose_name=_("Traject"), order_by=("track__name", "id"))
    status = tables.Column(verbose_name=_("Status"))
    coach = tables.Column(verbose_name=_("Coach"), order_by=("coach__first_name", "id"))
    municipality = tables.Column(
        verbose_name=_("Woongemeente"),
        accessor="participant__municipality",
        order_by=("participant__municipality__name", "id"),
    )
    start_date = tables.Column(verbose_name=_("Start"), order_by=("start_date", "id"))
    outcome = tables.Column(verbose_name=_("Uitstroom"), order_by=("outcome", "id"))

    caption = _("Deelnemers")
    ROW_FIELDS = (
        "pk", "status", "start_date", "outcome", "participant_id", "participant__reference",
        "participant__first_name", "participant__last_name", "participant__municipality__name",
        "programme__name", "track__name", "coach__first_name", "coach__last_name",
    )  # fmt: skip

    class Meta:
        model = Enrolment
        fields = ()
        sequence = (
            "name",
            "reference",
            "programme",
            "track",
            "status",
            "coach",
            "municipality",
            "start_date",
            "outcome",
        )
        template_name = "participants/enrolment_table.html"
        order_by = ("name",)
        empty_text = _("Geen deelnemers gevonden met deze filters.")
        attrs = {"class": "data-table"}

    def paginate(self, *args, **kwargs):
        # Always the view's page size: django-tables2 would take ?per_page= from the address,
        # where a negative one answers 500 and a huge one loads every row.
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def body_html(self):
        """The <tr> rows of the current page (dicts of ROW_FIELDS). Every value is escaped
        with the standard library's html.escape: Django's escape() checks each argument for
        lazy strings, which for the ~700 cells of a page cost more than building the rows."""
        esc = html.escape
        detail = reverse("participants:list")
        statuses = {value: esc(str(label)) for value, label in EnrolmentStatus.choices}
        outcomes = {value: esc(str(label)) for value, label in Outcome.choices}
        rows = []
        for row in self.page.object_list:
            e = row.record
            coach = " ".join(filter(None, [e["coach__first_name"], e["coach__last_name"]]))
            status = esc(e["status"])
            rows.append(
                f'<tr><th scope="row"><a href="{detail}{int(e["participant_id"])}/'
                f'?inschrijving={int(e["pk"])}">{esc(e["participant__last_name"])}, '
                f"{esc(e['participant__first_name'])}</a></th>"
                f"<td>{esc(e['participant__reference'])}</td>"
                f"<td>{esc(e['programme__name'])}</td>"
                f"<td>{esc(e['track__name'] or '–')}</td>"
                f'<td><span class="badge badge--{status}">{statuses.get(e["status"], status)}'
                "</span></td>"
                f"<td>{esc(coach or '–')}</td>"
                f"<td>{esc(e['participant__municipality__name'] or '–')}</td>"
                f"<td>{e['start_date']:%d-%m-%Y}</td>"
                f"<td>{outcomes.get(e['outcome'], '–')}</td></tr>"
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - every value is escaped above
