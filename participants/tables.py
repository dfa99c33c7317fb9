import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import names
from .enums import EnrolmentStatus, Outcome
from .models import Enrolment

PAGE_SIZE = 50


class EnrolmentTable(tables.Table):
    """The participants list: one row per enrolment the user may see.

    The columns below drive the headers, sorting and pagination; the body's rows are built
    in Python by :meth:`body_html` (see participants/enrolment_table.html). Rendering 50 rows
    of nine cells through django-tables2's per-cell machinery, or even a template loop, was
    most of the page's time at province scale."""

    select = tables.Column(
        verbose_name=_("Selecteer"),
        empty_values=(),
        orderable=False,
        accessor="pk",
        # The label for the "select all" box that static/js/list-select.js adds.
        attrs={
            "th": {
                "class": "data-table__select",
                "data-select-all-label": _("Selecteer alle deelnemers op deze pagina"),
            }
        },
    )
    # Sorted as Dutch lists sort: on the achternaam without tussenvoegsel, ignoring case
    # and accents ("de Vries" under V), through the stored sort name (participants.names).
    name = tables.Column(
        verbose_name=_("Naam"),
        accessor="participant__sort_name",
        order_by=("participant__sort_name", "id"),
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
        "participant__first_name", "participant__surname_prefix", "participant__last_name",
        "participant__municipality__name",
        "programme__name", "track__name", "coach__first_name", "coach__last_name",
    )  # fmt: skip

    class Meta:
        model = Enrolment
        fields = ()
        sequence = (
            "select",
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

    def __init__(self, *args, selectable=False, **kwargs):
        """``selectable``: rows get a checkbox for "Uitstroom vastleggen" (users who may
        record outcomes)."""
        self.selectable = selectable
        if not selectable:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "select")
        super().__init__(*args, **kwargs)

    def paginate(self, *args, **kwargs):
        # Always the view's page size: django-tables2 would take ?per_page= from the address,
        # where a negative one answers 500 and a huge one loads every row.
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def body_html(self):
        """The <tr> rows of the current page (dicts of ROW_FIELDS), built with
        format_html_join: every value is escaped by construction. With ``selectable`` each
        row starts with a checkbox for the list's bulk action (participant_list.html)."""
        detail = reverse("participants:list")
        statuses = {value: str(label) for value, label in EnrolmentStatus.choices}
        outcomes = {value: str(label) for value, label in Outcome.choices}
        select_label = gettext("Selecteer %(name)s")
        select_cell = (
            '<td class="data-table__select"><input type="checkbox" name="enrolments" '
            'value="{}" form="bulk-outcome" aria-label="{}"></td>'
        )
        row_html = (
            "<tr>"
            + (select_cell if self.selectable else "")
            + '<th scope="row"><a href="{}{}/?inschrijving={}">{}</a></th>'
            "<td>{}</td><td>{}</td><td>{}</td>"
            '<td><span class="badge badge--{}">{}</span></td>'
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
        )

        def cells(e):
            name = names.list_name(
                e["participant__first_name"],
                e["participant__surname_prefix"],
                e["participant__last_name"],
            )
            coach = " ".join(filter(None, [e["coach__first_name"], e["coach__last_name"]]))
            values = [
                int(e["participant_id"]),
                int(e["pk"]),
                name,
                e["participant__reference"],
                e["programme__name"],
                e["track__name"] or "–",
                e["status"],
                statuses.get(e["status"], e["status"]),
                coach or "–",
                e["participant__municipality__name"] or "–",
                f"{e['start_date']:%d-%m-%Y}",
                outcomes.get(e["outcome"], "–"),
            ]
            if self.selectable:
                return [int(e["pk"]), select_label % {"name": name}, detail, *values]
            return [detail, *values]

        return format_html_join(
            "\n", row_html, (cells(row.record) for row in self.page.object_list)
        )
