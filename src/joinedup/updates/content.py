"""What one person's weekly update holds for one partnership.

Only what changed or is due: an open round's progress (with the days left
when it has a planned closing date), a round closed in the past week,
actions due in the coming week or overdue, meetings in the coming week, and
commitments when one was pledged or updated in the past week. An update
with none of these is empty, and an empty update is never sent.

Beside the meetings, the issues respondents named as most important in the
latest closed round that no agenda has taken up yet
(`actions.meetings.unaddressed_issues`, as on the meetings page). They are a
standing reminder, not news: they go with an update that has something
else in it, and never make one on their own.

Disclosure follows the pages. Progress is counts by organisation from
`surveys.channels.progress_by_organisation`, never who has finished. A
closed round is told only from its stored result, through
`analysis.summary`: the position and the things to do next, which are about
the whole partnership, so no figure of any organisation (merged or not)
appears.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Q

from joinedup.actions.commitments import ledger
from joinedup.actions.meetings import unaddressed_issues
from joinedup.actions.models import Action, Commitment, Meeting, Status
from joinedup.analysis.summary import summarise
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
from joinedup.surveys.channels import progress_by_organisation
from joinedup.surveys.closing_date import days_left
from joinedup.surveys.models import Round, RoundStatus

WINDOW = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Progress:
    """An open round's responses so far, by organisation (counts only)."""

    label: str
    rows: list[tuple[str, int]]
    total: int
    min_group_size: int
    nudge: str = ""  # for a partner lead whose organisation is below the threshold
    days_left: str = ""  # "12 days left (closes on …)", "closes today", …; "" with no date


@dataclass(frozen=True)
class Closed:
    """A round closed in the past week, told from its stored result."""

    label: str
    no_results: bool
    position_name: str = ""
    position_sentence: str = ""
    steps: list[tuple[str, str]] = field(default_factory=list)  # (title, first step)


@dataclass(frozen=True)
class ActionDue:
    title: str
    due: datetime.date
    overdue: bool
    owner: str


@dataclass(frozen=True)
class MeetingSoon:
    title: str
    date: datetime.date
    location: str


@dataclass(frozen=True)
class Unaddressed:
    """An issue that matters to respondents and has never been on an agenda."""

    label: str
    count: int  # how many respondents named it (only themes the results show)


@dataclass(frozen=True)
class CommitmentTotal:
    organisation: str
    kind: str
    pledged: str
    delivered: str


@dataclass(frozen=True)
class WeeklyUpdate:
    partnership: Partnership
    role: str
    organisation: Organisation | None
    progress: list[Progress]
    closed: list[Closed]
    actions: list[ActionDue]
    meetings: list[MeetingSoon]
    commitments: list[CommitmentTotal]
    unaddressed: list[Unaddressed] = field(default_factory=list)
    unaddressed_round: str = ""  # the closed round the issues come from

    @property
    def empty(self) -> bool:
        """Nothing changed and nothing is due: nothing is sent."""
        return not (
            self.progress or self.closed or self.actions or self.meetings or self.commitments
        )

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def _progress(
    partnership: Partnership, role: str, organisation: Organisation | None, today: datetime.date
) -> list[Progress]:
    found = []
    k = partnership.min_group_size
    for survey_round in partnership.rounds.filter(status=RoundStatus.OPEN).order_by("pk"):
        counts = progress_by_organisation(survey_round)
        rows = [(row.organisation.name, row.responses) for row in counts]
        nudge = ""
        if role == Role.PARTNER_LEAD and organisation is not None:
            own = next(
                (row.responses for row in counts if row.organisation.pk == organisation.pk), None
            )
            if own is not None and own < k:
                nudge = (
                    f"{organisation.name} has fewer than {k} responses, so its results "
                    f"cannot be shown separately yet. Please encourage your colleagues to answer."
                )
        found.append(
            Progress(
                survey_round.label,
                rows,
                counts.responses,
                k,
                nudge,
                days_left(survey_round, today),
            )
        )
    return found


def _closed(partnership: Partnership, since: datetime.datetime) -> list[Closed]:
    found = []
    rounds = Round.objects.filter(
        partnership=partnership, status=RoundStatus.CLOSED, closed_at__gte=since
    ).order_by("closed_at", "pk")
    for survey_round in rounds:
        if not isinstance(survey_round.result, dict):
            continue
        summary = summarise(survey_round.result, load_instrument(survey_round.instrument))
        found.append(
            Closed(
                survey_round.label,
                summary.no_results,
                summary.position_name,
                summary.position_sentence,
                [(step.title, step.first_step) for step in summary.steps],
            )
        )
    return found


def _actions(partnership: Partnership, today: datetime.date) -> list[ActionDue]:
    actions = (
        Action.objects.filter(partnership=partnership, due_date__lte=today + WINDOW)
        .exclude(status=Status.DONE)
        .select_related("owner")
        .order_by("due_date", "pk")
    )
    return [
        ActionDue(
            action.title,
            action.due_date,
            action.due_date < today,
            ", ".join(x for x in [action.owner.name if action.owner else "", action.lead] if x)
            or "No owner yet",
        )
        for action in actions
        if action.due_date is not None
    ]


def _meetings(partnership: Partnership, today: datetime.date) -> list[MeetingSoon]:
    meetings = Meeting.objects.filter(
        partnership=partnership, date__gte=today, date__lte=today + WINDOW
    ).order_by("date", "pk")
    return [MeetingSoon(m.title, m.date, m.location) for m in meetings]


def _commitments(
    partnership: Partnership, since: datetime.datetime, today: datetime.date
) -> list[CommitmentTotal]:
    """Pledged against delivered by organisation and kind, when anything moved this week."""
    moved = Commitment.objects.filter(partnership=partnership).filter(
        Q(created_at__gte=since) | Q(updated_at__gte=since)
    )
    if not moved.exists():
        return []
    return [
        CommitmentTotal(t.organisation.name, t.kind_label, t.pledged_text, t.delivered_text)
        for t in ledger(partnership, today).totals
    ]


def weekly_update(
    partnership: Partnership,
    role: str,
    organisation: Organisation | None,
    now: datetime.datetime,
    today: datetime.date,
) -> WeeklyUpdate:
    """The update a member with `role` (and, for a partner lead, `organisation`) gets this week."""
    since = now - WINDOW
    round_label, issues = unaddressed_issues(partnership)
    return WeeklyUpdate(
        partnership=partnership,
        role=role,
        organisation=organisation,
        progress=_progress(partnership, role, organisation, today),
        closed=_closed(partnership, since),
        actions=_actions(partnership, today),
        meetings=_meetings(partnership, today),
        commitments=_commitments(partnership, since, today),
        unaddressed=[Unaddressed(str(i["label"]), cast(int, i["count"])) for i in issues],
        unaddressed_round=round_label or "",
    )


def for_membership(
    membership: Membership, now: datetime.datetime, today: datetime.date
) -> WeeklyUpdate:
    return weekly_update(
        membership.partnership, membership.role, membership.organisation, now, today
    )
