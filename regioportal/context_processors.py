from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role, roles_of

# The group names are Dutch and stay so in the database; these are their display labels.
ROLE_LABELS = {
    Role.coordinator: _("Coördinator"),
    Role.reviewer: _("Beoordelaar"),
    Role.subsidy_officer: _("Subsidiebehandelaar"),
    Role.programme_manager: _("Programmamanager"),
    Role.administrator: _("Beheerder"),
}


def role_labels(roles):
    """Display labels of the held roles, in the fixed order of :class:`Role`."""
    return [ROLE_LABELS[role] for role in Role if role in roles]


def optional_url(name, fallback=None):
    """The URL of a named view, or ``fallback`` while the app has no such view yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _items(roles):
    """(url, label) pairs in menu order, for the roles the user holds."""
    yield reverse("home"), _("Overzicht")
    if roles:
        yield reverse("programmes:list"), _("Programma's")
    if roles & {Role.coordinator, Role.programme_manager, Role.administrator}:
        yield optional_url("participants:list", "/participants/"), _("Deelnemers")
    if roles & {Role.subsidy_officer, Role.programme_manager, Role.administrator}:
        yield optional_url("subsidies:application-list"), _("Subsidieaanvragen")
        yield optional_url("subsidies:scheme-list"), _("Regelingen")
    if Role.reviewer in roles:
        yield optional_url("subsidies:review-list"), _("Mijn beoordelingen")
    if roles:
        yield optional_url("reports:list"), _("Feitenbladen")
    if Role.administrator in roles:
        yield reverse("admin:index"), _("Beheer")


def navigation(request):
    """The main navigation, per role: a user sees only links to work they may do. The item
    for the page the user is on carries ``current`` (rendered as aria-current="page")."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    roles = roles_of(user)
    home = reverse("home")
    items = []
    seen = set()
    for url, label in _items(roles):
        # A menu item only for pages that exist: no link may lead to "page not found".
        if url is None or url in seen:
            continue
        seen.add(url)
        current = request.path == url if url == home else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    # Only the most specific match is the current page (/subsidies/ vs /subsidies/x/).
    best = max(
        (item for item in items if item["current"]), key=lambda i: len(i["url"]), default=None
    )
    for item in items:
        item["current"] = item is best
    return {"nav_items": items, "user_roles": role_labels(roles)}
