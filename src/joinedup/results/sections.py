"""The parts of a round's results, each one step from the summary.

The summary page says where the partnership stands and what to do next; each
section here is a page of its own for the detail a reader may want next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from joinedup.analysis import numbers
from joinedup.instrument import Instrument


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    description: str
    figures: tuple[str, ...] = ()  # chart ids shown on the page, in order


SECTIONS: dict[str, Section] = {
    s.slug: s
    for s in (
        Section(
            "scores",
            "Scores by scale and by organisation",
            "The nine scales for the whole partnership and for each organisation.",
            ("scale-profile", "alignment", "unit-heatmap"),
        ),
        Section(
            "network",
            "Relationships between organisations",
            "Who works with whom, how far they trust each other, and how each organisation's "
            "own view of its commitment compares with its partners' view.",
            ("network-map", "perception-gaps"),
        ),
        Section(
            "words",
            "What people said",
            "The themes in people's written answers, for the whole partnership.",
        ),
        Section(
            "change",
            "Change since the last round",
            "Each scale this round and last, and whether the change is clear or could be chance.",
        ),
        Section(
            "how",
            "How we worked this out",
            "How reliable the scales are, and the technical terms behind the figures, explained.",
        ),
    )
}

TEXT_TITLES = {
    "TEXT_IMPORTANT": "What matters most",
    "TEXT_SIDESHOW": "The side shows",
    "TEXT_OTHER": "Anything else",
}


def themes(result: dict[str, Any], instrument: Instrument) -> list[dict[str, Any]]:
    """Each free-text question with its themes, or why they are not shown."""
    return [
        {
            "title": TEXT_TITLES.get(question.code, question.code),
            "question": question.text,
            **result["text"].get(question.code, {"n": 0, "shown": False, "themes": []}),
        }
        for question in instrument.text_questions
    ]


def change_rows(result: dict[str, Any], instrument: Instrument) -> list[dict[str, str]]:
    """Each scale then and now, the change as printed, and whether it is clear."""
    scales = result["trend"]["partnership"]["scales"]
    rows = []
    for scale in instrument.scales:
        entry = scales.get(scale.code) or {}
        now = result["partnership"]["scales"][scale.code]["score"]
        before = entry.get("previous")
        significant = entry.get("significant")
        rows.append(
            {
                "name": scale.name,
                "then": numbers.shown(before),
                "now": numbers.shown(now),
                "change": numbers.change_text(before, now),
                "clear": "–" if significant is None else ("Yes" if significant else "No"),
            }
        )
    return rows


def reliability_rows(result: dict[str, Any], instrument: Instrument) -> list[dict[str, str]]:
    """Each scale's reliability figures, to two places."""
    found = result.get("reliability") or {}
    return [
        {
            "name": scale.name,
            "alpha": numbers.shown((found.get(scale.code) or {}).get("alpha"), 2),
            "icc1": numbers.shown((found.get(scale.code) or {}).get("icc1"), 2),
            "icc2": numbers.shown((found.get(scale.code) or {}).get("icc2"), 2),
            "n": str((found.get(scale.code) or {}).get("n_complete", "–")),
        }
        for scale in instrument.scales
    ]
