"""The partnership's path across rounds on the map of momentum against pull.

One point per closed round, joined in order by arrows, on the same four zones
as the position map. Each point is numbered and labelled with its round, so
the path reads without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from joinedup.analysis.vocabulary import MOMENTUM, POSITIONS, PULL, PULL_SHORT

from ..reading import ZONE_NAMES
from . import svg
from .figures import Chart, Table, whole
from .palette import ZONE_FILL

WIDTH, HEIGHT = 640.0, 440.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 24.0, 20.0, 56.0
ZONES = (
    # code, x from, x to, y from, y to (momentum and strain, 0-100)
    ("holding_pattern", 0, 50, 0, 50),
    ("tipping_point", 50, 100, 0, 50),
    ("breaking_point", 0, 50, 50, 100),
    ("tipping_and_breaking", 50, 100, 50, 100),
)


def _range(values: Sequence[float]) -> tuple[float, float]:
    """A view around 50 that holds every point, in steps of 10."""
    low = min([*values, 40.0])
    high = max([*values, 60.0])
    reach = max(50 - low, high - 50)
    reach = min(50.0, 10.0 * (int(reach // 10) + 1))
    return 50 - reach, 50 + reach


def position_path(rounds: Sequence[tuple[str, dict[str, Any]]]) -> Chart:
    """Chart the partnership's momentum and pull to breaking point in each round, in order.

    `rounds` holds (label, result) pairs, oldest first; rounds without a
    position (no results) are listed in the table but not plotted.
    """
    plotted = [
        (label, result["partnership"]["momentum"], result["partnership"]["strain"])
        for label, result in rounds
        if result["partnership"].get("momentum") is not None
        and result["partnership"].get("strain") is not None
    ]
    rows = tuple(
        (
            label,
            whole(result["partnership"].get("momentum")),
            whole(result["partnership"].get("strain")),
            POSITIONS.get(result["partnership"].get("position") or "", "No results"),
        )
        for label, result in rounds
    )
    table = Table(
        f"The partnership in each round: momentum and {PULL.lower()}, 0 to 100",
        ("Round", "Momentum", PULL_SHORT, "Position"),
        rows,
        (False, True, True, False),
    )
    title = "The partnership's path, round by round"
    if not plotted:
        description = "No round has results yet, so there is no path to show."
        body = svg.text(WIDTH / 2, HEIGHT / 2, "No closed round with results yet", anchor="middle")
        return Chart("position-path", title, description,
                     svg.document("position-path", title, description, WIDTH, HEIGHT, body),
                     table)  # fmt: skip
    low_x, high_x = _range([m for _, m, _ in plotted])
    low_y, high_y = _range([s for _, _, s in plotted])

    def px(value: float) -> float:
        return LEFT + (value - low_x) / (high_x - low_x) * (WIDTH - LEFT - RIGHT)

    def py(value: float) -> float:
        return TOP + (high_y - value) / (high_y - low_y) * (HEIGHT - TOP - BOTTOM)

    parts = []
    for code, x0, x1, y0, y1 in ZONES:
        a, b = max(x0, low_x), min(x1, high_x)
        c, d = max(y0, low_y), min(y1, high_y)
        if a >= b or c >= d:
            continue
        parts.append(svg.rect(px(a), py(d), px(b) - px(a), py(c) - py(d), ZONE_FILL[code]))
        anchor_x = px(a) + 6 if x0 == 0 else px(b) - 6
        anchor_y = py(d) + 14 if y0 == 50 else py(c) - 8
        parts.append(
            svg.text(anchor_x, anchor_y, ZONE_NAMES[code],
                     anchor="start" if x0 == 0 else "end", size=svg.SMALL, weight="bold")
        )  # fmt: skip
    parts.append(svg.line(px(50), py(low_y), px(50), py(high_y), svg.INK, width=1.5))
    parts.append(svg.line(px(low_x), py(50), px(high_x), py(50), svg.INK, width=1.5))
    for tick in range(int(low_x), int(high_x) + 1, 10):
        parts.append(svg.text(px(tick), HEIGHT - BOTTOM + 16, str(tick), anchor="middle",
                              size=svg.SMALL))  # fmt: skip
    for tick in range(int(low_y), int(high_y) + 1, 10):
        parts.append(svg.text(LEFT - 8, py(tick), str(tick), anchor="end", size=svg.SMALL))
    parts.append(
        svg.text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 14, MOMENTUM,
                 anchor="middle", weight="bold")
    )  # fmt: skip
    middle = (TOP + HEIGHT - BOTTOM) / 2
    parts.append(
        svg.text(16, middle, PULL, anchor="middle",
                 weight="bold", rotate=-90)
    )  # fmt: skip
    for (_, m0, s0), (_, m1, s1) in pairwise(plotted):
        parts.append(
            svg.element(
                "line",
                {"x1": svg.num(px(m0)), "y1": svg.num(py(s0)), "x2": svg.num(px(m1)),
                 "y2": svg.num(py(s1)), "stroke": svg.INK, "stroke-width": 2,
                 "marker-end": "url(#position-path-arrow)"},
            )
        )  # fmt: skip
    for number, (label, momentum, strain) in enumerate(plotted, start=1):
        last = number == len(plotted)
        parts.append(
            svg.circle(px(momentum), py(strain), 9 if last else 7, svg.INK if last else "#ffffff",
                       stroke=svg.INK, **{"stroke-width": 2})
        )  # fmt: skip
        parts.append(
            svg.text(px(momentum), py(strain), str(number), anchor="middle", size=svg.SMALL,
                     weight="bold", fill="#ffffff" if last else svg.INK)
        )  # fmt: skip
        parts.append(svg.text(px(momentum) + 13, py(strain) - 12, label, size=svg.SMALL))
    defs = svg.element(
        "marker",
        {"id": "position-path-arrow", "viewBox": "0 0 10 10", "refX": 16, "refY": 5,
         "markerWidth": 7, "markerHeight": 7, "orient": "auto-start-reverse"},
        svg.element("path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": svg.INK}),
    )  # fmt: skip
    first, latest = plotted[0], plotted[-1]
    pull = PULL.lower()
    description = (
        f"The partnership's momentum and {pull} in each of {len(plotted)} rounds with "
        f"results, numbered in order and joined by arrows. From {first[0]} (momentum "
        f"{whole(first[1])}, {pull} {whole(first[2])}) to {latest[0]} (momentum "
        f"{whole(latest[1])}, {pull} {whole(latest[2])}). The lines at 50 divide the map into "
        "the four positions."
    )
    document = svg.document(
        "position-path", title, description, WIDTH, HEIGHT, "".join(parts), defs
    )
    return Chart("position-path", title, description, document, table)
