"""AVG (GDPR) for participants: the data export of an access request (inzageverzoek) and
who may export or erase.

The export holds everything the portal stores about one person that the requesting user
may see: personal data, consents, enrolments with their ladder history and progress
entries, and the audit trail of who saw or changed the data (under the AVG an access
request includes the recipients). The same dict is written as JSON and rendered as PDF.
"""

import re
from datetime import date

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from programmes.enums import ActivityKind
from regioportal.models import AuditAction, AuditEntry
from regioportal.roles import Role, has_role

from .enums import EnrolmentStatus, LadderLevel, Outcome
from .models import Consent, Enrolment, LadderStep, Participant, ProgressEntry
from .rules import can
from .selectors import audit_entries_visible_to, enrolments_visible_to

EXPORT_FORMATS = ("json", "pdf")
EXPORT_CSS = "css/export.css"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def can_erase_person(user, participant):
    """The full erasure: the Beheerder, or a coordinator all of whose participant's
    enrolments lie in their own programmes (participants.erase_participant)."""
    return can(user, "participants.erase_participant", participant)


def erasable_enrolments(user, participant, enrolments=None):
    """The participant's enrolments whose free text ``user`` may erase (their own
    programmes'), for the partial erasure when the person is also enrolled elsewhere.
    ``enrolments``: the visible ones, when the caller has them already."""
    if enrolments is None:
        enrolments = enrolments_visible_to(user).filter(participant=participant)
    return [
        enrolment
        for enrolment in enrolments
        if can(user, "participants.erase_enrolment", enrolment)
    ]


def can_anonymise(user, participant, enrolments=None):
    """Whether the anonymise page is open to ``user``: the Beheerder, or a coordinator
    with at least one enrolment of the participant in their own programmes (they erase the
    person or, when the person is also enrolled elsewhere, their own part). Programme
    managers read everything and change nothing."""
    return has_role(user, Role.administrator) or bool(
        erasable_enrolments(user, participant, enrolments)
    )


def export_filename(participant, file_format):
    return f"deelnemer-{participant.reference}.{file_format}"


def _choice(enum, value):
    """A choice as code and Dutch label, or None when empty."""
    if value in (None, ""):
        return None
    return {"code": value, "label": str(enum(value).label)}


def _user(user):
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _local(moment):
    return timezone.localtime(moment) if moment else None


def _field_label(name):
    """The Dutch name of a field in an audit entry's changes ("progress_entry.note")."""
    *prefix, field = name.split(".")
    models = [ProgressEntry] if prefix else [Participant, Enrolment, ProgressEntry, Consent]
    for model in models:
        try:
            label = str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            continue
        return capfirst(f"{_('voortgang')}: {label}" if prefix else label)
    return capfirst(
        {
            "progress_entry": _("voortgangsregel"),
            "programme": _("programma"),
            "format": _("bestandsformaat"),
            "filters": _("filters"),
            "fields": _("gewijzigde velden"),
            "members": _("coördinatoren"),
        }.get(field, name)
    )


def participant_export(participant, *, user):
    """Everything stored about ``participant`` that ``user`` may see, as a dict of plain
    values (dates and datetimes as objects; the JSON encoder writes them in ISO 8601).

    Labels are Dutch whatever the user's language: the export is for the participant.
    Enrolments are limited to the programmes within the user's reach (enrolments_visible_to).
    The audit trail is what audit_entries_visible_to shows the user; ``complete`` says
    whether the export holds every enrolment and every entry. Eight queries, whatever the size."""
    with translation.override(settings.LANGUAGE_CODE):
        return _participant_export(participant, user=user)


def _participant_export(participant, *, user):
    participant = Participant.objects.select_related("municipality", "created_by").get(
        pk=participant.pk
    )
    consents = Consent.objects.filter(participant=participant).select_related("recorded_by")
    enrolments = (
        enrolments_visible_to(user)
        .filter(participant=participant)
        .select_related("programme", "track", "coach")
        .prefetch_related(
            Prefetch(
                "ladder_steps",
                queryset=LadderStep.objects.select_related("recorded_by").order_by(
                    "recorded_on", "id"
                ),
            ),
            Prefetch(
                "progress_entries",
                queryset=ProgressEntry.objects.select_related("author", "group_activity").order_by(
                    "date", "id"
                ),
            ),
        )
        .order_by("start_date", "id")
    )
    enrolments = list(enrolments)
    trail = list(audit_entries_visible_to(user, participant).order_by("at", "id"))
    # Complete only when nothing was left out: every enrolment and every audit entry.
    complete = (
        len(enrolments) == Enrolment.objects.filter(participant=participant).count()
        and len(trail) == AuditEntry.objects.filter(participant=participant).count()
    )
    return {
        "export": {
            "title": _("Inzageverzoek — gegevens van deelnemer %(reference)s")
            % {"reference": participant.reference},
            "created_at": timezone.localtime(),
            "created_by": _user(user),
            "complete": complete,
        },
        "participant": {
            "reference": participant.reference,
            "first_name": participant.first_name,
            "surname_prefix": participant.surname_prefix,
            "last_name": participant.last_name,
            "birth_date": participant.birth_date,
            "birth_year": participant.birth_year,
            "municipality": participant.municipality.name if participant.municipality else None,
            "email": participant.email,
            "phone": participant.phone,
            "created_at": _local(participant.created_at),
            "created_by": _user(participant.created_by),
            "anonymised_at": _local(participant.anonymised_at),
        },
        "consents": [
            {
                "given_on": consent.given_on,
                "purpose": consent.purpose,
                "recorded_by": _user(consent.recorded_by),
                "withdrawn_on": consent.withdrawn_on,
            }
            for consent in consents
        ],
        "enrolments": [_enrolment(enrolment) for enrolment in enrolments],
        "audit_trail": [
            {
                "at": _local(entry.at),
                "actor": _user(entry.actor),
                "action": _choice(AuditAction, entry.action),
                "changes": entry.changes,
                "reason": entry.reason,
            }
            for entry in trail
        ],
    }


def _enrolment(enrolment):
    return {
        "programme": {"slug": enrolment.programme.slug, "name": enrolment.programme.name},
        "track": enrolment.track.name if enrolment.track else None,
        "coach": _user(enrolment.coach),
        "status": _choice(EnrolmentStatus, enrolment.status),
        "personal_goal": enrolment.personal_goal,
        "start_date": enrolment.start_date,
        "end_date": enrolment.end_date,
        "starting_ladder_level": _choice(LadderLevel, enrolment.starting_ladder_level),
        "current_ladder_level": _choice(LadderLevel, enrolment.current_ladder_level),
        "outcome": _choice(Outcome, enrolment.outcome),
        "outcome_date": enrolment.outcome_date,
        "ladder_history": [
            {
                "level": _choice(LadderLevel, step.level),
                "recorded_on": step.recorded_on,
                "recorded_by": _user(step.recorded_by),
            }
            for step in enrolment.ladder_steps.all()
        ],
        "progress_entries": [
            {
                "date": entry.date,
                "kind": _choice(ActivityKind, entry.kind),
                "duration_minutes": entry.duration_minutes,
                "note": entry.note,
                "milestone": entry.milestone,
                "group_activity": entry.group_activity.title if entry.group_activity else None,
                "author": _user(entry.author),
                "created_at": _local(entry.created_at),
            }
            for entry in enrolment.progress_entries.all()
        ],
    }


CHOICE_FIELDS = {
    "status": EnrolmentStatus,
    "outcome": Outcome,
    "starting_ladder_level": LadderLevel,
    "current_ladder_level": LadderLevel,
    "kind": ActivityKind,
}
EMPTY = "–"


FILE_FORMATS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "pdf": "PDF"}


def change_rows(action, changes):
    """An audit entry's changes for reading, in the history tab and the PDF export alike:
    (field label, "old → new") with Dutch labels for field names and codes and Dutch dates
    ("Bestandsformaat", "CSV"; "Uitstroom", "– → Betaald werk")."""
    return [
        (_field_label(name), _change_text(action, name, values))
        for name, values in (changes or {}).items()
    ]


def _audit_rows(trail):
    return [
        {**entry, "change_rows": change_rows(entry["action"]["code"], entry["changes"])}
        for entry in trail
    ]


def _change_text(action, name, values):
    field = name.split(".")[-1]
    if field == "fields" or not (isinstance(values, list) and len(values) == 2):
        return _display(field, values)
    old, new = (_display(field, value) for value in values)
    if action == AuditAction.create:
        return new
    if action == AuditAction.delete:
        return old
    return f"{old} → {new}"


def _display(field, value):
    if value in (None, ""):
        return EMPTY
    if field == "format" and value in FILE_FORMATS:
        return FILE_FORMATS[value]
    if field == "fields" and isinstance(value, list):
        return ", ".join(_field_label(name) for name in value)
    if isinstance(value, dict):  # a list export's filters
        return ", ".join(f"{key}={item}" for key, item in value.items())
    enum = CHOICE_FIELDS.get(field)
    if enum is not None and value in enum.values:
        return str(enum(value).label)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    return str(value)


def render_export_pdf(data):
    """The export as a tagged PDF (PDF/UA-1), A4, Dutch. Rendered in the request: one
    person's data is a few pages. Only local files may be fetched (the stylesheet)."""
    # Imported here: loading WeasyPrint (and Pango) is slow and only this request needs it.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "participants/data_export.html",
            {"data": data, "audit_rows": _audit_rows(data["audit_trail"])},
        )
    # No network: a stray http(s) URL in the template or the data fails instead of leaking.
    fetcher = URLFetcher(allowed_protocols={"file"})
    # The shipped typeface (@font-face in fonts.css) is loaded through the font configuration.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=finders.find(EXPORT_CSS), url_fetcher=fetcher, font_config=fonts)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1", font_config=fonts
    )
