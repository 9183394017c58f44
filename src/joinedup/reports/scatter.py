"""The zoned scatter chart behind the position map and the alignment diagram.

Both plot the partnership and each reporting unit on two 0-100 scores, over
zones that give the result its name. This module draws such a chart from
plain inputs (zones, markers, axis range); `charts` decides what goes in it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import svg
from .labels import Box, Placement, Point, place_labels
from .palette import PARTNERSHIP_COLOUR, UNIT_COLOUR, ZONE_FILL
from .svg import INK, MUTED_INK, RULE, SMALL

WIDTH = 680
LEFT = 76
TOP = 20
PLOT = 540
AXIS_SPACE = 62
KEY_COLUMN = 200
KEY_ROW = 18

Position = Callable[[float], float]  # a score to a pixel coordinate


@dataclass(frozen=True)
class Zone:
    """A named region of the chart, as rectangles in score coordinates.

    `corner` is the (x, y) score corner where its label sits, and `align`
    says which way the label runs from there: "start" or "end".
    """

    code: str
    label: str
    note: str
    rectangles: tuple[tuple[float, float, float, float], ...]
    corner: tuple[float, float]
    align: str
    outline: bool = False


@dataclass(frozen=True)
class Marker:
    """A unit on the chart, with its name and the scores it sits at."""

    name: str
    x: float
    y: float
    combined: bool = False


@dataclass(frozen=True)
class Cross:
    """The partnership: its position and its interval on each axis (bounds may be None)."""

    x: float
    y: float
    x_low: float | None
    x_high: float | None
    y_low: float | None
    y_high: float | None


@dataclass(frozen=True)
class Axes:
    x_label: str
    y_label: str
    low: float
    high: float
    guides: tuple[float, ...]


def symmetric_range(values: Sequence[float], centre: float = 50.0) -> tuple[float, float]:
    """An axis range centred on `centre`, in tens, wide enough for every value.

    Centring on the threshold gives the four zones the same size, so the
    picture is not skewed by where the data happen to fall.
    """
    furthest = max([abs(v - centre) for v in values if math.isfinite(v)] + [0.0])
    half = min(max(math.ceil((furthest + 4) / 10) * 10, 20), 50)
    return centre - half, centre + half


def covering_range(values: Sequence[float], must: Sequence[float]) -> tuple[float, float]:
    """An axis range in tens that holds every value and every score in `must`."""
    finite = [v for v in values if math.isfinite(v)] + list(must)
    low = max(0.0, math.floor((min(finite) - 4) / 10) * 10)
    high = min(100.0, math.ceil((max(finite) + 4) / 10) * 10)
    return low, high


def scatter(
    chart_id: str,
    title: str,
    description: str,
    axes: Axes,
    zones: Sequence[Zone],
    markers: Sequence[Marker],
    partnership: Cross | None,
    previous: tuple[float, float] | None = None,
) -> tuple[str, bool]:
    """The chart's SVG, and whether its points are numbered (with a key) rather than named.

    Units are labelled with their names when every name finds a free spot;
    otherwise every unit is numbered and a key below the chart names them.
    """
    scale = PLOT / (axes.high - axes.low)

    def px(x: float) -> float:
        return LEFT + (min(max(x, axes.low), axes.high) - axes.low) * scale

    def py(y: float) -> float:
        return TOP + PLOT - (min(max(y, axes.low), axes.high) - axes.low) * scale

    bounds = Box(LEFT + 2, TOP + 2, LEFT + PLOT - 2, TOP + PLOT - 2)
    parts: list[str] = []
    zone_boxes: list[Box] = []
    for zone in zones:
        for x0, y0, x1, y1 in zone.rectangles:
            outline = {"stroke": INK, "stroke_width": 1.5} if zone.outline else {}
            parts.append(
                svg.rect(
                    px(x0),
                    py(y1),
                    px(x1) - px(x0),
                    py(y0) - py(y1),
                    ZONE_FILL[zone.code],
                    **outline,
                )
            )
    parts.append(_grid(axes, px, py))
    for zone in zones:
        label, box = _zone_label(zone, px, py)
        parts.append(label)
        zone_boxes.append(box)

    marks: list[str] = []
    points: list[Point] = []
    obstacles = list(zone_boxes)
    if partnership is not None:
        marks.append(_partnership_cross(partnership, px, py))
        points.append(Point(px(partnership.x), py(partnership.y), 9, "Partnership", True, 2))
    if previous is not None and partnership is not None:
        marks.append(_previous_arrow(previous, partnership, px, py))
        points.append(Point(px(previous[0]), py(previous[1]), 7, "Previous round", False, 1))
    for marker in markers:
        marks.append(_unit_marker(marker, px, py))

    named = points + [Point(px(m.x), py(m.y), 5, svg.shorten(m.name, 170, SMALL)) for m in markers]
    placements = place_labels(named, bounds, obstacles, SMALL)
    numbered = any(p is None for p in placements[len(points) :])
    if numbered:
        named = points + [Point(px(m.x), py(m.y), 5, str(i + 1)) for i, m in enumerate(markers)]
        placements = place_labels(named, bounds, obstacles, SMALL, reach=160)
    labels = [_label(point, placement) for point, placement in zip(named, placements, strict=True)]

    height = TOP + PLOT + AXIS_SPACE
    key = ""
    if numbered and markers:
        key, key_height = _key(markers, height)
        height += key_height
    body = (
        svg.group(parts)
        + svg.group(marks)
        + svg.group(labels, {"font-size": SMALL})
        + _axis_titles(axes)
        + key
    )
    return svg.document(chart_id, title, description, WIDTH, height, body), numbered


def _grid(axes: Axes, px: Position, py: Position) -> str:
    parts = []
    tick = axes.low
    while tick <= axes.high + 1e-9:
        # White grid lines read as a grid on the pale zones and vanish in the margins.
        parts.append(svg.line(px(tick), TOP, px(tick), TOP + PLOT, "#ffffff", 1))
        parts.append(svg.line(LEFT, py(tick), LEFT + PLOT, py(tick), "#ffffff", 1))
        parts.append(
            svg.text(px(tick), TOP + PLOT + 14, svg.num(tick), size=SMALL, anchor="middle")
        )
        parts.append(svg.text(LEFT - 8, py(tick), svg.num(tick), size=SMALL, anchor="end"))
        tick += 10
    for guide in axes.guides:
        if not axes.low <= guide <= axes.high:
            continue
        parts.append(svg.line(px(guide), TOP, px(guide), TOP + PLOT, INK, 1.5))
        parts.append(svg.line(LEFT, py(guide), LEFT + PLOT, py(guide), INK, 1.5))
    parts.append(svg.rect(LEFT, TOP, PLOT, PLOT, "none", stroke=RULE, stroke_width=1))
    return svg.group(parts)


def _axis_titles(axes: Axes) -> str:
    x_title = svg.text(
        LEFT + PLOT / 2, TOP + PLOT + 40, axes.x_label, anchor="middle", weight="bold"
    )
    y_title = svg.text(
        LEFT - 50, TOP + PLOT / 2, axes.y_label, anchor="middle", weight="bold", rotate=-90
    )
    return x_title + y_title


def _zone_label(zone: Zone, px: Position, py: Position) -> tuple[str, Box]:
    x, y = px(zone.corner[0]), py(zone.corner[1])
    top = y < TOP + PLOT / 2
    pad = 8
    start = zone.align == "start"
    tx = x + pad if start else x - pad
    first = y + pad + 8 if top else y - pad - 26
    width = max(svg.text_width(zone.label, 13, bold=True), svg.text_width(zone.note, SMALL))
    anchor = "start" if start else "end"
    body = svg.text(tx, first, zone.label, size=13, anchor=anchor, weight="bold") + svg.text(
        tx, first + 16, zone.note, size=SMALL, anchor=anchor, fill=MUTED_INK
    )
    x0 = tx if start else tx - width
    return body, Box(x0, first - 9, x0 + width, first + 24)


def _partnership_cross(cross: Cross, px: Position, py: Position) -> str:
    x, y = px(cross.x), py(cross.y)
    parts = []
    if cross.x_low is not None and cross.x_high is not None:
        x0, x1 = px(cross.x_low), px(cross.x_high)
        parts += [
            svg.line(x0, y, x1, y, INK, 2),
            svg.line(x0, y - 6, x0, y + 6, INK, 2),
            svg.line(x1, y - 6, x1, y + 6, INK, 2),
        ]
    if cross.y_low is not None and cross.y_high is not None:
        y0, y1 = py(cross.y_low), py(cross.y_high)
        parts += [
            svg.line(x, y0, x, y1, INK, 2),
            svg.line(x - 6, y0, x + 6, y0, INK, 2),
            svg.line(x - 6, y1, x + 6, y1, INK, 2),
        ]
    size = 9
    parts.append(
        svg.polygon(
            [(x, y - size), (x + size, y), (x, y + size), (x - size, y)],
            PARTNERSHIP_COLOUR,
            stroke="#ffffff",
            stroke_width=2,
        )
    )
    return svg.group(parts, {"class": "partnership"})


def _previous_arrow(previous: tuple[float, float], cross: Cross, px: Position, py: Position) -> str:
    x0, y0 = px(previous[0]), py(previous[1])
    x1, y1 = px(cross.x), py(cross.y)
    size = 7
    parts = [
        svg.polygon(
            [(x0, y0 - size), (x0 + size, y0), (x0, y0 + size), (x0 - size, y0)],
            "#ffffff",
            stroke=INK,
            stroke_width=1.5,
            stroke_dasharray="3 2",
        )
    ]
    length = math.hypot(x1 - x0, y1 - y0)
    if length > 22:
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        sx, sy = x0 + ux * (size + 2), y0 + uy * (size + 2)
        ex, ey = x1 - ux * 12, y1 - uy * 12
        head = [
            (ex, ey),
            (ex - ux * 9 - uy * 5, ey - uy * 9 + ux * 5),
            (ex - ux * 9 + uy * 5, ey - uy * 9 - ux * 5),
        ]
        parts.append(svg.line(sx, sy, ex - ux * 8, ey - uy * 8, INK, 2))
        parts.append(svg.polygon(head, INK))
    return svg.group(parts, {"class": "previous-round"})


def _unit_marker(marker: Marker, px: Position, py: Position) -> str:
    tip = svg.tooltip(marker.name)
    if marker.combined:
        return svg.element(
            "circle",
            {
                "cx": px(marker.x),
                "cy": py(marker.y),
                "r": 5,
                "fill": "#ffffff",
                "stroke": UNIT_COLOUR,
                "stroke-width": 2,
            },
            tip,
        )
    return svg.element(
        "circle",
        {
            "cx": px(marker.x),
            "cy": py(marker.y),
            "r": 5,
            "fill": UNIT_COLOUR,
            "stroke": "#ffffff",
            "stroke-width": 1.5,
        },
        tip,
    )


def _label(point: Point, placement: Placement | None) -> str:
    if placement is None:
        return ""
    leader = ""
    if placement.leader is not None:
        x0, y0, x1, y1 = placement.leader
        leader = svg.line(x0, y0, x1, y1, MUTED_INK, 0.75)
    return leader + svg.text(
        placement.x,
        placement.y,
        point.label,
        size=SMALL,
        anchor=placement.anchor,
        weight="bold" if point.bold else None,
    )


def _key(markers: Sequence[Marker], top: float) -> tuple[str, float]:
    columns = max(1, int((WIDTH - LEFT) // KEY_COLUMN))
    rows = math.ceil(len(markers) / columns)
    parts = [svg.text(LEFT, top + 6, "Key to the numbered points", size=SMALL, weight="bold")]
    for index, marker in enumerate(markers):
        column, row = divmod(index, rows)
        x = LEFT + column * KEY_COLUMN
        y = top + 28 + row * KEY_ROW
        parts.append(svg.text(x + 22, y, str(index + 1), size=SMALL, anchor="end", weight="bold"))
        parts.append(
            svg.text(x + 28, y, svg.shorten(marker.name, KEY_COLUMN - 34, SMALL), size=SMALL)
        )
    return svg.group(parts, {"class": "key"}), 28 + rows * KEY_ROW + 10
