from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.index, name="index"),
    path("calculator/", views.calculator, name="calculator"),
    path("runs/", views.runs, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/print-file/", views.run_print_file, name="run_print_file"),
    path("bills/<int:pk>/", views.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf/", views.bill_pdf_view, name="bill_pdf"),
    path("bills/<int:pk>/cancel/", views.bill_cancel, name="bill_cancel"),
    path("reads/", views.reads_entry, name="reads"),
    path("reads/exceptions/", views.read_exceptions, name="read_exceptions"),
    path(
        "reads/exceptions/<int:pk>/<str:action>/",
        views.read_exception_act,
        name="read_exception_act",
    ),
    path("reads/import/", views.reads_import_view, name="reads_import"),
    path("reads/import/<int:pk>/", views.read_import_detail, name="read_import"),
    path(
        "reads/import/<int:pk>/progress/", views.read_import_progress, name="read_import_progress"
    ),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustments"),
    path("reports/<str:name>/", views.ReportView.as_view(), name="report"),
    path("investigations/<str:number>/", views.high_bill, name="high_bill"),
    path("investigations/<str:number>/meter-test/", views.meter_test_request, name="meter_test"),
    path("adjustments/request/", views.adjustment_request, name="adjustment_request"),
    path(
        "adjustments/<int:pk>/<str:decision>/",
        views.adjustment_decide,
        name="adjustment_decide",
    ),
]
