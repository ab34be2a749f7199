from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    # Models added by later migrations get their permissions into the role
    # groups too; the groups themselves come from migration 0002_role_groups.
    from django.contrib.auth.models import Group, Permission

    from mesa_cs.lib.roles import sync_role_permissions

    sync_role_permissions(Group, Permission)


def _trigger_settings(sender, using="default", **kwargs):
    # After pgtrigger's and pghistory's own post_migrate work, which may
    # have put their versions back (mesa_cs/lib/trigger_settings.py).
    from django.db import connections

    from mesa_cs.lib import trigger_settings

    trigger_settings.install(connections[using])


class MesaCsConfig(AppConfig):
    name = "mesa_cs"
    verbose_name = "Mesa CS platform"

    def ready(self):
        # After the last app with models (post_migrate skips the others), so
        # every app's permissions exist by then.
        last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
        post_migrate.connect(_sync_roles, sender=last_app, dispatch_uid="mesa_cs_sync_roles")
        post_migrate.connect(
            _trigger_settings, sender=last_app, dispatch_uid="mesa_cs_trigger_settings"
        )

        from mesa_cs import home
        from mesa_cs.lib import lookups  # noqa: F401  (registers field__any)

        home.register()
