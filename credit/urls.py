from django.urls import path

from . import views
from .urls_arrangements import urlpatterns as arrangement_urls
from .urls_cases import urlpatterns as case_urls

app_name = "credit"

urlpatterns = [
    path("", views.index, name="index"),
    path("deposits/", views.DepositsView.as_view(), name="deposits"),
    path("deposits/<int:pk>/dispute/", views.deposit_dispute, name="deposit_dispute"),
    path("deposits/account/<str:number>/credit/", views.deposit_credit, name="deposit_credit"),
    *arrangement_urls,
    *case_urls,
]
