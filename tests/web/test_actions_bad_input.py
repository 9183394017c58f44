"""Bad input to the action plan gets a GOV.UK error naming the field, or a plain 404: never a
traceback, and never half a change."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from joinedup.actions import commitments, meetings, services, working
from joinedup.actions.models import (
    Action,
    AgendaItem,
    CharterSignOff,
    Commitment,
    Meeting,
    PairConversation,
)

from .test_actions_charter import flagged  # noqa: F401  (a fixture)

ERROR = re.compile(r'class="govuk-error-message"[^>]*>\s*<span[^>]*>[^<]*</span>\s*([^<]*)<')
OUT_OF_RANGE = "must be between 1 January 2000 and 31 December 2099"


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"actions:{name}", args=[world.partnership.pk, *args])


def _errors(response: Any) -> list[str]:
    assert response.status_code == 200
    return [message.strip() for message in ERROR.findall(response.content.decode())]


ACTION = {"area": "commitment", "title": "Pool the budget", "owner": "", "started_from": ""}


@pytest.mark.parametrize("typed", ["31/12/9999", "1/1/0001", "31 December 9999", "1/1/1999"])
def test_a_due_date_outside_the_years_a_plan_holds_is_refused_by_name(
    world: Any, typed: str
) -> None:
    response = world.client(world.alice).post(_url(world, "add"), ACTION | {"due_date": typed})
    assert _errors(response) == [f"The due date {OUT_OF_RANGE}"]
    assert not Action.objects.exists()


def test_the_last_day_a_plan_holds_still_reaches_the_calendar(world: Any) -> None:
    alice = world.client(world.alice)
    assert alice.post(_url(world, "add"), ACTION | {"due_date": "31/12/2099"}).status_code == 302
    feed = alice.get(_url(world, "calendar"))
    assert feed.status_code == 200
    assert "DTEND;VALUE=DATE:21000101" in feed.content.decode()


@pytest.mark.usefixtures("flagged")
def test_meetings_commitments_and_conversations_refuse_such_dates_too(world: Any) -> None:
    alice = world.client(world.alice)
    meeting = {"title": "Board", "date": "31/12/9999", "start_time": "23:30"}
    assert _errors(alice.post(_url(world, "add-meeting"), meeting)) == [f"The date {OUT_OF_RANGE}"]
    pledge = {
        "organisation": world.org("Northshire Police").pk,
        "kind": "money",
        "description": "Two analysts",
        "pledged": "1000",
        "due_date": "1/1/0001",
    }
    assert _errors(alice.post(_url(world, "add-commitment"), pledge)) == [
        f"The due date {OUT_OF_RANGE}"
    ]
    alice.post(_url(world, "plan-conversation"), {"pair": "0"})
    conversation = PairConversation.objects.get()
    change = {"planned_for": "1/1/9999", "status": "held"}
    assert _errors(alice.post(_url(world, "conversation", conversation.pk), change)) == [
        f"The date {OUT_OF_RANGE}"
    ]
    conversation.refresh_from_db()
    assert (conversation.planned_for, conversation.status) == (None, "planned")
    assert not Meeting.objects.exists() and not Commitment.objects.exists()
    assert alice.get(_url(world, "calendar")).status_code == 200


def test_the_services_refuse_such_dates_whoever_calls_them(world: Any) -> None:
    far = datetime.date(9999, 12, 31)
    police = world.org("Northshire Police")
    calls = [
        ("due_date", lambda: services.create_action(
            world.partnership, area="commitment", title="T", due_date=far)),
        ("date", lambda: meetings.create_meeting(world.partnership, "Board", far)),
        ("due_date", lambda: commitments.create_commitment(
            world.partnership, police, "money", "D", Decimal(1), due_date=far)),
    ]  # fmt: skip
    for field, call in calls:
        with pytest.raises(services.ActionError, match=OUT_OF_RANGE) as raised:
            call()
        assert raised.value.field == field
    assert not (Action.objects.exists() or Meeting.objects.exists())
    assert not Commitment.objects.exists()


def test_an_amount_with_two_problems_gets_one_message(world: Any) -> None:
    pledge = {
        "organisation": world.org("Northshire Police").pk,
        "kind": "money",
        "description": "Two analysts",
        "pledged": "0.001",  # less than 0.01, and three decimal places
    }
    response = world.client(world.alice).post(_url(world, "add-commitment"), pledge)
    assert _errors(response) == ["Enter an amount more than 0"]


@pytest.mark.parametrize("organisation", ["abc", "1.5", "", "-1", "99999999999999999999999"])
def test_signing_off_for_an_organisation_that_is_not_one_is_not_found(
    world: Any, organisation: str
) -> None:
    working.save_charter(world.partnership, "We share bad news early.", world.alice)
    alice = world.client(world.alice)
    alice.raise_request_exception = False
    response = alice.post(_url(world, "sign-charter"), {"organisation": organisation})
    assert response.status_code == 404
    assert not CharterSignOff.objects.exists()


def test_an_organisation_of_another_partnership_is_not_signed_for(world: Any) -> None:
    working.save_charter(world.partnership, "We share bad news early.", world.alice)
    southvale = world.other.organisations.get()
    response = world.client(world.alice).post(
        _url(world, "sign-charter"), {"organisation": southvale.pk}
    )
    assert response.status_code == 404
    assert not CharterSignOff.objects.exists()


@pytest.mark.usefixtures("flagged")
@pytest.mark.parametrize("pair", ["-1", "abc", "", "1", "99999999999999999999"])
def test_a_pair_that_is_not_in_the_list_is_not_found(world: Any, pair: str) -> None:
    alice = world.client(world.alice)
    alice.raise_request_exception = False
    assert alice.post(_url(world, "plan-conversation"), {"pair": pair}).status_code == 404
    assert not PairConversation.objects.exists()


@pytest.mark.usefixtures("flagged")
def test_planning_a_pairs_conversation_twice_plans_it_once(world: Any) -> None:
    alice = world.client(world.alice)
    first = alice.post(_url(world, "plan-conversation"), {"pair": "0"})
    second = alice.post(_url(world, "plan-conversation"), {"pair": "0"})
    conversation = PairConversation.objects.get()
    assert first["Location"] == second["Location"] == _url(world, "conversation", conversation.pk)


def test_an_agenda_item_of_too_many_minutes_is_refused_by_name(world: Any) -> None:
    board = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 4, 14))
    item = {"title": "Everything", "kind": "what_matters", "minutes": "9" * 30}
    response = world.client(world.alice).post(_url(world, "add-item", board.pk), item)
    assert _errors(response) == ["Enter 600 minutes or fewer"]
    assert not AgendaItem.objects.exists()


# --------------------------------------------------------- remind_overdue


def _overdue(world: Any) -> Action:
    return services.create_action(
        world.partnership,
        area="commitment",
        title="Second two analysts",
        owner=world.org("Northshire Police"),
        due_date=services.today() - datetime.timedelta(days=2),
    )


@pytest.mark.parametrize("typed", ["yesterday", "2027-02-30", "31/03/2027", "99999-01-01"])
def test_the_reminder_command_says_how_to_write_a_date(world: Any, typed: str) -> None:
    _overdue(world)
    with pytest.raises(CommandError, match="give it as year-month-day, like 2027-03-31"):
        call_command("remind_overdue", "--date", typed, stdout=StringIO())
    assert Action.objects.get().reminded_on is None


def test_the_reminder_command_refuses_a_day_still_to_come(world: Any) -> None:
    action = _overdue(world)
    tomorrow = services.today() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="is after today"):
        call_command("remind_overdue", "--date", tomorrow.isoformat(), stdout=StringIO())
    action.refresh_from_db()
    assert action.reminded_on is None


def test_a_calendar_link_to_a_partnership_id_too_large_for_the_database_is_not_found(
    world: Any,
) -> None:
    reader = world.client(None)
    reader.raise_request_exception = False
    for partnership_id in (2**63, 10**30):
        feed = f"/partnerships/{partnership_id}/plan/calendar.ics?token=no-such-token"
        assert reader.get(feed).status_code == 404
