"""Bulk intake from a CSV file (deelnemersimport).

A coordinator downloads the template, fills it in Excel and uploads it for one programme.
The file is read (:func:`read_table`), every row is checked (:func:`check_rows`) and, only when
no row has an error, every participant is created in one transaction (:func:`run_import`).
Small files are imported in the request, large ones by the Celery task
``participants.tasks.run_participant_import``; both call :func:`run_import`.

Rows are created in bulk rather than through ``services.register_intake`` one by one: that
costs six queries a row, about 19 s for 10.000 rows on PostgreSQL, before any checks. The bulk
path writes the same rows (``tests/participants/test_import.py`` compares them) in a few
statements per table, and takes about 5 s for the whole 10.000-row import. It builds the same
:class:`~participants.services.Intake` per row.
"""

import csv
import io
import re
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Municipality, Programme
from programmes.selectors import programmes_editable_by
from regioportal.models import AuditAction, AuditEntry, AuditScope
from regioportal.roles import Role

from . import counting
from .enums import EnrolmentStatus, LadderLevel
from .models import (
    Consent,
    Enrolment,
    ImportStatus,
    LadderStep,
    Participant,
    ParticipantImport,
)
from .rules import require
from .services import Intake

# The template's columns, in its order. There is never a BSN column (AVG: partners may not
# store it).
COLUMNS = [
    "voornaam",
    "achternaam",
    "geboortedatum",
    "geboortejaar",
    "gemeente",
    "email",
    "telefoon",
    "traject",
    "coach",
    "persoonlijk_doel",
    "startdatum",
    "startniveau_ladder",
    "toestemming_datum",
    "toestemming_doel",
]
REQUIRED_COLUMNS = ["voornaam", "achternaam", "startdatum", "toestemming_datum", "toestemming_doel"]
BSN_COLUMNS = {"bsn", "bsnnummer", "burgerservicenummer", "sofinummer"}
EXAMPLE_ROW = {
    "voornaam": "Voorbeeld",
    "achternaam": "Deelnemer",
    "geboortedatum": "01-01-2000",
    "geboortejaar": "",
    "gemeente": "Groningen",
    "email": "voorbeeld@example.org",
    "telefoon": "06-12345678",
    "traject": "",
    "coach": "",
    "persoonlijk_doel": "Werkervaring opdoen in de zorg",
    "startdatum": "01-09-2025",
    "startniveau_ladder": "3",
    "toestemming_datum": "25-08-2025",
    "toestemming_doel": "Deelname aan het programma en rapportage zonder naam",
}

MAX_FILE_SIZE = 5 * 1024 * 1024
# Up to this many data rows the import runs in the request; larger files go to Celery.
IN_REQUEST_MAX_ROWS = 500
PROGRESS_EVERY = 500
# A file that is wrong throughout would otherwise store an error per cell; stop counting here.
MAX_ERRORS = 10_000
SHOWN_ERRORS = 200
BATCH_SIZE = 2000
START_DATE_MAX_AHEAD = timedelta(days=365)
EARLIEST_DATE = date(1900, 1, 1)

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")


def programmes_to_import_into(user):
    """Programmes a coordinator may import participants into."""
    return programmes_editable_by(user)


def template_csv():
    """The template as Dutch Excel opens it: UTF-8 with BOM, separated by semicolons."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[column] for column in COLUMNS])
    return out.getvalue().encode("utf-8")


# Reading the file


@dataclass
class Table:
    columns: list[str]
    # (row number as Excel shows it, {column: value}); the header is row 1.
    rows: list[tuple[int, dict[str, str]]]
    # Rows with more values than the header has columns; an error per row.
    overlong_rows: set[int]


def read_table(data):
    """Decode and split the uploaded bytes, and check the header row.

    Raises ValidationError (a list of Dutch messages) when the file as a whole is unusable:
    empty, not a CSV file, a BSN column, unknown, doubled or missing columns, no data rows."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # Dutch Excel separates with semicolons, other spreadsheets with commas.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError(_("Het bestand is leeg."))
        columns = _check_header(header)
        rows, overlong = [], set()
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves empty rows (";;;;") at the end
            if any(cell.strip() for cell in cells[len(columns) :]):
                overlong.add(number)
            cells = (cells + [""] * len(columns))[: len(columns)]
            rows.append(
                (number, {col: cell.strip() for col, cell in zip(columns, cells, strict=True)})
            )
    except csv.Error as exc:
        raise ValidationError(
            _(
                "Rij %(row)s kan niet worden gelezen (%(reason)s). Sla het bestand opnieuw op "
                "als CSV."
            )
            % {"row": reader.line_num, "reason": exc}
        ) from exc
    if not rows:
        raise ValidationError(
            _("Het bestand bevat geen deelnemers: onder de kopregel staan geen rijen.")
        )
    return Table(columns=columns, rows=rows, overlong_rows=overlong)


def _decode(data):
    if not data.strip():
        raise ValidationError(_("Het bestand is leeg."))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ValidationError(
            _(
                "Dit is een Excel-werkmap, geen CSV-bestand. Kies in Excel 'Opslaan als' en "
                "dan 'CSV (gescheiden door lijstscheidingsteken)'."
            )
        )
    if b"\x00" in data:
        raise ValidationError(
            _(
                "Dit bestand is geen leesbaar CSV-bestand. Kies in Excel 'Opslaan als' en dan "
                "'CSV UTF-8 (door komma's gescheiden)'."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Older Excel versions save CSV in Windows-1252.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "De tekens in dit bestand kunnen niet worden gelezen. Sla het bestand op als "
                "'CSV UTF-8 (door komma's gescheiden)'."
            )
        ) from exc


def _normalise(name):
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _check_header(header):
    columns = [_normalise(name) for name in header]
    while columns and not columns[-1]:
        columns.pop()  # trailing separators after the last column
    bsn = [name for name in header if re.sub(r"[^a-z]", "", name.lower()) in BSN_COLUMNS]
    if bsn:
        raise ValidationError(
            _(
                "Het bestand heeft een kolom %(column)s. Een BSN mag niet worden opgeslagen: "
                "verwijder de kolom met het burgerservicenummer en upload het bestand opnieuw. "
                "Er is niets ingelezen."
            )
            % {"column": bsn[0].strip()}
        )
    errors = []
    if "" in columns:
        errors.append(
            _("Kolom %(number)s in de kopregel heeft geen naam.")
            % {"number": columns.index("") + 1}
        )
    unknown = [name for name in columns if name and name not in COLUMNS]
    if unknown:
        errors.append(
            _("Onbekende kolommen: %(unknown)s. Gebruik de kolommen uit het sjabloon: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    doubled = sorted({name for name in columns if name and columns.count(name) > 1})
    if doubled:
        errors.append(
            _("Deze kolommen staan meer dan één keer in de kopregel: %(columns)s.")
            % {"columns": ", ".join(doubled)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        errors.append(
            _("Verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if errors:
        raise ValidationError(errors)
    return columns


# Checking the rows


@dataclass
class _Lookups:
    """Everything the rows refer to, loaded once per import."""

    programme: Programme
    today: date
    municipalities: dict
    tracks: dict
    coaches: dict

    @classmethod
    def load(cls, programme):
        municipalities = {}
        for municipality in Municipality.objects.all():
            municipalities[municipality.name.casefold()] = municipality
            municipalities[municipality.cbs_code.casefold()] = municipality
        coaches = (
            get_user_model()
            .objects.filter(programmes=programme, groups__name=Role.coordinator, is_active=True)
            .distinct()
        )
        return cls(
            programme=programme,
            today=timezone.localdate(),
            municipalities=municipalities,
            tracks={track.name.casefold(): track for track in programme.tracks.all()},
            coaches={user.get_username().casefold(): user for user in coaches},
        )


def _error(row, column, detail):
    if column:
        message = _("Rij %(row)s, kolom %(column)s: %(detail)s") % {
            "row": row,
            "column": column,
            "detail": detail,
        }
    else:
        message = _("Rij %(row)s: %(detail)s") % {"row": row, "detail": detail}
    return {"row": row, "column": column, "message": message}


class _RowError(Exception):
    def __init__(self, column, detail):
        self.column = column
        self.detail = detail


def _parse_date(column, value):
    match = _DMY.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
    elif match := _YMD.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        day = None
    try:
        if day is None:
            raise ValueError
        parsed = date(year, month, day)
    except ValueError:
        raise _RowError(
            column, _("%(value)s is geen geldige datum (gebruik dd-mm-jjjj).") % {"value": value}
        ) from None
    if parsed < EARLIEST_DATE:
        raise _RowError(column, _("%(value)s ligt vóór 1900.") % {"value": value})
    return parsed


def _text(values, column, max_length, required=False):
    value = values.get(column, "")
    if required and not value:
        raise _RowError(column, _("dit veld is verplicht."))
    if max_length and len(value) > max_length:
        raise _RowError(
            column,
            _("de waarde is te lang (%(length)s tekens, maximaal %(max)s).")
            % {"length": len(value), "max": max_length},
        )
    return value


class _RowChecker:
    """Turns one row into an Intake, collecting every error of the row (not only the first)."""

    def __init__(self, lookups):
        self.lookups = lookups

    def check(self, number, values):
        self.errors = []
        programme = self.lookups.programme
        first_name = self._field(_text, values, "voornaam", 100, required=True)
        last_name = self._field(_text, values, "achternaam", 150, required=True)
        birth_date = self._field(self._birth_date, values)
        birth_year = self._field(self._birth_year, values)
        if values.get("geboortedatum") and values.get("geboortejaar"):
            self._add(
                "geboortejaar", _("vul een geboortedatum óf een geboortejaar in, niet beide.")
            )
        start_date = self._field(self._start_date, values)
        consent_date = self._field(self._consent_date, values)
        intake = Intake(
            first_name=first_name,
            last_name=last_name,
            programme=programme,
            start_date=start_date,
            consent_date=consent_date,
            consent_purpose=self._field(_text, values, "toestemming_doel", 300, required=True),
            birth_date=birth_date,
            birth_year=None if birth_date else birth_year,
            municipality=self._field(self._municipality, values),
            email=self._field(self._email, values),
            phone=self._field(self._phone, values),
            track=self._field(self._track, values),
            coach=self._field(self._coach, values),
            personal_goal=values.get("persoonlijk_doel", ""),
            starting_ladder_level=self._field(self._ladder_level, values),
        )
        if birth_date and start_date and start_date < birth_date:
            self._add("startdatum", _("de startdatum ligt vóór de geboortedatum."))
        if (values.get("voornaam", "").casefold(), values.get("achternaam", "").casefold()) == (
            EXAMPLE_ROW["voornaam"].casefold(),
            EXAMPLE_ROW["achternaam"].casefold(),
        ):
            self._add(None, _("dit is de voorbeeldrij uit het sjabloon; verwijder deze rij."))
        errors = [_error(number, column, detail) for column, detail in self.errors]
        return (None if errors else intake), errors

    def _field(self, parse, values, *args, **kwargs):
        try:
            return parse(values, *args, **kwargs)
        except _RowError as error:
            self._add(error.column, error.detail)
            return None

    def _add(self, column, detail):
        self.errors.append((column, detail))

    def _birth_date(self, values):
        value = values.get("geboortedatum", "")
        if not value:
            return None
        parsed = _parse_date("geboortedatum", value)
        if parsed > self.lookups.today:
            raise _RowError("geboortedatum", _("%(value)s ligt in de toekomst.") % {"value": value})
        return parsed

    def _birth_year(self, values):
        value = values.get("geboortejaar", "")
        if not value:
            return None
        this_year = self.lookups.today.year
        if not value.isdigit() or not 1900 <= int(value) <= this_year:
            raise _RowError(
                "geboortejaar",
                _("%(value)s is geen geldig geboortejaar (1900 t/m %(year)s).")
                % {"value": value, "year": this_year},
            )
        return int(value)

    def _start_date(self, values):
        value = _text(values, "startdatum", 0, required=True)
        parsed = _parse_date("startdatum", value)
        latest = self.lookups.today + START_DATE_MAX_AHEAD
        if parsed > latest:
            raise _RowError(
                "startdatum",
                _("%(value)s ligt te ver in de toekomst (uiterlijk %(latest)s).")
                % {"value": value, "latest": f"{latest:%d-%m-%Y}"},
            )
        return parsed

    def _consent_date(self, values):
        value = _text(values, "toestemming_datum", 0, required=True)
        parsed = _parse_date("toestemming_datum", value)
        if parsed > self.lookups.today:
            raise _RowError(
                "toestemming_datum",
                _("%(value)s ligt in de toekomst; leg toestemming vast als die gegeven is.")
                % {"value": value},
            )
        return parsed

    def _municipality(self, values):
        value = values.get("gemeente", "")
        if not value:
            return None
        municipality = self.lookups.municipalities.get(value.casefold())
        if municipality is None:
            raise _RowError(
                "gemeente",
                _(
                    "%(value)s is geen bekende gemeente (gebruik de naam of de CBS-code, "
                    "bijvoorbeeld GM0014)."
                )
                % {"value": value},
            )
        return municipality

    def _email(self, values):
        value = _text(values, "email", 254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise _RowError(
                    "email", _("%(value)s is geen geldig e-mailadres.") % {"value": value}
                ) from None
        return value

    def _phone(self, values):
        value = values.get("telefoon", "")
        digits = sum(char.isdigit() for char in value)
        if value and not (_PHONE.match(value) and 10 <= digits <= 15 and len(value) <= 20):
            raise _RowError(
                "telefoon",
                _(
                    "%(value)s is geen geldig telefoonnummer (bijvoorbeeld 06-12345678 of "
                    "+31 50 123 4567)."
                )
                % {"value": value},
            )
        return value

    def _track(self, values):
        value = values.get("traject", "")
        if not value:
            return None
        track = self.lookups.tracks.get(value.casefold())
        if track is None:
            programme = self.lookups.programme
            names = sorted({track.name for track in self.lookups.tracks.values()})
            if not names:
                detail = _("%(programme)s heeft geen trajecten; laat deze kolom leeg.") % {
                    "programme": programme
                }
            else:
                detail = _(
                    "%(value)s is geen traject van %(programme)s (kies uit: %(tracks)s)."
                ) % {
                    "value": value,
                    "programme": programme,
                    "tracks": ", ".join(names),
                }
            raise _RowError("traject", detail)
        return track

    def _coach(self, values):
        value = values.get("coach", "")
        if not value:
            return None
        coach = self.lookups.coaches.get(value.casefold())
        if coach is None:
            raise _RowError(
                "coach",
                _("%(value)s is geen coördinator van %(programme)s (gebruik de gebruikersnaam).")
                % {"value": value, "programme": self.lookups.programme},
            )
        return coach

    def _ladder_level(self, values):
        value = values.get("startniveau_ladder", "")
        if not value:
            return None
        if not value.isdigit() or int(value) not in LadderLevel.values:
            raise _RowError(
                "startniveau_ladder",
                _("%(value)s is geen geldig niveau (1 t/m 6).") % {"value": value},
            )
        return int(value)


def _same_birth(a_date, a_year, b_date, b_year):
    """The rule of services.likely_duplicates: the same birth date, or the same year when one
    side has only a year."""
    if a_date:
        return b_date == a_date or b_year == a_date.year
    if a_year:
        return b_year == a_year or (b_date is not None and b_date.year == a_year)
    return False


def _name_key(first_name, last_name):
    return first_name.strip().lower(), last_name.strip().lower()


def check_rows(*, programme, table, on_progress=None):
    """Check every row. Returns ``(intakes, errors)``: an Intake per row that is valid, and the
    errors (``{"row", "column", "message"}``) of the others, including rows that appear twice
    in the file. ``on_progress(rows_checked)`` is called every PROGRESS_EVERY rows."""
    checker = _RowChecker(_Lookups.load(programme))
    intakes, errors = [], []
    seen = defaultdict(list)  # name → [(row, birth date, birth year)]
    for checked, (number, values) in enumerate(table.rows, start=1):
        if number in table.overlong_rows:
            errors.append(
                _error(number, None, _("deze rij heeft meer waarden dan er kolommen zijn."))
            )
        intake, row_errors = checker.check(number, values)
        errors.extend(row_errors)
        if intake is not None:
            key = _name_key(intake.first_name, intake.last_name)
            earlier = next(
                (
                    row
                    for row, birth_date, birth_year in seen[key]
                    if _same_birth(intake.birth_date, intake.birth_year, birth_date, birth_year)
                ),
                None,
            )
            if earlier:
                errors.append(
                    _error(
                        number,
                        None,
                        _("dezelfde deelnemer (naam en geboortedatum) staat ook in rij %(row)s.")
                        % {"row": earlier},
                    )
                )
            else:
                seen[key].append((number, intake.birth_date, intake.birth_year))
                intakes.append((number, intake))
        if len(errors) >= MAX_ERRORS:
            errors.append(
                _error(
                    number,
                    None,
                    _("meer dan %(count)s fouten; de rest van het bestand is niet gecontroleerd.")
                    % {"count": MAX_ERRORS},
                )
            )
            break
        if on_progress and checked % PROGRESS_EVERY == 0:
            on_progress(checked)
    return intakes, errors


def duplicates_in_programme(*, programme, intakes):
    """Errors for rows whose participant is already enrolled in ``programme``, by the rule of
    services.likely_duplicates, in one query instead of one per row."""
    last_names = {_name_key(intake.first_name, intake.last_name)[1] for _row, intake in intakes}
    existing = defaultdict(list)
    enrolled = (
        Participant.objects.annotate(last_name_lower=Lower("last_name"))
        .filter(
            enrolments__programme=programme,
            anonymised_at__isnull=True,
            last_name_lower__in=last_names,
        )
        .values_list("reference", "first_name", "last_name", "birth_date", "birth_year")
        .distinct()
    )
    for reference, first_name, last_name, birth_date, birth_year in enrolled:
        existing[_name_key(first_name, last_name)].append((reference, birth_date, birth_year))
    errors = []
    for row, intake in intakes:
        for reference, birth_date, birth_year in existing[
            _name_key(intake.first_name, intake.last_name)
        ]:
            if _same_birth(intake.birth_date, intake.birth_year, birth_date, birth_year):
                errors.append(
                    _error(
                        row,
                        None,
                        _("%(name)s is al ingeschreven in %(programme)s (deelnemer %(reference)s).")
                        % {
                            "name": f"{intake.first_name} {intake.last_name}",
                            "programme": programme,
                            "reference": reference,
                        },
                    )
                )
                break
    return errors


# Creating the participants


def _new_references(count):
    """``count`` unused participant numbers, in the format of services.new_reference, checked
    against the database in a few queries instead of one per participant."""
    references = set()
    while len(references) < count:
        candidates = {f"D-{secrets.randbelow(10**8):08d}" for _ in range(count - len(references))}
        candidates -= references
        taken = set(
            Participant.objects.filter(reference__in=candidates).values_list("reference", flat=True)
        )
        references |= candidates - taken
    return list(references)


def create_participants(*, intakes, by, reason=""):
    """Create what ``services.register_intake`` creates, for many intakes at once.

    Effects, per intake: one Participant, one Consent, one Enrolment (status intake), a
    LadderStep when a starting level is given, and an audit entry 'aangemaakt'. Call inside a
    transaction. Returns the participants."""
    for programme in {intake.programme for intake in intakes}:
        require(by, "participants.import_participants", programme)
    participants = Participant.objects.bulk_create(
        [
            Participant(
                reference=reference,
                first_name=intake.first_name.strip(),
                last_name=intake.last_name.strip(),
                birth_date=intake.birth_date,
                birth_year=None if intake.birth_date else intake.birth_year,
                municipality=intake.municipality,
                email=intake.email,
                phone=intake.phone,
                created_by=by,
            )
            for reference, intake in zip(_new_references(len(intakes)), intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                participant=participant,
                given_on=intake.consent_date,
                purpose=intake.consent_purpose,
                recorded_by=by,
            )
            for participant, intake in zip(participants, intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    transaction.on_commit(counting.data_changed)  # bulk_create sends no signals
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                participant=participant,
                programme=intake.programme,
                track=intake.track,
                coach=intake.coach,
                status=EnrolmentStatus.intake,
                personal_goal=intake.personal_goal,
                start_date=intake.start_date,
                starting_ladder_level=intake.starting_ladder_level,
                current_ladder_level=intake.starting_ladder_level,
            )
            for participant, intake in zip(participants, intakes, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    steps = [
        LadderStep(
            enrolment=enrolment,
            level=intake.starting_ladder_level,
            recorded_on=intake.start_date,
            recorded_by=by,
        )
        for enrolment, intake in zip(enrolments, intakes, strict=True)
        if intake.starting_ladder_level
    ]
    if steps:
        LadderStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    content_type = ContentType.objects.get_for_model(Participant, for_concrete_model=False)
    actor = by if by is not None and by.is_authenticated else None
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                content_type=content_type,
                object_id=str(participant.pk),
                object_repr=str(participant)[:200],
                action=AuditAction.create,
                # The same changes as register_intake records.
                changes={
                    "programme": [None, str(intake.programme)],
                    "track": [None, str(intake.track) if intake.track else None],
                },
                reason=reason,
                # Scoped like register_intake's entry: to the new enrolment.
                scope=AuditScope.enrolment,
                participant=participant,
                programme=intake.programme,
                enrolment=enrolment,
            )
            for participant, enrolment, intake in zip(
                participants, enrolments, intakes, strict=True
            )
        ],
        batch_size=BATCH_SIZE,
    )
    return participants


# The import as a whole


def start_import(*, programme, upload, by):
    """Store the uploaded file privately and import it: in the request when it has at most
    IN_REQUEST_MAX_ROWS rows, otherwise by the Celery task (queued on commit).

    ``upload`` has passed ``forms_import.ParticipantImportForm``. Returns the
    ParticipantImport; its status is done or failed when imported in the request."""
    from .tasks import run_participant_import  # the task module imports this one

    require(by, "participants.import_participants", programme)
    data = upload.read()
    upload.seek(0)
    table = read_table(data)
    participant_import = ParticipantImport(
        programme=programme,
        original_name=PurePath(upload.name).name[:200],
        total_rows=len(table.rows),
        uploaded_by=by,
    )
    # A random stored name: the original one may well contain a person's name.
    participant_import.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    participant_import.save()
    if participant_import.total_rows <= IN_REQUEST_MAX_ROWS:
        run_import(participant_import=participant_import)
    else:
        transaction.on_commit(
            partial(run_participant_import.delay, import_id=participant_import.pk)
        )
    return participant_import


def run_import(*, participant_import):
    """Check every row of the import's file and, when no row has an error, create every
    participant (:func:`create_participants`) in one transaction. All or nothing.

    Effects: status running, then done (with ``created_count``) or failed (with ``errors``);
    ``processed_rows`` is written every PROGRESS_EVERY rows while checking, outside the
    transaction, so the status page can show it. The stored file is deleted once the import
    has finished: the data now lives in the participant tables, or was rejected.

    Safe to run again (Celery redelivers with acks_late): a finished import is left alone, and
    two runs at once are serialised on the import row, so the rows are created once."""
    pk = participant_import.pk
    # 'running' too: a worker that died mid-import rolled back, and the redelivery starts over.
    claimed = ParticipantImport.objects.filter(
        pk=pk, status__in=[ImportStatus.queued, ImportStatus.running]
    ).update(status=ImportStatus.running, processed_rows=0)
    if not claimed:
        return participant_import
    try:
        return _run(participant_import)
    except Exception:
        ParticipantImport.objects.filter(pk=pk, status=ImportStatus.running).update(
            status=ImportStatus.failed,
            finished_at=timezone.now(),
            errors=[
                _file_error(
                    _(
                        "Er ging iets mis bij het importeren; er is niets aangemaakt. "
                        "Probeer het opnieuw of neem contact op met de beheerder."
                    )
                )
            ],
        )
        raise


def _file_error(message):
    return {"row": None, "column": None, "message": message}


def _run(participant_import):
    pk = participant_import.pk
    programme = participant_import.programme
    try:
        with participant_import.file.open("rb") as stored:
            table = read_table(stored.read())
    except ValidationError as exc:
        return _finish(participant_import, errors=[_file_error(m) for m in exc.messages])

    def report(rows_checked):
        ParticipantImport.objects.filter(pk=pk).update(processed_rows=rows_checked)

    intakes, errors = check_rows(programme=programme, table=table, on_progress=report)
    report(len(table.rows))
    with transaction.atomic():
        locked = ParticipantImport.objects.select_for_update().get(pk=pk)
        if locked.status != ImportStatus.running:
            return locked  # another delivery of the task finished it meanwhile
        # One import at a time per programme, so that two uploads of the same file cannot
        # both pass the duplicate check below. NO KEY: intakes in the browser (which insert
        # enrolments referring to the programme) are not held up.
        Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
        errors += duplicates_in_programme(programme=programme, intakes=intakes)
        if errors:
            errors.sort(key=lambda e: (e["row"], _column_order(e["column"])))
            return _finish(locked, errors=errors, total_rows=len(table.rows))
        create_participants(
            intakes=[intake for _row, intake in intakes],
            by=participant_import.uploaded_by,
            reason=_("Deelnemersimport %(name)s") % {"name": participant_import.original_name},
        )
        return _finish(locked, created=len(intakes), total_rows=len(table.rows))


def _column_order(column):
    return COLUMNS.index(column) if column in COLUMNS else -1


def _finish(participant_import, *, errors=None, created=0, total_rows=None):
    participant_import.status = ImportStatus.failed if errors else ImportStatus.done
    participant_import.errors = errors or []
    participant_import.created_count = created
    if total_rows is not None:
        participant_import.total_rows = total_rows
        participant_import.processed_rows = total_rows
    participant_import.finished_at = timezone.now()
    participant_import.save(
        update_fields=[
            "status",
            "errors",
            "created_count",
            "total_rows",
            "processed_rows",
            "finished_at",
        ]
    )
    transaction.on_commit(partial(_discard_file, participant_import.pk))
    return participant_import


def _discard_file(pk):
    participant_import = ParticipantImport.objects.filter(pk=pk).first()
    if participant_import and participant_import.file:
        participant_import.file.delete(save=False)
        ParticipantImport.objects.filter(pk=pk).update(file="")


def error_summary(participant_import):
    """The errors to show (at most SHOWN_ERRORS) and how many more there are."""
    errors = participant_import.errors
    return errors[:SHOWN_ERRORS], max(len(errors) - SHOWN_ERRORS, 0)
