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
