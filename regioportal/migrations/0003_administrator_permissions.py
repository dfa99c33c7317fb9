from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["auth", "regioportal", "programmes", "participants", "subsidies", "reports"]


def grant(apps, schema_editor):
    """The Beheerder manages users, roles, schemes, tenders and reference data in the admin:
    give the group every model permission of the portal's apps and auth."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Beheerder")
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("regioportal", "0002_roles"),
        ("programmes", "0001_initial"),
        ("participants", "0001_initial"),
        ("subsidies", "0001_initial"),
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
