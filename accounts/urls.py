from django.urls import path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("tweestapsverificatie/", views.setup, name="two_factor_setup"),
    path("herstelcodes/", views.regenerate_recovery_codes, name="recovery_codes"),
]
