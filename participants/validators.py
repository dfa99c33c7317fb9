"""Validation rules for participant data shared by the forms, the model and the CSV import,
so a value accepted in one place is accepted in all of them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Digits, spaces, brackets and hyphens, optionally a leading +: how people write Dutch and
# international numbers ("06-12345678", "+31 50 123 4567", "(050) 1234567").
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-]*$")
PHONE_MAX_LENGTH = 20
PHONE_MIN_DIGITS = 10  # 06 12345678, 050 1234567
PHONE_MAX_DIGITS = 15  # E.164


def phone_is_valid(value):
    digits = sum(char.isdigit() for char in value)
    return bool(
        _PHONE.match(value)
        and PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS
        and len(value) <= PHONE_MAX_LENGTH
    )


def validate_phone(value):
    """The one phone rule (forms, model and import). Empty is allowed (the field is
    optional)."""
    if value and not phone_is_valid(value):
        raise ValidationError(
            _("Vul een geldig telefoonnummer in, bijvoorbeeld 06-12345678 of +31 50 123 4567."),
            code="invalid_phone",
        )
