"""What the action plan does: actions, their updates, starting one from a recommendation,
checking success measures against the next round, and the plan's status.

One function per thing the product does; views and commands call these and
never write an action directly. A function that cannot do what it is asked
raises `ActionError` with a plain-English reason.

Success measures are checked lazily, never when a round closes: an action's
measure is read against the partnership score in the stored result
(`Round.result`, joinedup.analysis/1) of the latest closed round after the
round the action was started from.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.analysis.recommendations import ACTION_ORDER, content
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys.models import Round
from joinedup.surveys.services import closed_rounds as closed_rounds_of

from .models import Action, ActionUpdate, Area, Comparison, Status

MEASURE_STEP = 10  # a default target asks for ten points better than now

# The dates a plan can hold (due dates, meetings, conversations). A year typed
# wrong (0227, 2207) is refused rather than stored, and every date leaves room
# for the day after it, which a calendar's all-day event ends on.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
DAYS_ALLOWED = " and ".join(f"{day.day} {day:%B %Y}" for day in (FIRST_DAY, LAST_DAY))


class ActionError(Exception):
    """An action that cannot be done; the message says why, in plain English.

    `field` names the form field the problem belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_day(day: datetime.date | None, field: str, what: str) -> None:
    """Refuse a date outside FIRST_DAY to LAST_DAY; `what` names it ("due date")."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ActionError(f"The {what} must be between {DAYS_ALLOWED}.", field)


# -------------------------------------------------------- the three actions


def areas() -> list[dict[str, str]]:
    """The three actions in their usual order, with the titles and summaries the results use."""
    words = content()["actions"]
    return [
        {"code": code, "title": words[code]["title"], "summary": words[code]["summary"]}
        for code in ACTION_ORDER
    ]


def area_title(code: str) -> str:
    return content()["actions"][code]["title"]


def scale_names() -> dict[str, str]:
    """Scale code -> its name, in the instrument's order."""
    return {scale.code: scale.name for scale in load_instrument().scales}


# --------------------------------------------------------- success measures


@dataclass(frozen=True)
class Measure:
    """A success measure: the partnership's score on `scale`, `comparison` `target`."""

    scale: str
    comparison: str
    target: int

    def is_met_by(self, score: float) -> bool:
        """Whether a score (unrounded, as the result stores it) meets the measure."""
        if self.comparison == Comparison.AT_MOST:
            return score <= self.target
        return score >= self.target

    def describe(self) -> str:
        """ "Trust between partners at least 60"."""
        name = scale_names().get(self.scale, self.scale)
        return f"{name} {Comparison(self.comparison).label} {self.target}"


def measure_of(action: Action) -> Measure | None:
    if not action.has_measure:
        return None
    return Measure(action.measure_scale, action.measure_comparison, int(action.measure_target or 0))


def _check_measure(measure: Measure | None) -> None:
    if measure is None:
        return
    if measure.scale not in scale_names():
        raise ActionError(f"“{measure.scale}” is not a scale.", "measure_scale")
    if measure.comparison not in Comparison.values:
        raise ActionError("Choose at least or at most.", "measure_comparison")
    if not 0 <= measure.target <= 100:
        raise ActionError("The target must be a whole number from 0 to 100.", "measure_target")


def default_measure(recommendation: dict[str, Any]) -> Measure | None:
    """The measure an action started from a recommendation begins with.

    The recommendation's lowest flagged scale (least favourable score), ten
    points better than now: at least score + 10 (at most 100) where higher is
    better; at most score - 10 (at least 0) for STRAIN and SURVIVAL, where
    higher is worse.
    """
    figures = [
        figure
        for figure in recommendation.get("figures", [])
        if figure.get("scale") and figure.get("score") is not None
    ]
    if not figures:
        return None
    lowest = min(figures, key=lambda figure: figure["favourable"])
    now = round(lowest["score"])
    if load_instrument().scale(lowest["scale"]).higher_is_better:
        return Measure(lowest["scale"], Comparison.AT_LEAST, min(100, now + MEASURE_STEP))
    return Measure(lowest["scale"], Comparison.AT_MOST, max(0, now - MEASURE_STEP))


# ------------------------------------------------------------------ actions


def _check(
    partnership: Partnership,
    area: str,
    title: str,
    owner: Organisation | None,
    due_date: datetime.date | None,
    scales: list[str],
    measure: Measure | None,
    started_from: Round | None,
    status: str,
) -> None:
    if area not in Area.values:
        raise ActionError("Choose which of the three actions this is part of.", "area")
    if not title.strip():
        raise ActionError("Enter a title for the action.", "title")
    if owner is not None and owner.partnership_id != partnership.pk:
        raise ActionError(f"{owner.name} is not a member of this partnership.", "owner")
    check_day(due_date, "due_date", "due date")
    unknown = [code for code in scales if code not in scale_names()]
    if unknown:
        raise ActionError(f"Not a scale: {', '.join(unknown)}.", "scales")
    if status not in Status.values:
        raise ActionError("Choose the action’s status.", "status")
    if started_from is not None and (
        started_from.partnership_id != partnership.pk or started_from.result is None
    ):
        raise ActionError("Choose one of the partnership’s closed rounds.", "started_from")
    _check_measure(measure)


def _measure_fields(measure: Measure | None) -> dict[str, Any]:
    if measure is None:
        return {"measure_scale": "", "measure_comparison": "", "measure_target": None}
    return {
        "measure_scale": measure.scale,
        "measure_comparison": str(measure.comparison),
        "measure_target": measure.target,
    }


def _ordered_scales(scales: list[str]) -> list[str]:
    chosen = set(scales)
    return [code for code in scale_names() if code in chosen]


def create_action(
    partnership: Partnership,
    *,
    area: str,
    title: str,
    description: str = "",
    owner: Organisation | None = None,
    lead: str = "",
    due_date: datetime.date | None = None,
    status: str = Status.NOT_STARTED,
    scales: list[str] | None = None,
    measure: Measure | None = None,
    started_from: Round | None = None,
    created_by: User | None = None,
) -> Action:
    """Add an action to the partnership's plan."""
    scales = _ordered_scales(scales or [])
    _check(partnership, area, title, owner, due_date, scales, measure, started_from, status)
    return Action.objects.create(
        partnership=partnership,
        area=area,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        lead=lead.strip(),
        due_date=due_date,
        status=status,
        scales=scales,
        started_from=started_from,
        created_by=created_by,
        **_measure_fields(measure),
    )


@transaction.atomic
def change_action(
    action: Action,
    *,
    by: User | None,
    area: str,
    title: str,
    description: str,
    owner: Organisation | None,
    lead: str,
    due_date: datetime.date | None,
    status: str,
    scales: list[str],
    measure: Measure | None,
    started_from: Round | None,
) -> Action:
    """Change an action's details; a change of status is written to its updates too."""
    current = Action.objects.select_for_update().get(pk=action.pk)
    scales = _ordered_scales(scales)
    _check(current.partnership, area, title, owner, due_date, scales, measure, started_from, status)
    if status != current.status:
        ActionUpdate.objects.create(
            action=current, status_before=current.status, status_after=status, author=by
        )
    current.area = area
    current.title = title.strip()
    current.description = description.strip()
    current.owner = owner
    current.lead = lead.strip()
    current.due_date = due_date
    current.status = status
    current.scales = scales
    current.started_from = started_from
    for name, value in _measure_fields(measure).items():
        setattr(current, name, value)
    current.save()
    return current


@transaction.atomic
def add_update(action: Action, author: User | None, text: str, status: str = "") -> ActionUpdate:
    """Record what has happened on an action and, when `status` differs, its new status."""
    current = Action.objects.select_for_update().get(pk=action.pk)
    text = text.strip()
    if status and status not in Status.values:
        raise ActionError("Choose the action’s status.", "status")
    changed = bool(status) and status != current.status
    if not text and not changed:
        raise ActionError("Say what has happened, or choose a new status.", "text")
    update = ActionUpdate.objects.create(
        action=current,
        text=text,
        status_before=current.status if changed else "",
        status_after=status if changed else "",
        author=author,
    )
    if changed:
        current.status = status
        current.save(update_fields=["status", "updated_at"])
    return update


def remove_action(action: Action) -> None:
    """Take an action out of the plan, with its updates (for one added by mistake)."""
    action.delete()


# ---------------------------------------------- starting from a recommendation


def recommendations(survey_round: Round) -> list[dict[str, Any]]:
    """A closed round's recommendations, most pressing first, each with its default measure."""
    result = survey_round.result or {}
    found = sorted(result.get("recommendations") or [], key=lambda r: r.get("priority", 0))
    return [
        {**recommendation, "measure": default_measure(recommendation)} for recommendation in found
    ]


def _description(recommendation: dict[str, Any]) -> str:
    lines = list(recommendation.get("why", []))
    steps = recommendation.get("steps", [])
    if steps:
        lines += ["", "Next steps:"] + [f"{n}. {step}" for n, step in enumerate(steps, 1)]
    return "\n".join(lines)


def start_from_recommendation(
    survey_round: Round,
    area: str,
    created_by: User | None = None,
    owner: Organisation | None = None,
) -> Action:
    """A new action answering one of a closed round's recommendations, pre-filled from it.

    Title, action area, scales and description come from the recommendation;
    the success measure is `default_measure`. Owner and due date are left
    for the person to choose (a partner lead's action is their organisation's).
    """
    if survey_round.result is None:
        raise ActionError("This round has no results yet: they are worked out when it closes.")
    recommendation = next((r for r in recommendations(survey_round) if r["action"] == area), None)
    if recommendation is None:
        raise ActionError("That round has no such recommendation.")
    return create_action(
        survey_round.partnership,
        area=area,
        title=recommendation["title"],
        description=_description(recommendation),
        owner=owner,
        scales=list(recommendation.get("scales", [])),
        measure=recommendation["measure"],
        started_from=survey_round,
        created_by=created_by,
    )


# ------------------------------------------------------ closing the loop


class OutcomeState:
    MET = "met"
    NOT_MET = "not_met"
    NO_FIGURE = "no_figure"
    AWAITING = "awaiting"
    NO_MEASURE = "no_measure"


# GOV.UK tag colours
OUTCOME_COLOURS = {
    OutcomeState.MET: "green",
    OutcomeState.NOT_MET: "red",
    OutcomeState.NO_FIGURE: "grey",
    OutcomeState.AWAITING: "light-blue",
    OutcomeState.NO_MEASURE: "grey",
}

OUTCOME_LABELS = {
    OutcomeState.MET: "Met",
    OutcomeState.NOT_MET: "Not met",
    OutcomeState.NO_FIGURE: "No figure",
    OutcomeState.AWAITING: "Awaiting the next round",
    OutcomeState.NO_MEASURE: "No success measure",
}


@dataclass(frozen=True)
class Outcome:
    """How an action's success measure stands against a round's results."""

    state: str
    round: Round | None = None
    score: float | None = None

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.state]

    @property
    def colour(self) -> str:
        return OUTCOME_COLOURS[self.state]

    @property
    def checked(self) -> bool:
        """Whether a round has given a verdict (met or not met)."""
        return self.state in {OutcomeState.MET, OutcomeState.NOT_MET}


def partnership_score(survey_round: Round, scale: str) -> float | None:
    """A scale's partnership score in a closed round's result; None when suppressed or missing."""
    result = survey_round.result or {}
    entry = (result.get("partnership") or {}).get("scales", {}).get(scale) or {}
    score = entry.get("score")
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return float(score)


def checking_round(action: Action, closed_rounds: list[Round] | None = None) -> Round | None:
    """The round that checks an action's measure: the latest closed round after its start.

    "After" is in the order rounds were created (as the trend reads them).
    An action not started from a round is checked by the latest round
    closed after the action was added. `closed_rounds` (the partnership's
    closed rounds, oldest first) saves a query per action on a list page.
    """
    if closed_rounds is None:
        start = action.started_from
        later = closed_rounds_of(action.partnership)
        if start is not None:
            later = later.filter(
                Q(created_at__gt=start.created_at) | Q(created_at=start.created_at, pk__gt=start.pk)
            )
        else:
            later = later.filter(closed_at__gt=action.created_at)
        return later.order_by("-created_at", "-pk").first()
    if action.started_from_id is not None:
        ids = [r.pk for r in closed_rounds]
        if action.started_from_id in ids:
            after = closed_rounds[ids.index(action.started_from_id) + 1 :]
        else:  # the starting round is not closed (cannot happen through the pages)
            return checking_round(action)
    else:
        after = [r for r in closed_rounds if r.closed_at and r.closed_at > action.created_at]
    return after[-1] if after else None


def measure_outcome(action: Action, survey_round: Round | None) -> Outcome:
    """The action's success measure checked against `survey_round`'s partnership score.

    Met or not met on the unrounded score; "no figure" when the round's
    result suppresses that score (too few answers); "awaiting" when there is
    no round to check against yet.
    """
    measure = measure_of(action)
    if measure is None:
        return Outcome(OutcomeState.NO_MEASURE)
    if survey_round is None or survey_round.result is None:
        return Outcome(OutcomeState.AWAITING)
    score = partnership_score(survey_round, measure.scale)
    if score is None:
        return Outcome(OutcomeState.NO_FIGURE, survey_round)
    state = OutcomeState.MET if measure.is_met_by(score) else OutcomeState.NOT_MET
    return Outcome(state, survey_round, score)


def outcomes(
    actions: list[Action], partnership: Partnership, closed: list[Round] | None = None
) -> dict[int, Outcome]:
    """Every action's outcome, with one query for the rounds (none when `closed` is given)."""
    closed = list(closed_rounds_of(partnership)) if closed is None else closed
    return {
        action.pk: measure_outcome(action, checking_round(action, closed)) for action in actions
    }


def baseline(action: Action) -> float | None:
    """The measured scale's score in the round the action was started from."""
    if action.started_from is None or not action.measure_scale:
        return None
    return partnership_score(action.started_from, action.measure_scale)


# ------------------------------------------------------------------ the plan


def today() -> datetime.date:
    """Today where the partnership is (TIME_ZONE): due dates are local dates."""
    return timezone.localdate()


@dataclass(frozen=True)
class PlanRow:
    """One action of the plan, with how its measure stands and whether it is overdue."""

    action: Action
    outcome: Outcome
    overdue: bool
    measure: str = ""


@dataclass(frozen=True)
class PlanStatus:
    """The plan on one page: counts by status, overdue actions, measures met."""

    rows: list[PlanRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def by_status(self) -> list[tuple[str, str, int]]:
        """(code, label, actions) for every status, in order, with none as 0."""
        counts = Counter(row.action.status for row in self.rows)
        return [(str(s.value), str(s.label), counts[s.value]) for s in Status]

    @property
    def overdue(self) -> list[PlanRow]:
        return [row for row in self.rows if row.overdue]

    @property
    def by_outcome(self) -> list[tuple[str, str, int]]:
        """(state, label, actions) for every outcome of a success measure."""
        counts = Counter(row.outcome.state for row in self.rows)
        return [(state, label, counts[state]) for state, label in OUTCOME_LABELS.items()]

    @property
    def checked(self) -> int:
        """Measures a later round has given a verdict on."""
        return sum(row.outcome.checked for row in self.rows)

    @property
    def met(self) -> int:
        return sum(row.outcome.state == OutcomeState.MET for row in self.rows)


def plan_rows(
    partnership: Partnership, on: datetime.date | None = None, closed: list[Round] | None = None
) -> list[PlanRow]:
    """Each action of the plan with its outcome and whether it is overdue.

    `closed`: the partnership's closed rounds, oldest first, when the caller has them.
    """
    on = on or today()
    actions = list(partnership.actions.select_related("owner", "started_from"))
    found = outcomes(actions, partnership, closed)
    return [
        PlanRow(action, found[action.pk], action.is_overdue(on), _describe(action))
        for action in actions
    ]


def _describe(action: Action) -> str:
    measure = measure_of(action)
    return measure.describe() if measure else ""


def plan_status(partnership: Partnership, on: datetime.date | None = None) -> PlanStatus:
    return PlanStatus(plan_rows(partnership, on))


def plan_summary(partnership: Partnership, on: datetime.date | None = None) -> dict[str, Any]:
    """The plan's status as plain data, for the PDF report and the overview.

    Reports are rendered outside Django, so they take this dictionary rather
    than models.
    """
    status = plan_status(partnership, on)
    titles = {area["code"]: area["title"] for area in areas()}
    return {
        "total": status.total,
        "by_status": [{"label": label, "count": count} for _, label, count in status.by_status],
        "overdue": len(status.overdue),
        "checked": status.checked,
        "met": status.met,
        "rows": [
            {
                "area": titles.get(row.action.area, row.action.area),
                "title": row.action.title,
                "owner": row.action.owner.name if row.action.owner else "",
                "due": row.action.due_date.isoformat() if row.action.due_date else "",
                "status": row.action.get_status_display(),
                "overdue": row.overdue,
                "measure": row.measure,
                "outcome": row.outcome.label,
            }
            for row in status.rows
        ],
    }
