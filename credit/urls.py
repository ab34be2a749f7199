from django.urls import path

from . import views, views_collections
from .urls_arrangements import urlpatterns as arrangement_urls
from .urls_cases import urlpatterns as case_urls
from .urls_reports import urlpatterns as report_urls

app_name = "credit"

urlpatterns = [
    path("", views.index, name="index"),
    path("deposits/", views.DepositsView.as_view(), name="deposits"),
    path("deposits/<int:pk>/dispute/", views.deposit_dispute, name="deposit_dispute"),
    path("deposits/account/<str:number>/credit/", views.deposit_credit, name="deposit_credit"),
    path("collections/", views_collections.WorklistView.as_view(), name="collections"),
    path("collections/run/", views_collections.collections_start, name="collections_start"),
    path(
        "collections/notices/<int:pk>.pdf",
        views_collections.notice_batch_pdf,
        name="notice_batch_pdf",
    ),
    path("accounts/<str:number>/holds/", views_collections.hold_add, name="hold_add"),
    path("holds/<int:pk>/release/", views_collections.hold_end, name="hold_release"),
    path("heat/", views_collections.heat_days, name="heat_days"),
    *arrangement_urls,
    *case_urls,
    *report_urls,
]
