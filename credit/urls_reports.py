"""The Credit Services reports page."""

from django.urls import path

from . import views_reports as views

urlpatterns: list = [
    path("reports/<str:name>/", views.ReportView.as_view(), name="report"),
]
