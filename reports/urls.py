from django.urls import path

from . import views_edit, views_list, views_preview

app_name = "reports"

urlpatterns: list = [
    path("", views_list.factsheet_list, name="list"),
    path("<int:pk>/bewerken/", views_edit.factsheet_edit, name="factsheet-edit"),
    path("nieuw/<slug:programme>/", views_edit.factsheet_new, name="factsheet-new"),
    # STUB lines (H8, H9; replaced at merge)
    path("<int:pk>/", views_preview.factsheet_detail, name="factsheet-detail"),
    path("<int:pk>/pdf/", views_preview.generate, name="generate"),
]
