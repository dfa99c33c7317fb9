"""Changing a factsheet's narrative: the domain functions the edit pages call.

Both check the edit rule themselves (reports.edit_factsheet), so a form, a command or a future
API cannot skip it, and both write one audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regioportal import audit
from regioportal.models import AuditAction

from . import content
from .models import Factsheet, FactsheetKind
from .rules import can

# The narrative fields staff edit in the browser, in the order of the sheet.
EDITABLE_FIELDS = Factsheet.NARRATIVE_FIELDS

# Prefilled sheet content, not UI text: the factsheets are Dutch whatever the editor's
# language (like the seed texts in reports/demo.py), so these are not translated.
STANDARD_INTRO = (
    "Dit feitenblad is onderdeel van de terugblik op het %(umbrella)s. We presenteren de "
    "resultaten en hebben in het bijzonder aandacht voor de ervaring van de gebruiker, waarbij "
    "aandacht is voor de maatschappelijke opgaven, beoogde effecten en het proces binnen het "
    "programma. In dit kader wordt %(programme)s uitgelicht."
)


class StaleFactsheet(ValidationError):
    """The factsheet changed after the editor opened the form."""


def _name(user):
    if user is None:
        return _("een ander")
    return user.get_full_name() or user.get_username()


SPEAKER_MARK = "—"


def parse_quotes(text):
    """``[(quote, speaker), …]`` from the ``quotes`` field, read as the sheet reads it
    (reports.content.quotes): one quote per paragraph, the speaker (if any) on the
    paragraph's last line after a dash; speaker is "" when none is given."""
    return [(quote["text"], quote["speaker"]) for quote in content.quotes(text)]


def update_factsheet(*, factsheet, by, expected_updated_at=None, **fields):
    """Save the changed narrative ``fields`` of ``factsheet`` on behalf of ``by``.

    Raises PermissionDenied unless ``by`` may edit it, and StaleFactsheet when
    ``expected_updated_at`` (the moment the editor's form was made) no longer matches: someone
    else saved in between, and overwriting their text silently would lose it. The row is locked
    while comparing, so two saves of the same form cannot both pass.

    Effects: the changed fields, ``updated_by`` and ``updated_at`` are saved; one audit entry
    holds ``{field: [old, new]}`` for every changed field. Nothing is written when nothing
    changed. Returns the (refreshed) factsheet."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if not can(by, "reports.edit_factsheet", factsheet):
        raise PermissionDenied
    with transaction.atomic():
        current = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
        if expected_updated_at is not None and current.updated_at != expected_updated_at:
            raise StaleFactsheet(
                _(
                    "Dit feitenblad is gewijzigd sinds u het formulier opende (door %(user)s). "
                    "Uw wijzigingen zijn niet opgeslagen; ze staan hieronder nog. Vergelijk ze "
                    "met de nieuwe versie en sla opnieuw op als u die wilt vervangen."
                )
                % {"user": _name(current.updated_by)},
                code="stale",
            )
        before = audit.snapshot(current, fields)
        for name, value in fields.items():
            setattr(current, name, value)
        changes = audit.diff(before, current)
        if not changes:
            return current
        current.updated_by = by
        current.save(update_fields=[*changes, "updated_by", "updated_at"])
        audit.record(actor=by, obj=current, action=AuditAction.update, changes=changes)
    return current


def initial_texts(programme):
    """A new programme factsheet's texts, taken from the programme: its name as title, the lead
    organisation (else its first municipality) as subtitle, and the umbrella programme's
    standard intro."""
    subtitle = ""
    if programme.lead_organisation_id:
        subtitle = programme.lead_organisation.name
    else:
        municipality = programme.municipalities.order_by("name").first()
        subtitle = municipality.name if municipality else ""
    texts = {"title": programme.name, "subtitle": subtitle}
    if programme.umbrella_id:
        texts["part_of"] = f"Onderdeel van het {programme.umbrella.name}"
        texts["intro"] = STANDARD_INTRO % {
            "umbrella": programme.umbrella.name,
            "programme": programme.name,
        }
    return texts


def create_factsheet(*, programme, by):
    """Create the factsheet of ``programme`` on behalf of ``by``, prefilled by
    :func:`initial_texts`.

    Raises PermissionDenied unless ``by`` may edit the programme's factsheet, and
    ValidationError when the programme has one already (also when two editors click at once:
    the one-to-one column decides). Effects: the factsheet, and one audit entry with its
    initial texts."""
    factsheet = Factsheet(kind=FactsheetKind.highlight, programme=programme, updated_by=by)
    if not can(by, "reports.edit_factsheet", factsheet):
        raise PermissionDenied
    for name, value in initial_texts(programme).items():
        setattr(factsheet, name, value)
    with transaction.atomic():
        # Lock the programme so a second, simultaneous "Feitenblad maken" waits and then
        # finds the first one's factsheet instead of failing on the unique column.
        type(programme).objects.select_for_update().filter(pk=programme.pk).first()
        if Factsheet.objects.filter(programme=programme).exists():
            raise ValidationError(_("Dit programma heeft al een feitenblad."), code="exists")
        factsheet.save(force_insert=True)
        texts = audit.snapshot(factsheet, ["kind", "title", "subtitle", "part_of", "intro"])
        audit.record(
            actor=by,
            obj=factsheet,
            action=AuditAction.create,
            changes={name: [None, value] for name, value in texts.items() if value},
        )
    return factsheet
