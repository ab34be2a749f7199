from django.urls import path

from . import views

app_name = "solidwaste"

urlpatterns = [
    path("", views.index, name="index"),
]
