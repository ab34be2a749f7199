"""The role groups and their model permissions, frozen here as they stood
when this migration was written, so editing mesa_cs/lib/roles.py never
changes what this migration installs. Later changes reach the groups through
the post_migrate sync in mesa_cs/apps.py (which also gives them the
permissions of models added by later migrations);
tests/platform/test_migrations_frozen.py compares the result with the roles
module."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLERK = "Customer Service Clerk"
CASHIER = "Cashier"
BILLING = "Billing Specialist"
CREDIT = "Credit Representative"
ALARMS = "Alarm Unit Clerk"
EMS = "EMS Clerk"
SUPERVISOR = "Supervisor"
ADMINISTRATOR = "Administrator"  # every permission
ROLES = [CLERK, CASHIER, BILLING, CREDIT, ALARMS, EMS, SUPERVISOR, ADMINISTRATOR]

SECTION_APPS = ("accounts", "billing", "cashiering", "credit", "alarms", "solidwaste", "staffing")
READ = ("view",)
WORK = ("view", "add", "change")
# role: {app label: permission actions}
ROLE_PERMISSIONS = {
    CLERK: {"accounts": WORK, "billing": READ, "solidwaste": READ, "staffing": WORK},
    CASHIER: {"accounts": READ, "cashiering": WORK, "staffing": WORK},
    BILLING: {"accounts": WORK, "billing": WORK, "staffing": WORK},
    CREDIT: {"accounts": WORK, "credit": WORK, "staffing": WORK},
    ALARMS: {"accounts": READ, "alarms": WORK, "staffing": WORK},
    EMS: {"accounts": READ, "solidwaste": WORK, "staffing": WORK},
    SUPERVISOR: dict.fromkeys(SECTION_APPS, WORK),
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups can receive them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == ADMINISTRATOR:
            permissions = Permission.objects.all()
        else:
            permissions = Permission.objects.none()
            for app_label, actions in ROLE_PERMISSIONS[role].items():
                for action in actions:
                    permissions = permissions | Permission.objects.filter(
                        content_type__app_label=app_label, codename__startswith=f"{action}_"
                    )
        group.permissions.set(permissions)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mesa_cs", "0001_worker_heartbeat"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_account"),
        ("staffing", "0001_work_items"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
