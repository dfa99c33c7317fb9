"""The portal's roles, as Django groups with the Dutch names users know them by."""

from django.db.models import TextChoices


class Role(TextChoices):
    coordinator = "Coördinator"
    reviewer = "Beoordelaar"
    subsidy_officer = "Subsidiebehandelaar"
    programme_manager = "Programmamanager"
    administrator = "Beheerder"


def roles_of(user):
    """The set of Role values the user holds (cached on the user object per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_regioportal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.administrator.value}
        user._regioportal_roles = cached
    return cached


def has_role(user, *roles):
    held = roles_of(user)
    return any(role in held for role in roles)
