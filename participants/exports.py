"""Exports of the participants list: exactly the filtered rows the user may see.

CSV is streamed row by row from a server-side cursor, so a 100.000-row export keeps the web
process's memory flat. XLSX is written with openpyxl's write-only workbook to a temporary file."""

import csv
import tempfile
from datetime import date

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .enums import EnrolmentStatus, Outcome

COLUMNS = [
    (_("Deelnemersnummer"), "participant__reference"),
    (_("Voornaam"), "participant__first_name"),
    (_("Tussenvoegsel"), "participant__surname_prefix"),
    (_("Achternaam"), "participant__last_name"),
    (_("Geboortejaar"), "participant__birth_date"),
    (_("Geboortejaar (opgegeven)"), "participant__birth_year"),
    (_("Woongemeente"), "participant__municipality__name"),
    (_("Programma"), "programme__name"),
    (_("Traject"), "track__name"),
    (_("Status"), "status"),
    (_("Coach"), "coach__username"),
    (_("Startdatum"), "start_date"),
    (_("Einddatum"), "end_date"),
    (_("Startniveau participatieladder"), "starting_ladder_level"),
    (_("Huidig niveau participatieladder"), "current_ladder_level"),
    (_("Uitstroom"), "outcome"),
    (_("Datum uitstroom"), "outcome_date"),
]
# The two birth columns are merged into one "Geboortejaar" column in the file.
HEADER = [str(label) for label, path in COLUMNS if path != "participant__birth_year"]
FIELDS = [path for _label, path in COLUMNS]
STATUS_LABELS = dict(EnrolmentStatus.choices)
OUTCOME_LABELS = dict(Outcome.choices)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _rows(queryset):
    for row in queryset.values_list(*FIELDS).iterator(chunk_size=2000):
        (reference, first, prefix, last, birth_date, birth_year, municipality, programme, track,
         status, coach, start, end, start_level, level, outcome, outcome_date) = row  # fmt: skip
        yield [
            reference,
            _safe(first),
            _safe(prefix),
            _safe(last),
            birth_date.year if birth_date else birth_year,
            municipality or "",
            programme,
            track or "",
            str(STATUS_LABELS.get(status, status)),
            coach or "",
            start,
            end,
            start_level,
            level,
            str(OUTCOME_LABELS.get(outcome, "")),
            outcome_date,
        ]


def _file_name(extension):
    return f"deelnemers-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value


def csv_response(queryset):
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow(HEADER)
        for row in _rows(queryset):
            yield writer.writerow([_csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(queryset):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Deelnemers")))
    sheet.append(HEADER)
    for row in _rows(queryset):
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response
