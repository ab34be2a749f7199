from django.urls import path

from credit.views import arrangements, cases, collections, deposits, reports

app_name = "credit"

urlpatterns = [
    path("", deposits.index, name="index"),
    # Deposits
    path("deposits/", deposits.DepositsView.as_view(), name="deposits"),
    path("deposits/<int:pk>/dispute/", deposits.deposit_dispute, name="deposit_dispute"),
    path("deposits/account/<str:number>/credit/", deposits.deposit_credit, name="deposit_credit"),
    # Collections: the worklist, runs, notices, holds and heat days
    path("collections/", collections.WorklistView.as_view(), name="collections"),
    path("collections/run/", collections.collections_start, name="collections_start"),
    path("collections/notices/<int:pk>.pdf", collections.notice_batch_pdf, name="notice_batch_pdf"),
    path("accounts/<str:number>/holds/", collections.hold_add, name="hold_add"),
    path("holds/<int:pk>/release/", collections.hold_end, name="hold_release"),
    path("heat/", collections.heat_days, name="heat_days"),
    # Payment arrangements, assistance pledges and the collector's call log
    path("arrangements/", arrangements.ArrangementsView.as_view(), name="arrangements"),
    path(
        "arrangements/<int:pk>/cancel/", arrangements.arrangement_cancel, name="arrangement_cancel"
    ),
    path("accounts/<str:number>/arrangement/", arrangements.arrangement, name="arrangement"),
    path("pledges/", arrangements.PledgesView.as_view(), name="pledges"),
    path("pledges/<int:pk>/paid/", arrangements.pledge_paid, name="pledge_paid"),
    path("accounts/<str:number>/pledge/", arrangements.pledge_new, name="pledge_new"),
    path("accounts/<str:number>/programs/", arrangements.enrolments, name="enrolments"),
    path("programs/<int:pk>/end/", arrangements.enrolment_end, name="enrolment_end"),
    path("accounts/<str:number>/calls/", arrangements.call_log, name="call_log"),
    # Bankruptcy, write-offs and agency referrals
    path("bankruptcies/", cases.BankruptcyListView.as_view(), name="bankruptcies"),
    path("bankruptcies/<int:pk>/", cases.bankruptcy_detail, name="bankruptcy"),
    path("bankruptcies/<int:pk>/<str:outcome>/", cases.bankruptcy_close, name="bankruptcy_close"),
    path("bankruptcies/account/<str:number>/", cases.bankruptcy_new, name="bankruptcy_new"),
    path("write-offs/", cases.WriteOffListView.as_view(), name="write_offs"),
    path("write-offs/<int:pk>/<str:decision>/", cases.write_off_decide, name="write_off_decide"),
    path("write-offs/account/<str:number>/", cases.write_off_account, name="write_off_account"),
    path("write-offs/account/<str:number>/recovery/", cases.recovery_new, name="recovery_new"),
    path("referrals/", cases.ReferralListView.as_view(), name="referrals"),
    path("referrals/file/", cases.agency_file, name="agency_file"),
    path("referrals/<int:pk>/recall/", cases.referral_recall, name="referral_recall"),
    path("referrals/account/<str:number>/", cases.referral_new, name="referral_new"),
    # Reports
    path("reports/<str:name>/", reports.ReportView.as_view(), name="report"),
]
