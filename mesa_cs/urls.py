from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mesa_cs import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("audit/<str:app_label>/<str:model_name>/<str:pk>/", views.audit_trail, name="audit_trail"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("billing/", include("billing.urls")),
    path("cashiering/", include("cashiering.urls")),
    path("credit/", include("credit.urls")),
    path("alarms/", include("alarms.urls")),
    path("solidwaste/", include("solidwaste.urls")),
    path("staffing/", include("staffing.urls")),
]

admin.site.site_header = "Mesa CS administration"
admin.site.site_title = "Mesa CS admin"
admin.site.index_title = "Configuration"
