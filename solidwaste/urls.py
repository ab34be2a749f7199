from django.urls import path

from solidwaste.views import containers, fleet, home, production, reports

app_name = "solidwaste"

urlpatterns = [
    path("", home.index, name="index"),
    # Container services and one-time orders
    path("services/", containers.ServicesView.as_view(), name="services"),
    path("premises/<int:premise_id>/", containers.premise, name="premise"),
    path(
        "premises/<int:premise_id>/deliver/", containers.container_deliver, name="container_deliver"
    ),
    path("containers/<int:pk>/remove/", containers.container_remove, name="container_remove"),
    path("services/<int:agreement_id>/green-stop/", containers.green_stop, name="green_stop"),
    path("premises/<int:premise_id>/orders/new/", containers.order_new, name="order_new"),
    path("orders/", containers.OrdersView.as_view(), name="orders"),
    path("orders/<int:pk>/complete/", containers.order_complete, name="order_complete"),
    path("orders/<int:pk>/cancel/", containers.order_cancel, name="order_cancel"),
    # Routes, trucks and crew
    path("routes/", production.RoutesView.as_view(), name="routes"),
    path("routes/new/", fleet.route_edit, name="route_new"),
    path("routes/<int:pk>/edit/", fleet.route_edit, name="route_edit"),
    path("trucks/", production.TrucksView.as_view(), name="trucks"),
    path("trucks/new/", fleet.truck_edit, name="truck_new"),
    path("trucks/<int:pk>/edit/", fleet.truck_edit, name="truck_edit"),
    path("crew/", production.CrewView.as_view(), name="crew"),
    path("crew/new/", fleet.crew_member_edit, name="crew_member_new"),
    path("crew/<int:pk>/edit/", fleet.crew_member_edit, name="crew_member_edit"),
    # Route production: entries, the day's entry, the file import, the KPIs
    path("production/", production.EntriesView.as_view(), name="production"),
    path("production/enter/", production.production_enter, name="production_enter"),
    path("production/import/", production.production_upload, name="production_import"),
    path("production/kpis/", production.KpiView.as_view(), name="kpis"),
    # Payroll and financial performance reports
    path("reports/payroll/", reports.payroll, name="payroll"),
    path("reports/payroll/payroll.csv", reports.payroll_export, name="payroll_export"),
    path("reports/payroll/payroll.xlsx", reports.payroll_xlsx, name="payroll_xlsx"),
    path("reports/payroll/payroll.pdf", reports.payroll_pdf, name="payroll_pdf"),
    path("reports/financial/", reports.financial, name="financial"),
    path("reports/financial/financial.xlsx", reports.financial_xlsx, name="financial_xlsx"),
    path("reports/financial/financial.pdf", reports.financial_pdf, name="financial_pdf"),
]
