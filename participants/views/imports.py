"""Bulk intake from CSV: the upload form, the template download and the status page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from regioportal import audit
from regioportal.models import AuditAction

from ..enums import Outcome
from ..forms_import import ParticipantImportForm
from ..imports import (
    COLUMNS,
    REQUIRED_COLUMNS,
    error_summary,
    programmes_to_import_into,
    start_import,
    template_csv,
)
from ..models import ImportStatus
from ..rules import require
from ..selectors import imports_visible_to
from .participant import SLUG

RULE = "participants.import_participants"


@login_required
def import_upload(request):
    require(request.user, RULE)
    programmes = programmes_to_import_into(request.user)
    # A programme outside the user's reach does not exist for them (404, not a form error).
    requested = request.POST.get("programme") or request.GET.get("programme")
    if requested and not SLUG.fullmatch(requested):
        raise Http404  # not a slug (a NUL byte would make the database refuse the query)
    programme = get_object_or_404(programmes, slug=requested) if requested else None
    posted = request.method == "POST"
    form = ParticipantImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        programmes=programmes,
        initial={"programme": programme},
    )
    if posted and form.is_valid():
        participant_import = start_import(
            programme=form.cleaned_data["programme"],
            upload=form.cleaned_data["file"],
            by=request.user,
        )
        return redirect("participants:import-status", pk=participant_import.pk)
    recent = (
        imports_visible_to(request.user)
        .filter(uploaded_by=request.user)
        .select_related("programme")[:5]
    )
    return render(
        request,
        "participants/import_upload.html",
        {
            "form": form,
            "columns": _column_help(),
            "recent_imports": recent,
        },
    )


def _column_help():
    descriptions = {
        "voornaam": _("Voornaam (roepnaam)."),
        "tussenvoegsel": _("Tussenvoegsel, bijvoorbeeld de of van der (mag leeg)."),
        "achternaam": _("Achternaam zonder tussenvoegsel: Boer voor Eva de Boer."),
        "geboortedatum": _("dd-mm-jjjj. Vul een geboortedatum óf een geboortejaar in."),
        "geboortejaar": _("Bijvoorbeeld 1998, als de geboortedatum niet bekend is."),
        "gemeente": _("Woongemeente: de naam of de CBS-code (GM0014)."),
        "email": _("E-mailadres."),
        "telefoon": _("Telefoonnummer, bijvoorbeeld 06-12345678."),
        "traject": _("De naam van een traject van het programma."),
        "coach": _("Gebruikersnaam van een coördinator van het programma."),
        "persoonlijk_doel": _("Het persoonlijk doel uit de intake."),
        "startdatum": _("dd-mm-jjjj; hoogstens een jaar vooruit."),
        "startniveau_ladder": _("Participatieladder, 1 tot en met 6."),
        "toestemming_datum": _("dd-mm-jjjj; de dag waarop de deelnemer toestemming gaf."),
        "toestemming_doel": _("Waarvoor de deelnemer toestemming gaf."),
        "uitstroom": _("Alleen voor afgeronde of lopende trajecten uit het verleden: %(outcomes)s.")
        % {"outcomes": ", ".join(str(o.label) for o in Outcome)},
        "uitstroom_datum": _("dd-mm-jjjj; verplicht bij een uitstroom."),
        "einddatum": _(
            "dd-mm-jjjj; einde van de inschrijving. Leeg: gelijk aan de uitstroomdatum "
            "(bij 'nog bezig' leeg laten)."
        ),
    }
    return [
        {"name": name, "required": name in REQUIRED_COLUMNS, "description": descriptions[name]}
        for name in COLUMNS
    ]


@login_required
def import_template(request):
    require(request.user, RULE)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deelnemers-sjabloon.csv"'
    return response


@never_cache
@login_required
def import_status(request, pk):
    participant_import = get_object_or_404(
        imports_visible_to(request.user).select_related("programme", "uploaded_by"), pk=pk
    )
    finished = participant_import.status in (ImportStatus.done, ImportStatus.failed)
    if _wants_json(request):
        response = JsonResponse(_status_json(participant_import, finished))
    else:
        shown_errors, more_errors = error_summary(participant_import)
        # Rejected rows are quoted with their values (names, dates): a view of personal data.
        # Without them (queued, running, imported) the page shows only counts, and is not
        # logged on each of its automatic refreshes.
        if shown_errors:
            audit.record(actor=request.user, obj=participant_import, action=AuditAction.view)
        response = render(
            request,
            "participants/import_status.html",
            {
                "participant_import": participant_import,
                "finished": finished,
                # Without script the page reloads itself until the import is finished; the
                # user can switch that off (WCAG 2.2.1).
                "auto_refresh": not finished and request.GET.get("verversen") != "uit",
                "progress_text": _progress_text(participant_import),
                "shown_errors": shown_errors,
                "more_errors": more_errors,
                "json_url": reverse("participants:import-status", args=[pk]) + "?format=json",
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


def _wants_json(request):
    if request.GET.get("format") == "json":
        return True
    # A browser accepts */* as well; only a client that asks for JSON and not HTML gets it.
    return request.accepts("application/json") and not request.accepts("text/html")


def _progress_text(participant_import):
    if participant_import.status == ImportStatus.queued:
        return _("In de wachtrij; het importeren begint zo.")
    if (
        participant_import.status == ImportStatus.running
        and participant_import.processed_rows >= participant_import.total_rows
    ):
        return _("Alle rijen zijn gecontroleerd; de deelnemers worden aangemaakt.")
    return _("%(processed)s van %(total)s rijen gecontroleerd.") % {
        "processed": number_format(participant_import.processed_rows, force_grouping=True),
        "total": number_format(participant_import.total_rows, force_grouping=True),
    }


def _status_json(participant_import, finished):
    return {
        "status": participant_import.status,
        "status_display": participant_import.get_status_display(),
        "finished": finished,
        "total_rows": participant_import.total_rows,
        "processed_rows": participant_import.processed_rows,
        "created_count": participant_import.created_count,
        "error_count": len(participant_import.errors),
        "progress_text": _progress_text(participant_import),
    }
