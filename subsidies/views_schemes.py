"""Scheme and tender pages: the scheme list, a scheme's page (criteria, tenders, figures), a
tender's page (requested, granted and ceiling, counts by status), and the forms that create
and change them. Figures count only the applications the user may see
(subsidies.selectors.applications_visible_to).

Who sees these pages: the Subsidiebehandelaar, Programmamanager and Beheerder
(schemes_visible_to); anyone else gets "not found", as for the application lists. Who
changes: subsidies.rules, checked here to offer the buttons and again in subsidies.schemes."""

import re

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from regioportal.audit import entries_for
from regioportal.roles import Role, has_role
from regioportal.templatetags.portal import euro

from . import schemes
from .enums import ApplicationStatus
from .figures import scheme_figures, with_counts
from .forms_schemes import CeilingForm, CriterionFormSet, SchemeFilter, SchemeForm, TenderForm
from .models import Application, Scheme, Tender
from .rules import can, handles_scheme, require
from .selectors import applications_visible_to, schemes_visible_to, tenders_visible_to

PAGE_SIZE = 25
# A scheme code in an address; anything else (a NUL byte would make the database refuse the
# query) finds nothing.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,29}")
GRANTED = ApplicationStatus.granted_group()


def optional_url(name, **kwargs):
    """The URL of a named view, or None while the portal has no such view."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _require_scheme_pages(user):
    if not has_role(user, Role.subsidy_officer, Role.programme_manager, Role.administrator):
        raise Http404


def _visible_scheme(user, code, queryset=None):
    if not CODE.fullmatch(code):
        raise Http404
    return get_object_or_404(
        (queryset if queryset is not None else schemes_visible_to(user)).select_related(
            "line", "line__umbrella"
        ),
        code=code,
    )


def _distinct_visible(user):
    """The applications the user may see, once each (the visibility filter spans relations)."""
    return Application.objects.filter(pk__in=applications_visible_to(user).values("pk"))


def _add_errors(form, error):
    """Put the Dutch messages of a domain ValidationError on the form: on the field they are
    about, else at the top (``criteria``, a field the form does not show)."""
    for name, messages_ in error.message_dict.items():
        field = form.fields.get(name)
        for message in messages_:
            form.add_error(name if field is not None and not field.disabled else None, message)


# The scheme list --------------------------------------------------------------------------------


class SchemeTable(tables.Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Regeling"), attrs={"td": {"class": "table-title"}}
    )
    code = tables.Column(verbose_name=gettext_lazy("Code"))
    line = tables.Column(verbose_name=gettext_lazy("Programmalijn"), order_by=("line__name",))
    allocation_method = tables.Column(verbose_name=gettext_lazy("Verdeelmethode"))
    decision_weeks = tables.Column(
        verbose_name=gettext_lazy("Beslistermijn (weken)"), attrs={"td": {"class": "numeric"}}
    )
    tender_count = tables.Column(
        verbose_name=gettext_lazy("Tenders"), attrs={"td": {"class": "numeric"}}
    )
    application_count = tables.Column(
        verbose_name=gettext_lazy("Aanvragen"), attrs={"td": {"class": "numeric"}}
    )
    granted_count = tables.Column(
        verbose_name=gettext_lazy("Gehonoreerd"), attrs={"td": {"class": "numeric"}}
    )
    granted_amount = tables.Column(
        verbose_name=gettext_lazy("Verleend"), attrs={"td": {"class": "numeric"}}
    )
    is_active = tables.BooleanColumn(verbose_name=gettext_lazy("Actief"), yesno=("ja", "nee"))

    class Meta:
        model = Scheme
        fields = ()
        sequence = (
            "name", "code", "line", "allocation_method", "decision_weeks", "tender_count",
            "application_count", "granted_count", "granted_amount", "is_active",
        )  # fmt: skip
        order_by = ("name",)
        empty_text = gettext_lazy("Geen regelingen gevonden met deze filters.")
        attrs = {"class": "data-table"}

    caption = gettext_lazy("Subsidieregelingen")

    def paginate(self, *args, **kwargs):
        # Always the view's page size (see programmes.tables.ProgrammeTable.paginate).
        kwargs["per_page"] = PAGE_SIZE
        return super().paginate(*args, **kwargs)

    def render_name(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("subsidies:scheme-detail", args=[record.code]),
            record.name,
        )

    def value_name(self, record):
        return record.name

    def render_allocation_method(self, record):
        return record.get_allocation_method_display()

    def value_allocation_method(self, record):
        return str(record.get_allocation_method_display())

    def render_granted_amount(self, value):
        return euro(value)

    def value_granted_amount(self, value):
        return value

    def value_is_active(self, value):
        return _("ja") if value else _("nee")


class SchemeListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The schemes, each with its tenders, applications and grants (of the applications the
    user may see): filter, sort, paginate, export (CSV, Excel)."""

    table_class = SchemeTable
    filterset_class = SchemeFilter
    template_name = "subsidies/scheme_list.html"
    table_pagination = {"per_page": PAGE_SIZE}
    export_formats = ("csv", "xlsx")
    export_name = "regelingen"
    export_trigger_param = "export"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_scheme_pages(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return None  # the table paginates

    def get_queryset(self):
        return with_counts(
            schemes_visible_to(self.request.user).select_related("line"),
            applications_visible_to(self.request.user),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "sort", "export"):
            query.pop(name, None)
        context["export_query"] = query.urlencode()
        context["can_add"] = can(self.request.user, "subsidies.add_scheme")
        return context


scheme_list = SchemeListView.as_view()


# The scheme page --------------------------------------------------------------------------------


def _tenders_with_totals(scheme, applications):
    """The scheme's tenders, newest first, each with the number and the requested total of
    the applications in ``applications``. One query."""
    rows = applications.filter(tender=OuterRef("pk")).order_by().values("tender")
    return list(
        Tender.objects.filter(scheme=scheme)
        .annotate(
            application_count=Coalesce(
                Subquery(rows.annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            requested=Coalesce(
                Subquery(rows.annotate(n=Sum("requested_amount")).values("n")[:1]),
                Value(0),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
        )
        .order_by("-opens_at", "-id")
    )


@login_required
def scheme_detail(request, code):
    """The scheme: its description, criteria, amounts and terms, tenders with their ceilings,
    and its figures from the data. A fixed number of queries."""
    _require_scheme_pages(request.user)
    scheme = _visible_scheme(request.user, code)
    applications = _distinct_visible(request.user)
    criteria = list(scheme.criteria.all())
    total_weight = sum((criterion.weight for criterion in criteria), 0)
    highest_score = sum((criterion.weight * criterion.max_points for criterion in criteria), 0)
    figures = scheme_figures(Scheme.objects.filter(pk=scheme.pk), applications)[0]
    tenders = _tenders_with_totals(scheme, applications)
    for tender in tenders:
        tender.remaining = tender.ceiling - tender.granted_total
    reads_all = has_role(request.user, Role.programme_manager, Role.administrator)
    return render(
        request,
        "subsidies/scheme_detail.html",
        {
            "scheme": scheme,
            "criteria": criteria,
            "total_weight": total_weight,
            "highest_score": highest_score,
            "tenders": tenders,
            "figures": figures,
            "handlers": list(scheme.handlers.order_by("last_name", "first_name", "username")),
            "can_edit": can(request.user, "subsidies.edit_scheme", scheme),
            "can_add_tender": can(request.user, "subsidies.edit_tender", Tender(scheme=scheme)),
            # An officer who does not handle the scheme sees none of its applications.
            "partial_view": not reads_all and not handles_scheme(request.user, scheme),
        },
    )


# Creating and editing a scheme ------------------------------------------------------------------


def _scheme_form_page(request, scheme=None):
    creating = scheme is None
    with_handlers = can(request.user, "subsidies.edit_scheme_handlers")
    scored = frozenset() if creating else schemes.scored_criterion_ids(scheme)
    code_fixed = not creating and Application.objects.filter(scheme=scheme).exists()
    instance = scheme or Scheme()
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=instance, with_handlers=with_handlers, code_fixed=code_fixed)
    formset = CriterionFormSet(data, instance=instance, prefix="criteria", scored=scored)
    formset.scheme_form = form
    if request.method == "POST":
        form_valid = form.is_valid()
        if formset.is_valid() and form_valid:
            values = {
                name: form.cleaned_data[name]
                for name in schemes.SCHEME_FIELDS
                if name in form.cleaned_data
            }
            handlers = form.cleaned_data.get("handlers") if with_handlers else None
            try:
                if creating:
                    scheme = schemes.create_scheme(
                        by=request.user, data=values, criteria=formset.rows(), handlers=handlers
                    )
                    messages.success(
                        request, _("De regeling %(name)s is aangemaakt.") % {"name": scheme.name}
                    )
                else:
                    scheme = schemes.update_scheme(
                        scheme,
                        by=request.user,
                        data=values,
                        criteria=formset.rows(),
                        handlers=handlers,
                    )
                    messages.success(
                        request, _("De regeling %(name)s is opgeslagen.") % {"name": scheme.name}
                    )
                return redirect("subsidies:scheme-detail", code=scheme.code)
            except ValidationError as error:
                _add_errors(form, error)
    return render(
        request,
        "subsidies/scheme_form.html",
        {"scheme": scheme, "form": form, "formset": formset, "creating": creating},
    )


@login_required
def scheme_create(request):
    _require_scheme_pages(request.user)
    require(request.user, "subsidies.add_scheme")
    return _scheme_form_page(request)


@login_required
def scheme_edit(request, code):
    _require_scheme_pages(request.user)
    scheme = _visible_scheme(request.user, code)
    require(request.user, "subsidies.edit_scheme", scheme)
    return _scheme_form_page(request, scheme)


# Tenders --------------------------------------------------------------------------------------


def _visible_tender(user, pk):
    return get_object_or_404(
        tenders_visible_to(user).select_related("scheme", "scheme__line"), pk=pk
    )


@login_required
def tender_detail(request, pk):
    """The tender: ceiling, reserve, granted and remaining; what the applications the user may
    see request and were granted, by status; the applications themselves, in ranking order.
    A fixed number of queries."""
    _require_scheme_pages(request.user)
    tender = _visible_tender(request.user, pk)
    applications = _distinct_visible(request.user).filter(tender=tender)
    by_status = {
        row["status"]: row
        for row in applications.order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            requested=Sum("requested_amount"),
            granted=Sum("granted_amount", filter=Q(status__in=GRANTED)),
        )
    }
    status_rows = [
        {
            "status": status,
            "count": by_status.get(status.value, {}).get("count", 0),
            "requested": by_status.get(status.value, {}).get("requested") or 0,
            "granted": by_status.get(status.value, {}).get("granted") or 0,
        }
        for status in ApplicationStatus
    ]
    requested = sum((row["requested"] for row in status_rows), 0)
    remaining = tender.ceiling - tender.granted_total
    rows = list(
        applications.select_related("applicant").order_by(
            "rank", "-score_total", "received_at", "received_on", "reference"
        )
    )
    can_edit = can(request.user, "subsidies.edit_tender", tender)
    return render(
        request,
        "subsidies/tender_detail.html",
        {
            "tender": tender,
            "scheme": tender.scheme,
            "status_rows": status_rows,
            "application_count": sum(row["count"] for row in status_rows),
            "requested": requested,
            "remaining": remaining,
            # What a regular grant may still use: the reserve stays free for objections.
            "available": max(remaining - tender.reserve, 0),
            "applications": rows,
            "ceiling_changes": [
                entry
                for entry in entries_for(tender).order_by("-at", "-id")
                if "ceiling" in entry.changes
            ],
            "ranking_url": optional_url("subsidies:tender-ranking", pk=tender.pk),
            "can_edit": can_edit,
            "can_register": can(request.user, "subsidies.register_application", tender.scheme),
        },
    )


def _tender_form_page(request, *, scheme, tender=None):
    form = TenderForm(request.POST or None, instance=tender or Tender(scheme=scheme))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if tender is None:
                tender = schemes.create_tender(scheme, by=request.user, data=values)
                messages.success(
                    request, _("De tender %(name)s is aangemaakt.") % {"name": tender.name}
                )
            else:
                tender = schemes.update_tender(tender, by=request.user, data=values)
                messages.success(
                    request, _("De tender %(name)s is opgeslagen.") % {"name": tender.name}
                )
            return redirect("subsidies:tender-detail", pk=tender.pk)
        except ValidationError as error:
            _add_errors(form, error)
    return render(
        request,
        "subsidies/tender_form.html",
        {"scheme": scheme, "tender": tender, "form": form, "creating": tender is None},
    )


@login_required
def tender_create(request, code):
    _require_scheme_pages(request.user)
    scheme = _visible_scheme(request.user, code)
    require(request.user, "subsidies.edit_tender", Tender(scheme=scheme))
    return _tender_form_page(request, scheme=scheme)


@login_required
def tender_edit(request, pk):
    _require_scheme_pages(request.user)
    tender = _visible_tender(request.user, pk)
    require(request.user, "subsidies.edit_tender", tender)
    return _tender_form_page(request, scheme=tender.scheme, tender=tender)


@login_required
def tender_raise_ceiling(request, pk):
    """Change the tender's subsidieplafond, with a reason (subsidies.schemes.change_ceiling)."""
    _require_scheme_pages(request.user)
    tender = _visible_tender(request.user, pk)
    if not can(request.user, "subsidies.edit_tender", tender):
        raise PermissionDenied
    form = CeilingForm(request.POST or None, initial={"new_ceiling": tender.ceiling})
    if request.method == "POST" and form.is_valid():
        try:
            changed = schemes.change_ceiling(
                tender,
                new_ceiling=form.cleaned_data["new_ceiling"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if changed.ceiling == tender.ceiling:
                messages.info(request, _("Het plafond is niet gewijzigd: het bedrag is hetzelfde."))
            else:
                messages.success(
                    request,
                    _("Het subsidieplafond is gewijzigd van %(old)s in %(new)s.")
                    % {"old": euro(tender.ceiling), "new": euro(changed.ceiling)},
                )
            return redirect("subsidies:tender-detail", pk=tender.pk)
    return render(
        request,
        "subsidies/tender_form.html",
        {"tender": tender, "scheme": tender.scheme, "form": form, "ceiling": True},
    )


urlpatterns = [
    path("regelingen/", scheme_list, name="scheme-list"),
    path("regelingen/nieuw/", scheme_create, name="scheme-create"),
    path("regelingen/<str:code>/", scheme_detail, name="scheme-detail"),
    path("regelingen/<str:code>/bewerken/", scheme_edit, name="scheme-edit"),
    path("regelingen/<str:code>/tenders/nieuw/", tender_create, name="tender-create"),
    path("tenders/<int:pk>/", tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/bewerken/", tender_edit, name="tender-edit"),
    path("tenders/<int:pk>/plafond/", tender_raise_ceiling, name="tender-raise-ceiling"),
]
