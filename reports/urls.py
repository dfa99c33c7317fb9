from django.urls import path

from . import views_preview

app_name = "reports"

urlpatterns: list = [
    path("<int:pk>/", views_preview.factsheet_detail, name="factsheet-detail"),
]
