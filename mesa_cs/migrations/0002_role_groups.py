from django.contrib.auth.management import create_permissions
from django.db import migrations

from mesa_cs.lib.roles import sync_role_permissions


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups can receive them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_role_groups(apps, schema_editor):
    from mesa_cs.lib.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mesa_cs", "0001_worker_heartbeat"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_account"),
        ("staffing", "0001_work_items"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
