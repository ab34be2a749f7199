from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = "Staffing"

    def ready(self):
        from accounts.panels import AccountTab, register_tab
        from staffing.selectors import work_items_for_account

        register_tab(
            AccountTab(
                name="work-items",
                label="Work items",
                template="staffing/_account_work_items_tab.html",
                context=lambda request, account: {"work_items": work_items_for_account(account)},
                badge=lambda account: work_items_for_account(account).count() or None,
            )
        )
        from staffing import dashboards, home
        from staffing.levels import service_levels_seed

        home.register()
        dashboards.register()
        post_migrate.connect(service_levels_seed, sender=self, dispatch_uid="staffing_levels")
