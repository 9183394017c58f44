"""The charts of a result: where the partnership stands, and what lies behind it.

Each function takes a `joinedup.analysis/1` result (and, for some, extra
inputs such as a previous round or the organisations' sectors) and returns a
`Chart`: title, text description, SVG and table. They never raise on an
empty or partial result; a chart with nothing to draw says so.

    position_map       momentum against the pull to breaking point, in four zones (SPEC §3.8-9)
    alignment_diagram  case for collaboration against readiness to change (§3.10)
    scale_profile      the nine partnership scale scores with intervals and bands
    unit_heatmap       every unit's scale scores, by band
    network_map        organisations and the trust between them (§4)
    perception_gaps    how organisations see their own commitment, and how partners do (§4.8)
    all_charts         all of the above, in reading order
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from joinedup.analysis import vocabulary

from .. import reading
from ..reading import MOMENTUM_SCALES, STRAIN_SCALES, ZONE_NAMES
from .figures import Chart, Table, count_phrase, interval, listing, whole
from .gaps import perception_gaps
from .network import network_map
from .profiles import scale_profile, unit_heatmap
from .scatter import (
    NUMBERED_NOTE,
    Axes,
    Cross,
    Marker,
    Rectangle,
    Zone,
    scatter,
    symmetric_range,
)

__all__ = [
    "Chart",
    "Table",
    "alignment_diagram",
    "all_charts",
    "network_map",
    "perception_gaps",
    "position_map",
    "scale_profile",
    "unit_heatmap",
]


def all_charts(
    result: dict[str, Any],
    previous: dict[str, Any] | None = None,
    sectors: dict[str, str] | None = None,
) -> list[Chart]:
    """Every chart of a result, in the order a report reads them.

    In a large partnership (more than LARGE_NETWORK organisations) the
    network is drawn as its strongest ties and flagged pairs: every tie at
    once is a tangle nobody can read. The full map is
    `network_map(result, sectors)`; one organisation's own ties are
    `network_map(result, sectors, focus=name)`.
    """
    organisations = (result.get("network") or {}).get("organisations") or []
    strongest = STRONGEST_TIES if len(organisations) > LARGE_NETWORK else None
    return [
        position_map(result, previous),
        alignment_diagram(result),
        scale_profile(result),
        unit_heatmap(result),
        network_map(result, sectors, strongest=strongest),
        perception_gaps(result),
    ]


LARGE_NETWORK = 24  # organisations; beyond this the report's map keeps the strongest ties
STRONGEST_TIES = 3  # each organisation's most trusted partners, in that view


# ------------------------------------------------------------- position map

POSITION_NOTES = vocabulary.POSITION_NOTES
POSITION_ORDER = ("tipping_point", "tipping_and_breaking", "breaking_point", "holding_pattern")


def position_map(
    result: dict[str, Any],
    previous: dict[str, Any] | None = None,
    *,
    chart_id: str = "position-map",
) -> Chart:
    """Momentum (across) against the pull towards a breaking point (up), for each unit.

    Zones at 50 (SPEC §3.9): tipping point (momentum ≥ 50, strain < 50),
    tipping and breaking (both ≥ 50), breaking point (momentum < 50,
    strain ≥ 50), holding pattern (both < 50). The partnership's cross is an
    interval for momentum and for strain, each the mean of the interval bounds
    of the scales it is made of. With `previous` (the result of the round
    before), or when the result's trend gives the previous momentum and strain,
    an arrow shows how the partnership moved.
    """
    title = f"Where the partnership stands: momentum and {vocabulary.PULL.lower()}"
    part = reading.partnership(result)
    momentum, strain = _momentum_and_strain(part)
    markers = _unit_markers(result, _momentum_and_strain)
    before = _previous_position(result, previous)
    headers = (
        "Partnership or unit",
        "Momentum",
        "Momentum interval",
        vocabulary.PULL_SHORT,
        f"{vocabulary.PULL_SHORT} interval",
        "Position",
    )
    if momentum is None or strain is None:
        return _not_placed(result, chart_id, title, headers)

    m_range = reading.combined_interval(part, MOMENTUM_SCALES)
    s_range = reading.combined_interval(part, STRAIN_SCALES)
    cross = Cross(
        momentum,
        strain,
        *(m_range or (None, None)),
        *(s_range or (None, None)),
    )
    everything = [momentum, strain, *[v for m in markers for v in (m.x, m.y)]]
    everything += [v for r in (m_range, s_range) if r for v in r]
    if before:
        everything += list(before)
    low, high = symmetric_range(everything)
    zones = _position_zones(low, high)
    axes = Axes(
        vocabulary.MOMENTUM,
        vocabulary.PULL,
        low,
        high,
        (50.0,),
    )
    description = _position_description(part, m_range, s_range, markers, result, before)
    drawing, numbered = scatter(chart_id, title, description, axes, zones, markers, cross, before)
    description += NUMBERED_NOTE if numbered and markers else ""

    lead = [
        (
            "Partnership",
            whole(momentum),
            interval(*(m_range or (None, None))),
            whole(strain),
            interval(*(s_range or (None, None))),
            reading.position_words(part.get("position")),
        )
    ]
    if before:
        lead.append(("Partnership, previous round", whole(before[0]), "", whole(before[1]), "", ""))
    unit_rows = []
    for unit in reading.units(result):
        m_unit = reading.combined_interval(unit, MOMENTUM_SCALES)
        s_unit = reading.combined_interval(unit, STRAIN_SCALES)
        unit_rows.append(
            (
                str(unit.get("name", "")),
                whole(unit.get("momentum")),
                interval(*(m_unit or (None, None))),
                whole(unit.get("strain")),
                interval(*(s_unit or (None, None))),
                reading.position_words(unit.get("position")),
            )
        )
    table = _table(
        f"{title}, 0 to 100, with 95% intervals",
        headers,
        lead,
        unit_rows,
        markers,
        numbered,
        (False, True, False, True, False, False),
    )
    return Chart(chart_id, title, description, drawing, table)


def _position_zones(low: float, high: float) -> list[Zone]:
    def zone(code: str, rect: Rectangle, corner: tuple[float, float], align: str) -> Zone:
        return Zone(code, ZONE_NAMES[code], POSITION_NOTES[code], (rect,), corner, align)

    return [
        zone("holding_pattern", (low, low, 50, 50), (low, low), "start"),
        zone("tipping_point", (50, low, high, 50), (high, low), "end"),
        zone("breaking_point", (low, 50, 50, high), (low, high), "start"),
        zone("tipping_and_breaking", (50, 50, high, high), (high, high), "end"),
    ]


def _position_description(
    part: dict[str, Any],
    m_range: tuple[float, float] | None,
    s_range: tuple[float, float] | None,
    markers: list[Marker],
    result: dict[str, Any],
    before: tuple[float, float] | None,
) -> str:
    position = part.get("position")
    pull = vocabulary.PULL.lower()
    sentences = [
        f"The partnership is {_lower_first(reading.position_words(position))}: "
        f"momentum {whole(part.get('momentum'))}, {pull} {whole(part.get('strain'))}."
    ]
    sentences.append(
        "The chart plots momentum (the mean of case for collaboration, trust, conversations, "
        f"relationships and commitment) across, against the {pull} (the mean of strain on "
        "organisations and self-preservation) up, each 0 to 100 and divided at 50 into four "
        f"zones: tipping point (momentum 50 or more, {pull} below 50), tipping and breaking "
        f"(both 50 or more), breaking point ({pull} 50 or more, momentum below 50) and holding "
        "pattern (both below 50)."
    )
    if m_range or s_range:
        parts = []
        if m_range:
            parts.append(f"momentum {interval(*m_range)}")
        if s_range:
            parts.append(f"{pull} {interval(*s_range)}")
        sentences.append(
            f"The cross on the partnership marks its 95% intervals ({' and '.join(parts)}), "
            "each taken as the mean of the intervals of the scales it is made of."
        )
    if before:
        sentences.append(
            f"In the previous round it stood at momentum {whole(before[0])} and {pull} "
            f"{whole(before[1])}; the arrow shows the move."
        )
    sentences.append(_unit_summary(result, markers, "position", POSITION_ORDER))
    return " ".join(s for s in sentences if s)


# -------------------------------------------------------- alignment diagram

ALIGNMENT_NOTES = {
    "aligned": "both 75 or more",
    "emerging": "both 50 or more",
    "collaborate_without_changing": "a case, but no readiness to change",
    "changing_alone": "readiness, but no case",
    "not_ready": "neither yet",
}
ALIGNMENT_ORDER = (
    "aligned",
    "emerging",
    "collaborate_without_changing",
    "changing_alone",
    "not_ready",
)


def alignment_diagram(result: dict[str, Any], *, chart_id: str = "alignment") -> Chart:
    """Case for collaboration (across) against readiness to change (up).

    Zones (SPEC §3.10): the stars align (both ≥ 75), emerging (both ≥ 50),
    collaborate without changing (case ≥ 50 > change), changing alone
    (change ≥ 50 > case), not ready (both < 50). The partnership's cross is
    the 95% interval of each score.
    """
    title = "Do the stars align? The case for collaboration and readiness to change"
    part = reading.partnership(result)
    case, change = _case_and_change(part)
    markers = _unit_markers(result, _case_and_change)
    headers = (
        "Partnership or unit",
        "Case for collaboration",
        "Interval",
        "Readiness to change",
        "Interval",
        "Alignment",
    )
    if case is None or change is None:
        return _not_placed(result, chart_id, title, headers)

    case_fig, change_fig = reading.scale_figure(part, "CASE"), reading.scale_figure(part, "CHANGE")
    cross = Cross(
        case,
        change,
        reading.number(case_fig, "ci_low"),
        reading.number(case_fig, "ci_high"),
        reading.number(change_fig, "ci_low"),
        reading.number(change_fig, "ci_high"),
    )
    everything = [case, change, *[v for m in markers for v in (m.x, m.y)]]
    everything += [
        v for v in (cross.x_low, cross.x_high, cross.y_low, cross.y_high) if v is not None
    ]
    low, high = _alignment_range(everything)
    axes = Axes(
        "Case for collaboration", "Readiness to change our own organisation", low, high, (50.0,)
    )
    description = _alignment_description(part, markers, result)
    drawing, numbered = scatter(
        chart_id, title, description, axes, _alignment_zones(low, high), markers, cross
    )
    description += NUMBERED_NOTE if numbered and markers else ""

    def row(name: str, level: dict[str, Any]) -> tuple[str, ...]:
        c, h = reading.scale_figure(level, "CASE"), reading.scale_figure(level, "CHANGE")
        return (
            name,
            whole(c.get("score")),
            interval(c.get("ci_low"), c.get("ci_high")),
            whole(h.get("score")),
            interval(h.get("ci_low"), h.get("ci_high")),
            ZONE_NAMES.get(level.get("alignment") or "", "Not placed"),
        )

    table = _table(
        f"{title}: scores 0 to 100, with 95% intervals",
        headers,
        [row("Partnership", part)],
        [row(str(u.get("name", "")), u) for u in reading.units(result)],
        markers,
        numbered,
        (False, True, False, True, False, False),
    )
    return Chart(chart_id, title, description, drawing, table)


def _alignment_range(values: list[float]) -> tuple[float, float]:
    """Fives around the data, but at least 40 to 90, so every zone has room for its name."""
    low = min(40.0, math.floor((min(values) - 3) / 5) * 5)
    high = max(90.0, math.ceil((max(values) + 3) / 5) * 5)
    return max(low, 0.0), min(high, 100.0)


def _alignment_zones(low: float, high: float) -> list[Zone]:
    def zone(
        code: str,
        rects: list[Rectangle],
        corner: tuple[float, float],
        align: str,
        outline: bool = False,
    ) -> Zone:
        return Zone(
            code, ZONE_NAMES[code], ALIGNMENT_NOTES[code], tuple(rects), corner, align, outline
        )

    top = max(high, 75.0)
    return [
        zone("not_ready", [(low, low, 50, 50)], (low, low), "start"),
        zone("collaborate_without_changing", [(50, low, high, 50)], (high, low), "end"),
        zone("changing_alone", [(low, 50, 50, high)], (low, high), "start"),
        zone("emerging", [(50, 50, 75, high), (75, 50, high, 75)], (50, high), "start"),
        zone("aligned", [(75, 75, high, top)], (high, high), "end", outline=True),
    ]


def _alignment_description(
    part: dict[str, Any], markers: list[Marker], result: dict[str, Any]
) -> str:
    alignment = part.get("alignment")
    words = ZONE_NAMES.get(alignment or "", "not placed")
    sentences = [
        f"The partnership is in the zone “{words}”: case for collaboration "
        f"{whole(reading.score(part, 'CASE'))}, readiness to change "
        f"{whole(reading.score(part, 'CHANGE'))}."
    ]
    sentences.append(
        "The chart plots the case for collaboration across against readiness to change the "
        "organisation up, 0 to 100, in five zones: the stars align (both 75 or more), emerging "
        "(both 50 or more), collaborate without changing (case 50 or more, readiness below 50), "
        "changing alone (readiness 50 or more, case below 50) and not ready (both below 50). "
        "The cross on the partnership marks the 95% interval of each score."
    )
    sentences.append(_unit_summary(result, markers, "alignment", ALIGNMENT_ORDER))
    return " ".join(s for s in sentences if s)


# ------------------------------------------------------------------ shared

# How the unit summaries name each zone: "3 are at a tipping point".
ZONE_PHRASES = vocabulary.ZONE_PHRASES


def _not_placed(
    result: dict[str, Any], chart_id: str, title: str, headers: tuple[str, ...]
) -> Chart:
    """A scatter chart when the partnership has too few answers to be placed on it."""
    empty = Table(f"{title}: figures", headers, ())
    reason = "too few answers to place the partnership."
    return reading.no_results_chart(result, chart_id, title, reason, empty)


def _unit_markers(
    result: dict[str, Any], place: Callable[[dict[str, Any]], tuple[float | None, float | None]]
) -> list[Marker]:
    """Units that `place` gives both an x and a y."""
    markers = []
    for unit in reading.units(result):
        x, y = place(unit)
        if x is not None and y is not None:
            markers.append(Marker(str(unit.get("name", "")), x, y, bool(unit.get("combined"))))
    return markers


def _momentum_and_strain(level: dict[str, Any]) -> tuple[float | None, float | None]:
    return reading.number(level, "momentum"), reading.number(level, "strain")


def _case_and_change(level: dict[str, Any]) -> tuple[float | None, float | None]:
    return reading.score(level, "CASE"), reading.score(level, "CHANGE")


def _previous_position(
    result: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[float, float] | None:
    if previous is not None:
        m, s = _momentum_and_strain(reading.partnership(previous))
        return (m, s) if m is not None and s is not None else None
    m = reading.number(reading.trend_entry(result, "partnership", "momentum"), "previous")
    s = reading.number(reading.trend_entry(result, "partnership", "strain"), "previous")
    return (m, s) if m is not None and s is not None else None


def _unit_summary(
    result: dict[str, Any], markers: list[Marker], key: str, order: tuple[str, ...]
) -> str:
    all_units = reading.units(result)
    if not all_units:
        return ""
    counts: dict[str, int] = {}
    for unit in all_units:
        code = unit.get(key)
        if code:
            counts[code] = counts.get(code, 0) + 1
    phrases = [f"{counts[c]} {ZONE_PHRASES.get(c, c)}" for c in order if counts.get(c)]
    if phrases:
        count, rest = phrases[0].split(" ", 1)
        phrases[0] = f"{count} {'is' if count == '1' else 'are'} {rest}"
    text = f"Of {count_phrase(len(all_units), 'reporting unit')}, {listing(phrases)}."
    missing = len(all_units) - len(markers)
    if missing:
        text += f" {count_phrase(missing, 'unit')} had too few answers to place."
    if any(u.get("combined") for u in all_units):
        text += (
            " Organisations with too few respondents to report alone appear together as "
            "“Other organisations” (the hollow point)."
        )
    return text


def _table(
    caption: str,
    headers: tuple[str, ...],
    lead: Sequence[tuple[str, ...]],
    unit_rows: Sequence[tuple[str, ...]],
    markers: list[Marker],
    numbered: bool,
    numeric: tuple[bool, ...],
) -> Table:
    """A scatter chart's table; with numbered points, a first column gives each point's number."""
    if not numbered:
        return Table(caption, headers, (*lead, *unit_rows), numeric)
    numbers = {m.name: str(i + 1) for i, m in enumerate(markers)}
    rows = [(r[0], "", *r[1:]) for r in lead]
    rows += [(r[0], numbers.get(r[0], ""), *r[1:]) for r in unit_rows]
    return Table(
        caption, (headers[0], "Point", *headers[1:]), tuple(rows), (numeric[0], True, *numeric[1:])
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
