"""Bankruptcy, write-offs and agency referrals."""

from django.urls import path

from . import views_cases as views

urlpatterns: list = [
    path("bankruptcies/", views.BankruptcyListView.as_view(), name="bankruptcies"),
    path("bankruptcies/<int:pk>/", views.bankruptcy_detail, name="bankruptcy"),
    path("bankruptcies/<int:pk>/<str:outcome>/", views.bankruptcy_close, name="bankruptcy_close"),
    path("bankruptcies/account/<str:number>/", views.bankruptcy_new, name="bankruptcy_new"),
    path("write-offs/", views.WriteOffListView.as_view(), name="write_offs"),
    path("write-offs/<int:pk>/<str:decision>/", views.write_off_decide, name="write_off_decide"),
    path("write-offs/account/<str:number>/", views.write_off_account, name="write_off_account"),
    path("write-offs/account/<str:number>/recovery/", views.recovery_new, name="recovery_new"),
    path("referrals/", views.ReferralListView.as_view(), name="referrals"),
    path("referrals/file/", views.agency_file, name="agency_file"),
    path("referrals/<int:pk>/recall/", views.referral_recall, name="referral_recall"),
    path("referrals/account/<str:number>/", views.referral_new, name="referral_new"),
]
