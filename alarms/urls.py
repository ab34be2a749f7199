from django.urls import path

from . import views

app_name = "alarms"

urlpatterns = [
    path("", views.index, name="index"),
]
