"""Placing point labels on a scatter chart without overlaps.

A greedy search, deterministic so the same chart always comes out the same:
the most crowded points are labelled first, each at the nearest free spot
around it (trying eight directions, then further out in sixteen); a label
set away from its point gets a thin leader line back to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .svg import text_width

LINE_HEIGHT = 1.25  # of the font size
RETRIES = 3  # passes, each placing first the labels the last pass could not place


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, x0 ≤ x1 and y0 ≤ y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def crossed_by(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether the segment from (x0, y0) to (x1, y1) passes through this box.

        Liang & Barsky's clipping: the segment crosses the box when some part
        of its parameter range [0, 1] lies inside all four edges.
        """
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - self.x0),
            (dx, self.x1 - x0),
            (-dy, y0 - self.y0),
            (dy, self.y1 - y0),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """The point of this box nearest to (x, y)."""
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


@dataclass(frozen=True)
class Point:
    """A marker to label: its centre, radius and label."""

    x: float
    y: float
    radius: float
    label: str
    bold: bool = False
    priority: int = 0  # labels with a higher priority are placed first


@dataclass(frozen=True)
class Placement:
    """Where a label goes: its text position (vertical middle at y), anchor and box."""

    x: float
    y: float
    anchor: str
    box: Box
    leader: tuple[float, float, float, float] | None


_NEAR = [0.0, 180.0, -45.0, 45.0, 135.0, -135.0, -90.0, 90.0]
_FAR = [a * 22.5 for a in range(16)]


def place_labels(
    points: Sequence[Point],
    bounds: Box,
    obstacles: Sequence[Box] = (),
    size: float = 12.0,
    reach: float = 110.0,
    lines: Sequence[Box] = (),
    crossing: bool = False,
) -> list[Placement | None]:
    """A placement for each point's label (None where no free spot lies within `reach`).

    Labels avoid the points, each other, `obstacles` and `lines`; leader
    lines may cross `lines` (other lines) but nothing else, unless
    `crossing`: then a leader may pass other labels and points too (the last
    resort in a pile of points, where a label must still be drawn).
    """
    fixed: list[Box] = list(obstacles)
    fixed.extend(
        Box(p.x - p.radius, p.y - p.radius, p.x + p.radius, p.y + p.radius) for p in points
    )
    order = sorted(
        range(len(points)), key=lambda i: (-points[i].priority, -_crowding(points, i), i)
    )
    best: list[Placement | None] = []
    for _ in range(RETRIES):
        placements = _place_in_order(points, order, fixed, bounds, lines, size, reach, crossing)
        missed = [i for i in order if placements[i] is None]
        if not best or len(missed) < sum(p is None for p in best):
            best = placements
        if not missed:
            break
        # Try again with the labels that found no room placed first (after
        # any with a higher priority).
        order = sorted(order, key=lambda i: (-points[i].priority, placements[i] is not None))
    return best


def _place_in_order(
    points: Sequence[Point],
    order: list[int],
    fixed: list[Box],
    bounds: Box,
    lines: Sequence[Box],
    size: float,
    reach: float,
    crossing: bool,
) -> list[Placement | None]:
    taken = list(fixed)
    placements: list[Placement | None] = [None] * len(points)
    for index in order:
        point = points[index]
        width = text_width(point.label, size, point.bold)
        height = size * LINE_HEIGHT
        found = _search(point, width, height, bounds, taken, lines, reach, crossing)
        if found is not None:
            placements[index] = found
            taken.append(found.box)
    return placements


def _crowding(points: Sequence[Point], index: int, radius: float = 40.0) -> int:
    here = points[index]
    return sum(
        1
        for i, other in enumerate(points)
        if i != index and math.hypot(other.x - here.x, other.y - here.y) < radius
    )


def _search(
    point: Point,
    width: float,
    height: float,
    bounds: Box,
    taken: list[Box],
    lines: Sequence[Box],
    reach: float,
    crossing: bool = False,
) -> Placement | None:
    distance = point.radius + 3
    first = True
    while distance <= reach:
        for degrees in _NEAR if first else _FAR:
            candidate = _candidate(point, degrees, distance, width, height, first)
            if not candidate.box.inside(bounds):
                continue
            if any(candidate.box.overlaps(box, 1.0) for box in taken) or any(
                candidate.box.overlaps(box) for box in lines
            ):
                continue
            if (
                not crossing
                and candidate.leader is not None
                and any(
                    box.crossed_by(*candidate.leader)
                    for box in taken
                    if not box.contains(point.x, point.y)
                )
            ):
                continue
            return candidate
        distance += 4 if first else 7
        first = False
    return None


def _candidate(
    point: Point, degrees: float, distance: float, width: float, height: float, near: bool
) -> Placement:
    angle = math.radians(degrees)
    dx, dy = math.cos(angle), math.sin(angle)
    ax, ay = point.x + dx * distance, point.y + dy * distance
    if dx > 0.3:
        anchor, x0 = "start", ax
    elif dx < -0.3:
        anchor, x0 = "end", ax - width
    else:
        anchor, x0 = "middle", ax - width / 2
    if dy > 0.3:
        y0 = ay
    elif dy < -0.3:
        y0 = ay - height
    else:
        y0 = ay - height / 2
    box = Box(x0, y0, x0 + width, y0 + height)
    text_x = {"start": box.x0, "end": box.x1, "middle": (box.x0 + box.x1) / 2}[anchor]
    leader = None
    if not near:
        nx, ny = box.nearest(point.x, point.y)
        length = math.hypot(nx - point.x, ny - point.y)
        if length > point.radius + 2:
            ux, uy = (nx - point.x) / length, (ny - point.y) / length
            leader = (point.x + ux * (point.radius + 1), point.y + uy * (point.radius + 1), nx, ny)
    return Placement(text_x, (box.y0 + box.y1) / 2, anchor, box, leader)
