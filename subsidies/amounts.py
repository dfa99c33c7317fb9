"""Amounts in euros as people type them, read the same way in every form of the subsidy pages
(registering an application, a scheme's budget and a tender's ceiling, granting, paying an
advance, settling): "12500", "12.500", "12.500,50", "€ 12 500", "12.500,-" and "12500.50".

A dot followed by three digits groups thousands (Dutch); a comma, or a dot followed by one or
two digits, separates the cents. A form shows an amount back in the same Dutch notation
("12.500" or "12.500,50") whatever the language of the page, so that it reads back as the
same amount."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programmes.models import MONEY

AMOUNT = re.compile(
    r"(?P<sign>-?)"
    r"(?:(?P<grouped>\d{1,3}(?:\.\d{3})+)(?:,(?P<grouped_cents>\d+))?"
    r"|(?P<whole>\d+)(?:,(?P<cents>\d+)|\.(?P<dot_cents>\d{1,2}))?)"
)
WHOLE_EUROS = (",--", ",-")  # "12.500,-": whole euros


def parse_amount(value):
    """The Decimal that ``value`` (text as typed) stands for, or None when it is no amount.
    The number of digits after the comma is left to the form's validation."""
    text = re.sub(r"[\s\u00a0€]", "", str(value))
    for suffix in WHOLE_EUROS:
        text = text.removesuffix(suffix)
    match = AMOUNT.fullmatch(text)
    if match is None:
        return None
    if match["grouped"]:
        whole, cents = match["grouped"].replace(".", ""), match["grouped_cents"]
    else:
        whole, cents = match["whole"], match["cents"] or match["dot_cents"]
    try:
        return Decimal(f"{match['sign']}{whole}.{cents or 0}")
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


def dutch_amount(value):
    """``value`` (a Decimal) as a form shows it: "12.500" or "12.500,50"."""
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if value < 0 else ""
    return f"{sign}{grouped}" if cents == "00" else f"{sign}{grouped},{cents}"


class AmountField(forms.DecimalField):
    """An amount in euros (see the module) that fits a MONEY column, not negative; with
    ``positive``, not zero either. A form may still pass its own ``error_messages``."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."),
        "required": _("Vul een bedrag in."),
        "max_decimal_places": _("Vul een bedrag in met ten hoogste twee cijfers na de komma."),
        "max_digits": _("Dit bedrag is te groot."),
        "max_whole_digits": _("Dit bedrag is te groot."),
        "min_value": _("Het bedrag kan niet negatief zijn."),
        "positive": _("Het bedrag moet groter zijn dan nul."),
    }

    def __init__(self, *, positive=False, **kwargs):
        self.positive = positive
        kwargs.setdefault("max_digits", MONEY["max_digits"])
        kwargs.setdefault("decimal_places", MONEY["decimal_places"])
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text input: a number input's step, min and max would refuse "12.500,50".
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = parse_amount(value)
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def validate(self, value):
        super().validate(value)
        if self.positive and value is not None and value <= 0:
            raise ValidationError(self.error_messages["positive"], code="positive")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return dutch_amount(value)
        return value
