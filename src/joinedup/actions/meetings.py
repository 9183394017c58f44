"""Partnership meetings and their agendas: how much of the partnership's time goes on
what matters, rather than side shows and operational business.

"Have the right conversations" (SPEC §5) asks partnerships to spend their
time on the issues that matter, not the side shows. Each agenda item records
the minutes it took and its kind; a meeting's share of time on what matters is
    share = minutes on "what matters" / all minutes on the agenda,
and is undefined (None) for a meeting with no agenda yet.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, Sum, Value
from django.db.models.functions import Coalesce

from joinedup.analysis.text import content_words
from joinedup.partnerships.models import Partnership
from joinedup.surveys.services import closed_rounds

from .models import AgendaItem, AgendaKind, Meeting
from .services import ActionError, check_day


@dataclass(frozen=True)
class TimeSpent:
    """Minutes by kind of agenda item."""

    what_matters: int = 0
    side_show: int = 0
    operational: int = 0

    @classmethod
    def from_minutes(cls, by_kind: Mapping[str, int]) -> TimeSpent:
        """From minutes by agenda kind (what_matters, side_show, operational); none is 0."""
        # The fields are named after the kinds.
        return cls(**{kind: by_kind.get(kind, 0) for kind in AgendaKind.values})

    @property
    def total(self) -> int:
        return self.what_matters + self.side_show + self.operational

    @property
    def share_on_what_matters(self) -> float | None:
        """Minutes on what matters / all minutes, from 0 to 1; None with no minutes."""
        return self.what_matters / self.total if self.total else None

    @property
    def percent_on_what_matters(self) -> int | None:
        share = self.share_on_what_matters
        return None if share is None else round(share * 100)

    def __add__(self, other: TimeSpent) -> TimeSpent:
        return TimeSpent(
            self.what_matters + other.what_matters,
            self.side_show + other.side_show,
            self.operational + other.operational,
        )


def _minutes(kind: str) -> Coalesce:
    return Coalesce(Sum("items__minutes", filter=Q(items__kind=kind)), Value(0))


def meetings_with_time(partnership: Partnership) -> list[tuple[Meeting, TimeSpent]]:
    """The partnership's meetings, latest first, each with its time by kind (one query)."""
    kinds = AgendaKind.values
    meetings = Meeting.objects.filter(partnership=partnership).annotate(
        **{kind: _minutes(kind) for kind in kinds}
    )
    return [
        (meeting, TimeSpent.from_minutes({kind: getattr(meeting, kind) for kind in kinds}))
        for meeting in meetings.order_by("-date", "-pk")
    ]


def time_spent(meeting: Meeting) -> TimeSpent:
    """Time by kind on a meeting's agenda (no query when its items are prefetched)."""
    minutes: Counter[str] = Counter()
    for item in meeting.items.all():
        minutes[item.kind] += item.minutes
    return TimeSpent.from_minutes(minutes)


def overall(rows: list[tuple[Meeting, TimeSpent]]) -> TimeSpent:
    """Time across several meetings (each minute counts the same)."""
    return sum((spent for _, spent in rows), TimeSpent())


# ----------------------------------------------------------------- changes


def _meeting_fields(
    title: str, date: datetime.date, start_time: datetime.time | None, location: str
) -> dict[str, Any]:
    """A meeting's fields, checked and tidied, or ActionError."""
    if not title.strip():
        raise ActionError("Enter the meeting’s name.", "title")
    check_day(date, "date", "date")
    return {
        "title": title.strip(),
        "date": date,
        "start_time": start_time,
        "location": location.strip(),
    }


def _assign(instance: Meeting | AgendaItem, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


def create_meeting(
    partnership: Partnership,
    title: str,
    date: datetime.date,
    start_time: datetime.time | None = None,
    location: str = "",
) -> Meeting:
    fields = _meeting_fields(title, date, start_time, location)
    return Meeting.objects.create(partnership=partnership, **fields)


def change_meeting(
    meeting: Meeting,
    title: str,
    date: datetime.date,
    start_time: datetime.time | None = None,
    location: str = "",
) -> Meeting:
    _assign(meeting, _meeting_fields(title, date, start_time, location))
    return meeting


def remove_meeting(meeting: Meeting) -> None:
    """Remove a meeting and its agenda."""
    meeting.delete()


def _item_fields(title: str, kind: str, minutes: int, decision: str) -> dict[str, Any]:
    """An agenda item's fields, checked and tidied, or ActionError."""
    if not title.strip():
        raise ActionError("Enter the agenda item.", "title")
    if kind not in AgendaKind.values:
        raise ActionError("Select what kind of item it was.", "kind")
    if not 1 <= minutes <= 600:
        raise ActionError("Enter the minutes it took, from 1 to 600.", "minutes")
    return {"title": title.strip(), "kind": kind, "minutes": minutes, "decision": decision.strip()}


@transaction.atomic
def add_item(
    meeting: Meeting, title: str, kind: str, minutes: int, decision: str = ""
) -> AgendaItem:
    """Add an item at the end of the meeting's agenda."""
    fields = _item_fields(title, kind, minutes, decision)
    # Lock the meeting, so that two items added at once take different places.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    last = meeting.items.aggregate(last=Max("position"))["last"]
    return AgendaItem.objects.create(
        meeting=meeting, position=0 if last is None else last + 1, **fields
    )


def change_item(
    item: AgendaItem, title: str, kind: str, minutes: int, decision: str = ""
) -> AgendaItem:
    _assign(item, _item_fields(title, kind, minutes, decision))
    return item


def remove_item(item: AgendaItem) -> None:
    item.delete()


# ------------------------------------------------- what matters, not discussed


def unaddressed_issues(partnership: Partnership) -> tuple[str | None, list[dict[str, object]]]:
    """Issues respondents named as most important that have never reached an agenda.

    Takes the themes of "the most important issue" in the latest closed
    round's result (only where the result shows them), and keeps those that
    share no content word with any agenda item the partnership has recorded.
    Returns the round's label and the themes, most often named first.
    """
    latest = closed_rounds(partnership).last()
    if latest is None or latest.result is None:
        return None, []
    important = latest.result.get("text", {}).get("TEXT_IMPORTANT", {})
    if not important.get("shown"):
        return latest.label, []
    discussed: set[str] = set()
    for title in AgendaItem.objects.filter(meeting__partnership=partnership).values_list(
        "title", flat=True
    ):
        discussed |= content_words(title)
    missing = []
    for theme in important.get("themes", []):
        words = content_words(theme["label"]).union(
            *(content_words(k) for k in theme.get("keywords", []))
        )
        if not words & discussed:
            missing.append({"label": theme["label"], "count": theme["count"]})
    return latest.label, missing
