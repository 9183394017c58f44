from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "workshop-pack/partnerships/<int:partnership_id>/rounds/<int:round_id>/",
        views.round_pack,
        name="round-pack",
    ),
    path("<slug:slug>/", views.tool, name="tool"),
    path("<slug:slug>/download.<str:extension>", views.download, name="download"),
]
