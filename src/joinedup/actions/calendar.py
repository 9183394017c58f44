"""The plan's due dates and meetings as an iCalendar feed (RFC 5545), and secret links to it.

A calendar app cannot sign in, so each person may have one secret link per
partnership: a random token in the link, only its SHA-256 hash stored (as
for survey invitations). The link works only while its owner is still a
member of the partnership; making a new one stops the old one.

The iCalendar text is written here rather than with a library: the format
needs only escaping, line folding and CRLF line ends.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from itertools import chain
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership, Partnership
from joinedup.surveys.tokens import new_token, token_hash

from .meetings import meetings_with_time
from .models import Action, CalendarFeed, Meeting, Status
from .services import area_title

LINE_OCTETS = 75  # RFC 5545 §3.1: lines longer than this are folded


# -------------------------------------------------------------- secret links


@transaction.atomic
def new_feed(user: User, partnership: Partnership) -> str:
    """A new secret calendar link token for this person; any earlier one stops working."""
    token = new_token()
    CalendarFeed.objects.filter(user=user, partnership=partnership).delete()
    CalendarFeed.objects.create(user=user, partnership=partnership, token_hash=token_hash(token))
    return token


def stop_feed(user: User, partnership: Partnership) -> bool:
    """Stop this person's calendar link; True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user, partnership=partnership).delete()
    return deleted > 0


def feed_of(user: User, partnership: Partnership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, partnership=partnership).first()


def membership_for_token(token: str, partnership_id: int) -> Membership | None:
    """The membership a calendar link reads the plan as, or None if the link is no good.

    None for an unknown token, a token for another partnership, and the link
    of someone who has since left the partnership or whose account is off.
    """
    # `partnership__pk`, as partnerships.access does: an id too large for the
    # database (any digits in the link reach here) then finds nothing.
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), partnership__pk=partnership_id)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    membership = (
        Membership.objects.select_related("partnership", "organisation")
        .filter(user=feed.user, partnership__pk=partnership_id)
        .first()
    )
    if membership is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return membership


def feed_url(partnership: Partnership, token: str) -> str:
    path = reverse("actions:calendar", args=[partnership.pk])
    return f"{settings.SITE_URL}{path}?token={token}"


# ----------------------------------------------------------------- iCalendar


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            # A continuation line starts with a space, which counts towards its 75.
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += character
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "joinedup"


def action_event(action: Action) -> list[str]:
    """An all-day event on an action's due date."""
    assert action.due_date is not None
    url = settings.SITE_URL + reverse("actions:action", args=[action.partnership_id, action.pk])
    done = action.status == Status.DONE
    details = [
        f"{area_title(action.area)}.",
        f"Status: {Status(action.status).label}.",
    ]
    if action.owner is not None:
        details.append(f"Owner: {action.owner.name}.")
    if action.lead:
        details.append(f"Lead: {action.lead}.")
    details.append(url)
    return [
        "BEGIN:VEVENT",
        f"UID:action-{action.pk}@{_host()}",
        f"DTSTAMP:{_stamp(action.updated_at)}",
        f"DTSTART;VALUE=DATE:{_date(action.due_date)}",
        f"DTEND;VALUE=DATE:{_date(action.due_date + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape(('Done: ' if done else 'Due: ') + action.title)}",
        f"DESCRIPTION:{escape(chr(10).join(details))}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


MEETING_MINUTES = 60  # a meeting's length in calendars until its agenda says otherwise


def meeting_event(meeting: Meeting, minutes: int) -> list[str]:
    """A meeting: at its start time (in UTC) for its agenda's length, or all day without one."""
    url = settings.SITE_URL + reverse("actions:meeting", args=[meeting.partnership_id, meeting.pk])
    if meeting.start_time is not None:
        local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=local)
        end = start + datetime.timedelta(minutes=minutes or MEETING_MINUTES)
        when = [f"DTSTART:{_stamp(start)}", f"DTEND:{_stamp(end)}"]
    else:
        next_day = meeting.date + datetime.timedelta(days=1)
        when = [f"DTSTART;VALUE=DATE:{_date(meeting.date)}", f"DTEND;VALUE=DATE:{_date(next_day)}"]
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{_host()}",
        f"DTSTAMP:{_stamp(meeting.updated_at)}",
        *when,
        f"SUMMARY:{escape(meeting.title)}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{escape(meeting.location)}")
    return [*lines, f"DESCRIPTION:{escape(url)}", f"URL:{url}", "END:VEVENT"]


def calendar(name: str, events: Iterable[list[str]]) -> str:
    """A VCALENDAR of the given events, with CRLF line ends and folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Joined Up//Action plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def plan_calendar(partnership: Partnership) -> str:
    """The action plan's due dates (all-day events) and the partnership's meetings."""
    actions = partnership.actions.filter(due_date__isnull=False).select_related("owner")
    return calendar(
        f"{partnership.name}: action plan",
        chain(
            (action_event(action) for action in actions),
            (meeting_event(m, spent.total) for m, spent in meetings_with_time(partnership)),
        ),
    )
