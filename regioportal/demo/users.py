"""The demo logins, one per role; every password is ``regioportal``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission

from regioportal.roles import Role

DEMO_PASSWORD = "regioportal"  # noqa: S105 - documented demo login, refused without DEBUG

# (username, first name, last name, role, is_staff). The Beheerder is staff with the model
# permissions of the Beheerder group (migration regioportal 0003), not a superuser: a
# superuser passes every permission check in Django, and the functional administrator must
# not edit coordinators' entries or record intakes by accident.
USERS = [
    ("coordinator", "Anouk", "Hazenberg", Role.coordinator, False),
    ("coordinator.drenthe", "Jelle", "Oldenhuis", Role.coordinator, False),
    ("beoordelaar", "Femke", "Westerhof", Role.reviewer, False),
    ("beoordelaar2", "Sander", "Dijkstra", Role.reviewer, False),
    ("behandelaar", "Ruben", "Zuidema", Role.subsidy_officer, False),
    ("programmamanager", "Ingrid", "Talsma", Role.programme_manager, False),
    ("beheerder", "Bart", "Nijenhuis", Role.administrator, True),
]


ADMINISTRATOR_APPS = ["auth", "regioportal", "programmes", "participants", "subsidies", "reports"]


def load():
    """Create or update the demo users with their group; return them by username.
    Programme memberships are set where the programmes are made."""
    # One hash for all: hashing costs ~0,3 s each (on purpose), and these are demo logins.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, first_name, last_name, role, is_staff in USERS:
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_active": True,
                "is_staff": is_staff,
                "is_superuser": False,
                "password": password,
            },
        )
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.administrator and not group.permissions.exists():
            # As migration regioportal 0003 grants them (a flushed database lost them).
            group.permissions.set(
                Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
            )
        user.groups.set([group])
        users[username] = user
    return users
