from django.urls import path

from cashiering.views import deposits, drawers, payment_files, payments, reports

app_name = "cashiering"

urlpatterns = [
    path("", drawers.index, name="index"),
    path("drawer/open/", drawers.open_drawer, name="open_drawer"),
    path("drawer/<int:pk>/close/", drawers.close_drawer, name="close_drawer"),
    path("counter/", drawers.counter, name="counter"),
    path("counter/account/", drawers.account_lookup, name="account_lookup"),
    path("counter/search/", drawers.counter_search, name="counter_search"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment"),
    path("payments/<int:pk>/void/", payments.payment_void_view, name="payment_void"),
    path("payments/<int:pk>/transfer/", payments.payment_transfer_view, name="payment_transfer"),
    path("payments/<int:pk>/receipt/", drawers.receipt, name="receipt"),
    path("refunds/", payments.refunds, name="refunds"),
    path("refunds/<int:pk>/<str:decision>/", payments.refund_decide, name="refund_decide"),
    path("payments/<int:pk>/receipt.pdf", drawers.receipt_pdf, name="receipt_pdf"),
    path("files/", payment_files.payment_files, name="payment_files"),
    path("files/<int:pk>/", payment_files.payment_file_detail, name="payment_file"),
    path(
        "files/<int:pk>/progress/",
        payment_files.payment_file_progress,
        name="payment_file_progress",
    ),
    path("deposits/", deposits.deposits, name="deposits"),
    path("deposits/bank-credit/", payment_files.bank_credit, name="bank_credit"),
    path("deposits/<int:pk>/slip.pdf", deposits.deposit_slip, name="deposit_slip"),
    path("reports/daily-cash/", reports.DailyCashReport.as_view(), name="daily_cash"),
    path("reports/<str:name>/", reports.CashieringReportView.as_view(), name="report"),
    path("suspense/", payment_files.SuspenseView.as_view(), name="suspense"),
    path("suspense/<int:pk>/<str:action>/", payment_files.suspense_act, name="suspense_act"),
]
