"""The demo logins, one per role; every password is ``regioportal``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from regioportal.roles import Role

DEMO_PASSWORD = "regioportal"  # noqa: S105 - documented demo login, refused without DEBUG

# (username, first name, last name, role, is_superuser)
USERS = [
    ("coordinator", "Anouk", "Hazenberg", Role.coordinator, False),
    ("coordinator.drenthe", "Jelle", "Oldenhuis", Role.coordinator, False),
    ("beoordelaar", "Femke", "Westerhof", Role.reviewer, False),
    ("behandelaar", "Ruben", "Zuidema", Role.subsidy_officer, False),
    ("programmamanager", "Ingrid", "Talsma", Role.programme_manager, False),
    ("beheerder", "Bart", "Nijenhuis", Role.administrator, True),
]


def load():
    """Create or update the demo users with their group; return them by username.
    Programme memberships are set where the programmes are made."""
    # One hash for all: hashing costs ~0,3 s each (on purpose), and these are demo logins.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, first_name, last_name, role, is_superuser in USERS:
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_active": True,
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
                "password": password,
            },
        )
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.set([group])
        users[username] = user
    return users
