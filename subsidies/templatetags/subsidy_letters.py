from django import template

from subsidies import letters

register = template.Library()


@register.simple_tag
def decision_letters(application, user):
    """``{% decision_letters application request.user as overview %}``: the application's
    letters and the decisions that have none (subsidies.letters.letters_overview)."""
    return letters.letters_overview(application, user)
