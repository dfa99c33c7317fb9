import re
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .editing import EDITABLE_FIELDS, SPEAKER_MARK
from .models import Factsheet

# Room for the longest seed text (the overview's) several times over; a sheet is two pages.
PARAGRAPH_MAX = 4000
BULLET_MAX = 600
BULLETS_MAX = 15
QUOTES_MAX = 8
LINKS_MAX = 10
TITLE_PREFIX = "UITGELICHT:"

LABELS = {
    "title": _("Titel"),
    "subtitle": _("Ondertitel"),
    "part_of": _("Onderdeel van"),
    "intro": _("Inleiding"),
    "what_is_heading": _("Kop van „Wat is …?”"),
    "what_is": _("Wat is het?"),
    "background": _("Aanleiding"),
    "goal": _("Doel"),
    "approach": _("Aanpak"),
    "start": _("Start"),
    "current_state": _("Waar staan we nu?"),
    "added_value": _("De provincie creëert meerwaarde door"),
    "quotes": _("Citaten"),
    "results": _("Wat zijn de resultaten?"),
    "lessons": _("Wat hebben we geleerd?"),
    "next_steps": _("Het vervolg"),
    "source_line": _("Bronvermelding"),
    "links": _("Links"),
    "author_line": _("Auteursregel"),
}
ONE_BULLET_PER_LINE = _(
    "Eén opsomming per regel; een streepje of bolletje vooraan mag, hoeft niet."
)
HELP_TEXTS = {
    "title": _(
        "De naam van het programma. Het feitenblad zet er zelf „UITGELICHT:” voor, typ dat "
        "niet mee."
    ),
    "subtitle": _("Bijvoorbeeld de penvoerder of „Provinciale impuls in Het Hogeland”."),
    "part_of": _("Bijvoorbeeld „Onderdeel van de provinciebrede aanpak Zorg & Voorzieningen”."),
    "intro": _("De vaste inleiding van de terugblik; alinea's scheidt u met een lege regel."),
    "what_is_heading": _("Bijvoorbeeld „Wat is het Experiment Familiehuis?”."),
    "added_value": ONE_BULLET_PER_LINE,
    "quotes": _(
        "Eén citaat per alinea: laat een lege regel tussen twee citaten. Wie het zei zet u op "
        "de laatste regel van het citaat, beginnend met een gedachtestreepje "
        "(„— Anna de Vries, projectleider”)."
    ),
    "results": ONE_BULLET_PER_LINE,
    "lessons": ONE_BULLET_PER_LINE,
    "source_line": _("Bijvoorbeeld „Dit feitenblad is gebaseerd op een interview met …”."),
    "links": _("Eén webadres per regel, beginnend met https:// of http://."),
    "author_line": _("Staat onderaan elke pagina."),
}
BULLET_FIELDS = ("added_value", "results", "lessons")
BULLET_MARKS = "-–—•*·"

FIELDSETS = [
    (_("Kop"), ["title", "subtitle", "part_of"]),
    (_("Inleiding"), ["intro", "what_is_heading", "what_is"]),
    (_("Het project"), ["background", "goal", "approach", "start", "current_state"]),
    (_("Meerwaarde en citaten"), ["added_value", "quotes"]),
    (_("Resultaten en lessen"), ["results", "lessons", "next_steps"]),
    (_("Bronnen"), ["source_line", "links", "author_line"]),
]


def _tidy(text):
    """Browsers send CRLF line ends: without this every saved textarea would count as changed
    in the audit log. Trailing spaces and runs of blank lines go too."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs, blank = [], False
    for line in lines:
        if not line:
            blank = bool(paragraphs)
            continue
        if blank:
            paragraphs.append("")
            blank = False
        paragraphs.append(line)
    return "\n".join(paragraphs)


class FactsheetForm(forms.ModelForm):
    """The narrative of a factsheet. ``opened_at`` carries the factsheet's ``updated_at`` at
    the moment the form was made, so a save over someone else's newer text is refused
    (reports.editing.update_factsheet)."""

    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Factsheet
        fields = EDITABLE_FIELDS
        labels = LABELS
        help_texts = HELP_TEXTS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3 if name in ("start", "source_line") else 6})
            for name in (
                "intro", "what_is", "background", "goal", "approach", "start", "current_state",
                "added_value", "quotes", "results", "lessons", "next_steps", "source_line", "links",
            )
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_at"] = self.instance.updated_at.isoformat()
        for field in self.fields.values():
            # Textareas have no max_length of their own: _clean_text enforces PARAGRAPH_MAX.
            field.error_messages["max_length"] = _(
                "Maak deze tekst korter: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            )
            field.error_messages["required"] = _("Vul dit veld in.")
        self.fields["title"].error_messages["required"] = _("Geef het feitenblad een titel.")

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in FIELDSETS]

    def clean_title(self):
        title = self.cleaned_data["title"]
        if title.upper().startswith(TITLE_PREFIX):
            title = title[len(TITLE_PREFIX) :].strip()
        if not title:
            raise ValidationError(_("Geef het feitenblad een titel."), code="required")
        return title

    def _clean_text(self, name):
        value = _tidy(self.cleaned_data.get(name, ""))
        if len(value) > PARAGRAPH_MAX:
            raise ValidationError(
                _("Maak deze tekst korter: hoogstens %(limit)d tekens (nu %(length)d).")
                % {"limit": PARAGRAPH_MAX, "length": len(value)},
                code="max_length",
            )
        return value

    def _clean_bullets(self, name):
        lines = [
            line.strip().lstrip(BULLET_MARKS).strip() for line in self._clean_text(name).split("\n")
        ]
        lines = [line for line in lines if line]
        if len(lines) > BULLETS_MAX:
            raise ValidationError(
                _("Hoogstens %(limit)d opsommingen (nu %(count)d); één opsomming per regel.")
                % {"limit": BULLETS_MAX, "count": len(lines)},
                code="too_many",
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > BULLET_MAX:
                raise ValidationError(
                    _(
                        "Opsomming %(number)d is te lang: hoogstens %(limit)d tekens "
                        "(nu %(length)d)."
                    )
                    % {"number": number, "limit": BULLET_MAX, "length": len(line)},
                    code="max_length",
                )
        return "\n".join(lines)

    def clean_quotes(self):
        """One quote per paragraph; a last line starting with a dash ("-", "--", "–") is the
        speaker and gets the em dash reports.editing.parse_quotes reads."""
        paragraphs = []
        for number, paragraph in enumerate(
            (p for p in self._clean_text("quotes").split("\n\n") if p), start=1
        ):
            lines = paragraph.split("\n")
            mark = re.match(r"^(--|-|–|—)\s*", lines[-1])
            if mark:
                if len(lines) == 1:
                    raise ValidationError(
                        _(
                            "Citaat %(number)d heeft alleen een spreker. Zet de spreker op de "
                            "laatste regel van het citaat zelf, zonder lege regel ertussen."
                        )
                        % {"number": number},
                        code="speaker_only",
                    )
                lines[-1] = f"{SPEAKER_MARK} {lines[-1][mark.end() :]}"
            paragraphs.append("\n".join(lines))
        if len(paragraphs) > QUOTES_MAX:
            raise ValidationError(
                _("Hoogstens %(limit)d citaten (nu %(count)d).")
                % {"limit": QUOTES_MAX, "count": len(paragraphs)},
                code="too_many",
            )
        return "\n\n".join(paragraphs)

    def clean_links(self):
        links = [line.strip() for line in self._clean_text("links").split("\n") if line.strip()]
        if len(links) > LINKS_MAX:
            raise ValidationError(
                _("Hoogstens %(limit)d links (nu %(count)d).")
                % {"limit": LINKS_MAX, "count": len(links)},
                code="too_many",
            )
        check = URLValidator(schemes=["http", "https"])
        errors = []
        for number, link in enumerate(links, start=1):
            try:
                check(link)
            except ValidationError:
                errors.append(
                    ValidationError(
                        _(
                            "Regel %(number)d („%(link)s”) is geen geldig webadres: begin met "
                            "https:// of http://."
                        )
                        % {"number": number, "link": link[:80]},
                        code="invalid",
                    )
                )
        if errors:
            raise ValidationError(errors)
        return "\n".join(links)

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.pop("opened_at", "") if cleaned else ""
        if self.instance.pk:
            try:
                self.opened_at = datetime.fromisoformat(raw)
            except (TypeError, ValueError):
                self.opened_at = None
            if self.opened_at is None or self.opened_at.tzinfo is None:
                self.add_error(
                    None,
                    _(
                        "Het formulier is onvolledig verstuurd. Open het feitenblad opnieuw en "
                        "voer uw wijzigingen nogmaals in."
                    ),
                )
        return cleaned


def _text_cleaner(name):
    return lambda form: form._clean_text(name)


def _bullet_cleaner(name):
    return lambda form: form._clean_bullets(name)


for _name in EDITABLE_FIELDS:
    if _name in BULLET_FIELDS:
        setattr(FactsheetForm, f"clean_{_name}", _bullet_cleaner(_name))
    elif not hasattr(FactsheetForm, f"clean_{_name}"):
        setattr(FactsheetForm, f"clean_{_name}", _text_cleaner(_name))
