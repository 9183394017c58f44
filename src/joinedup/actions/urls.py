"""The action plan's URLs, under a partnership: /partnerships/<id>/plan/..."""

from django.urls import path

from . import (
    calendar_views,
    commitment_views,
    meeting_views,
    plan_views,
    status_views,
    working_views,
)

app_name = "actions"

PLAN = "partnerships/<int:partnership_id>/plan/"
ACTION = f"{PLAN}<int:action_id>/"
MEETING = f"{PLAN}meetings/<int:meeting_id>/"
COMMITMENT = f"{PLAN}commitments/<int:commitment_id>/"

urlpatterns = [
    path(PLAN, plan_views.plan, name="plan"),
    path(f"{PLAN}add/", plan_views.add_action, name="add"),
    path(f"{PLAN}status/", status_views.plan_status, name="status"),
    path(f"{PLAN}from-round/<int:round_id>/", plan_views.from_round, name="from-round"),
    path(f"{PLAN}calendar.ics", calendar_views.calendar_feed, name="calendar"),
    path(f"{PLAN}calendar/", calendar_views.calendar_link, name="calendar-link"),
    path(ACTION, plan_views.action_detail, name="action"),
    path(f"{ACTION}edit/", plan_views.edit_action, name="edit"),
    path(f"{ACTION}update/", plan_views.add_update, name="add-update"),
    path(f"{ACTION}remove/", plan_views.remove_action, name="remove"),
    # Meetings and their agendas.
    path(f"{PLAN}meetings/", meeting_views.meeting_list, name="meetings"),
    path(f"{PLAN}meetings/add/", meeting_views.meeting_form, name="add-meeting"),
    path(MEETING, meeting_views.meeting_detail, name="meeting"),
    path(f"{MEETING}edit/", meeting_views.meeting_form, name="edit-meeting"),
    path(f"{MEETING}remove/", meeting_views.remove_meeting, name="remove-meeting"),
    path(f"{MEETING}items/add/", meeting_views.item_form, name="add-item"),
    path(f"{MEETING}items/<int:item_id>/", meeting_views.item_form, name="edit-item"),
    path(f"{MEETING}items/<int:item_id>/remove/", meeting_views.remove_item, name="remove-item"),
    # The commitments ledger.
    path(f"{PLAN}commitments/", commitment_views.ledger, name="commitments"),
    path(f"{PLAN}commitments/add/", commitment_views.commitment_form, name="add-commitment"),
    path(COMMITMENT, commitment_views.commitment_form, name="edit-commitment"),
    path(f"{COMMITMENT}remove/", commitment_views.remove_commitment, name="remove-commitment"),
    # How we work together: the charter, and conversations for flagged pairs.
    path(f"{PLAN}charter/", working_views.charter, name="charter"),
    path(f"{PLAN}charter/edit/", working_views.edit_charter, name="edit-charter"),
    path(f"{PLAN}charter/sign/", working_views.sign_charter, name="sign-charter"),
    path(f"{PLAN}conversations/", working_views.conversations, name="conversations"),
    path(f"{PLAN}conversations/plan/", working_views.plan_conversation, name="plan-conversation"),
    path(
        f"{PLAN}conversations/<int:conversation_id>/",
        working_views.conversation,
        name="conversation",
    ),
]
