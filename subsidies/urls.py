from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns: list = []
