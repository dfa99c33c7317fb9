import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Enrolment


class EnrolmentTable(tables.Table):
    """The participants list: one row per enrolment the user may see.

    The body is rendered by a plain template loop over the page's objects
    (participants/enrolment_table.html) instead of django-tables2's per-cell machinery: at 50
    rows a page that is several times faster, and the columns below still drive the headers,
    sorting and pagination."""

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
