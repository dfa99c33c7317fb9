"""What each role's home dashboard shows. Filled in per journey; every figure comes from the
visibility query functions, so a dashboard never shows more than its user may see."""

from programmes.selectors import programmes_visible_to
from regioportal.roles import Role, roles_of


def dashboard_for(user):
    roles = roles_of(user)
    return {
        "roles": sorted(roles),
        "programmes": programmes_visible_to(user).order_by("name")[:20],
        "is_coordinator": Role.coordinator in roles,
    }
