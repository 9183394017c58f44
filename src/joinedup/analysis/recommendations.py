"""Recommendations: the three things leaders should do next (SPEC §5).

Every scale in the "concern" band, and at least the two lowest favourable
scores, calls for one of three actions: the right conversations (CASE,
CONVERSE, PLACE), the right relationships (TRUST, RELATE) or bringing the
organisation to bear (CHANGE, COMMIT, STRAIN, SURVIVAL). Relationship flags
and perception gaps add evidence to the matching action. Each
recommendation carries the figures behind it, so it can be traced. The words
come from `recommendations.toml`.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from joinedup.instrument import Instrument

from . import scoring
from .vocabulary import BANDS

ACTION_ORDER = ("conversations", "relationships", "commitment")
ALWAYS_FLAGGED = 2  # the two lowest favourable scores are always addressed
UNITS_NAMED = 3


@cache
def content() -> dict[str, Any]:
    """The recommendation texts."""
    text = resources.files(__package__).joinpath("recommendations.toml").read_text("utf-8")
    return tomllib.loads(text)


def _favourable(code: str, score: float, instrument: Instrument) -> float:
    return scoring.favourable(score, instrument.scale(code).higher_is_better)


def _rank(
    code: str, score: float, instrument: Instrument, best_first: bool = False
) -> tuple[float, int]:
    """Order scales by favourable score; equal scores (to rounding noise) in instrument order.

    Scores that are equal in arithmetic can differ in their last bits with
    the order respondents were added up, so they are compared rounded.
    """
    value = round(_favourable(code, score, instrument), 9)
    return (-value if best_first else value, instrument.scale_codes.index(code))


def _lowest_units(
    result: dict[str, Any], code: str, instrument: Instrument
) -> list[dict[str, Any]]:
    """The shown units with the least favourable scores on a scale."""
    shown = [
        (unit["name"], unit["scales"][code]["score"])
        for unit in result["units"]
        if unit["scales"][code]["score"] is not None
    ]
    shown.sort(key=lambda pair: (round(_favourable(code, pair[1], instrument), 9), pair[0]))
    return [{"unit": name, "score": score} for name, score in shown[:UNITS_NAMED]]


def _pairs(flags: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [flag for flag in flags if flag["type"] == kind]


def recommend(
    result: dict[str, Any], instrument: Instrument
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(recommendations, strengths) for a result whose other sections are complete."""
    words = content()
    scales = result["partnership"]["scales"]
    shown = {
        code: entry["score"]
        for code, entry in scales.items()
        if entry["score"] is not None and not math.isnan(entry["score"])
    }
    if not shown:
        return [], []
    ranked = sorted(shown, key=lambda code: _rank(code, shown[code], instrument))
    flagged = set(ranked[:ALWAYS_FLAGGED]) | {
        code for code in shown if scales[code]["band"] == "concern"
    }
    areas: dict[str, dict[str, Any]] = {}
    for code in ranked:
        if code not in flagged:
            continue
        scale = instrument.scale(code)
        entry = words["scales"][code]
        area = areas.setdefault(scale.action, _area(scale.action, words))
        score = shown[code]
        area["scales"].append(code)
        band = scales[code]["band"]
        lowest = "" if band == "concern" else ", one of the partnership's two lowest scores"
        area["why"].append(
            f"{scale.name} scores {score:.0f} out of 100 ({BANDS[band].lower()}{lowest}). "
            + entry["why"]
        )
        area["figures"].append(
            {
                "scale": code,
                "score": score,
                "favourable": _favourable(code, score, instrument),
                "band": scales[code]["band"],
                "ci_low": scales[code]["ci_low"],
                "ci_high": scales[code]["ci_high"],
                "n_units": scales[code]["n_units"],
                "lowest_units": _lowest_units(result, code, instrument),
            }
        )
        area["steps"] += [s for s in entry["steps"] if s not in area["steps"]]
        area["questions"] += entry["questions"]
    _add_network_evidence(result, areas, words)
    ordered = sorted(
        areas.values(),
        key=lambda area: (
            round(
                min((f["favourable"] for f in area["figures"] if "favourable" in f), default=101.0),
                9,
            ),
            ACTION_ORDER.index(area["action"]),
        ),
    )
    for priority, area in enumerate(ordered, start=1):
        area["priority"] = priority
        area["steps"] = area["steps"][:4]
        area["questions"] = area["questions"][:3]
    return ordered, _strengths(shown, scales, instrument, words)


def _area(action: str, words: dict[str, Any]) -> dict[str, Any]:
    return {
        "action": action,
        "title": words["actions"][action]["title"],
        "summary": words["actions"][action]["summary"],
        "priority": 0,
        "scales": [],
        "why": [],
        "figures": [],
        "steps": [],
        "questions": [],
    }


def _add_network_evidence(
    result: dict[str, Any], areas: dict[str, dict[str, Any]], words: dict[str, Any]
) -> None:
    """Relationship flags and perception gaps, added to the action they call for."""
    # Organisations merged for disclosure are not named here, outside the
    # network section: a flag involving one is counted, not named.
    merged = {
        name for unit in result["units"] if unit["combined"] for name in unit["organisations"]
    }
    flags = result["network"]["flags"]
    for kind in ("asymmetric", "mutual_low_trust"):
        found = _pairs(flags, kind)
        if not found:
            continue
        named = [f for f in found if f["a"] not in merged and f["b"] not in merged]
        unnamed = len(found) - len(named[:5])
        entry = words["network"][kind]
        names = "; ".join(f"{f['a']} and {f['b']}" for f in named[:5])
        if unnamed:
            names += ("; and " if names else "") + (
                f"{unnamed} other pair{'s' if unnamed != 1 else ''}"
            )
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        area["why"].append(entry["why"].format(pairs=names))
        area["figures"] += [{"flag": kind} | {k: v for k, v in f.items() if k != "type"}
                            for f in named]  # fmt: skip
        area["steps"].insert(0, entry["step"])
    isolates = [f["organisation"] for f in flags if f["type"] == "isolate"]
    named_isolates = [name for name in isolates if name not in merged]
    if isolates:
        entry = words["network"]["isolate"]
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        others = len(isolates) - len(named_isolates)
        described = ", ".join(named_isolates)
        if others:
            described += (" and " if described else "") + (
                f"{others} smaller organisation{'s' if others != 1 else ''}"
            )
        area["why"].append(entry["why"].format(organisations=described))
        area["figures"] += [{"flag": "isolate", "organisation": name} for name in named_isolates]
        area["steps"].append(entry["step"])
    gaps = [gap for gap in result["perception_gaps"] if gap["flagged"]]
    if gaps:
        entry = words["perception_gap"]
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        described = ", ".join(
            f"{gap['organisation']} (rates itself {gap['self_commit']:.0f}, partners "
            f"see {gap['value_received']:.0f})"
            for gap in gaps
        )
        area["why"].append(entry["why"].format(organisations=described))
        area["figures"] += [{"perception_gap": gap["organisation"], "gap": gap["gap"]}
                            for gap in gaps]  # fmt: skip
        area["steps"].append(entry["step"])


def _strengths(
    shown: dict[str, float],
    scales: dict[str, Any],
    instrument: Instrument,
    words: dict[str, Any],
) -> list[dict[str, Any]]:
    """Scales in the strength band; failing any, the best scale if it is at least developing."""
    best = sorted(shown, key=lambda code: _rank(code, shown[code], instrument, best_first=True))
    chosen = [code for code in best if scales[code]["band"] == "strength"]
    if not chosen and best and scales[best[0]]["band"] == "developing":
        chosen = best[:1]
    return [
        {
            "scale": code,
            "score": shown[code],
            "band": scales[code]["band"],
            "text": words["scales"][code]["strength"],
        }
        for code in chosen
    ]
