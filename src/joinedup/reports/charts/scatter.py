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
MAX_LEADER = 36  # a name further than this from its point is hard to match to it
FEW_UNITS = 15  # with this many units or fewer, longer leader lines are still easy to follow

Position = Callable[[float], float]  # a score to a pixel coordinate
Rectangle = tuple[float, float, float, float]  # x0, y0, x1, y1 in scores


@dataclass(frozen=True)
class Zone:
    """A named region of the chart, as rectangles in score coordinates.

    `corner` is the (x, y) score corner where its label sits, and `align`
    says which way the label runs from there: "start" or "end".
    """

    code: str
    label: str
    note: str
    rectangles: tuple[Rectangle, ...]
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


def symmetric_range(
    values: Sequence[float], centre: float = 50.0, minimum: float = 20.0
) -> tuple[float, float]:
    """An axis range centred on `centre`, in fives, wide enough for every value.

    Centring on the threshold gives the four zones the same size, so the
    picture is not skewed by where the data happen to fall.
    """
    furthest = max([abs(v - centre) for v in values if math.isfinite(v)] + [0.0])
    half = min(max(math.ceil((furthest + 3) / 5) * 5, minimum), 50)
    return centre - half, centre + half


NAMED_AT_MOST = 24  # more units than this are always numbered (the table names them)
NUMBERED_NOTE = " Points are numbered; the table after the chart gives each number's name."


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

    # Units first, then the previous round's arrow, then the partnership on top.
    marks: list[str] = [_unit_marker(marker, px, py) for marker in markers]
    points: list[Point] = []
    obstacles = list(zone_boxes)
    cross_lines: list[Box] = []
    if partnership is not None:
        cross_lines = _cross_boxes(partnership, px, py)
        points.append(Point(px(partnership.x), py(partnership.y), 9, "Partnership", True, 2))
        if previous is not None:
            marks.append(_previous_arrow(previous, partnership, px, py))
            points.append(Point(px(previous[0]), py(previous[1]), 7, "Previous round", False, 1))
        marks.append(_partnership_cross(partnership, px, py))

    # Beyond NAMED_AT_MOST units names never fit, so they are not even tried.
    numbered = len(markers) > NAMED_AT_MOST
    if not numbered:
        named = points + [
            Point(px(m.x), py(m.y), 5, svg.shorten(m.name, 230, SMALL)) for m in markers
        ]
        placements = place_labels(named, bounds, obstacles, SMALL, 170, cross_lines)
        reach = MAX_LEADER if len(markers) > FEW_UNITS else 2 * MAX_LEADER
        numbered = not all(_readable(p, reach) for p in placements[len(points) :])
    if numbered:
        named = points + [Point(px(m.x), py(m.y), 5, str(i + 1)) for i, m in enumerate(markers)]
        # Numbers may go further out on a leader line: a number must never be missing.
        placements = place_labels(named, bounds, obstacles, SMALL, 160, cross_lines)
        if any(p is None for p in placements):
            placements = place_labels(
                named, bounds, obstacles, SMALL, 320, cross_lines, crossing=True
            )
    guide_lines = [Box(px(g), TOP, px(g), TOP + PLOT) for g in axes.guides] + [
        Box(LEFT, py(g), LEFT + PLOT, py(g)) for g in axes.guides
    ]
    labels = [
        _label(point, placement, guide_lines)
        for point, placement in zip(named, placements, strict=True)
    ]

    # Numbered points are named by the chart's table (its "Point" column),
    # not by a key drawn under the plot: a key made the picture twice as tall,
    # so a printed page shrank its labels to 6 points.
    height = float(TOP + PLOT + AXIS_SPACE)
    if numbered and markers:
        description += NUMBERED_NOTE
    body = (
        svg.group(parts)
        + svg.group(marks)
        + svg.group(labels, {"font-size": SMALL})
        + _axis_titles(axes)
    )
    return svg.document(chart_id, title, description, WIDTH, height, body), numbered


def _readable(placement: Placement | None, reach: float) -> bool:
    """A name label placed, and close enough to its point to be read as its name."""
    if placement is None:
        return False
    if placement.leader is None:
        return True
    x0, y0, x1, y1 = placement.leader
    return math.hypot(x1 - x0, y1 - y0) <= reach


def _grid(axes: Axes, px: Position, py: Position) -> str:
    parts = []
    step = 5 if axes.high - axes.low <= 40 else 10
    tick = math.ceil(axes.low / step - 1e-9) * step
    while tick <= axes.high + 1e-9:
        # White grid lines read as a grid on the pale zones and vanish in the margins.
        parts.append(svg.line(px(tick), TOP, px(tick), TOP + PLOT, "#ffffff", 1))
        parts.append(svg.line(LEFT, py(tick), LEFT + PLOT, py(tick), "#ffffff", 1))
        parts.append(
            svg.text(px(tick), TOP + PLOT + 14, svg.num(tick), size=SMALL, anchor="middle")
        )
        parts.append(svg.text(LEFT - 8, py(tick), svg.num(tick), size=SMALL, anchor="end"))
        tick += step
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
    """The zone's name and note in its corner, wrapped to the zone's width there."""
    cx, cy = zone.corner
    holder = next(
        (r for r in zone.rectangles if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]),
        zone.rectangles[0],
    )
    pad = 8
    room = max(px(holder[2]) - px(holder[0]) - 2 * pad, 60)
    lines = [(line, 13, True) for line in svg.wrap(zone.label, room, 13, bold=True)]
    lines += [(line, SMALL, False) for line in svg.wrap(zone.note, room, SMALL)]
    x, y = px(cx), py(cy)
    start = zone.align == "start"
    tx = x + pad if start else x - pad
    height = 16 * len(lines)
    first = y + pad + 8 if y < TOP + PLOT / 2 else y - pad - height + 8
    anchor = "start" if start else "end"
    body = "".join(
        svg.text(
            tx,
            first + 16 * i,
            line,
            size=size,
            anchor=anchor,
            weight="bold" if bold else None,
            fill=INK if bold else MUTED_INK,
        )
        for i, (line, size, bold) in enumerate(lines)
    )
    width = max(svg.text_width(line, size, bold) for line, size, bold in lines)
    x0 = tx if start else tx - width
    return body, Box(x0, first - 9, x0 + width, first + height - 8)


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


def _cross_boxes(cross: Cross, px: Position, py: Position) -> list[Box]:
    """The interval lines of the partnership's cross, as thin boxes labels must avoid."""
    x, y = px(cross.x), py(cross.y)
    boxes = []
    if cross.x_low is not None and cross.x_high is not None:
        boxes.append(Box(px(cross.x_low) - 1, y - 7, px(cross.x_high) + 1, y + 7))
    if cross.y_low is not None and cross.y_high is not None:
        boxes.append(Box(x - 7, py(cross.y_high) - 1, x + 7, py(cross.y_low) + 1))
    return boxes


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


def _label(point: Point, placement: Placement | None, guides: Sequence[Box]) -> str:
    if placement is None:
        return ""
    leader = ""
    if placement.leader is not None:
        x0, y0, x1, y1 = placement.leader
        leader = svg.line(x0, y0, x1, y1, MUTED_INK, 0.75)
    backing = ""
    box = placement.box
    if any(box.overlaps(guide) for guide in guides):
        # A pale backing keeps a label readable where a threshold line crosses it.
        # The width estimate is generous, so the backing is trimmed away from the anchor.
        width = (box.x1 - box.x0) * 0.92
        x0 = {"start": box.x0, "end": box.x1 - width}.get(
            placement.anchor, (box.x0 + box.x1 - width) / 2
        )
        backing = svg.rect(
            x0 - 2, box.y0 + 1, width + 4, box.y1 - box.y0 - 2, "#ffffff", fill_opacity=0.8, rx=2
        )
    text = svg.text(
        placement.x,
        placement.y,
        point.label,
        size=SMALL,
        anchor=placement.anchor,
        weight="bold" if point.bold else None,
    )
    return leader + backing + text
