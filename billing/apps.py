from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from accounts.panels import AccountTab, register_tab

        from .selectors import bills_for_account

        register_tab(
            AccountTab(
                name="bills",
                label="Bills",
                template="billing/_account_bills_tab.html",
                context=lambda request, account: {"bills": bills_for_account(account)},
            )
        )
