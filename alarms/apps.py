from django.apps import AppConfig


class AlarmsConfig(AppConfig):
    name = "alarms"
    verbose_name = "Alarm Permits"

    def ready(self):
        from accounts.panels import AccountTab, register_tab
        from alarms import home
        from alarms.selectors.permits import account_alarm_permits

        home.register()
        from alarms import dashboards

        dashboards.register()
        # An alarm account's page shows its permits and invoices.
        register_tab(
            AccountTab(
                name="alarm_permits",
                label="Alarm permits",
                template="alarms/_account_tab.html",
                context=lambda request, account: {"alarm": account_alarm_permits(account)},
            )
        )
