"""The application pages: registering, the application page, correcting registered data,
its history, attachments (upload and permission-checked download).

Who reaches what (tests/subsidies/test_access_matrix.py): an application outside
subsidies.selectors.applications_visible_to is a 404 on every page; its documents (budget,
attachments) also for a reviewer who has not declared to have no conflict of interest
(may_see_documents); its history is for those who handle it, the Programmamanager and the
Beheerder (a 404 for a reviewer); writing is subsidies.rules' (403 for a visible application
the user may not change)."""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from regioportal import audit
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role

from . import deadlines, files, registration
from .de_minimis import de_minimis_check
from .enums import ApplicationStatus, Channel, RejectionReason
from .forms_applications import (
    ApplicationEditForm,
    AttachmentForm,
    RegistrationForm,
    budget_formset,
)
from .models import Application, Attachment, Scheme
from .rules import can, require
from .selectors import applications_visible_to, may_see_documents

# A zaaknummer or scheme code as the portal makes them; anything else finds nothing (a NUL
# byte would make the database refuse the query).
CODE = re.compile(r"[-A-Za-z0-9_.]{1,30}")
HISTORY_PAGE_SIZE = 50


def _code_or_404(value):
    if not isinstance(value, str) or not CODE.fullmatch(value):
        raise Http404
    return value


def visible_application(request, reference):
    """The application with ``reference`` if the user may see it, else 404."""
    return get_object_or_404(
        applications_visible_to(request.user).select_related(
            "scheme", "tender", "applicant", "programme", "handler"
        ),
        reference=_code_or_404(reference),
    )


def may_read_history(user, application):
    """The history quotes every earlier value and who did what: for those who handle the
    application, the Programmamanager and the Beheerder."""
    return has_role(user, Role.programme_manager, Role.administrator) or can(
        user, "subsidies.handle_application", application
    )


# --- registering --------------------------------------------------------------------------------


@login_required
def add(request):
    """Register an application received by post, e-mail or eLoket (Subsidiebehandelaar, for
    the schemes they handle). ``?scheme=CODE`` chooses the scheme beforehand."""
    require(request.user, "subsidies.register_application")
    schemes = Scheme.objects.filter(handlers=request.user, is_active=True).order_by("name")
    scheme = None
    code = request.GET.get("scheme")
    if code:
        scheme = get_object_or_404(schemes, code=_code_or_404(code))
    posted = request.method == "POST"
    form = RegistrationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        schemes=schemes,
        scheme=scheme,
    )
    formset = budget_formset(request.POST if posted else None)
    if posted and form.is_valid() and formset.is_valid():
        try:
            application = registration.register_application(
                scheme=form.cleaned_data["scheme"],
                tender=form.cleaned_data["tender"],
                by=request.user,
                data=form.registration_data(),
                budget_lines=formset.lines(),
                attachments=form.attachments(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Aanvraag %(reference)s is geregistreerd. De beslistermijn loopt tot %(date)s.")
                % {
                    "reference": application.reference,
                    "date": application.decision_deadline.strftime("%d-%m-%Y"),
                },
            )
            check = de_minimis_check(application, application.requested_amount)
            if check.warning:
                messages.warning(request, check.warning)
            return redirect(application)
    return render(
        request,
        "subsidies/application_add.html",
        {"form": form, "formset": formset, "schemes": schemes, "scheme": scheme},
        status=400 if form.errors or formset.total_error_count() else 200,
    )


def _add_errors(form, error):
    """A domain ValidationError onto the form: at its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


# --- the application page -----------------------------------------------------------------------


@login_required
@require_GET
def detail(request, reference):
    application = visible_application(request, reference)
    user = request.user
    documents = may_see_documents(user, application)
    can_handle = can(user, "subsidies.handle_application", application)
    show_history = may_read_history(user, application)
    budget_lines = list(application.budget_lines.all()) if documents else []
    today = timezone.localdate()
    check = None
    if show_history and application.status in ApplicationStatus.open():
        check = de_minimis_check(application, application.requested_amount, on=today)
    context = {
        "application": application,
        "may_see_documents": documents,
        "can_handle": can_handle,
        "can_edit": can_handle and application.status in registration.EDITABLE_STATUSES,
        "show_history": show_history,
        "budget_lines": budget_lines,
        "budget_total": registration.budget_total(
            [{"amount": line.amount} for line in budget_lines]
        ),
        "attachments": (
            list(
                application.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
            )
            if documents
            else []
        ),
        "decisions": list(application.decisions.select_related("decided_by", "supersedes")),
        "payments": list(application.payments.all()),
        "objections": list(
            application.objections.select_related("decision").order_by("-received_on", "-id")
        ),
        "deadline_state": deadlines.deadline_state(application, today),
        "de_minimis": check,
        "de_minimis_declaration_missing": application.scheme.is_de_minimis
        and not application.de_minimis_declared
        and application.status in ApplicationStatus.open(),
        "tab": "overzicht",
    }
    return render(request, "subsidies/application_detail.html", context)


# --- correcting registered data -----------------------------------------------------------------


@login_required
def edit(request, reference):
    application = visible_application(request, reference)
    require(request.user, "subsidies.handle_application", application)
    if application.status not in registration.EDITABLE_STATUSES:
        messages.info(
            request, _("Alleen een ontvangen of onvolledige aanvraag kan worden gewijzigd.")
        )
        return redirect(application)
    posted = request.method == "POST"
    lines = list(application.budget_lines.all())
    form = ApplicationEditForm(
        request.POST if posted else None,
        initial={name: getattr(application, name) for name in registration.REGISTERED_FIELDS},
    )
    formset = budget_formset(
        request.POST if posted else None,
        initial=[{"description": line.description, "amount": line.amount} for line in lines],
        extra=3,
    )
    if posted and form.is_valid() and formset.is_valid():
        try:
            registration.update_application(
                application,
                by=request.user,
                data=form.cleaned_data,
                budget_lines=formset.lines(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De gegevens van de aanvraag zijn opgeslagen."))
            return redirect(application)
    return render(
        request,
        "subsidies/application_edit.html",
        {"application": application, "form": form, "formset": formset},
        status=400 if form.errors or formset.total_error_count() else 200,
    )


# --- history ------------------------------------------------------------------------------------


@login_required
@require_GET
def history_page(request, reference):
    application = visible_application(request, reference)
    if not may_read_history(request.user, application):
        raise Http404
    entries = Paginator(
        audit.entries_for(application).order_by("-at", "-id"), HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    for entry in entries:
        entry.change_rows = change_rows(entry.action, entry.changes)
    return render(
        request,
        "subsidies/application_history.html",
        {"application": application, "audit_entries": entries, "tab": "geschiedenis"},
    )


EMPTY = "–"
# Keys of audit changes that are no field of the application, with their Dutch label.
CHANGE_LABELS = {
    "budget_lines": _lazy("Begroting"),
    "attachments": _lazy("Bijlagen"),
}
CHOICE_FIELDS = {
    "status": ApplicationStatus,
    "channel": Channel,
    "rejection_reason": RejectionReason,
    "reason": RejectionReason,
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def change_rows(action, changes):
    """An audit entry's changes for reading: (label, "old → new"), with the application's
    Dutch field names, status labels and Dutch dates; keys other helpers record that are no
    field of the application are shown as they are."""
    rows = []
    for name, values in (changes or {}).items():
        if isinstance(values, list) and len(values) == 2:
            old, new = (_change_value(name, value) for value in values)
            if action == AuditAction.create or values[0] is None and old == EMPTY:
                text = new
            else:
                text = f"{old} → {new}"
        else:
            text = _change_value(name, values)
        rows.append((_change_label(name), text))
    return rows


def _change_label(name):
    if name in CHANGE_LABELS:
        return CHANGE_LABELS[name]
    try:
        return capfirst(Application._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def _change_value(name, value):
    if value in (None, ""):
        return EMPTY
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    enum = CHOICE_FIELDS.get(name)
    if enum is not None and value in enum.values:
        return str(enum(value).label)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    if isinstance(value, str) and ISO_DATE.match(value) and "T" in value:
        try:
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
        return moment.strftime("%d-%m-%Y %H:%M")
    return str(value)


# --- attachments --------------------------------------------------------------------------------


@login_required
def add_attachments(request, reference):
    application = visible_application(request, reference)
    require(request.user, "subsidies.handle_application", application)
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        added = []
        try:
            for upload in form.cleaned_data["files"]:
                added.append(
                    registration.add_attachment(
                        application, upload, form.cleaned_data["kind"], by=request.user
                    )
                )
        except ValidationError as error:
            _add_errors(form, error)
        if added and not form.errors:
            messages.success(
                request,
                ngettext(
                    "%(count)s bijlage toegevoegd.", "%(count)s bijlagen toegevoegd.", len(added)
                )
                % {"count": len(added)},
            )
            return redirect(f"{application.get_absolute_url()}#bijlagen")
    return render(
        request,
        "subsidies/application_attachments.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def download_attachment(request, reference, pk):
    """An attachment as a download, for those who may see the application's documents."""
    application = visible_application(request, reference)
    if not may_see_documents(request.user, application):
        raise Http404
    attachment = get_object_or_404(Attachment, application=application, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    audit.record(
        actor=request.user,
        obj=application,
        action=AuditAction.view,
        changes={"attachments": [None, attachment.original_name]},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=files.download_name(attachment),
        content_type=attachment.content_type,
    )
    # Confidential business documents: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("aanvragen/nieuw/", add, name="application-add"),
    path("aanvragen/<str:reference>/", detail, name="application-detail"),
    path("aanvragen/<str:reference>/wijzigen/", edit, name="application-edit"),
    path("aanvragen/<str:reference>/geschiedenis/", history_page, name="application-history"),
    path("aanvragen/<str:reference>/bijlagen/", add_attachments, name="application-attachments"),
    path(
        "aanvragen/<str:reference>/bijlagen/<int:pk>/",
        download_attachment,
        name="attachment-download",
    ),
]
