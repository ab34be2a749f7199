from django.urls import path

from cashiering import views

app_name = "cashiering"

urlpatterns = [
    path("", views.index, name="index"),
    path("drawer/open/", views.open_drawer, name="open_drawer"),
    path("drawer/<int:pk>/close/", views.close_drawer, name="close_drawer"),
    path("counter/", views.counter, name="counter"),
    path("counter/account/", views.account_lookup, name="account_lookup"),
    path("counter/search/", views.counter_search, name="counter_search"),
    path("payments/<int:pk>/", views.payment_detail, name="payment"),
    path("payments/<int:pk>/void/", views.payment_void_view, name="payment_void"),
    path("payments/<int:pk>/transfer/", views.payment_transfer_view, name="payment_transfer"),
    path("payments/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("refunds/", views.refunds, name="refunds"),
    path("refunds/<int:pk>/<str:decision>/", views.refund_decide, name="refund_decide"),
    path("payments/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("files/", views.payment_files, name="payment_files"),
    path("files/<int:pk>/", views.payment_file_detail, name="payment_file"),
    path("files/<int:pk>/progress/", views.payment_file_progress, name="payment_file_progress"),
    path("deposits/", views.deposits, name="deposits"),
    path("deposits/bank-credit/", views.bank_credit, name="bank_credit"),
    path("deposits/<int:pk>/slip.pdf", views.deposit_slip, name="deposit_slip"),
    path("reports/daily-cash/", views.DailyCashReport.as_view(), name="daily_cash"),
    path("reports/<str:name>/", views.CashieringReportView.as_view(), name="report"),
    path("suspense/", views.SuspenseView.as_view(), name="suspense"),
    path("suspense/<int:pk>/<str:action>/", views.suspense_act, name="suspense_act"),
]
