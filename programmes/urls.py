from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("kader/<slug:slug>/", views.umbrella_detail, name="umbrella-detail"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
]
