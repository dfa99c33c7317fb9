from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from regioportal.roles import Role, has_role
from reports.models import Factsheet
from reports.rules import can
from reports.selectors import factsheets_visible_to
from subsidies.figures import scheme_figures
from subsidies.selectors import applications_visible_to, schemes_visible_to

from .figures import programme_figures, programme_targets
from .filters import ProgrammeFilter
from .models import ProgrammeLine, ProgrammePartner, UmbrellaProgramme
from .selectors import (
    is_member_of,
    programmes_visible_to,
    programmes_with_participants_visible_to,
)
from .tables import PAGE_SIZE, ProgrammeTable


class ProgrammeListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The programmes the user may see: filter, sort, paginate, export (CSV, Excel)."""

    table_class = ProgrammeTable
    filterset_class = ProgrammeFilter
    template_name = "programmes/programme_list.html"
    table_pagination = {"per_page": PAGE_SIZE}
    export_formats = ("csv", "xlsx")
    export_name = "programmas"
    export_trigger_param = "export"

    def get_paginate_by(self, queryset):
        return None  # the table paginates

    def get_queryset(self):
        return programmes_visible_to(self.request.user).select_related(
            "lead_organisation", "umbrella"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "sort", "export"):
            query.pop(name, None)
        context["export_query"] = query.urlencode()
        return context


programme_list = ProgrammeListView.as_view()


@login_required
def programme_detail(request, slug):
    """The programme's facts, and its figures computed from the enrolments. Figures are
    aggregates shown to everyone who may see the programme, with counts under 5 suppressed
    for those who may not see its participants."""
    programme = get_object_or_404(
        programmes_visible_to(request.user)
        .select_related("lead_organisation", "umbrella")
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=ProgrammePartner.objects.select_related("organisation"),
            ),
            "municipalities",
            "tracks",
            "targets",
            "lines",
        ),
        slug=slug,
    )
    can_see_participants = (
        programmes_with_participants_visible_to(request.user).filter(pk=programme.pk).exists()
    )
    # Roles that may not see the participants get small numbers suppressed: "1 gestart, 1
    # betaald werk" in a municipality points at a person.
    figures = (
        programme_figures(programme, exact=can_see_participants)
        if programme.has_participants
        else None
    )
    # The factsheet block: one query for the sheet; the rules read the user's cached roles and
    # programme ids.
    factsheet = Factsheet.objects.filter(programme=programme).first()
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "figures": figures,
            "target_rows": figures.targets if figures else programme_targets(programme),
            "can_see_participants": can_see_participants,
            "can_record_group_activity": is_member_of(request.user, programme)
            and programme.has_participants,
            "factsheet": factsheet,
            "can_see_umbrella": may_see_umbrellas(request.user),
            "can_edit_factsheet": can(
                request.user,
                "reports.edit_factsheet",
                factsheet or Factsheet(programme=programme),
            ),
            "can_generate_factsheet": factsheet is not None
            and can(request.user, "reports.generate_factsheet", factsheet),
        },
    )


def may_see_umbrellas(user):
    """Umbrella pages, like the umbrella's factsheet, are for provincial staff."""
    return has_role(
        user, Role.programme_manager, Role.administrator, Role.subsidy_officer, Role.reviewer
    )


@login_required
def umbrella_detail(request, slug):
    """An umbrella programme (kader) for provincial staff: its lines with their budgets and
    programmes, and the figures of its subsidy schemes computed from the applications the user
    may see (subsidies.figures). A fixed number of queries."""
    if not may_see_umbrellas(request.user):
        raise Http404
    umbrella = get_object_or_404(UmbrellaProgramme.objects.select_related("owner"), slug=slug)
    lines = list(
        ProgrammeLine.objects.filter(umbrella=umbrella)
        .prefetch_related(
            Prefetch("programmes", queryset=programmes_visible_to(request.user).order_by("name"))
        )
        .order_by("order", "name")
    )
    figures = scheme_figures(
        schemes_visible_to(request.user)
        .filter(line__umbrella=umbrella)
        .order_by("line__order", "name"),
        applications_visible_to(request.user),
    )
    schemes_by_line = {}
    for scheme in figures:
        schemes_by_line.setdefault(scheme.scheme.line_id, []).append(scheme)
    children = {}
    for line in lines:
        if line.parent_id:
            children.setdefault(line.parent_id, []).append(line)
    sections = [
        {
            "line": line,
            "schemes": schemes_by_line.get(line.pk, []),
            "parts": [
                {"line": child, "schemes": schemes_by_line.get(child.pk, [])}
                for child in children.get(line.pk, [])
            ],
        }
        for line in lines
        if line.parent_id is None
    ]
    return render(
        request,
        "programmes/umbrella_detail.html",
        {
            "umbrella": umbrella,
            "sections": sections,
            "scheme_figures": figures,
            "granted_count": sum(scheme.granted_count for scheme in figures),
            "granted_amount": sum(scheme.granted_amount for scheme in figures),
            "factsheet": factsheets_visible_to(request.user).filter(umbrella=umbrella).first(),
        },
    )
