from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "Credit Services"

    def ready(self):
        from accounts.panels import AccountTab, register_tab

        from .selectors import account_deposits

        register_tab(
            AccountTab(
                name="deposits",
                label="Deposits",
                template="credit/_account_deposits_tab.html",
                context=lambda request, account: {
                    "deposits": account_deposits(account, request.user)
                },
            )
        )
