"""Checking the rows of a participants file: each row becomes an Intake or a list of errors
(by row and column, in Dutch), and rows already enrolled in the programme are found."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.models import Municipality, Programme

from ..enums import LadderLevel, Outcome
from ..models import Participant
from ..names import full_name, sort_name, tidy_surname
from ..selectors import coaches_of
from ..services import Intake, consent_withdrawn_ids
from ..validators import phone_is_valid
from .reading import COLUMNS, EXAMPLE_ROW

OUTCOME_COLUMNS = ("uitstroom", "uitstroom_datum", "einddatum")

PROGRESS_EVERY = 500
# A file that is wrong throughout would otherwise store an error per cell; stop counting here.
MAX_ERRORS = 10_000
START_DATE_MAX_AHEAD = timedelta(days=365)
EARLIEST_DATE = date(1900, 1, 1)

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass
class _Lookups:
    """Everything the rows refer to, loaded once per import."""

    programme: Programme
    today: date
    municipalities: dict
    tracks: dict
    coaches: dict
    outcomes: dict

    @classmethod
    def load(cls, programme):
        municipalities = {}
        for municipality in Municipality.objects.all():
            municipalities[municipality.name.casefold()] = municipality
            municipalities[municipality.cbs_code.casefold()] = municipality
        coaches = coaches_of(programme)
        return cls(
            programme=programme,
            today=timezone.localdate(),
            municipalities=municipalities,
            tracks={track.name.casefold(): track for track in programme.tracks.all()},
            coaches={user.get_username().casefold(): user for user in coaches},
            outcomes=_outcomes(),
        )


def _outcomes():
    """An uitstroom by its code ("betaald_werk") or its Dutch label ("Betaald werk"), in any
    case: the file is Dutch whatever language the uploader's browser asks for."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = {str(o.label).casefold(): o for o in Outcome}
    return {**{o.value.replace("_", " "): o for o in Outcome}, **labels}


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
        surname_prefix = self._field(_text, values, "tussenvoegsel", 20)
        last_name = self._field(_text, values, "achternaam", 150, required=True)
        birth_date = self._field(self._birth_date, values)
        birth_year = self._field(self._birth_year, values)
        if values.get("geboortedatum") and values.get("geboortejaar"):
            self._add(
                "geboortejaar", _("vul een geboortedatum óf een geboortejaar in, niet beide.")
            )
        start_date = self._field(self._start_date, values)
        consent_date = self._field(self._consent_date, values)
        outcome = self._field(self._outcome, values)
        outcome_date = self._field(self._past_date, values, "uitstroom_datum")
        end_date = self._field(self._past_date, values, "einddatum")
        surname_prefix, last_name = tidy_surname(surname_prefix or "", last_name or "")
        intake = Intake(
            first_name=first_name,
            surname_prefix=surname_prefix,
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
            outcome=outcome or "",
            outcome_date=outcome_date,
            end_date=end_date,
        )
        self._check_outcome(values, intake)
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
        if value and not phone_is_valid(value):
            raise _RowError(
                "telefoon",
                _(
                    "%(value)s is geen geldig telefoonnummer (bijvoorbeeld 06-12345678 of "
                    "+31 50 123 4567)."
                )
                % {"value": value},
            )
        return value

    def _outcome(self, values):
        value = values.get("uitstroom", "")
        if not value:
            return ""
        outcome = self.lookups.outcomes.get(" ".join(value.replace("_", " ").casefold().split()))
        if outcome is None:
            raise _RowError(
                "uitstroom",
                _("%(value)s is geen uitstroom (kies uit: %(outcomes)s).")
                % {"value": value, "outcomes": ", ".join(str(o.label) for o in Outcome)},
            )
        return outcome

    def _past_date(self, values, column):
        value = values.get(column, "")
        if not value:
            return None
        parsed = _parse_date(column, value)
        if parsed > self.lookups.today:
            raise _RowError(column, _("%(value)s ligt in de toekomst.") % {"value": value})
        return parsed

    def _check_outcome(self, values, intake):
        """The uitstroom columns together, as services.record_outcome has them: a date
        with every uitstroom, an end date only with a final one, neither before the start."""
        has = {column: bool(values.get(column)) for column in OUTCOME_COLUMNS}
        if has["uitstroom"] and not has["uitstroom_datum"]:
            self._add("uitstroom_datum", _("vul de datum van de uitstroom in."))
        if has["uitstroom_datum"] and not has["uitstroom"]:
            self._add("uitstroom", _("vul de uitstroom in bij een uitstroomdatum."))
        if has["einddatum"] and not has["uitstroom"]:
            self._add("einddatum", _("een einddatum hoort bij een uitstroom; vul die ook in."))
        if intake.outcome == Outcome.ongoing and has["einddatum"]:
            self._add("einddatum", _("bij 'nog bezig' loopt de inschrijving door; laat leeg."))
        start = intake.start_date
        for column, value in (
            ("uitstroom_datum", intake.outcome_date),
            ("einddatum", intake.end_date),
        ):
            if start and value and value < start:
                self._add(column, _("deze datum ligt vóór de startdatum."))

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


def _name_key(intake):
    """Names compare as the list searches them: case- and accent-insensitive."""
    return sort_name(intake.first_name, intake.surname_prefix, intake.last_name)


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
            key = _name_key(intake)
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
    services.likely_duplicates, in two queries instead of one per row. A participant who
    withdrew their consent is named as such: they must not be imported again."""
    keys = {_name_key(intake) for _row, intake in intakes}
    existing = defaultdict(list)
    enrolled = (
        Participant.objects.filter(
            enrolments__programme=programme, anonymised_at__isnull=True, sort_name__in=keys
        )
        .values_list("pk", "reference", "sort_name", "birth_date", "birth_year")
        .distinct()
    )
    for pk, reference, key, birth_date, birth_year in enrolled:
        existing[key].append((pk, reference, birth_date, birth_year))
    withdrawn = consent_withdrawn_ids(pk for matches in existing.values() for pk, *_rest in matches)
    errors = []
    for row, intake in intakes:
        for pk, reference, birth_date, birth_year in existing[_name_key(intake)]:
            if _same_birth(intake.birth_date, intake.birth_year, birth_date, birth_year):
                if pk in withdrawn:
                    message = _(
                        "%(name)s (deelnemer %(reference)s) heeft de toestemming ingetrokken; "
                        "importeer deze deelnemer niet opnieuw."
                    )
                else:
                    message = _(
                        "%(name)s is al ingeschreven in %(programme)s (deelnemer %(reference)s)."
                    )
                params = {
                    "name": full_name(intake.first_name, intake.surname_prefix, intake.last_name),
                    "programme": programme,
                    "reference": reference,
                }
                errors.append(_error(row, None, message % params))
                break
    return errors


def column_order(column):
    return COLUMNS.index(column) if column in COLUMNS else -1
