"""Recommendations: the three things leaders should do next (SPEC §5).

Every scale in the "concern" band, and at least the two lowest favourable
scores, calls for one of three actions: the right conversations (CASE,
CONVERSE, PLACE), the right relationships (TRUST, RELATE) or bringing the
organisation to bear (CHANGE, COMMIT, STRAIN, SURVIVAL). Relationship flags
and perception gaps add evidence to the matching action. Each
recommendation carries the figures behind it, so it can be traced. The words
come from `recommendations.toml`.

Every reason comes with its own first step, about the same scale, pairs or
organisations (`reasons`); `why` and `steps` list them in the same order, so
the n-th step answers the n-th reason. Where many pairs or organisations are
flagged (a large partnership), the few that matter most are named (the
largest trust gaps, the lowest trust both ways, the largest perception gaps)
and the rest are counted (`more`), for pages to link to the full list.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from joinedup.instrument import Instrument

from . import numbers, scoring
from .vocabulary import BANDS

ACTION_ORDER = ("conversations", "relationships", "commitment")
ALWAYS_FLAGGED = 2  # the two lowest favourable scores are always addressed
UNITS_NAMED = 3
NAMED = 3  # pairs or organisations named in a reason; the rest are counted
STEPS_KEPT = 4


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
        why = (
            f"{scale.name} scores {numbers.shown(score)} out of 100 "
            f"({BANDS[band].lower()}{lowest}). " + entry["why"]
        )
        area["reasons"].append({"why": why, "step": entry["steps"][0], "scales": [code]})
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
        area["more_steps"] += entry["steps"][1:]
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
        _settle_steps(area)
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
        "reasons": [],
        "more": {},
        "more_steps": [],
    }


def _settle_steps(area: dict[str, Any]) -> None:
    """`why` and `steps` from the reasons, each reason's step in the same place as it.

    Further steps of the scales concerned follow, up to STEPS_KEPT in all
    (more when there are more reasons, so that no reason loses its step).
    """
    reasons = area["reasons"]
    area["why"] = [reason["why"] for reason in reasons]
    steps: list[str] = []
    for reason in reasons:
        if reason["step"] not in steps:
            steps.append(reason["step"])
    for step in area.pop("more_steps"):
        if len(steps) >= STEPS_KEPT:
            break
        if step not in steps:
            steps.append(step)
    area["steps"] = steps


def _named_and_more(names: list[str], more: int, noun: str) -> str:
    """ "A; B; C" and, with more, "A; B; C; and 72 more pairs"."""
    text = "; ".join(names)
    if more:
        text += ("; and " if text else "") + f"{more} more {noun}{'s' if more != 1 else ''}"
    return text


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
    trust = {
        (tie["from"], tie["to"]): tie["trust"]
        for tie in result["network"].get("ties") or []
        if tie.get("shown") and tie.get("trust") is not None
    }
    for kind in ("asymmetric", "mutual_low_trust"):
        found = _pairs(flags, kind)
        if not found:
            continue
        named = [f for f in found if f["a"] not in merged and f["b"] not in merged]
        named.sort(key=lambda f: _pair_order(f, trust))
        shown_pairs = named[:NAMED]
        more = len(found) - len(shown_pairs)
        entry = words["network"][kind]
        pairs = [f"{f['a']} and {f['b']}" for f in shown_pairs]
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        area["reasons"].append(
            {
                "why": entry["why"].format(pairs=_named_and_more(pairs, more, "pair")),
                "step": entry["step"].format(pairs="; ".join(pairs) or "each pair"),
                "pairs": [[f["a"], f["b"]] for f in shown_pairs],
            }
        )
        if more:
            area["more"][kind] = more
        area["figures"] += [{"flag": kind} | {k: v for k, v in f.items() if k != "type"}
                            for f in named]  # fmt: skip
    isolates = [f["organisation"] for f in flags if f["type"] == "isolate"]
    named_isolates = [name for name in isolates if name not in merged]
    if isolates:
        entry = words["network"]["isolate"]
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        first = named_isolates[:NAMED]
        others = len(isolates) - len(first)
        described = ", ".join(first)
        if others:
            described += (" and " if described else "") + (
                f"{others} other organisation{'s' if others != 1 else ''}"
            )
            area["more"]["isolate"] = others
        area["reasons"].append(
            {
                "why": entry["why"].format(organisations=described),
                "step": entry["step"].format(
                    organisations=", ".join(first) or "the organisations with no ties"
                ),
                "organisations": first,
            }
        )
        area["figures"] += [{"flag": "isolate", "organisation": name} for name in named_isolates]
    gaps = sorted(
        (gap for gap in result["perception_gaps"] if gap["flagged"]),
        key=lambda gap: (-abs(gap["gap"]), gap["organisation"]),
    )
    if gaps:
        entry = words["perception_gap"]
        area = areas.setdefault(entry["action"], _area(entry["action"], words))
        first = gaps[:NAMED]
        described = ", ".join(
            f"{gap['organisation']} (rates itself {numbers.shown(gap['self_commit'])}, partners "
            f"see {numbers.shown(gap['value_received'])})"
            for gap in first
        )
        if len(gaps) > NAMED:
            described += f", and {len(gaps) - NAMED} more"
            area["more"]["perception_gap"] = len(gaps) - NAMED
        area["reasons"].append(
            {
                "why": entry["why"].format(organisations=described),
                "step": entry["step"].format(
                    organisations=", ".join(g["organisation"] for g in first)
                ),
                "organisations": [g["organisation"] for g in first],
            }
        )
        area["figures"] += [{"perception_gap": gap["organisation"], "gap": gap["gap"]}
                            for gap in gaps]  # fmt: skip


def _pair_order(flag: dict[str, Any], trust: dict[tuple[str, str], float]) -> tuple[float, str]:
    """Pairs that matter most first: the widest gap, or the lowest trust both ways."""
    if flag.get("gap") is not None:
        return (-float(flag["gap"]), f"{flag['a']}|{flag['b']}")
    both = [trust.get((flag["a"], flag["b"])), trust.get((flag["b"], flag["a"]))]
    known = [value for value in both if value is not None]
    return (sum(known) / len(known) if known else 100.0, f"{flag['a']}|{flag['b']}")


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
