from django.urls import path

from . import views_edit, views_list, views_pdf, views_preview

app_name = "reports"

urlpatterns: list = [
    path("", views_list.factsheet_list, name="list"),
    path("<int:pk>/", views_preview.factsheet_detail, name="factsheet-detail"),
    path("<int:pk>/bewerken/", views_edit.factsheet_edit, name="factsheet-edit"),
    path("nieuw/<slug:programme>/", views_edit.factsheet_new, name="factsheet-new"),
    path("<int:pk>/pdf/", views_pdf.generate, name="generate"),
    path("pdf/<int:pk>/", views_pdf.rendering_status, name="rendering-status"),
    path("pdf/<int:pk>/download/", views_pdf.download, name="download"),
    path("terugblik/<slug:umbrella>/pdf/", views_pdf.batch, name="batch"),
    path("terugblik/pdf/<int:pk>/", views_pdf.batch_status, name="batch-status"),
    path("terugblik/pdf/<int:pk>/download/", views_pdf.batch_download, name="batch-download"),
]
