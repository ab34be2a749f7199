from django.urls import path

from solidwaste import views

app_name = "solidwaste"

urlpatterns = [
    path("", views.index, name="index"),
]
