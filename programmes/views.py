from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from reports.models import Factsheet
from reports.rules import can

from .figures import programme_figures, programme_targets
from .filters import ProgrammeFilter
from .models import ProgrammePartner
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
            "can_edit_factsheet": can(
                request.user,
                "reports.edit_factsheet",
                factsheet or Factsheet(programme=programme),
            ),
            "can_generate_factsheet": factsheet is not None
            and can(request.user, "reports.generate_factsheet", factsheet),
        },
    )
