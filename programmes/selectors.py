from regioportal.roles import Role, has_role

from .models import Programme


def programmes_with_participants_visible_to(user):
    """Programmes whose participant data the user may see: all of them for programme
    managers and administrators, the ones they are a member of for coordinators."""
    if has_role(user, Role.programme_manager, Role.administrator):
        return Programme.objects.all()
    if has_role(user, Role.coordinator):
        return Programme.objects.filter(members=user)
    return Programme.objects.none()


def programmes_visible_to(user):
    """Programme pages (public facts, aggregate figures): every signed-in staff role sees all
    programmes; coordinators see their own."""
    if has_role(
        user, Role.programme_manager, Role.administrator, Role.subsidy_officer, Role.reviewer
    ):
        return Programme.objects.all()
    return programmes_with_participants_visible_to(user)


def programmes_editable_by(user):
    """Programmes whose participant data the user may change: a coordinator's own programmes
    (membership), with participants. The one definition of the workspace's write reach:
    Programmamanager, Beheerder and the provincial roles add nothing to it, whatever other
    role the user holds, and neither does a superuser flag."""
    if not has_role(user, Role.coordinator):
        return Programme.objects.none()
    return Programme.objects.filter(members=user, has_participants=True)


def member_programme_ids(user):
    """The ids of every programme the user is a member of (with or without participants),
    read once per request: the factsheet rules ask for each row of a list."""
    ids = getattr(user, "_regioportal_member_programmes", None)
    if ids is None:
        ids = frozenset(Programme.objects.filter(members=user).values_list("pk", flat=True))
        user._regioportal_member_programmes = ids
    return ids


def is_member_of(user, programme):
    """Whether ``user`` may write participant data in ``programme`` (see
    programmes_editable_by). Reads the user's programme ids once per request."""
    if programme is None or not has_role(user, Role.coordinator):
        return False
    editable = getattr(user, "_regioportal_editable_programmes", None)
    if editable is None:
        editable = frozenset(programmes_editable_by(user).values_list("pk", flat=True))
        user._regioportal_editable_programmes = editable
    return programme.pk in editable if hasattr(programme, "pk") else programme in editable
