from django.urls import path

from . import views

app_name = "cashiering"

urlpatterns = [
    path("", views.index, name="index"),
]
