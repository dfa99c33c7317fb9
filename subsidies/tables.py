"""The subsidy worklists' tables. As on the participants list, the columns drive headers,
sorting and pagination, and the rows are built in Python with format_html_join from plain
dicts (``ROW_FIELDS``): every value escaped by construction, no model objects per row."""

import datetime
import html
from urllib.parse import quote

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from regioportal.templatetags.portal import euro

from .deadlines import DUE_SOON_DAYS, DeadlineState, deadline_state
from .enums import ApplicationStatus, ReviewStatus
from .models import Application, Review

PAGE_SIZE = 50
REVIEW_PAGE_SIZE = 50
PLACEHOLDER = "REFERENCE-PLACEHOLDER"
# Constant markup, no user input.
ALERT_ROW = mark_safe(' class="row--alert"')  # noqa: S308
EMPTY_SELECT_CELL = mark_safe('<td class="data-table__select"></td>')  # noqa: S308

# Statuses share the portal's badge colours; the label always says the status in words.
STATUS_BADGE = {
    ApplicationStatus.received: "intake",
    ApplicationStatus.incomplete: "gepauzeerd",
    ApplicationStatus.in_review: "lopend",
    ApplicationStatus.advised: "lopend",
    ApplicationStatus.granted: "ok",
    ApplicationStatus.advance_paid: "ok",
    ApplicationStatus.accountability: "ok",
    ApplicationStatus.settled: "afgerond",
    ApplicationStatus.rejected: "muted",
    ApplicationStatus.not_considered: "muted",
    ApplicationStatus.withdrawn: "muted",
}


def application_url_pattern():
    """The application page's URL with a placeholder for the reference, or None while the
    page does not exist: reversed once per page, not once per row."""
    try:
        return reverse("subsidies:application-detail", kwargs={"reference": PLACEHOLDER})
    except NoReverseMatch:
        return None


def review_url(review_pk, reference):
    """The page where a reviewer declares and scores (by the review's id, or the
    application's reference), or None while it does not exist."""
    for kwargs in ({"pk": review_pk}, {"reference": reference}):
        try:
            return reverse("subsidies:review-edit", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _date(value):
    return f"{value:%d-%m-%Y}" if value else "–"


class DeadlineRow:
    """What deadlines.deadline_state reads of an application, from a row dict."""

    __slots__ = ("decision_deadline", "status")

    def __init__(self, status, decision_deadline):
        self.status = status
        self.decision_deadline = decision_deadline


def deadline_flag(status, decision_deadline, today):
    """(state, text) for the beslistermijn column: the flag says in words what its colour
    shows ("verstreken", "nog 3 dagen", "opgeschort"), or is empty for a decided one."""
    state = deadline_state(DeadlineRow(status, decision_deadline), today)
    if state == DeadlineState.overdue:
        days = (today - decision_deadline).days
        text = ngettext("verstreken, %(days)s dag", "verstreken, %(days)s dagen", days) % {
            "days": days
        }
    elif state == DeadlineState.due_soon:
        days = (decision_deadline - today).days
        text = (
            gettext("verloopt vandaag")
            if days == 0
            else ngettext("nog %(days)s dag", "nog %(days)s dagen", days) % {"days": days}
        )
    elif state == DeadlineState.paused:
        text = gettext("opgeschort")
    else:
        text = ""
    return state, text


FLAG_CLASS = {
    DeadlineState.overdue: "deadline deadline--overdue",
    DeadlineState.due_soon: "deadline deadline--soon",
    DeadlineState.paused: "deadline",
}


FLAG_ICON = {DeadlineState.overdue: "⚠ ", DeadlineState.due_soon: "⚠ "}


def _flag_html(state, text):
    if not text:
        return ""
    return format_html(
        '<br><span class="{}"><span aria-hidden="true">{}</span>{}</span>',
        FLAG_CLASS[state],
        FLAG_ICON.get(state, ""),
        text,
    )


def _escaped(value):
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_rows(rows):
    """The table body from (template, values) pairs, one row each: format_html for many
    rows at once. Every value is escaped exactly as django.utils.html.conditional_escape does
    (markup already marked safe is kept, anything else goes through html.escape), into a
    constant template; without format_html's per-value lazy-string machinery, which was the
    largest part of rendering the worklist's 50 rows of fifteen values."""
    return mark_safe(  # noqa: S308 - every value escaped above, the templates are constants
        "\n".join(template.format(*map(_escaped, values)) for template, values in rows)
    )


class PageRowsMixin:
    """For a table whose data are only the sorted ids (and what the tests and links need):
    the page is sorted and cut from the base table alone, and its columns (ROW_FIELDS) are
    read from ``detail_rows`` for the page's rows only, so that joins and subqueries run for
    50 rows, not for every filtered one."""

    detail_rows = None

    def page_rows(self):
        """The columns of the page's rows, in the page's order."""
        ids = [row.record["pk"] for row in self.page.object_list]
        details = self.detail_rows.filter(pk__in=ids).order_by().values(*self.ROW_FIELDS)
        by_id = {row["pk"]: row for row in details}
        return [by_id[pk] for pk in ids if pk in by_id]


class ApplicationTable(PageRowsMixin, tables.Table):
    """The Subsidiebehandelaar's worklist: one row per visible application."""

    select = tables.Column(
        verbose_name=_("Selecteer"),
        empty_values=(),
        orderable=False,
        accessor="pk",
        # For the "select all" box that static/js/list-select.js adds.
        attrs={
            "th": {
                "class": "data-table__select",
                "data-select-all-label": _("Selecteer alle aanvragen op deze pagina"),
                "data-select-form": "bulk-assign",
                "data-select-name": "applications",
            }
        },
    )
    reference = tables.Column(verbose_name=_("Zaaknummer"), order_by=("reference",))
    title = tables.Column(verbose_name=_("Project"), order_by=("title", "id"))
    applicant = tables.Column(
        verbose_name=_("Aanvrager"), accessor="applicant__name", order_by=("applicant__name", "id")
    )
    scheme = tables.Column(
        verbose_name=_("Regeling"),
        accessor="scheme__name",
        order_by=("scheme__name", "tender__opens_at", "id"),
    )
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    requested_amount = tables.Column(
        verbose_name=_("Aangevraagd"), order_by=("requested_amount", "id")
    )
    received_on = tables.Column(verbose_name=_("Ontvangen"), order_by=("received_on", "id"))
    decision_deadline = tables.Column(
        verbose_name=_("Beslistermijn"), order_by=("decision_deadline", "id")
    )
    reviews = tables.Column(
        verbose_name=_("Beoordelingen"), accessor="review_count", orderable=False
    )

    caption = _("Aanvragen")
    ROW_FIELDS = (
        "pk", "reference", "title", "status", "requested_amount", "received_on",
        "decision_deadline", "scheme_id", "scheme__name", "tender__name", "applicant__name",
        "applicant__municipality__name",
    )  # fmt: skip

    class Meta:
        model = Application
        fields = ()
        sequence = (
            "select",
            "reference",
            "title",
            "applicant",
            "scheme",
            "status",
            "requested_amount",
            "received_on",
            "decision_deadline",
            "reviews",
        )
        template_name = "subsidies/worklist_table.html"
        order_by = ("decision_deadline",)
        empty_text = _("Geen aanvragen gevonden met deze filters.")
        attrs = {"class": "data-table"}

    def __init__(
        self, *args, selectable_schemes=frozenset(), today=None, detail_rows=None, **kwargs
    ):
        """The table's data are the sorted applications' ``pk`` (and reference); ``detail_rows``
        is the queryset the page's columns are read
        from, for the page's applications only. ``selectable_schemes``: the ids of the
        schemes whose open applications get a checkbox for the bulk action (those the user
        handles); none: no selection column."""
        self.detail_rows = detail_rows
        self.selectable_schemes = selectable_schemes
        self.today = today or timezone.localdate()
        if not selectable_schemes:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "select")
        super().__init__(*args, **kwargs)

    def paginate(self, *args, **kwargs):
        # Always the page size: ?per_page= from the address could ask for every row.
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    # The row's markup, assembled once per shape from constant pieces; every value goes
    # through format_html_join. One format call per row: rendering 50 rows through nested
    # format_html calls cost more than the page's queries.
    CHECKBOX_CELL = (
        '<td class="data-table__select"><input type="checkbox" name="applications" value="{}" '
        'form="bulk-assign" aria-label="{}"></td>'
    )
    FLAG = '<br><span class="{}"><span aria-hidden="true">{}</span>{}</span>'

    @staticmethod
    def _row_template(select, link, flag, reviews):
        """``select``: None (no selection column), True (a checkbox) or False (an empty
        cell)."""
        return "".join(
            [
                "<tr{}>",
                {None: "", True: ApplicationTable.CHECKBOX_CELL, False: EMPTY_SELECT_CELL}[select],
                '<th scope="row"><a href="{}">{}</a></th>' if link else '<th scope="row">{}</th>',
                "<td>{}</td>",
                '<td>{}<span class="table-note">{}</span></td>',
                '<td>{}<span class="table-note">{}</span></td>',
                '<td><span class="badge badge--{}">{}</span></td>',
                '<td class="numeric">{}</td>',
                "<td>{}</td>",
                '<td><time datetime="{}">{}</time>',
                ApplicationTable.FLAG if flag else "",
                "</td>",
                '<td>{}<span class="table-note">{}</span></td>'
                if reviews
                else '<td><span class="muted">{}</span></td>',
                "</tr>",
            ]
        )

    def body_html(self):
        url_pattern = application_url_pattern()
        statuses = {value: str(label) for value, label in ApplicationStatus.choices}
        open_statuses = set(ApplicationStatus.open())
        select_label = gettext("Selecteer %(reference)s")
        submitted_text = gettext("%(submitted)s van %(total)s ingediend")
        no_reviews = gettext("geen")
        selectable = self.selectable_schemes
        today = self.today
        templates, flags = {}, {}

        def flag_of(row):
            key = (row["status"], row["decision_deadline"])
            if key not in flags:
                flags[key] = deadline_flag(*key, today)
            return flags[key]

        def row_values(row):
            state, text = flag_of(row)
            values = [ALERT_ROW if state == DeadlineState.overdue else ""]
            select = None
            if selectable:
                select = row["scheme_id"] in selectable and row["status"] in open_statuses
                if select:
                    values += [row["pk"], select_label % {"reference": row["reference"]}]
            if url_pattern is not None:
                values.append(url_pattern.replace(PLACEHOLDER, quote(row["reference"])))
            values += [
                row["reference"],
                row["title"],
                row["applicant__name"],
                row["applicant__municipality__name"] or "",
                row["scheme__name"],
                row["tender__name"] or "",
                STATUS_BADGE.get(row["status"], "muted"),
                statuses.get(row["status"], row["status"]),
                euro(row["requested_amount"]),
                _date(row["received_on"]),
                row["decision_deadline"].isoformat(),
                _date(row["decision_deadline"]),
            ]
            if text:
                values += [FLAG_CLASS[state], FLAG_ICON.get(state, ""), text]
            if row["review_count"]:
                values += [
                    submitted_text
                    % {"submitted": row["review_submitted"] or 0, "total": row["review_count"]},
                    row["reviewer_names"] or "",
                ]
            else:
                values.append(no_reviews)
            shape = (select, url_pattern is not None, bool(text), bool(row["review_count"]))
            if shape not in templates:
                templates[shape] = self._row_template(*shape)
            return templates[shape], values

        return html_rows(map(row_values, self.page_rows()))

    def page_rows(self):
        """The page's rows with their reviews summed up (review_count, review_submitted,
        reviewer_names). One query: the columns joined with the page's reviews, one row per
        review (an application without one comes once, with None), folded here. Correlated
        subqueries per row cost more to plan than to run, and a second query for the reviews
        cost a round trip and its compilation (measured: 1.5 ms of the page's 45)."""
        ids = [row.record["pk"] for row in self.page.object_list]
        rows = {}
        for row in (
            self.detail_rows.filter(pk__in=ids)
            .order_by()
            .values(
                *self.ROW_FIELDS,
                "reviews__id",
                "reviews__status",
                "reviews__reviewer__first_name",
                "reviews__reviewer__last_name",
            )
        ):
            folded = rows.get(row["pk"])
            if folded is None:
                folded = rows[row["pk"]] = {field: row[field] for field in self.ROW_FIELDS}
                folded["reviews"] = []
            if row["reviews__id"] is not None:
                name = (
                    f"{row['reviews__reviewer__first_name']} {row['reviews__reviewer__last_name']}"
                )
                folded["reviews"].append((name, row["reviews__id"], row["reviews__status"]))
        page = []
        for pk in ids:
            row = rows.get(pk)
            if row is None:
                continue
            reviews = sorted(row.pop("reviews"))
            row["review_count"] = len(reviews)
            row["review_submitted"] = sum(
                status == ReviewStatus.submitted for _name, _id, status in reviews
            )
            row["reviewer_names"] = ", ".join(name for name, _id, _status in reviews)
            page.append(row)
        return page


# --- the reviewer's list ---------------------------------------------------------------------


def review_stage(conflict_of_interest, status):
    """(key, label) of where a review stands for its reviewer."""
    if status == ReviewStatus.submitted:
        return "ingediend", gettext("Ingediend")
    if conflict_of_interest is None:
        return "verklaren", gettext("Belangenverklaring nog afleggen")
    return "concept", gettext("Concept")


STAGE_BADGE = {"ingediend": "ok", "verklaren": "intake", "concept": "lopend"}


def due_flag(due_on, status, today):
    """(state, text) of a review's due date: overdue or due within 7 days, unless submitted."""
    if due_on is None or status == ReviewStatus.submitted:
        return DeadlineState.none, ""
    if due_on < today:
        days = (today - due_on).days
        return DeadlineState.overdue, ngettext(
            "verstreken, %(days)s dag", "verstreken, %(days)s dagen", days
        ) % {"days": days}
    if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        days = (due_on - today).days
        if days == 0:
            return DeadlineState.due_soon, gettext("vandaag")
        return DeadlineState.due_soon, ngettext("nog %(days)s dag", "nog %(days)s dagen", days) % {
            "days": days
        }
    return DeadlineState.running, ""


class ReviewTable(PageRowsMixin, tables.Table):
    """ "Mijn beoordelingen": the reviews assigned to the user."""

    reference = tables.Column(
        verbose_name=_("Zaaknummer"),
        accessor="application__reference",
        order_by=("application__reference", "id"),
    )
    title = tables.Column(
        verbose_name=_("Project"),
        accessor="application__title",
        order_by=("application__title", "id"),
    )
    scheme = tables.Column(
        verbose_name=_("Regeling"),
        accessor="application__scheme__name",
        order_by=("application__scheme__name", "id"),
    )
    due_on = tables.Column(verbose_name=_("Gereed uiterlijk"), order_by=("due_on", "id"))
    stage = tables.Column(
        verbose_name=_("Stand"),
        accessor="status",
        order_by=("status", "conflict_of_interest", "id"),
    )
    action = tables.Column(verbose_name=_("Actie"), accessor="pk", orderable=False)

    caption = _("Mijn beoordelingen")
    ROW_FIELDS = (
        "pk", "status", "conflict_of_interest", "due_on", "application__reference",
        "application__title", "application__scheme__name", "application__tender__name",
    )  # fmt: skip

    class Meta:
        model = Review
        fields = ()
        sequence = ("reference", "title", "scheme", "due_on", "stage", "action")
        template_name = "subsidies/worklist_table.html"
        order_by = ("due_on",)
        empty_text = _(
            "Er staan geen beoordelingen voor u klaar. Zodra een subsidiebehandelaar u een "
            "aanvraag toewijst, ziet u die hier."
        )
        attrs = {"class": "data-table"}

    def __init__(self, *args, today=None, detail_rows=None, **kwargs):
        """Data: the sorted reviews' ``pk``; ``detail_rows``: the queryset the page's
        columns are read from (PageRowsMixin)."""
        self.today = today or timezone.localdate()
        self.detail_rows = detail_rows
        super().__init__(*args, **kwargs)

    def paginate(self, *args, **kwargs):
        kwargs["per_page"] = REVIEW_PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def body_html(self):
        today = self.today

        def action_cell(row, stage):
            url = review_url(row["pk"], row["application__reference"])
            if url is None:
                return ""
            text = {
                "verklaren": gettext("Verklaren en beoordelen"),
                "concept": gettext("Verder beoordelen"),
                "ingediend": gettext("Bekijken"),
            }[stage]
            return format_html(
                '<a class="button button--small" href="{}">{}<span class="visually-hidden"> {}'
                "</span></a>",
                url,
                text,
                row["application__reference"],
            )

        def row_html(row):
            stage, label = review_stage(row["conflict_of_interest"], row["status"])
            state, flag = due_flag(row["due_on"], row["status"], today)
            due = (
                format_html(
                    '<time datetime="{}">{}</time>', row["due_on"].isoformat(), _date(row["due_on"])
                )
                if row["due_on"]
                else "–"
            )
            return format_html(
                "<tr{}>"
                '<th scope="row">{}</th>'
                "<td>{}</td>"
                '<td>{}<span class="table-note">{}</span></td>'
                "<td>{}{}</td>"
                '<td><span class="badge badge--{}">{}</span></td>'
                "<td>{}</td></tr>",
                ALERT_ROW if state == DeadlineState.overdue else "",
                row["application__reference"],
                row["application__title"],
                row["application__scheme__name"],
                row["application__tender__name"] or "",
                due,
                _flag_html(state, flag),
                STAGE_BADGE[stage],
                label,
                action_cell(row, stage),
            )

        return format_html_join("\n", "{}", ((row_html(row),) for row in self.page_rows()))
