"""Exports of the applications worklist: exactly the filtered rows the user may see, as CSV or
XLSX (tablib). At province scale (20.000 applications) the whole set fits in memory easily."""

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import deadline_state
from .enums import ApplicationStatus, Channel, RejectionReason
from .filters import DEADLINE_CHOICES
from .tables import DeadlineRow

COLUMNS = [
    (_("Zaaknummer"), "reference"),
    (_("Projecttitel"), "title"),
    (_("Aanvrager"), "applicant__name"),
    (_("Gemeente aanvrager"), "applicant__municipality__name"),
    (_("Regeling"), "scheme__name"),
    (_("Tenderronde"), "tender__name"),
    (_("Status"), "status"),
    (_("Ontvangen via"), "channel"),
    (_("Ontvangen op"), "received_on"),
    (_("Beslistermijn tot"), "decision_deadline"),
    (_("Stand beslistermijn"), None),
    (_("Aangevraagd bedrag (€)"), "requested_amount"),
    (_("Verleend bedrag (€)"), "granted_amount"),
    (_("Vastgesteld bedrag (€)"), "settled_amount"),
    (_("Gewogen totaalscore"), "score_total"),
    (_("Besloten op"), "decided_on"),
    (_("Reden afwijzing"), "rejection_reason"),
    (_("Contactpersoon"), "contact_name"),
    (_("E-mailadres contactpersoon"), "contact_email"),
    (_("Behandelaar"), "handler__username"),
]
FIELDS = [path for _label, path in COLUMNS if path]
STATUS_LABELS = dict(ApplicationStatus.choices)
CHANNEL_LABELS = dict(Channel.choices)
REJECTION_LABELS = dict(RejectionReason.choices)
DEADLINE_LABELS = dict(DEADLINE_CHOICES)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(value):
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def dataset(queryset, *, today, for_csv=False):
    """The rows of ``queryset`` (the filtered applications) as a tablib Dataset. Dates as
    dd-mm-jjjj in CSV, as dates in XLSX."""
    data = tablib.Dataset(headers=[str(label) for label, _path in COLUMNS])
    for row in queryset.values(*FIELDS).iterator(chunk_size=2000):
        state = deadline_state(DeadlineRow(row["status"], row["decision_deadline"]), today)
        values = {
            **row,
            "status": str(STATUS_LABELS.get(row["status"], row["status"])),
            "channel": str(CHANNEL_LABELS.get(row["channel"], row["channel"])),
            "rejection_reason": str(REJECTION_LABELS.get(row["rejection_reason"], "")),
        }
        line = []
        for _label, path in COLUMNS:
            value = str(DEADLINE_LABELS.get(state, "")) if path is None else values[path]
            if value is None:
                value = ""
            elif for_csv and hasattr(value, "strftime"):
                value = value.strftime("%d-%m-%Y")
            line.append(_safe(value))
        data.append(line)
    return data


def file_name(extension):
    return f"aanvragen-{timezone.localdate():%Y-%m-%d}.{extension}"


def response(queryset, file_format, *, today):
    if file_format == "csv":
        content = "\ufeff" + dataset(queryset, today=today, for_csv=True).export(
            "csv", delimiter=";"
        )
    else:
        data = dataset(queryset, today=today)
        data.title = str(_("Aanvragen"))
        content = data.export("xlsx")
    result = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    result["Content-Disposition"] = f'attachment; filename="{file_name(file_format)}"'
    result["Cache-Control"] = "no-store"
    return result
