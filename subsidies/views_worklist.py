"""The subsidy worklists: the Subsidiebehandelaar's applications list (filters, sorting,
export, reviewers assigned in bulk) and the Beoordelaar's "Mijn beoordelingen"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from regioportal import audit
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role, roles_of

from . import exports, review
from .counting import COUNT_TTL, cached_count, data_version
from .filters import OPEN, ApplicationFilter, ReviewFilter
from .forms_worklist import AssignReviewersForm
from .models import Application, Review
from .rules import handled_scheme_ids, require
from .selectors import applications_visible_to, reviews_assigned_to
from .tables import PAGE_SIZE, REVIEW_PAGE_SIZE, ApplicationTable, ReviewTable
from .transitions import TransitionError

WORKLIST_ROLES = (Role.subsidy_officer, Role.programme_manager, Role.administrator)


class CountingPaginator(Paginator):
    """Counts ``count_queryset`` (the filtered applications), cached until subsidy data
    changes (subsidies.counting), under ``count_key``."""

    def __init__(self, object_list, per_page, *, count_queryset, count_key, request, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset
        self.count_key = count_key
        self.request = request

    @cached_property
    def count(self):
        return cached_count(self.count_queryset, key=self.count_key, request=self.request)


def counting_pagination(view, name):
    """Pagination arguments for a CountingPaginator of a list view: the filtered rows
    counted without the page's joins, cached under what decides the count: the user, their
    roles, the day and the valid filters."""
    filterset = view.filterset
    filters = filterset.form.cleaned_data if filterset.is_valid() else None
    count_key = (
        name,
        view.request.user.pk,
        sorted(roles_of(view.request.user)),
        view.today.isoformat(),
        sorted((key, str(getattr(value, "pk", value))) for key, value in filters.items())
        if filters is not None
        else "invalid",
    )
    return {
        "paginator_class": CountingPaginator,
        "count_queryset": view.object_list,
        "count_key": count_key,
        "request": view.request,
    }


def may_see_worklist(user):
    return has_role(user, *WORKLIST_ROLES)


def handled_schemes(request):
    """rules.handled_scheme_ids of the user, kept in the cache until subsidy data changes (a
    change of a scheme's handlers moves the version) or their roles do, and given to the
    user object for the rules to read in this request."""
    user = request.user
    key = "subsidies:handled:{}:{}:{}".format(
        user.pk, data_version(request), ",".join(sorted(roles_of(user)))
    )
    ids = cache.get(key)
    if ids is None:
        ids = handled_scheme_ids(user)
        cache.set(key, ids, COUNT_TTL)
    user._regioportal_handled_schemes = frozenset(ids)
    return frozenset(ids)


def assignable_applications(user):
    """The applications the user may assign reviewers to from the worklist: those of the
    schemes they handle that are not decided yet (subsidies.assign_reviewers checks each)."""
    return applications_visible_to(user).filter(
        scheme__in=handled_scheme_ids(user), status__in=review.REVIEWABLE
    )


def _filter_summary(filterset, sort):
    """The valid filters of an export (ids for objects) and its sort, for the audit log."""
    summary = {
        name: str(getattr(value, "pk", value))
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "")
    }
    if sort:
        summary["sort"] = sort
    return summary


class ApplicationListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """All applications the user may see, filtered, sorted, paginated; for the
    Subsidiebehandelaar (their schemes), the Programmamanager and the Beheerder (all)."""

    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "subsidies/worklist.html"
    table_pagination = {"per_page": PAGE_SIZE}

    def get_paginate_by(self, queryset):
        return None  # the table paginates

    def get(self, request, *args, **kwargs):
        if not may_see_worklist(request.user):
            raise Http404
        # A Subsidiebehandelaar lands on what is still to decide, most urgent first; the
        # filters show it and can be cleared.
        if not request.GET and has_role(request.user, Role.subsidy_officer):
            query = urlencode({"status": OPEN, "sort": "decision_deadline"})
            return HttpResponseRedirect(f"{reverse('subsidies:application-list')}?{query}")
        return super().get(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "today": self.today}

    def get_queryset(self):
        return applications_visible_to(self.request.user)

    @cached_property
    def selectable_schemes(self):
        return handled_schemes(self.request)

    def get_table_kwargs(self):
        return {
            "selectable_schemes": self.selectable_schemes,
            "today": self.today,
            # The page's rows are the user's visible applications (get_table_data).
            "detail_rows": Application.objects.all(),
        }

    def get_table_data(self):
        # The page is sorted and cut from the applications alone; the table then reads the
        # columns of those 50 rows (ApplicationTable.body_html), so that the joins and the
        # review subqueries run for the page, not for every filtered application.
        return self.object_list.values("pk", "reference")

    def get_table_pagination(self, table):
        return {
            **super().get_table_pagination(table),
            **counting_pagination(self, "application-list"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        if self.selectable_schemes:
            # Only shown here; the posted form checks against assignable_applications.
            context["bulk_form"] = AssignReviewersForm(
                applications=Application.objects.none(),
                choices_version=data_version(self.request),
            )
            context["list_query"] = self.request.GET.urlencode()
        return context


@login_required
def export_applications(request, file_format):
    """CSV or XLSX of exactly the rows the worklist shows with the same filters (all pages),
    in the order it shows them."""
    if file_format not in exports.CONTENT_TYPES or not may_see_worklist(request.user):
        raise Http404
    today = timezone.localdate()
    filterset = ApplicationFilter(
        request.GET,
        queryset=applications_visible_to(request.user),
        request=request,
        today=today,
    )
    if not filterset.is_valid():
        raise Http404
    queryset = filterset.qs
    sort, order = _export_order(request.GET.get("sort"), ApplicationTable([], today=today))
    queryset = queryset.order_by(*order)
    # Applications are confidential (business plans, budgets): who exported which selection,
    # when and in which format is logged, one entry per export.
    audit.record(
        actor=request.user,
        obj=request.user,
        action=AuditAction.export,
        changes={
            "format": file_format,
            "filters": _filter_summary(filterset, sort),
            "rows": queryset.count(),
        },
        reason=gettext("Export van de aanvragenlijst"),
    )
    return exports.response(queryset, file_format, today=today)


def _export_order(sort, table):
    """(sort, ORDER BY) of the list's ``sort`` parameter (a column, "-" for descending); the
    list's default for anything else, which the list ignores too."""
    names = {
        name: column.order_by
        for name, column in table.columns.items()
        if column.orderable and name != "select"
    }
    if not sort or sort.lstrip("-") not in names:
        sort = ""
    descending = sort.startswith("-")
    fields = [str(field) for field in names[sort.lstrip("-") or "decision_deadline"]]
    if descending:
        fields = [field[1:] if field.startswith("-") else f"-{field}" for field in fields]
    return sort, [*fields, "pk"]


@login_required
@require_POST
def assign_reviewers(request):
    """ "Beoordelaars toewijzen" for the applications ticked on the worklist: all in one
    transaction, each through subsidies.review.assign_reviewers (rule
    subsidies.assign_reviewers, audited on the application). Without errors back to the list
    with its filters; otherwise a page with the chosen applications and the errors."""
    if not handled_scheme_ids(request.user):
        raise PermissionDenied
    applications = assignable_applications(request.user).select_related("scheme")
    form = AssignReviewersForm(request.POST, applications=applications)
    back = _list_url(request.POST.get("terug", ""))
    if form.is_valid():
        chosen = list(form.cleaned_data["applications"].order_by("reference"))
        reviewers = list(form.cleaned_data["reviewers"])
        try:
            with transaction.atomic():
                for application in chosen:
                    require(request.user, "subsidies.assign_reviewers", application)
                    review.assign_reviewers(
                        application,
                        reviewers,
                        by=request.user,
                        due_on=form.cleaned_data["due_on"],
                    )
        except ValidationError as error:
            form.add_error(None, error)
        except TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Beoordelaars toegewezen aan %(count)s aanvraag.",
                    "Beoordelaars toegewezen aan %(count)s aanvragen.",
                    len(chosen),
                )
                % {"count": len(chosen)},
            )
            return redirect(back)
    # The applications are hidden inputs: name their errors at the top of the page.
    for error in form.errors.get("applications", []):
        form.add_error(None, error)
    wanted = [value for value in form.data.getlist("applications") if value.isdigit()]
    chosen = list(
        applications.filter(pk__in=wanted[: AssignReviewersForm.MAX_ROWS]).order_by("reference")
    )
    return render(
        request,
        "subsidies/worklist_assign.html",
        {"form": form, "chosen": chosen, "back": back, "back_query": back.partition("?")[2]},
        status=400,
    )


def _list_url(query):
    """The worklist with the filters it was submitted from. Only a query string is taken
    from the form, re-encoded, so the redirect cannot lead anywhere but the list."""
    params = QueryDict(query.lstrip("?"))
    url = reverse("subsidies:application-list")
    return f"{url}?{urlencode(list(params.lists()), doseq=True)}" if params else url


class ReviewListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """ "Mijn beoordelingen": the reviews assigned to the Beoordelaar, to declare, to write
    and written; with their due dates."""

    table_class = ReviewTable
    filterset_class = ReviewFilter
    template_name = "subsidies/review_list.html"
    table_pagination = {"per_page": REVIEW_PAGE_SIZE}

    def get_paginate_by(self, queryset):
        return None

    def get(self, request, *args, **kwargs):
        if not has_role(request.user, Role.reviewer):
            raise Http404
        return super().get(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "today": self.today}

    def get_queryset(self):
        return reviews_assigned_to(self.request.user)

    def get_table_kwargs(self):
        # The page's rows are the user's reviews (get_table_data).
        return {"today": self.today, "detail_rows": Review.objects.all()}

    def get_table_data(self):
        return self.object_list.values("pk")

    def get_table_pagination(self, table):
        return {
            **super().get_table_pagination(table),
            **counting_pagination(self, "review-list"),
        }


urlpatterns = [
    path("aanvragen/", ApplicationListView.as_view(), name="application-list"),
    path("aanvragen/export.<str:file_format>", export_applications, name="application-export"),
    path(
        "aanvragen/beoordelaars-toewijzen/",
        assign_reviewers,
        name="application-bulk-assign-reviewers",
    ),
    path("beoordelingen/", ReviewListView.as_view(), name="review-list"),
]
