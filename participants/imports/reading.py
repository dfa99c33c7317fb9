"""Reading an uploaded participants file: the template's columns, decoding the bytes, and
checking the header row. Nothing here looks at the database."""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The template's columns, in its order. There is never a BSN column (AVG: partners may not
# store it).
COLUMNS = [
    "voornaam",
    "tussenvoegsel",
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
    # Historical data: an uitstroom already reached (optional).
    "uitstroom",
    "uitstroom_datum",
    "einddatum",
]
REQUIRED_COLUMNS = ["voornaam", "achternaam", "startdatum", "toestemming_datum", "toestemming_doel"]
BSN_COLUMNS = {"bsn", "bsnnummer", "burgerservicenummer", "sofinummer"}
EXAMPLE_ROW = {
    "voornaam": "Voorbeeld",
    "tussenvoegsel": "",
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
    "uitstroom": "",
    "uitstroom_datum": "",
    "einddatum": "",
}

MAX_FILE_SIZE = 5 * 1024 * 1024


def template_csv():
    """The template as Dutch Excel opens it: UTF-8 with BOM, separated by semicolons."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[column] for column in COLUMNS])
    return out.getvalue().encode("utf-8")


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
