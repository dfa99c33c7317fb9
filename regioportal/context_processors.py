from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role, roles_of


def navigation(request):
    """The main navigation, per role: a user sees only links to work they may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = roles_of(user)
    items = [(reverse("home"), _("Overzicht"))]
    if roles & {Role.coordinator, Role.programme_manager, Role.administrator}:
        items.append((reverse("programmes:list"), _("Programma's")))
    items.append((reverse("admin:index"), _("Beheer"))) if Role.administrator in roles else None
    return {"nav_items": items, "user_roles": sorted(roles)}
