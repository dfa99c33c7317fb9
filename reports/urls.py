from django.urls import path

from . import views_preview

app_name = "reports"

urlpatterns: list = [
    # STUB lines (H8, H9; replaced at merge)
    path("<int:pk>/", views_preview.factsheet_detail, name="factsheet-detail"),
    path("<int:pk>/pdf/", views_preview.generate, name="generate"),
]
