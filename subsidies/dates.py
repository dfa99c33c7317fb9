"""Dates in the subsidy forms: one field for every date a user picks or types."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A date outside these years is a typing error (2204 for 2024), not a date of the province.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class DateField(forms.DateField):
    """A date from a date picker, or typed the Dutch way (31-12-2024); a year between 2000
    and 2100."""

    default_error_messages = {
        "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024."),
        "required": _("Vul een datum in."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not (EARLIEST <= value <= LATEST):
            raise ValidationError(_("Vul een datum tussen 2000 en 2100 in."), code="out_of_range")


def today_field(label, **kwargs):
    """A DateField that starts at today."""
    return DateField(label=label, initial=timezone.localdate, **kwargs)
