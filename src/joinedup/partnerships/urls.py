from django.urls import path

from . import deletion_views, organisation_views, people_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.new_partnership, name="new"),
    path("<int:partnership_id>/", views.overview, name="overview"),
    path("<int:partnership_id>/edit/", views.edit_partnership, name="edit"),
    path("<int:partnership_id>/settings/", views.thresholds, name="settings"),
    path("<int:partnership_id>/delete/", deletion_views.delete_partnership, name="delete"),
    path(
        "<int:partnership_id>/rounds/<int:round_id>/delete/",
        deletion_views.delete_round,
        name="delete-round",
    ),
    # Member organisations.
    path(
        "<int:partnership_id>/organisations/",
        organisation_views.organisation_list,
        name="organisations",
    ),
    path(
        "<int:partnership_id>/organisations/add/",
        organisation_views.add_organisation,
        name="add-organisation",
    ),
    path(
        "<int:partnership_id>/organisations/import/",
        organisation_views.import_organisations,
        name="import-organisations",
    ),
    path(
        "<int:partnership_id>/organisations/<int:organisation_id>/",
        organisation_views.edit_organisation,
        name="edit-organisation",
    ),
    path(
        "<int:partnership_id>/organisations/<int:organisation_id>/remove/",
        organisation_views.remove_organisation,
        name="remove-organisation",
    ),
    # People and their roles.
    path("<int:partnership_id>/people/", people_views.people, name="people"),
    path("<int:partnership_id>/people/add/", people_views.add_person, name="add-person"),
    path(
        "<int:partnership_id>/people/<int:member_id>/",
        people_views.change_role,
        name="change-role",
    ),
    path(
        "<int:partnership_id>/people/<int:member_id>/remove/",
        people_views.remove_person,
        name="remove-person",
    ),
    path(
        "<int:partnership_id>/people/<int:member_id>/send-link/",
        people_views.send_link,
        name="send-link",
    ),
]
