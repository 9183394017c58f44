from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("method/", views.method, name="method"),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/results/",
        views.round_results,
        name="round",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/results/<slug:section>/",
        views.round_section,
        name="section",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/download/<str:kind>/",
        views.download,
        name="download",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/download/<str:kind>/preparing/",
        views.preparing,
        name="preparing",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/download/<str:kind>/status/",
        views.file_status,
        name="file-status",
    ),
    path("partnerships/<int:partnership_id>/downloads/", views.download_log, name="log"),
]
