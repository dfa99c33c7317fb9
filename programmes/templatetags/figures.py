from django import template
from django.utils.translation import gettext

from programmes.figures import SMALL_NUMBER, WITHHELD

register = template.Library()


@register.filter
def count(value):
    """A count from programmes.figures; None is a count suppressed for being small, WITHHELD
    one hidden so that a small one cannot be worked out from it."""
    if value is WITHHELD:
        return "×"
    if value is None:
        return gettext("< %(number)s") % {"number": SMALL_NUMBER}
    return value


@register.filter
def percent(value):
    """`` (23%)`` after a count, or nothing when the percentage is suppressed."""
    return "" if value is None else f" ({value}%)"
