from django.urls import path

from . import views, views_service
from .urls_letters import urlpatterns as letter_urls

app_name = "accounts"

urlpatterns = [
    path("", views.index, name="index"),
    path("field/", views.dispatch_list, name="dispatch"),
    path("field/<int:pk>/complete/", views.field_complete, name="field_complete"),
    path("field/<int:pk>/cancel/", views_service.field_cancel, name="field_cancel"),
    *letter_urls,
    path("start/", views_service.start_customer, name="start_customer"),
    path("start/premise/", views_service.start_premise, name="start_premise"),
    path("start/services/", views_service.start_services, name="start_services"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/tabs/<str:name>/", views.tab, name="tab"),
    path("<str:number>/history.csv", views.history_export, name="history_export"),
    path("<str:number>/contacts/", views.contact_add, name="contact_add"),
    path("<str:number>/notes/", views.note_add, name="note_add"),
    path("<str:number>/stop/", views_service.stop, name="stop"),
    path("<str:number>/transfer/", views_service.transfer, name="transfer"),
    path("<str:number>/field/new/", views_service.field_order, name="field_order"),
    path("<str:number>/statement.pdf", views.statement_pdf, name="statement_pdf"),
]
