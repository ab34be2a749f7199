from django.urls import path

from billing.views import (
    adjustments,
    cycles,
    rate_models,
    rates,
    reads,
    reports,
    runs,
    special_codes,
)

app_name = "billing"

urlpatterns = [
    path("", runs.index, name="index"),
    path("calculator/", runs.calculator, name="calculator"),
    # The rate book and its editor (docs/rate_editor.md)
    path("rates/", rates.RateBookView.as_view(), name="rates"),
    path("rates/versions/<int:pk>/", rates.rate_version, name="rate_version"),
    path("rates/versions/<int:pk>/edit/", rates.rate_version_edit, name="rate_version_edit"),
    path(
        "rates/versions/<int:pk>/put-in-force/",
        rates.rate_version_put_in_force,
        name="rate_version_put_in_force",
    ),
    path(
        "rates/versions/<int:pk>/discard/", rates.rate_version_discard, name="rate_version_discard"
    ),
    # Rate modelling (docs/rate_modelling.md); before rates/<code>/, which would take "models"
    path("rates/models/", rate_models.RateScenarioListView.as_view(), name="rate_models"),
    path("rates/models/new/", rate_models.rate_model_new, name="rate_model_new"),
    path("rates/models/compare/", rate_models.rate_model_compare, name="rate_model_compare"),
    path("rates/models/<int:pk>/", rate_models.rate_model, name="rate_model"),
    path(
        "rates/models/<int:pk>/request/", rate_models.rate_model_request, name="rate_model_request"
    ),
    path("rates/models/<int:pk>/memo.pdf", rate_models.rate_model_pdf, name="rate_model_pdf"),
    path("rates/models/<int:pk>/memo.xlsx", rate_models.rate_model_xlsx, name="rate_model_xlsx"),
    path("rates/<str:code>/", rates.rate_schedule, name="rate_schedule"),
    path("rates/<str:code>/start/", rates.rate_version_start, name="rate_version_start"),
    # Special-billing rate codes (docs/special_rate_codes.md)
    path("special-codes/", special_codes.SpecialCodeListView.as_view(), name="special_codes"),
    path("special-codes/new/", special_codes.special_code_new, name="special_code_new"),
    path("special-codes/<str:code>/", special_codes.special_code, name="special_code"),
    path(
        "special-codes/<str:code>/assign/",
        special_codes.special_code_assign,
        name="special_code_assign",
    ),
    path("runs/", runs.runs, name="runs"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("runs/<int:pk>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:pk>/print-file/", runs.run_print_file, name="run_print_file"),
    path("bills/<int:pk>/", runs.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf/", runs.bill_pdf_view, name="bill_pdf"),
    path("bills/<int:pk>/cancel/", runs.bill_cancel, name="bill_cancel"),
    path("reads/", reads.reads_entry, name="reads"),
    path("reads/exceptions/", reads.read_exceptions, name="read_exceptions"),
    path(
        "reads/exceptions/<int:pk>/<str:action>/",
        reads.read_exception_act,
        name="read_exception_act",
    ),
    path("reads/import/", reads.reads_import_view, name="reads_import"),
    path("reads/import/<int:pk>/", reads.read_import_detail, name="read_import"),
    path(
        "reads/import/<int:pk>/progress/", reads.read_import_progress, name="read_import_progress"
    ),
    path("cycles/accounts-without/", cycles.accounts_without_cycle, name="accounts_without_cycle"),
    path("adjustments/", adjustments.AdjustmentListView.as_view(), name="adjustments"),
    path("reports/<str:name>/", reports.ReportView.as_view(), name="report"),
    path("investigations/<str:number>/", reports.high_bill, name="high_bill"),
    path("investigations/<str:number>/meter-test/", reports.meter_test_request, name="meter_test"),
    path("adjustments/request/", adjustments.adjustment_request, name="adjustment_request"),
    path(
        "adjustments/<int:pk>/<str:decision>/",
        adjustments.adjustment_decide,
        name="adjustment_decide",
    ),
]
