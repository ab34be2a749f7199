"""Payment arrangements, assistance pledges and the collector's call log."""

from django.urls import path

from . import views_arrangements as views

urlpatterns: list = [
    path("arrangements/", views.ArrangementsView.as_view(), name="arrangements"),
    path("arrangements/<int:pk>/cancel/", views.arrangement_cancel, name="arrangement_cancel"),
    path("accounts/<str:number>/arrangement/", views.arrangement, name="arrangement"),
    path("pledges/", views.PledgesView.as_view(), name="pledges"),
    path("pledges/<int:pk>/paid/", views.pledge_paid, name="pledge_paid"),
    path("accounts/<str:number>/pledge/", views.pledge_new, name="pledge_new"),
    path("accounts/<str:number>/programs/", views.enrolments, name="enrolments"),
    path("programs/<int:pk>/end/", views.enrolment_end, name="enrolment_end"),
    path("accounts/<str:number>/calls/", views.call_log, name="call_log"),
]
