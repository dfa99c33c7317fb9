"""Forms of the allocation pages: a grant, a rejection and a change of a tender's ceiling.
The ceiling itself is checked by subsidies.allocation under the tender's lock."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RejectionReason
from .forms_review import DateField

MAX_AMOUNT = Decimal("9999999999.99")  # MONEY: 12 digits, 2 decimals


def parse_euros(value):
    """An amount as people type it: "12500", "12.500", "12.500,50", "€ 12 500", "12500.50".
    Returns a Decimal, or None when it is not an amount."""
    text = re.sub(r"[\s\u00a0€]", "", str(value or ""))
    if not text:
        return None
    if "," in text:
        # Dutch: dots group thousands, the comma separates the cents.
        if text.count(",") > 1 or not re.fullmatch(
            r"-?\d{1,3}(\.\d{3})*,\d{1,2}|-?\d+,\d{1,2}", text
        ):
            return None
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # "12.500": thousands
    elif not re.fullmatch(r"-?\d+(\.\d{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class EuroField(forms.Field):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."),
        "min_value": _("Het bedrag moet groter zijn dan nul."),
        "max_value": _("Het bedrag is te groot."),
    }

    def __init__(self, *, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = parse_euros(value)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0 or (value == 0 and not self.allow_zero):
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if value > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",").removesuffix(",00")
        return value


def _decided_on_field():
    return DateField(label=_("Datum besluit"), initial=timezone.localdate)


def _check_decision_date(value):
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("De datum van het besluit ligt in de toekomst."))
    if value.year < today.year - 5:
        raise forms.ValidationError(_("De datum van het besluit ligt te ver terug."))
    return value


class GrantForm(forms.Form):
    amount = EuroField(label=_("Te verlenen bedrag (€)"))
    decided_on = _decided_on_field()
    motivation = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_decided_on(self):
        return _check_decision_date(self.cleaned_data["decided_on"])


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van afwijzing"),
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een reden van afwijzing."),
            "invalid_choice": _("Kies een reden van afwijzing."),
        },
    )
    decided_on = _decided_on_field()
    motivation = forms.CharField(
        label=_("Motivering"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Motiveer de afwijzing.")},
    )

    def clean_decided_on(self):
        return _check_decision_date(self.cleaned_data["decided_on"])
