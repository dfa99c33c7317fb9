"""Number, money and percentage formatting in the portal's (Dutch) style.

Figures follow the active language's separators: "€ 2.700.000" and "€ 6,4 mln" in Dutch,
"€ 2,700,000" and "€ 6.4 mln" in English. Empty values render as an en dash, so a table
never shows "None".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

EMPTY = "–"
NBSP = "\u00a0"


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _format(amount, decimals):
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, force_grouping=True)


@register.filter
def number(value, decimals=None):
    """``1200`` → "1.200"; ``Decimal("10.00")`` → "10"; ``23.5`` → "23,5";
    ``{{ x|number:1 }}`` → "6,4" (always one decimal)."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    if decimals is None:
        # As many decimals as the value needs, at most two.
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        decimals = max(0, -amount.as_tuple().exponent)
    return _format(amount, int(decimals))


@register.filter
def euro(value):
    """A whole amount in euros: "€ 2.700.000"; cents only when there are any: "€ 12,50"."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"€{NBSP}{_format(amount, decimals)}"


@register.filter
def euro_short(value):
    """A key figure: "€ 6,4 mln" from a million up, "€ 750.000" below."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    if abs(amount) < 1_000_000:
        return euro(amount.to_integral_value(rounding=ROUND_HALF_UP))
    millions = (amount / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    decimals = 0 if millions == millions.to_integral_value() else 1
    return f"€{NBSP}{_format(millions, decimals)}{NBSP}{_('mln')}"


@register.filter
def percent(value, decimals=0):
    """A value that already is a percentage: ``23`` → "23%"; ``{{ x|percent:1 }}`` → "23,3%"."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    return f"{_format(amount, int(decimals))}%"


@register.filter
def percent_of(part, whole):
    """``{{ granted|percent_of:ceiling }}`` → "64%"; an en dash when the whole is zero."""
    part, whole = _decimal(part), _decimal(whole)
    if part is None or not whole:
        return EMPTY
    return percent(part * 100 / whole)
