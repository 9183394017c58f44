from django.urls import path

from . import round_views, survey_views

app_name = "surveys"

urlpatterns = [
    # Respondents: private links, no account.
    path("s/done/", survey_views.done, name="done"),
    path("s/<str:token>/", survey_views.start, name="start"),
    path("o/<str:token>/", survey_views.open_link, name="open-link"),
    path("s/<str:token>/about/", survey_views.about, name="about"),
    path("s/<str:token>/statements/<int:number>/", survey_views.statements, name="statements"),
    path("s/<str:token>/partners/", survey_views.partners, name="partners"),
    path("s/<str:token>/partners/<int:partner_id>/", survey_views.partner, name="partner"),
    path("s/<str:token>/comments/", survey_views.comments, name="comments"),
    path("s/<str:token>/check/", survey_views.check, name="check"),
    path("s/<str:token>/saved/", survey_views.saved, name="saved"),
    # Facilitators and partner leads: rounds and invitations.
    path(
        "partnerships/<int:partnership_id>/rounds/new/",
        round_views.new_round,
        name="new-round",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/",
        round_views.round_detail,
        name="round",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/closing-date/",
        round_views.change_closing_date,
        name="closing-date",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/open/",
        round_views.open_round,
        name="open-round",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/close/",
        round_views.close_round,
        name="close-round",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/progress/",
        round_views.round_progress,
        name="round-progress",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/send-again/",
        round_views.send_again,
        name="send-again",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/invite/",
        round_views.invite,
        name="invite",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/remind/",
        round_views.remind,
        name="remind",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/open-links/",
        round_views.open_links,
        name="open-links",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/log/",
        round_views.round_log,
        name="round-log",
    ),
    path(
        "partnerships/<int:partnership_id>/rounds/<int:round_id>/import/",
        round_views.import_responses,
        name="import",
    ),
]
