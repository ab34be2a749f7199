from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "Credit Services"

    def ready(self):
        from accounts.models import FieldActivity
        from accounts.panels import (
            AccountTab,
            register_completion_check,
            register_payment_hook,
            register_tab,
        )
        from credit.services.disconnects import disconnect_blocker, reconnect_if_cleared
        from mesa_cs.lib.roles import AREA_ROLES, Area, user_roles

        # Re-checked when the crew reports the disconnect done.
        register_completion_check(FieldActivity.Kind.DISCONNECT, disconnect_blocker)
        # A payment that clears the past due reconnects, or stops the crew.
        register_payment_hook(reconnect_if_cleared)

        from credit.selectors.collections import account_collections
        from credit.selectors.deposits import account_deposits

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
        register_tab(
            AccountTab(
                name="collections",
                label="Collections",
                template="credit/_account_collections_tab.html",
                context=lambda request, account: {
                    "collections": account_collections(account),
                    "can_act": bool(user_roles(request.user) & AREA_ROLES[Area.CREDIT]),
                },
            )
        )

        from credit import home
        from credit.approvals import APPROVALS
        from staffing.approvals import register_approval_kind

        home.register()
        from credit import dashboards

        dashboards.register()
        for kind in APPROVALS:
            register_approval_kind(kind)
