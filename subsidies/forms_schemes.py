"""Forms of the scheme and tender pages, and the scheme list's filters. Field checks are
here; what must hold whoever saves (criteria that make sense together, a ceiling above what
is granted) is checked by subsidies.schemes, whose messages the views put on these forms."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import ProgrammeLine
from regioportal.widgets import FastSelect, FastTextInput

from . import schemes
from .amounts import AmountField
from .enums import AllocationMethod
from .models import Criterion, Scheme, Tender

NUMBER_ERRORS = {"invalid": _("Vul een geheel getal in.")}
# Moments of a tender: a typed or picked date and time. Years far off are typing errors.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]


def money_field(label, *, required=False, help_text=""):
    return AmountField(label=label, required=required, help_text=help_text)


class LineField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.umbrella.name} – {obj.name}"


class HandlersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class SchemeForm(forms.ModelForm):
    """A scheme's own fields; ``handlers`` only for those who may set them (the Beheerder).
    The code of a scheme with applications is fixed (their references start with it)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("Begin van de zaaknummers, bijvoorbeeld ZV voor ZV-2023-014."),
        error_messages={"required": _("Vul de code van de regeling in.")},
    )
    line = LineField(
        label=_("Programmalijn"),
        queryset=ProgrammeLine.objects.select_related("umbrella").order_by(
            "umbrella__name", "order", "name"
        ),
        required=False,
        empty_label=_("Geen programmalijn"),
        error_messages={"invalid_choice": _("Kies een programmalijn uit de lijst.")},
    )
    min_amount = money_field(_("Minimumbedrag per aanvraag (€)"))
    max_amount = money_field(_("Maximumbedrag per aanvraag (€)"))
    budget = money_field(_("Totaalbudget (€)"))
    min_total_score = forms.DecimalField(
        label=_("Minimale gewogen totaalscore"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=0,
        localize=True,
        help_text=_("Onder deze gewogen totaalscore komt een aanvraag niet in aanmerking."),
        error_messages={
            "invalid": _("Vul een getal in, bijvoorbeeld 30 of 27,5."),
            "min_value": _("De minimale totaalscore kan niet negatief zijn."),
            "max_digits": _("Dit getal is te groot."),
            "max_whole_digits": _("Dit getal is te groot."),
            "max_decimal_places": _("Vul een getal met ten hoogste twee decimalen in."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    decision_weeks = forms.IntegerField(
        label=_("Beslistermijn (weken)"),
        min_value=1,
        max_value=52,
        initial=8,
        help_text=_("Awb 4:13: acht weken, tenzij de regeling anders bepaalt."),
        error_messages={
            **NUMBER_ERRORS,
            "required": _("Vul de beslistermijn in weken in."),
            "min_value": _("De beslistermijn is ten minste 1 week."),
            "max_value": _("De beslistermijn is ten hoogste 52 weken."),
        },
    )
    completion_weeks = forms.IntegerField(
        label=_("Hersteltermijn (weken)"),
        min_value=1,
        max_value=26,
        initial=2,
        error_messages={
            **NUMBER_ERRORS,
            "required": _("Vul de hersteltermijn in weken in."),
            "min_value": _("De hersteltermijn is ten minste 1 week."),
            "max_value": _("De hersteltermijn is ten hoogste 26 weken."),
        },
    )

    class Meta:
        model = Scheme
        fields = [
            "code",
            "name",
            "description",
            "line",
            "allocation_method",
            "decision_weeks",
            "completion_weeks",
            "min_amount",
            "max_amount",
            "budget",
            "min_total_score",
            "is_de_minimis",
            "is_active",
        ]
        labels = {
            "name": _("Naam"),
            "description": _("Omschrijving"),
            "allocation_method": _("Verdeelmethode"),
            "is_de_minimis": _("De-minimissteun"),
            "is_active": _("Actief (staat open voor nieuwe tenders en aanvragen)"),
        }
        error_messages = {
            "name": {"required": _("Vul de naam van de regeling in.")},
            "allocation_method": {
                "required": _("Kies de verdeelmethode."),
                "invalid_choice": _("Kies een verdeelmethode uit de lijst."),
            },
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, with_handlers=False, code_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if code_fixed:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _(
                "De regeling heeft aanvragen; hun zaaknummers beginnen met deze code, dus die "
                "ligt vast."
            )
        if with_handlers:
            self.fields["handlers"] = HandlersField(
                label=_("Behandelaars"),
                queryset=schemes.eligible_handlers(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(self.instance.handlers.all()) if self.instance.pk else [],
                help_text=_(
                    "De subsidiebehandelaars die de aanvragen van deze regeling behandelen."
                ),
                error_messages={
                    "invalid_choice": _("Kies behandelaars uit de lijst."),
                    "invalid_pk_value": _("Kies behandelaars uit de lijst."),
                },
            )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        try:
            schemes.check_code(code)
        except ValidationError as error:
            raise ValidationError(error.message_dict["code"]) from None
        return code

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_amount"), cleaned.get("max_amount")
        if low is not None and high is not None and low > high:
            self.add_error("max_amount", _("Het maximumbedrag is lager dan het minimumbedrag."))
        return cleaned

    def validate_unique(self):
        # subsidies.schemes checks the code's uniqueness, with its own message.
        pass


class CriterionForm(forms.ModelForm):
    weight = forms.DecimalField(
        label=_("Weging"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        initial=1,
        localize=True,
        error_messages={
            "required": _("Vul de weging in."),
            "invalid": _("Vul een getal in, bijvoorbeeld 1 of 1,5."),
            "min_value": _("De weging kan niet negatief zijn."),
            "max_digits": _("De weging is ten hoogste 999,99."),
            "max_whole_digits": _("De weging is ten hoogste 999,99."),
            "max_decimal_places": _("Vul een weging met ten hoogste twee decimalen in."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    max_points = forms.IntegerField(
        label=_("Maximum punten"),
        min_value=1,
        max_value=100,
        initial=10,
        error_messages={
            **NUMBER_ERRORS,
            "required": _("Vul het maximum aantal punten in."),
            "min_value": _("Het maximum is ten minste 1 punt."),
            "max_value": _("Het maximum is ten hoogste 100 punten."),
        },
    )
    min_points = forms.IntegerField(
        label=_("Minimumscore"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("Onder deze score komt een aanvraag niet in aanmerking."),
        error_messages={
            **NUMBER_ERRORS,
            "required": _("Vul de minimumscore in (0 als er geen minimum is)."),
            "min_value": _("De minimumscore kan niet negatief zijn."),
            "max_value": _("De minimumscore is ten hoogste 100 punten."),
        },
    )

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "max_points", "min_points"]
        labels = {"name": _("Criterium"), "description": _("Toelichting")}
        error_messages = {"name": {"required": _("Vul de naam van het criterium in.")}}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, scored=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scored = self.instance.pk is not None and self.instance.pk in scored
        if self.scored:
            # Reviews scored against these: they stay as they are (subsidies.schemes).
            for name in schemes.SCORED_FIELDS:
                self.fields[name].disabled = True
            self.fields["weight"].help_text = _("Al gebruikt in beoordelingen: ligt vast.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_points"), cleaned.get("max_points")
        if low is not None and high is not None and low > high:
            self.add_error("min_points", _("De minimumscore is hoger dan het maximum."))
        # The id field accepts any criterion; only the scheme's own are this form's.
        chosen = cleaned.get("id")
        if chosen is not None and chosen.pk != self.instance.pk:
            self.add_error(None, _("Dit criterium hoort niet bij de regeling."))
        return cleaned

    def validate_unique(self):
        # Unique names are checked over the whole set (BaseCriterionFormSet.clean).
        pass


class BaseCriterionFormSet(BaseInlineFormSet):
    """The scheme's criteria. Before validating, the view sets ``scheme_form``: whether the
    criteria make sense depends on the scheme's allocation method and minimum total score."""

    scheme_form = None

    def __init__(self, *args, scored=frozenset(), **kwargs):
        self.scored = scored
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "scored": self.scored}

    def get_queryset(self):
        return super().get_queryset().order_by("order", "id")

    def rows(self):
        """The submitted criteria as subsidies.schemes.CriterionRow, in their order."""
        result = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra form
            delete = self.can_delete and self._should_delete_form(form)
            data = {name: form.cleaned_data.get(name) for name in schemes.CRITERION_FIELDS}
            result.append(
                schemes.CriterionRow(
                    criterion=form.instance if form.instance.pk else None,
                    data=data,
                    delete=delete,
                )
            )
        return result

    def clean(self):
        super().clean()
        if any(self.errors) or self.scheme_form is None or not self.scheme_form.is_valid():
            return
        data = self.scheme_form.cleaned_data
        try:
            schemes.check_criteria(
                self.rows(),
                allocation_method=data.get("allocation_method"),
                min_total_score=data.get("min_total_score"),
                scored=self.scored,
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["criteria"]) from None


CriterionFormSet = inlineformset_factory(
    Scheme,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    fields=["name", "description", "weight", "max_points", "min_points"],
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
    absolute_max=50,
)


class MomentField(forms.DateTimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        kwargs.setdefault("input_formats", MOMENT_FORMATS)
        super().__init__(**kwargs)

    def clean(self, value):
        moment = super().clean(value)
        if moment is not None and not (FIRST_YEAR <= moment.year <= LAST_YEAR):
            raise ValidationError(
                _("Vul een moment tussen %(first)s en %(last)s in.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return moment


def _moment(label, required_message):
    return MomentField(
        label=label,
        error_messages={
            "required": required_message,
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 01-03-2024 09:00."),
        },
    )


class TenderForm(forms.ModelForm):
    """A tender's name, moments, ceiling (when it is created; later through
    :class:`CeilingForm`, with a reason) and reserve."""

    opens_at = _moment(_("Opent"), _("Vul het moment in waarop de tender opent."))
    closes_at = _moment(_("Sluit"), _("Vul het moment in waarop de tender sluit."))
    ceiling = money_field(_("Subsidieplafond (€)"), required=True)
    reserve = money_field(
        _("Reserve voor bezwaar (€)"),
        help_text=_(
            "Deel van het plafond dat vrij blijft voor subsidies die in bezwaar worden verleend "
            "(Awb 4:25 lid 3)."
        ),
    )

    class Meta:
        model = Tender
        fields = ["name", "opens_at", "closes_at", "ceiling", "reserve"]
        labels = {"name": _("Naam")}
        error_messages = {"name": {"required": _("Vul de naam van de tender in.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserve"].initial = 0
        if self.instance.pk:
            del self.fields["ceiling"]
        for name in ("opens_at", "closes_at"):
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                self.initial[name] = timezone.localtime(value)

    def clean_reserve(self):
        reserve = self.cleaned_data.get("reserve")
        return 0 if reserve is None else reserve

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("De tender moet sluiten na het moment waarop hij opent."))
        ceiling = cleaned.get("ceiling")
        if "ceiling" in self.fields and ceiling is not None and ceiling <= 0:
            self.add_error("ceiling", _("Het subsidieplafond moet groter zijn dan € 0."))
        return cleaned

    def validate_unique(self):
        # subsidies.schemes checks the name per scheme, with its own message.
        pass

    def _post_clean(self):
        # The domain functions build and validate the tender; the form only checks fields.
        pass


class CeilingForm(forms.Form):
    new_ceiling = money_field(_("Nieuw subsidieplafond (€)"), required=True)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld het besluit van Gedeputeerde Staten waarmee het plafond wijzigt."
        ),
        error_messages={"required": _("Geef de reden van de wijziging van het plafond.")},
    )


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoek op naam of code"), method="filter_text", widget=FastTextInput
    )
    line = django_filters.ModelChoiceFilter(
        label=_("Programmalijn"),
        queryset=ProgrammeLine.objects.filter(schemes__isnull=False).distinct().order_by("name"),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    allocation_method = django_filters.ChoiceFilter(
        label=_("Verdeelmethode"),
        choices=AllocationMethod.choices,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Actief"),
        choices=[("ja", _("Actief")), ("nee", _("Niet actief"))],
        empty_label=_("Alle"),
        method="filter_active",
        widget=FastSelect,
    )

    class Meta:
        model = Scheme
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, FastSelect):
                field.widget.cache_key = ("scheme-filter", name)

    def filter_text(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(code__icontains=word))
        return queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "ja")
