"""Meetings and agendas: the share of partnership time spent on what matters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.actions import meetings
from joinedup.actions.meetings import TimeSpent
from joinedup.actions.models import AgendaItem, Meeting

READ_PAGES = ["meetings", "meeting"]
FACILITATOR_PAGES = [
    "add-meeting",
    "edit-meeting",
    "remove-meeting",
    "add-item",
    "edit-item",
    "remove-item",
]
CHANGES: dict[str, dict[str, Any]] = {
    "add-meeting": {"title": "Intruders’ board", "date": "1/5/2027"},
    "edit-meeting": {"title": "Renamed", "date": "1/5/2027"},
    "add-item": {"title": "Our pet project", "kind": "what_matters", "minutes": "90"},
    "edit-item": {"title": "Changed", "kind": "side_show", "minutes": "5"},
}


@pytest.fixture
def board(world: Any) -> Meeting:
    """April's board: 45 minutes on what matters out of 90."""
    meeting = meetings.create_meeting(
        world.partnership,
        "Partnership board",
        datetime.date(2027, 4, 14),
        datetime.time(14, 0),
        "County Hall",
    )
    meetings.add_item(meeting, "Hospital discharge", "what_matters", 45, "Pool the budget.")
    meetings.add_item(meeting, "Logo for the partnership", "side_show", 30)
    meetings.add_item(meeting, "Minutes and matters arising", "operational", 15)
    return meeting


def _url(world: Any, name: str, meeting: Meeting | None = None) -> str:
    args: list[Any] = [world.partnership.pk]
    if name not in {"meetings", "add-meeting"} and meeting is not None:
        args.append(meeting.pk)
        if name in {"edit-item", "remove-item"}:
            args.append(meeting.items.first().pk)
    return reverse(f"actions:{name}", args=args)


def _state() -> tuple[Any, ...]:
    return (
        sorted(Meeting.objects.values_list("title", "date")),
        sorted(AgendaItem.objects.values_list("title", "kind", "minutes")),
    )


def test_the_share_of_time_on_what_matters_is_its_minutes_over_all_minutes(
    world: Any, board: Meeting
) -> None:
    spent = meetings.time_spent(board)
    assert (spent.what_matters, spent.side_show, spent.operational, spent.total) == (45, 30, 15, 90)
    assert spent.share_on_what_matters == pytest.approx(0.5)
    assert TimeSpent().share_on_what_matters is None  # no agenda, no share
    page = world.client(world.carol).get(_url(world, "meeting", board)).content.decode()
    assert "50% of the agenda’s 90 minutes went on what matters." in page
    assert "Pool the budget." in page


def test_the_meetings_page_gives_each_meeting_its_share_and_the_share_overall(
    world: Any, board: Meeting
) -> None:
    may = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 5, 12))
    meetings.add_item(may, "Joint bids", "what_matters", 90)
    meetings.add_item(may, "Car parking", "side_show", 10)
    meetings.create_meeting(world.partnership, "June board", datetime.date(2027, 6, 9))
    rows = meetings.meetings_with_time(world.partnership)
    assert [m.title for m, _ in rows] == ["June board", "Board", "Partnership board"]
    assert [spent.percent_on_what_matters for _, spent in rows] == [None, 90, 50]
    assert meetings.overall(rows).percent_on_what_matters == 71  # 135 of 190 minutes
    page = world.client(world.bob).get(_url(world, "meetings")).content.decode()
    assert "Across 3 meetings, 71% of agenda time went on what matters." in page
    assert "No agenda yet" in page
    status = world.client(world.bob).get(reverse("actions:status", args=[world.partnership.pk]))
    assert "71% of the time went on what matters (135 of 190 minutes)" in status.content.decode()


def test_a_facilitator_records_a_meeting_and_its_agenda(world: Any) -> None:
    alice = world.client(world.alice)
    response = alice.post(
        _url(world, "add-meeting"),
        {"title": "Partnership board", "date": "14/4/2027", "start_time": "2pm", "location": ""},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == _url(world, "meeting", meeting)
    assert (meeting.date, meeting.start_time) == (datetime.date(2027, 4, 14), datetime.time(14))
    alice.post(_url(world, "add-item", meeting), CHANGES["add-item"] | {"decision": "Go."})
    alice.post(
        _url(world, "add-item", meeting), {"title": "AOB", "kind": "operational", "minutes": "10"}
    )
    assert list(meeting.items.values_list("title", "position")) == [
        ("Our pet project", 0),
        ("AOB", 1),
    ]
    alice.post(_url(world, "edit-item", meeting), CHANGES["edit-item"])
    assert meeting.items.first().kind == "side_show"
    alice.post(_url(world, "remove-item", meeting))
    assert list(meeting.items.values_list("title", flat=True)) == ["AOB"]
    alice.post(_url(world, "remove-meeting", meeting))
    assert _state() == ([], [])


def test_the_forms_say_what_is_missing(world: Any, board: Meeting) -> None:
    alice = world.client(world.alice)
    page = alice.post(_url(world, "add-meeting"), {"date": "31/2/2027"}).content.decode()
    assert "Enter the meeting’s name" in page
    assert "Enter the date as day, month and year, like 31/3/2027" in page
    page = alice.post(_url(world, "add-item", board), {"minutes": "0"}).content.decode()
    assert "Enter the agenda item" in page
    assert "Select what kind of item it was" in page
    assert "Enter at least 1 minute" in page
    assert Meeting.objects.count() == 1 and board.items.count() == 3


def test_meetings_are_in_the_calendar_at_their_time_in_utc(world: Any, board: Meeting) -> None:
    meetings.create_meeting(world.partnership, "Away day", datetime.date(2027, 1, 20))
    text = (
        world.client(world.carol)
        .get(reverse("actions:calendar", args=[world.partnership.pk]))
        .content.decode()
    )
    unfolded = text.replace("\r\n ", "")
    # 14:00 in London in April is 13:00 UTC (British Summer Time); 90 minutes of agenda.
    assert "DTSTART:20270414T130000Z\r\nDTEND:20270414T143000Z\r\n" in unfolded
    assert "SUMMARY:Partnership board\r\nLOCATION:County Hall\r\n" in unfolded
    assert "DTSTART;VALUE=DATE:20270120\r\nDTEND;VALUE=DATE:20270121\r\n" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 2


def test_a_member_of_another_partnership_gets_404_and_changes_nothing(
    world: Any, board: Meeting
) -> None:
    before = _state()
    dave = world.client(world.dave)
    for name in READ_PAGES + FACILITATOR_PAGES:
        assert dave.get(_url(world, name, board)).status_code == 404, name
        assert dave.post(_url(world, name, board), CHANGES.get(name, {})).status_code == 404
    # Nor can Southvale's facilitator reach Northshire's meeting through Southvale.
    page = reverse("actions:remove-meeting", args=[world.other.pk, board.pk])
    assert dave.post(page).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_partner_leads_and_viewers_read_meetings_and_get_403_on_changes(
    world: Any, board: Meeting, persona: str
) -> None:
    before = _state()
    client = world.client(getattr(world, persona))
    for name in READ_PAGES:
        page = client.get(_url(world, name, board))
        assert page.status_code == 200
        assert "Add a meeting" not in page.content.decode()
        assert "Add an agenda item" not in page.content.decode()
    for name in FACILITATOR_PAGES:
        assert client.get(_url(world, name, board)).status_code == 403, name
        assert client.post(_url(world, name, board), CHANGES.get(name, {})).status_code == 403
    assert _state() == before
