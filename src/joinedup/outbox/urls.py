from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("partnerships/<int:partnership_id>/outbox/", views.partnership_outbox, name="partnership"),
    path("outbox/", views.site_outbox, name="site"),
]
