"""The action plan's pages and the reminder run ask the database a fixed number of questions,
however many actions, meetings and owners the plan has."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.actions import meetings, services
from joinedup.actions.reminders import remind_overdue
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.models import Round, RoundStatus

RESULT = {"partnership": {"scales": {"TRUST": {"score": 55.0}}}, "recommendations": []}


def _rounds(world: Any) -> list[Round]:
    return [
        Round.objects.create(
            partnership=world.partnership,
            label=f"Round {number}",
            status=RoundStatus.CLOSED,
            closed_at=timezone.now(),
            result=RESULT,
        )
        for number in range(3)
    ]


def _add(world: Any, rounds: list[Round], count: int, start: int = 0) -> None:
    """Overdue actions owned in turn by each organisation, each from a round, and meetings."""
    owners = list(world.organisations.values())
    for number in range(start, start + count):
        services.create_action(
            world.partnership,
            area="commitment",
            title=f"Action {number}",
            owner=owners[number % len(owners)],
            due_date=services.today() - datetime.timedelta(days=1 + number),
            measure=services.Measure("TRUST", "at_least", 60),
            started_from=rounds[number % len(rounds)],
        )
        board = meetings.create_meeting(
            world.partnership, f"Board {number}", datetime.date(2027, 1, 1 + number)
        )
        meetings.add_item(board, "Discharge", "what_matters", 30)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_do_not_ask_once_per_action_or_meeting(world: Any) -> None:
    rounds = _rounds(world)
    alice = world.client(world.alice)
    pages = [
        reverse(f"actions:{name}", args=[world.partnership.pk])
        for name in ("plan", "status", "meetings", "commitments", "calendar")
    ]
    _add(world, rounds, 2)
    few = [_queries(alice, url) for url in pages]
    _add(world, rounds, 8, start=2)
    assert [_queries(alice, url) for url in pages] == few


def test_a_meeting_page_reads_its_agenda_once(world: Any) -> None:
    board = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 4, 14))
    url = reverse("actions:meeting", args=[world.partnership.pk, board.pk])
    alice = world.client(world.alice)
    meetings.add_item(board, "Discharge", "what_matters", 30)
    one = _queries(alice, url)
    for minutes in (10, 20, 40):
        meetings.add_item(board, "Logo", "side_show", minutes)
    assert _queries(alice, url) == one
    assert "30% of the agenda’s 100 minutes went on what matters." in (
        alice.get(url).content.decode()
    )


def test_the_reminder_run_finds_everyones_owners_at_once(world: Any, mailbox: Any) -> None:
    """Beyond claiming each action for today (one UPDATE each, so that runs never overlap),
    the number of queries does not grow with the actions."""
    rounds = _rounds(world)
    Membership.objects.create(
        partnership=world.partnership,
        user=world.dave,
        role=Role.PARTNER_LEAD,
        organisation=world.org("Age Well Northshire"),
    )
    _add(world, rounds, 4)
    with CaptureQueriesContext(connection) as few:
        first = remind_overdue()
    _add(world, rounds, 12, start=4)
    with CaptureQueriesContext(connection) as many:
        second = remind_overdue(services.today() + datetime.timedelta(days=1))
    assert (first.actions, second.actions) == (4, 16)
    assert len(many) - len(few) == 16 - 4  # the extra claims, and nothing else
    people = {message["To"] for message in mailbox.wait_for(first.sent + second.sent)}
    # Police's lead is bob, Age Well's is dave; the Council and the NHS trust have no
    # lead, so the facilitator, alice, hears about theirs.
    assert people == {"alice@example.org", "bob@example.org", "dave@example.org"}
