from django.apps import AppConfig


class CashieringConfig(AppConfig):
    name = "cashiering"
    verbose_name = "Cashiering"

    def ready(self):
        from cashiering import home
        from cashiering.approvals import APPROVAL
        from staffing.approvals import register_approval_kind

        home.register()
        register_approval_kind(APPROVAL)
