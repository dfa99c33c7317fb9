from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("taal/", set_language, name="set_language"),
    path("programmes/", include("programmes.urls")),
    path("participants/", include("participants.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("reports/", include("reports.urls")),
    path("beheer/", admin.site.urls),
]

handler403 = "regioportal.views.permission_denied"
handler404 = "regioportal.views.page_not_found"
handler500 = "regioportal.views.server_error"
