from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from regioportal import audit
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role, roles_of

from .. import exports, services
from ..counting import cached_count
from ..filters import OPEN, EnrolmentFilter
from ..forms import BulkOutcomeForm
from ..models import Enrolment
from ..rules import can
from ..selectors import enrolments_visible_to
from ..tables import PAGE_SIZE, EnrolmentTable
from . import actions


class CountingPaginator(Paginator):
    """A paginator that counts ``count_queryset`` instead of the (joined) rows it pages."""

    def __init__(
        self, object_list, per_page, *, count_queryset, count_key=None, request=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset
        self.count_key = count_key
        self.request = request

    @cached_property
    def count(self):
        return cached_count(self.count_queryset, key=self.count_key, request=self.request)


def _list_queryset(user):
    return enrolments_visible_to(user).select_related(
        "participant", "participant__municipality", "programme", "track", "coach"
    )


class ParticipantListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Participants (one row per enrolment) the user may see, filtered, sorted, paginated."""

    table_class = EnrolmentTable
    filterset_class = EnrolmentFilter
    template_name = "participants/participant_list.html"
    table_pagination = {"per_page": PAGE_SIZE, "paginator_class": CountingPaginator}

    def get_paginate_by(self, queryset):
        # The table paginates; the ListView must not count and slice a second time.
        return None

    def get(self, request, *args, **kwargs):
        if not has_role(request.user, Role.coordinator, Role.programme_manager, Role.administrator):
            raise Http404
        # A coordinator lands on "my active participants"; the filters show it and can be cleared.
        if not request.GET and has_role(request.user, Role.coordinator):
            query = urlencode({"status": OPEN, "coach": request.user.pk})
            return HttpResponseRedirect(f"{reverse('participants:list')}?{query}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return _list_queryset(self.request.user)

    def get_table_kwargs(self):
        return {"selectable": self._may_record_outcomes}

    @cached_property
    def _may_record_outcomes(self):
        return actions.may_record_outcomes(self.request.user)

    def get_table_data(self):
        # The page's rows as plain dicts of only the columns it shows: no model objects to
        # build for six joined tables, a good part of the page's time at province scale.
        return self.object_list.values(*EnrolmentTable.ROW_FIELDS)

    def get_table_pagination(self, table):
        # Count the filtered enrolments without the joins that the row values need, cached
        # under what decides the count: the user, their roles and the valid filters.
        filters = self.filterset.form.cleaned_data if self.filterset.is_valid() else None
        count_key = (
            "participant-list",
            self.request.user.pk,
            sorted(roles_of(self.request.user)),
            sorted((name, str(getattr(value, "pk", value))) for name, value in filters.items())
            if filters is not None
            else "invalid",
        )
        return {
            **super().get_table_pagination(table),
            "count_queryset": self.object_list,
            "count_key": count_key,
            "request": self.request,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        context["export_query"] = query.urlencode()
        context["can_add"] = can(self.request.user, "participants.record_intake")
        if self._may_record_outcomes:
            context["bulk_form"] = BulkOutcomeForm(enrolments=Enrolment.objects.none())
            context["list_query"] = self.request.GET.urlencode()
        return context


@login_required
def export_participants(request, file_format):
    """CSV or XLSX of exactly the rows the list shows with the same filters (all pages)."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    if not has_role(request.user, Role.coordinator, Role.programme_manager, Role.administrator):
        raise Http404
    filterset = EnrolmentFilter(request.GET, queryset=_list_queryset(request.user), request=request)
    if not filterset.is_valid():
        raise Http404
    queryset = filterset.qs.order_by("participant__sort_name", "id")
    # A bulk export of personal data is logged like a view of one participant is (AVG): who,
    # when, in which format and with which filters.
    filters = {key: value for key, value in request.GET.items() if value}
    audit.record(
        actor=request.user,
        obj=request.user,
        action=AuditAction.export,
        changes={"format": file_format, "filters": filters},
        reason=gettext("Export van de deelnemerslijst"),
    )
    # And on every exported participant, so their history and access export say so.
    services.record_list_export(enrolments=queryset, by=request.user, file_format=file_format)
    if file_format == "csv":
        return exports.csv_response(queryset)
    return exports.xlsx_response(queryset)
