"""Pledged against delivered, by organisation: one chart for each kind of commitment.

Each organisation has two bars on the same scale: an outlined bar for what it
pledged and a filled bar for what it has delivered, with both figures written
beside them, so the chart reads without colour. A shortfall is marked in
words as well as by the gap between the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import svg
from .figures import Chart, Table
from .palette import BLUE

WIDTH = 640.0
LABEL_WIDTH = 210.0
FIGURE_ROOM = 150.0
ROW = 46.0
TOP = 16.0


@dataclass(frozen=True)
class LedgerRow:
    organisation: str
    pledged: float
    delivered: float
    shortfall: bool


def _figure(value: float, unit: str) -> str:
    if unit == "£":
        return f"£{value:,.0f}"
    text = f"{value:,.1f}".removesuffix(".0")
    return f"{text} {unit}".strip()


def pledged_against_delivered(
    kind: str, kind_label: str, unit: str, rows: Sequence[LedgerRow]
) -> Chart:
    """The chart for one kind of commitment (money, people, assets, data, other)."""
    chart_id = f"ledger-{kind}"
    title = f"{kind_label}: pledged against delivered"
    table = Table(
        f"{kind_label} pledged and delivered, by organisation",
        ("Organisation", "Pledged", "Delivered", "Shortfall flagged"),
        tuple(
            (
                r.organisation,
                _figure(r.pledged, unit),
                _figure(r.delivered, unit),
                "Yes" if r.shortfall else "No",
            )
            for r in rows
        ),
        (False, True, True, False),
    )
    if not rows:
        description = f"No organisation has pledged {kind_label.lower()} yet."
        body = svg.text(WIDTH / 2, 40, "Nothing pledged yet", anchor="middle")
        return Chart(
            chart_id,
            title,
            description,
            svg.document(chart_id, title, description, WIDTH, 80, body),
            table,
        )
    most = max(max(r.pledged, r.delivered) for r in rows) or 1.0
    bar_room = WIDTH - LABEL_WIDTH - FIGURE_ROOM
    height = TOP + ROW * len(rows) + 40
    parts = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        parts.append(
            svg.text(
                LABEL_WIDTH - 10,
                y + 16,
                svg.shorten(row.organisation, LABEL_WIDTH - 16),
                anchor="end",
                weight="bold" if row.shortfall else None,
            )
        )
        pledged_width = bar_room * row.pledged / most
        delivered_width = bar_room * row.delivered / most
        parts.append(
            svg.rect(
                LABEL_WIDTH,
                y + 4,
                pledged_width,
                12,
                "#ffffff",
                stroke=svg.INK,
                **{"stroke-width": 1.5},
            )
        )
        parts.append(svg.rect(LABEL_WIDTH, y + 20, delivered_width, 12, BLUE))
        parts.append(
            svg.text(
                LABEL_WIDTH + pledged_width + 6,
                y + 10,
                f"pledged {_figure(row.pledged, unit)}",
                size=svg.SMALL,
            )
        )
        note = " – shortfall" if row.shortfall else ""
        parts.append(
            svg.text(
                LABEL_WIDTH + delivered_width + 6,
                y + 26,
                f"delivered {_figure(row.delivered, unit)}{note}",
                size=svg.SMALL,
                weight="bold" if row.shortfall else None,
            )
        )
    key_y = height - 18
    parts.append(
        svg.rect(LABEL_WIDTH, key_y - 6, 18, 12, "#ffffff", stroke=svg.INK, **{"stroke-width": 1.5})
    )
    parts.append(svg.text(LABEL_WIDTH + 24, key_y, "Pledged", size=svg.SMALL))
    parts.append(svg.rect(LABEL_WIDTH + 100, key_y - 6, 18, 12, BLUE))
    parts.append(svg.text(LABEL_WIDTH + 124, key_y, "Delivered", size=svg.SMALL))
    short = [r.organisation for r in rows if r.shortfall]
    description = (
        f"For each of {len(rows)} organisations, the {kind_label.lower()} pledged (outlined bar) "
        "and delivered (filled bar). "
        + (f"Shortfalls flagged: {', '.join(short)}." if short else "No shortfall is flagged.")
    )
    document = svg.document(chart_id, title, description, WIDTH, height, "".join(parts))
    return Chart(chart_id, title, description, document, table)
