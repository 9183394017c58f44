from django.urls import path

from . import views

app_name = "updates"

urlpatterns = [
    path("weekly-update/", views.preferences_page, name="preferences"),
    path("weekly-update/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("partnerships/<int:partnership_id>/weekly-update/", views.preview, name="preview"),
]
