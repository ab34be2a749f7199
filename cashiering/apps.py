from django.apps import AppConfig


class CashieringConfig(AppConfig):
    name = "cashiering"
    verbose_name = "Cashiering"

    def ready(self):
        from cashiering import home
        from cashiering.approvals import APPROVALS
        from staffing.approvals import register_approval_kind

        home.register()
        from cashiering import dashboards

        dashboards.register()
        for kind in APPROVALS:
            register_approval_kind(kind)
