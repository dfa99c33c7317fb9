from django.urls import path

from . import views_pdf

app_name = "reports"

urlpatterns: list = [
    path("<int:pk>/pdf/", views_pdf.generate, name="generate"),
    path("pdf/<int:pk>/", views_pdf.rendering_status, name="rendering-status"),
    path("pdf/<int:pk>/download/", views_pdf.download, name="download"),
    path("terugblik/<slug:umbrella>/pdf/", views_pdf.batch, name="batch"),
    path("terugblik/pdf/<int:pk>/", views_pdf.batch_status, name="batch-status"),
    path("terugblik/pdf/<int:pk>/download/", views_pdf.batch_download, name="batch-download"),
]
