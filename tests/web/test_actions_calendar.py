"""The plan's due dates as an iCalendar feed, read with a session or a secret link."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from joinedup.actions import calendar, services
from joinedup.actions.models import CalendarFeed, Status
from joinedup.partnerships.models import Membership
from joinedup.surveys.tokens import token_hash

LINK = re.compile(r'id="calendar-url">(https?://[^<]+/plan/calendar\.ics\?token=([\w-]{43}))<')


def _feed(world: Any) -> str:
    return reverse("actions:calendar", args=[world.partnership.pk])


def _events(text: str) -> list[dict[str, str]]:
    """The VEVENTs of an iCalendar text, each as {property (with parameters): value}."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line  # folded (RFC 5545 §3.1)
    unfolded = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded and any(line.startswith("PRODID:") for line in unfolded)
    events: list[dict[str, str]] = []
    event: dict[str, str] | None = None
    for line in unfolded:
        if line == "BEGIN:VEVENT":
            event = {}
        elif line == "END:VEVENT":
            assert event is not None
            events.append(event)
            event = None
        elif event is not None:
            name, _, value = line.partition(":")
            event[name] = value
    return events


def _plan(world: Any) -> None:
    services.create_action(
        world.partnership,
        area="relationships",
        title="Agree ground rules: bids, contracts; recruitment",
        owner=world.org("Northshire Police"),
        due_date=datetime.date(2027, 3, 31),
    )
    services.create_action(
        world.partnership,
        area="commitment",
        title="Pool the discharge budget " + "and then some more words " * 6,
        due_date=datetime.date(2027, 6, 1),
        status=Status.DONE,
    )
    services.create_action(world.partnership, area="conversations", title="No date yet")


def test_a_member_downloads_the_due_dates_as_icalendar(world: Any) -> None:
    _plan(world)
    response = world.client(world.carol).get(_feed(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    assert "BEGIN:VCALENDAR\r\n" in text and "BEGIN:VEVENT\r\n" in text
    events = _events(text)
    assert len(events) == 2  # the action without a due date has no event
    first, second = events
    assert first["DTSTART;VALUE=DATE"] == "20270331"
    assert first["DTEND;VALUE=DATE"] == "20270401"
    assert first["SUMMARY"] == r"Due: Agree ground rules: bids\, contracts\; recruitment"
    assert "Owner: Northshire Police." in first["DESCRIPTION"]
    assert re.fullmatch(r"action-\d+@[\w.-]+", first["UID"])
    assert re.fullmatch(r"\d{8}T\d{6}Z", first["DTSTAMP"])
    assert second["DTSTART;VALUE=DATE"] == "20270601"
    assert second["SUMMARY"].startswith("Done: Pool the discharge budget")
    assert len(second["SUMMARY"]) > 75  # so it was folded, and unfolds whole


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "Café “Northshire” ✓ " * 10
    folded = calendar.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(parts) == line


def test_a_secret_link_lets_a_calendar_app_read_the_plan_without_signing_in(world: Any) -> None:
    _plan(world)
    page = world.client(world.bob).post(
        reverse("actions:calendar-link", args=[world.partnership.pk])
    )
    assert page["Cache-Control"] == "private, no-store"
    url, token = LINK.search(page.content.decode()).groups()
    feed = CalendarFeed.objects.get()
    assert (feed.user, feed.token_hash) == (world.bob, token_hash(token))  # only the hash
    address = urlsplit(url)
    response = world.client(None).get(f"{address.path}?{address.query}")
    assert response.status_code == 200
    assert len(_events(response.content.decode())) == 2
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_a_secret_link_stops_working_when_replaced_stopped_or_its_owner_leaves(
    world: Any,
) -> None:
    bob = world.client(world.bob)
    link_page = reverse("actions:calendar-link", args=[world.partnership.pk])
    anonymous = world.client(None)

    def feed_status(token: str, partnership: Any = world.partnership) -> int:
        url = reverse("actions:calendar", args=[partnership.pk])
        return anonymous.get(url, {"token": token}).status_code

    first = LINK.search(bob.post(link_page).content.decode()).group(2)
    second = LINK.search(bob.post(link_page).content.decode()).group(2)
    assert feed_status(first) == 404  # replaced
    assert feed_status(second) == 200
    assert feed_status(second, world.other) == 404  # another partnership's plan
    assert feed_status("not-a-token") == 404
    bob.post(link_page, {"stop": "1"})
    assert feed_status(second) == 404
    third = LINK.search(bob.post(link_page).content.decode()).group(2)
    Membership.objects.filter(user=world.bob, partnership=world.partnership).delete()
    assert feed_status(third) == 404


def test_the_link_page_shows_the_link_only_once(world: Any) -> None:
    bob = world.client(world.bob)
    link_page = reverse("actions:calendar-link", args=[world.partnership.pk])
    assert LINK.search(bob.post(link_page).content.decode())
    page = bob.get(link_page).content.decode()
    assert not LINK.search(page)
    assert "Make a new calendar link" in page and "Stop my calendar link" in page
