from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from accounts.panels import AccountTab, register_rate_schedules, register_tab
        from accounts.signals import field_activity_completed, services_ended
        from billing import receivers
        from billing.selectors.bills import bills_for_account

        register_tab(
            AccountTab(
                name="bills",
                label="Bills",
                template="billing/_account_bills_tab.html",
                context=lambda request, account: {"bills": bills_for_account(account)},
            )
        )
        services_ended.connect(receivers.on_services_ended, dispatch_uid="billing-final-bill")
        field_activity_completed.connect(
            receivers.on_field_activity_completed, dispatch_uid="billing-meter-test"
        )
        register_rate_schedules(receivers.rate_schedule_choices)

        from billing import home
        from billing.approvals import APPROVALS
        from staffing.approvals import register_approval_kind

        home.register()
        from billing import dashboards

        dashboards.register()
        for kind in APPROVALS:
            register_approval_kind(kind)
