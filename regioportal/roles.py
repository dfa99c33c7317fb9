"""The portal's roles, as Django groups with the Dutch names users know them by."""

from django.core.cache import cache
from django.db.models import TextChoices


class Role(TextChoices):
    coordinator = "Coördinator"
    reviewer = "Beoordelaar"
    subsidy_officer = "Subsidiebehandelaar"
    programme_manager = "Programmamanager"
    administrator = "Beheerder"


ROLES_TTL = 300  # seconds; a change of groups clears the entry at once (see apps.py)


def roles_cache_key(user_id):
    return f"roles:{user_id}"


def roles_of(user):
    """The set of Role values the user holds. Kept on the user object for the request and in
    the shared cache between requests; changing a user's groups or superuser flag clears the
    cached entry (signals in RegioportalConfig.ready), so a revoked role ends at once.

    A superuser holds the Beheerder role: reading every programme, and the full erasure of a
    person in the portal. That widens no workspace write: writing participant data needs the
    Coördinator role and membership of the programme (participants.rules), and those rules
    are tested with rules.test_rule in the domain functions, never with has_perm (which a
    superuser always passes)."""
    if not user.is_authenticated:
        return frozenset()
    held = getattr(user, "_regioportal_roles", None)
    if held is None:
        key = roles_cache_key(user.pk)
        names = cache.get(key)
        if names is None:
            names = list(user.groups.values_list("name", flat=True))
            cache.set(key, names, ROLES_TTL)
        held = frozenset(names)
        if user.is_superuser:
            held = held | {Role.administrator.value}
        user._regioportal_roles = held
    return held


def forget_roles(*, user_id):
    cache.delete(roles_cache_key(user_id))


def has_role(user, *roles):
    held = roles_of(user)
    return any(role in held for role in roles)
