from django.apps import AppConfig


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
        from staffing import home

        home.register()
