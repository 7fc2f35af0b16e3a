"""The four roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from boardpack.web.records.roles import ROLES


def add_roles(apps, schema_editor):
    for config in apps.get_app_configs():  # permissions are otherwise made after migrating
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="boardpack")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        chosen = ours if codenames == ["*"] else ours.filter(codename__in=codenames)
        missing = set(codenames) - {"*"} - set(chosen.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"role {name}: no such permissions {sorted(missing)}")
        group.permissions.set(chosen)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("boardpack", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
