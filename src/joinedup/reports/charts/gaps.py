"""The perception-gaps chart: how organisations see their own commitment, and how partners do.

For each organisation that is its own reporting unit (SPEC §4.8), a dumbbell
joins its COMMIT score to the value its partners' ratings give it. Merged
organisations never appear: only gaps of own units in `result["units"]` are
drawn, whatever else the result lists.
"""

from __future__ import annotations

from typing import Any

from joinedup.analysis import numbers

from .. import reading
from . import svg
from .figures import Chart, Table, count_phrase, listing, present, whole
from .palette import BLUE, FLAG_COLOUR, ORANGE
from .svg import MUTED_INK, RULE, SMALL

GAP_LABEL = 262
GAP_LABEL_MOST = 420  # the widest the name column grows
GAP_LEFT = 278
GAP_WIDTH = 320
GAP_ROW = 30
GAP_WIDTH_TOTAL = 720
FLAG_AT = 20.0


def perception_gaps(result: dict[str, Any], *, chart_id: str = "perception-gaps") -> Chart:
    """How each organisation rates its own commitment, against the value partners see in it.

    A dumbbell per organisation that is its own reporting unit (SPEC §4.8):
    its COMMIT score (a filled circle) and the value its partners' ratings
    give it (a hollow diamond), joined by a line; a gap of 20 or more either
    way is flagged with a shaded row, a thicker line and the word "flagged".
    """
    title = "Perception gaps: commitment as organisations see it, and as partners do"
    gaps = own_unit_gaps(result)
    complete = [
        g for g in gaps if present(g.get("self_commit")) and present(g.get("value_received"))
    ]
    complete.sort(
        key=lambda g: (-float(g["gap"] if present(g.get("gap")) else 0.0), str(g["organisation"]))
    )
    incomplete = sorted(
        (g for g in gaps if g not in complete), key=lambda g: str(g.get("organisation"))
    )
    rows = tuple(
        (
            str(g.get("organisation", "")),
            whole(g.get("self_commit")),
            whole(g.get("value_received")),
            gap_text(g.get("gap"), bool(g.get("flagged"))),
            "yes" if g.get("flagged") else "no",
        )
        for g in complete + incomplete
    )
    table = Table(
        f"{title}: 0 to 100; the gap is own commitment minus value seen by partners",
        (
            "Organisation",
            "Own commitment (COMMIT)",
            "Value seen by partners",
            "Gap",
            "Flagged (20 or more)",
        ),
        rows,
        (False, True, True, True, False),
    )
    if not complete:
        reason = (
            "no organisation has both a commitment score and value ratings from partners."
            if gaps
            else "no organisation has enough respondents to be reported on its own."
        )
        return reading.no_figures(chart_id, title, reason, table)

    parts = []
    legend_y = 14
    parts.append(svg.circle(GAP_LEFT + 6, legend_y, 6, BLUE, stroke="#ffffff", stroke_width=1.5))
    parts.append(svg.text(GAP_LEFT + 18, legend_y, "Own view of its commitment", size=SMALL))
    second = GAP_LEFT + 36 + svg.text_width("Own view of its commitment", SMALL)
    parts.append(_value_marker(second, legend_y))
    parts.append(svg.text(second + 12, legend_y, "Value partners see", size=SMALL))
    parts.append(
        svg.text(GAP_WIDTH_TOTAL - 8, legend_y, "Gap", size=SMALL, anchor="end", fill=MUTED_INK)
    )
    top = 36
    rows_drawn = complete + incomplete
    bottom = top + GAP_ROW * len(rows_drawn)
    for tick in (0, 25, 50, 75, 100):
        x = GAP_LEFT + GAP_WIDTH * tick / 100
        parts.append(svg.line(x, top, x, bottom, RULE if tick in (0, 100) else "#e5e5e5", 1))
        parts.append(svg.text(x, bottom + 14, str(tick), size=SMALL, anchor="middle"))
    parts.append(
        svg.text(
            GAP_LEFT + GAP_WIDTH / 2,
            bottom + 34,
            "Score, 0 to 100",
            size=SMALL,
            anchor="middle",
            fill=MUTED_INK,
        )
    )
    # Names in full: the picture widens to the left for the longest name
    # (up to GAP_LABEL_MOST), rather than cutting names short.
    longest = max(
        (svg.text_width(str(g.get("organisation", "")), 13, True) for g in rows_drawn), default=0
    )
    shift = min(max(0.0, longest + 12 - GAP_LABEL), GAP_LABEL_MOST - GAP_LABEL)
    parts.extend(
        _gap_row(gap, top + index * GAP_ROW, shift) for index, gap in enumerate(rows_drawn)
    )
    height = bottom + 48
    description = _gaps_description(complete, incomplete)
    body = svg.group(parts, {"transform": f"translate({svg.num(shift)},0)"} if shift else None)
    document = svg.document(chart_id, title, description, GAP_WIDTH_TOTAL + shift, height, body)
    return Chart(chart_id, title, description, document, table)


def own_unit_gaps(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's perception gaps of organisations reported on their own, and no others."""
    own = reading.own_unit_names(result)
    return [
        gap
        for gap in result.get("perception_gaps") or []
        if isinstance(gap, dict) and reading.match_name(str(gap.get("organisation", ""))) in own
    ]


def gap_text(gap: Any, flagged: bool) -> str:
    """A gap with its sign, to as many places as it takes to agree with its flag."""
    return numbers.flagged_text(gap, FLAG_AT, flagged)


def _value_marker(x: float, y: float) -> str:
    size = 6.5
    return svg.polygon(
        [(x, y - size), (x + size, y), (x, y + size), (x - size, y)],
        "#ffffff",
        stroke=ORANGE,
        stroke_width=2.5,
    )


def _gap_row(gap: dict[str, Any], y: float, shift: float = 0.0) -> str:
    middle = y + GAP_ROW / 2
    flagged = bool(gap.get("flagged"))
    parts = []
    if flagged:
        parts.append(svg.rect(-shift, y + 1, GAP_WIDTH_TOTAL + shift, GAP_ROW - 2, "#fbe3d3"))
    name = str(gap.get("organisation", ""))
    parts.append(
        svg.element(
            "text",
            {
                "x": GAP_LABEL,
                "y": middle + 13 * 0.35,
                "font-size": 13,
                "text-anchor": "end",
                "font-weight": "bold" if flagged else None,
            },
            svg.tooltip(name) + svg.escape(svg.shorten(name, GAP_LABEL + shift - 8, 13, flagged)),
        )
    )
    own, seen = reading.number(gap, "self_commit"), reading.number(gap, "value_received")
    if own is None or seen is None:
        missing = "No commitment score" if own is None else "No value ratings from partners"
        parts.append(
            svg.text(GAP_LEFT + 8, middle, missing, size=SMALL, style="italic", fill=MUTED_INK)
        )
        return svg.group(parts)

    def x_of(value: float) -> float:
        return GAP_LEFT + GAP_WIDTH * min(max(value, 0.0), 100.0) / 100

    colour, width = (FLAG_COLOUR, 4) if flagged else ("#6f777b", 2)
    parts.append(svg.line(x_of(own), middle, x_of(seen), middle, colour, width))
    parts.append(_value_marker(x_of(seen), middle))
    parts.append(svg.circle(x_of(own), middle, 6, BLUE, stroke="#ffffff", stroke_width=1.5))
    gap_value = reading.number(gap, "gap")
    label = gap_text(gap_value, flagged) + (" flagged" if flagged else "")
    parts.append(
        svg.text(
            GAP_WIDTH_TOTAL - 8,
            middle,
            label,
            size=13,
            anchor="end",
            weight="bold" if flagged else None,
        )
    )
    return svg.group(parts)


def _each(count: int) -> str:
    return "the one organisation" if count == 1 else f"each of the {count} organisations"


def _gaps_description(complete: list[dict[str, Any]], incomplete: list[dict[str, Any]]) -> str:
    flagged = [g for g in complete if g.get("flagged")]
    over = [g for g in flagged if (g.get("gap") or 0) > 0]
    under = [g for g in flagged if (g.get("gap") or 0) < 0]
    sentences = [
        f"For {_each(len(complete))} reported on its own, the chart sets its own commitment "
        "score (a filled circle) against the value its partners' ratings "
        "give it (a hollow diamond), both 0 to 100, ordered from the largest positive gap down. "
        f"A gap of {int(FLAG_AT)} or more either way is flagged."
    ]
    for lead, group in (
        ("Rating their own commitment well above what partners see", over),
        ("Seen by partners as contributing more than they say", under),
    ):
        if group:
            named = [f"{g['organisation']} ({gap_text(g['gap'], True)})" for g in group]
            sentences.append(f"{lead}: {listing(named)}.")
    if not flagged:
        sentences.append("No gap is large enough to flag.")
    if incomplete:
        sentences.append(
            f"{count_phrase(len(incomplete), 'organisation')} lacked the figures for a gap."
        )
    return " ".join(sentences)
