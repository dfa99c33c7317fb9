from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.enums import ActivityKind
from programmes.models import Municipality, Track

from .enums import EnrolmentStatus, LadderLevel, Outcome
from .models import Enrolment, Participant, ProgressEntry
from .names import tidy_surname
from .selectors import coaches_of
from .validators import PHONE_MAX_LENGTH, validate_phone

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class DateField(forms.DateField):
    """A date input that also accepts the Dutch dd-mm-jjjj a user may type."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")}
        )
        super().__init__(**kwargs)


class CoachField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _tidy_surname(cleaned):
    if cleaned.get("last_name"):
        cleaned["surname_prefix"], cleaned["last_name"] = tidy_surname(
            cleaned.get("surname_prefix") or "", cleaned["last_name"]
        )


def _check_birth(cleaned, add_error):
    birth_date, birth_year = cleaned.get("birth_date"), cleaned.get("birth_year")
    today = timezone.localdate()
    if birth_date and birth_year:
        add_error("birth_year", _("Vul een geboortedatum óf een geboortejaar in, niet beide."))
    if birth_date and birth_date > today:
        add_error("birth_date", _("De geboortedatum ligt in de toekomst."))
    if birth_year and not (1900 <= birth_year <= today.year):
        add_error(
            "birth_year",
            _("Vul een geboortejaar tussen 1900 en %(year)s in.") % {"year": today.year},
        )


class IntakeForm(forms.Form):
    """Intake: minimal personal data (never a BSN), consent, enrolment, goal, starting level."""

    programme = forms.ModelChoiceField(
        label=_("Programma"),
        queryset=None,
        empty_label=_("Kies een programma"),
        error_messages={"required": _("Kies het programma waarin de deelnemer start.")},
    )
    track = forms.ModelChoiceField(label=_("Traject"), queryset=None, required=False)
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        error_messages={"required": _("Vul de voornaam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    surname_prefix = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=20,
        required=False,
        help_text=_("Bijvoorbeeld de, van der of ter."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        error_messages={"required": _("Vul de achternaam in.")},
        help_text=_("Zonder tussenvoegsel: Boer voor Eva de Boer."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = DateField(label=_("Geboortedatum"), required=False)
    birth_year = forms.IntegerField(
        label=_("of alleen geboortejaar"),
        required=False,
        error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 1998.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Woongemeente"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Onbekend"),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@example.nl.")
        },
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        validators=[validate_phone],
    )
    coach = CoachField(
        label=_("Coach"), queryset=None, required=False, empty_label=_("Nog geen coach")
    )
    personal_goal = forms.CharField(
        label=_("Persoonlijk doel"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = DateField(
        label=_("Startdatum"), error_messages={"required": _("Vul de startdatum in.")}
    )
    starting_ladder_level = forms.TypedChoiceField(
        label=_("Startniveau participatieladder"),
        choices=[("", _("Onbekend")), *LadderLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    consent_date = DateField(
        label=_("Datum toestemming"),
        error_messages={"required": _("Leg vast wanneer de deelnemer toestemming gaf.")},
    )
    consent_purpose = forms.CharField(
        label=_("Doel van de toestemming"),
        max_length=300,
        initial=_("Begeleiding en verantwoording binnen het programma"),
        error_messages={"required": _("Vul het doel in waarvoor toestemming is gegeven.")},
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Dit is een andere persoon; toch toevoegen"), required=False
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["track"].queryset = Track.objects.filter(
            programme__in=programmes
        ).select_related("programme")
        self.fields["track"].label_from_instance = lambda t: f"{t.programme.name} – {t.name}"
        self.fields["coach"].queryset = coaches_of(programmes)
        today = timezone.localdate()
        self.fields["start_date"].initial = today
        self.fields["consent_date"].initial = today

    def clean(self):
        cleaned = super().clean()
        _tidy_surname(cleaned)
        _check_birth(cleaned, self.add_error)
        programme, track = cleaned.get("programme"), cleaned.get("track")
        if programme and track and track.programme_id != programme.pk:
            self.add_error("track", _("Dit traject hoort niet bij het gekozen programma."))
        coach = cleaned.get("coach")
        if programme and coach and not programme.members.filter(pk=coach.pk).exists():
            self.add_error("coach", _("Deze coach werkt niet voor het gekozen programma."))
        today = timezone.localdate()
        consent_date, start = cleaned.get("consent_date"), cleaned.get("start_date")
        if consent_date and consent_date > today:
            self.add_error("consent_date", _("De datum van toestemming ligt in de toekomst."))
        if start and start > today + timedelta(days=365):
            self.add_error("start_date", _("De startdatum ligt meer dan een jaar in de toekomst."))
        return cleaned


class ParticipantForm(forms.ModelForm):
    birth_date = DateField(label=_("Geboortedatum"), required=False)

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "surname_prefix",
            "last_name",
            "birth_date",
            "birth_year",
            "municipality",
            "email",
            "phone",
        ]
        error_messages = {
            "first_name": {"required": _("Vul de voornaam in.")},
            "last_name": {"required": _("Vul de achternaam in.")},
            "email": {"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@example.nl.")},
        }
        help_texts = {"last_name": _("Zonder tussenvoegsel: Boer voor Eva de Boer.")}

    def clean(self):
        cleaned = super().clean()
        _tidy_surname(cleaned)
        _check_birth(cleaned, self.add_error)
        return cleaned


class EnrolmentForm(forms.ModelForm):
    start_date = DateField(label=_("Startdatum"))

    class Meta:
        model = Enrolment
        fields = ["track", "coach", "status", "personal_goal", "start_date"]
        field_classes = {"coach": CoachField}
        widgets = {"personal_goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = self.instance.programme
        self.fields["track"].queryset = programme.tracks.all()
        self.fields["coach"].queryset = coaches_of(programme)
        # Closing an enrolment goes through the outcome form, which records the uitstroom.
        self.fields["status"].choices = [
            c
            for c in EnrolmentStatus.choices
            if c[0] in EnrolmentStatus.open() or c[0] == self.instance.status
        ]

    def clean_start_date(self):
        # The model's constraints on the start date involve fields this form does not show
        # (end date, participant, programme), so the form's own validation skips them.
        start = self.cleaned_data["start_date"]
        end = self.instance.end_date
        if end and start > end:
            raise forms.ValidationError(
                _("De startdatum ligt na de einddatum van de inschrijving (%(end)s).")
                % {"end": end.strftime("%d-%m-%Y")}
            )
        # An ongoing enrolment ("nog bezig") has an outcome date but no end date.
        outcome_date = self.instance.outcome_date
        if outcome_date and start > outcome_date:
            raise forms.ValidationError(
                _("De startdatum ligt na de datum van de uitstroom (%(date)s).")
                % {"date": outcome_date.strftime("%d-%m-%Y")}
            )
        # The same limit as the intake and the import.
        if start > timezone.localdate() + timedelta(days=365):
            raise forms.ValidationError(_("De startdatum ligt meer dan een jaar in de toekomst."))
        same_start = Enrolment.objects.filter(
            participant_id=self.instance.participant_id,
            programme_id=self.instance.programme_id,
            start_date=start,
        ).exclude(pk=self.instance.pk)
        if same_start.exists():
            raise forms.ValidationError(
                _("De deelnemer heeft in dit programma al een inschrijving die op %(start)s start.")
                % {"start": start.strftime("%d-%m-%Y")}
            )
        return start


class ProgressEntryForm(forms.ModelForm):
    """The quick-add form on the participant page (and the edit form of an entry)."""

    date = DateField(label=_("Datum"), error_messages={"required": _("Vul de datum in.")})
    ladder_level = forms.TypedChoiceField(
        label=_("Nieuw niveau participatieladder"),
        choices=[("", _("Ongewijzigd")), *LadderLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ProgressEntry
        fields = ["kind", "date", "duration_minutes", "note", "milestone"]
        labels = {"duration_minutes": _("Duur (minuten)")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "kind": {"required": _("Kies de soort activiteit.")},
            "duration_minutes": {
                "invalid": _("Vul de duur in hele minuten in."),
                "max_value": _("Een activiteit duurt hoogstens 1440 minuten (een dag)."),
                "min_value": _("De duur kan niet negatief zijn."),
            },
        }

    def __init__(self, *args, with_ladder=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Kies…")), *ActivityKind.choices]
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
        if not with_ladder:
            del self.fields["ladder_level"]

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        if value < date(2000, 1, 1):
            raise forms.ValidationError(_("Vul een datum na 1 januari 2000 in."))
        return value

    def clean(self):
        cleaned = super().clean()
        kind, note, milestone = cleaned.get("kind"), cleaned.get("note"), cleaned.get("milestone")
        if kind == ActivityKind.milestone and not milestone:
            self.add_error("milestone", _("Beschrijf welke mijlpaal is bereikt."))
        if kind == ActivityKind.note and not note:
            self.add_error("note", _("Een notitie heeft tekst nodig."))
        return cleaned


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitstroom"),
        choices=[("", _("Kies…")), *Outcome.choices],
        error_messages={"required": _("Kies de uitstroom.")},
    )
    outcome_date = DateField(
        label=_("Datum uitstroom"), error_messages={"required": _("Vul de datum in.")}
    )
    end_date = DateField(
        label=_("Einddatum inschrijving"),
        required=False,
        help_text=_(
            "Leeg: gelijk aan de uitstroomdatum. Bij 'nog bezig' blijft de inschrijving open."
        ),
    )

    def __init__(self, *args, enrolment, **kwargs):
        self.enrolment = enrolment
        super().__init__(*args, **kwargs)
        self.fields["outcome_date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start = self.enrolment.start_date
        for name in ("outcome_date", "end_date"):
            value = cleaned.get(name)
            if value and value < start:
                self.add_error(
                    name,
                    _("Deze datum ligt vóór de start van de inschrijving (%(start)s).")
                    % {"start": start.strftime("%d-%m-%Y")},
                )
            if value and value > timezone.localdate():
                self.add_error(name, _("De datum ligt in de toekomst."))
        return cleaned


class GroupActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[(k.value, k.label) for k in ActivityKind.group_kinds()]
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Geef de activiteit een titel.")},
    )
    date = DateField(label=_("Datum"), error_messages={"required": _("Vul de datum in.")})
    duration_minutes = forms.IntegerField(
        label=_("Duur (minuten)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        error_messages={"invalid": _("Vul de duur in hele minuten in.")},
    )
    note = forms.CharField(
        label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Aanwezigen"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vink ten minste één aanwezige deelnemer aan.")},
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = enrolments
        self.fields["attendees"].label_from_instance = lambda e: (
            f"{e.participant.full_name} ({e.participant.reference})"
        )
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("De datum ligt in de toekomst."))
    return value


class EndEnrolmentForm(forms.Form):
    """ "Traject beëindigen": uitgevallen or gestopt, with the end date and a reason."""

    status = forms.ChoiceField(
        label=_("Hoe eindigt het traject?"),
        choices=[(s.value, s.label) for s in EnrolmentStatus.ended_early()],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies uitgevallen of gestopt."),
            "invalid_choice": _("Kies uitgevallen of gestopt."),
        },
    )
    end_date = DateField(
        label=_("Einddatum"), error_messages={"required": _("Vul de einddatum in.")}
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()

    def clean_end_date(self):
        return _not_in_future(self.cleaned_data["end_date"])


class WithdrawConsentForm(forms.Form):
    on = DateField(
        label=_("Datum van intrekking"),
        error_messages={"required": _("Vul de datum in waarop de toestemming is ingetrokken.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        return _not_in_future(self.cleaned_data["on"])


class BulkOutcomeForm(forms.Form):
    """ "Uitstroom vastleggen" for the rows ticked on the participants list."""

    enrolments = forms.ModelMultipleChoiceField(
        label=_("Deelnemers"),
        queryset=Enrolment.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Vink in de lijst ten minste één deelnemer aan."),
            "invalid_choice": _("U kunt niet alle gekozen inschrijvingen wijzigen."),
            "invalid_pk_value": _("Vink in de lijst ten minste één deelnemer aan."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Uitstroom"),
        choices=[("", _("Kies…")), *Outcome.choices],
        error_messages={
            "required": _("Kies de uitstroom."),
            "invalid_choice": _("Kies de uitstroom uit de lijst."),
        },
    )
    outcome_date = DateField(
        label=_("Datum uitstroom"), error_messages={"required": _("Vul de datum in.")}
    )

    MAX_ROWS = 500

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = enrolments

    def clean_enrolments(self):
        chosen = self.cleaned_data["enrolments"]
        if len(chosen) > self.MAX_ROWS:
            raise forms.ValidationError(
                _("Kies hoogstens %(count)s deelnemers tegelijk.") % {"count": self.MAX_ROWS}
            )
        return chosen

    def clean_outcome_date(self):
        return _not_in_future(self.cleaned_data["outcome_date"])
