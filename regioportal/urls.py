from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inloggen/", account_views.PortalLoginView.as_view(), name="login"),
    path("inloggen/code/", account_views.verify, name="two_factor_verify"),
    path("uitloggen/", LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("taal/", set_language, name="set_language"),
    path("programmes/", include("programmes.urls")),
    path("participants/", include("participants.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("reports/", include("reports.urls")),
    # Before the admin's own URLs: the admin logs in through the portal's login page.
    path("beheer/login/", account_views.admin_login),
    path("beheer/", admin.site.urls),
]

handler403 = "regioportal.views.permission_denied"
handler404 = "regioportal.views.page_not_found"
handler500 = "regioportal.views.server_error"
