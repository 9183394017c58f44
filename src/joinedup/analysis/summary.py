"""The summary a board reads first, worked out from a result alone.

Where the partnership stands (its position, in words), whether that is
better or worse than the last round, the three things to do next, and what
it does well. The results page, the overview and page 1 of the PDF all show
this same summary, so they cannot tell different stories. Every number is
written by `numbers`, and every name comes from `vocabulary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from joinedup.instrument import Instrument

from . import numbers, vocabulary

TOP_STEPS = 3


@dataclass(frozen=True)
class Measure:
    """Momentum or the pull towards a breaking point: now, last round, and the change."""

    name: str
    now: str
    before: str | None = None
    change: str | None = None  # "+4", "−2" or "no change", from the figures as shown
    moved: float | None = None  # the change as a number (for the verdict)
    higher_is_better: bool = True

    @property
    def words(self) -> str:
        """ "up 4 (from 58 to 62)", "no change (62)"."""
        if self.moved is None:
            return self.now
        if self.moved == 0:
            return f"no change ({self.now})"
        direction = "up" if self.moved > 0 else "down"
        return f"{direction} {numbers.shown(abs(self.moved))} (from {self.before} to {self.now})"


@dataclass(frozen=True)
class Step:
    """One of the things to do next: what, why, and the first thing to do."""

    action: str
    title: str
    reason: str
    first_step: str
    priority: int


@dataclass(frozen=True)
class Strength:
    name: str
    score: str
    text: str


@dataclass(frozen=True)
class Summary:
    no_results: bool
    respondents: int
    units: int
    combined: tuple[str, ...] = field(default=())  # organisations reported together
    position: str = ""
    position_name: str = ""
    position_sentence: str = ""
    alignment: str = ""
    momentum: Measure | None = None
    pull: Measure | None = None
    previous_round: str | None = None
    verdict: str | None = None  # a key of vocabulary.DIRECTIONS
    steps: tuple[Step, ...] = field(default=())
    strengths: tuple[Strength, ...] = field(default=())

    @property
    def verdict_sentence(self) -> str:
        """Whether things moved for the better, in one sentence ("" with no earlier round)."""
        if self.verdict is None or self.momentum is None or self.pull is None:
            return ""
        opening = vocabulary.DIRECTIONS[self.verdict]
        opening = opening[0].upper() + opening[1:]
        return (
            f"{opening} ({self.previous_round}): momentum {self.momentum.words}; "
            f"pull towards a breaking point {self.pull.words}."
        )


def summarise(result: dict[str, Any], instrument: Instrument) -> Summary:
    """The summary of a `joinedup.analysis/1` result."""
    partnership = result.get("partnership") or {}
    units = [u for u in result.get("units") or [] if isinstance(u, dict)]
    combined = tuple(
        str(name)
        for unit in units
        if unit.get("combined")
        for name in unit.get("organisations", [])
    )
    respondents = int(result.get("respondents") or 0)
    if partnership.get("reason") == "too_few_respondents":
        return Summary(True, respondents, len(units))
    trend = (result.get("trend") or {}).get("partnership") or {}
    momentum = _measure(
        vocabulary.MOMENTUM, partnership.get("momentum"), trend.get("momentum"), True
    )
    pull = _measure(vocabulary.PULL, partnership.get("strain"), trend.get("strain"), False)
    position = str(partnership.get("position") or "")
    return Summary(
        no_results=False,
        respondents=respondents,
        units=len(units),
        combined=combined,
        position=position,
        position_name=vocabulary.POSITIONS.get(position, "Not placed"),
        position_sentence=vocabulary.POSITION_SENTENCES.get(position, ""),
        alignment=vocabulary.ALIGNMENTS.get(str(partnership.get("alignment") or ""), ""),
        momentum=momentum,
        pull=pull,
        previous_round=(result.get("trend") or {}).get("previous_round"),
        verdict=_verdict(momentum, pull) if trend else None,
        steps=_steps(result),
        strengths=_strengths(result, instrument),
    )


def _measure(name: str, now: Any, trend: Any, higher_is_better: bool) -> Measure:
    before = trend.get("previous") if isinstance(trend, dict) else None
    if not numbers.present(before):
        return Measure(name, numbers.shown(now), higher_is_better=higher_is_better)
    return Measure(
        name,
        numbers.shown(now),
        numbers.shown(before),
        numbers.change_text(before, now),
        numbers.change(before, now),
        higher_is_better,
    )


def _verdict(momentum: Measure, pull: Measure) -> str | None:
    """Better when neither measure moved the wrong way and one moved the right way."""
    if momentum.moved is None or pull.moved is None:
        return None
    good = [momentum.moved > 0, pull.moved < 0]
    bad = [momentum.moved < 0, pull.moved > 0]
    if any(good) and not any(bad):
        return "better"
    if any(bad) and not any(good):
        return "worse"
    if any(good) and any(bad):
        return "mixed"
    return "same"


def _steps(result: dict[str, Any]) -> tuple[Step, ...]:
    actions = sorted(
        (a for a in result.get("recommendations") or [] if isinstance(a, dict)),
        key=lambda a: a.get("priority", 99),
    )
    return tuple(
        Step(
            action=str(a.get("action", "")),
            title=str(a.get("title", "")),
            reason=str((a.get("why") or [""])[0]),
            first_step=str((a.get("steps") or [""])[0]),
            priority=int(a.get("priority", index + 1)),
        )
        for index, a in enumerate(actions[:TOP_STEPS])
    )


def _strengths(result: dict[str, Any], instrument: Instrument) -> tuple[Strength, ...]:
    known = {scale.code: scale.name for scale in instrument.scales}
    return tuple(
        Strength(known.get(s.get("scale", ""), str(s.get("scale"))), numbers.shown(s.get("score")),
                 str(s.get("text", "")))
        for s in result.get("strengths") or []
        if isinstance(s, dict)
    )  # fmt: skip
