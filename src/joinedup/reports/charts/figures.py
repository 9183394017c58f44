"""What a chart is (`Chart`, `Table`), how its figures are written, and its HTML figure.

A chart is four things a reader can use in any medium: a title, a plain-English
description (its text alternative, which also states the main message), an
inline SVG, and a table of every figure plotted. Numbers in tables and labels
are rounded for reading (scores to whole numbers, betweenness as a percentage to
three significant figures);
the result document keeps the unrounded figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from joinedup.analysis import numbers

from .svg import escape

MINUS = numbers.MINUS
NO_FIGURE = numbers.NO_FIGURE


@dataclass(frozen=True)
class Table:
    """The figures behind a chart: a caption, column headers and rows of display text.

    `numeric` marks the columns that hold numbers (right-aligned when shown).
    """

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Chart:
    """One chart, ready for a web page or a printed report.

    `svg` is a complete inline <svg> (role="img", labelled by its own <title>
    and <desc>); `description` is the same text alternative for use beside it;
    `table` holds the figures plotted; `extra_tables` holds any further
    figures a reader may need (such as the network's flagged pairs).
    """

    id: str
    title: str
    description: str
    svg: str
    table: Table
    extra_tables: tuple[Table, ...] = field(default=())

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.table, *self.extra_tables)


# --------------------------------------------------------------- numbers


# The rule for writing numbers is `joinedup.analysis.numbers`, shared with the
# pages and exports; these names are kept for the charts that use them.
present = numbers.present
rounded = numbers.rounded


def whole(value: Any, missing: str = NO_FIGURE) -> str:
    """A score as a whole number ("68"), or `missing`."""
    return numbers.shown(value, 0, missing)


def places(value: Any, digits: int = 2, missing: str = NO_FIGURE) -> str:
    """A number to `digits` decimal places ("0.13"), or `missing`."""
    return numbers.shown(value, digits, missing)


def share(value: Any, missing: str = NO_FIGURE) -> str:
    """A proportion (0 to 1) as a percentage to three significant figures ("0.136%").

    Betweenness in a dense partnership is a small share of shortest paths for
    every organisation; two decimal places showed 0.00 for all of them.
    """
    if not present(value):
        return missing
    percent = float(value) * 100
    if percent == 0:
        return "0%"
    digits = max(0, 2 - math.floor(math.log10(abs(percent))))
    return f"{rounded(percent, digits):.{digits}f}%"


def signed(value: Any, missing: str = NO_FIGURE, digits: int = 0) -> str:
    """A change or gap with its sign ("+23", "−17", "0"), whole unless `digits` is given."""
    return numbers.signed(value, digits, missing)


def interval(low: Any, high: Any) -> str:
    """An interval for a table: "52 to 60"."""
    if not (present(low) and present(high)):
        return NO_FIGURE
    return f"{whole(low)} to {whole(high)}"


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 unit", "3 units"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def listing(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# ------------------------------------------------------------------- HTML


def figure_html(
    chart: Chart, heading_level: int = 3, links: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """The chart as an HTML <figure>: heading, SVG, description and tables.

    Tables use GOV.UK Frontend's classes, so they look right on the site and
    read as plain tables in print. `links` turns the row names of the first
    table into links: row name -> (address, words a screen reader adds to the
    name, so the link says where it goes out of context too).
    """
    heading = f"h{min(max(heading_level, 2), 6)}"
    # On a narrow screen the chart keeps a legible size and scrolls sideways
    # inside this region (charts are exempt from reflow, the page is not); it
    # is focusable so that keyboard users can scroll it too.
    picture = (
        f'<div class="ju-chart__picture" role="region" tabindex="0" '
        f'aria-label="{escape(chart.title)}: chart, scrolls sideways on a small screen">'
        f"{chart.svg}</div>"
    )
    parts = [
        f'<figure class="ju-chart" id="{escape(chart.id)}">',
        f'<{heading} class="govuk-heading-m">{escape(chart.title)}</{heading}>',
        picture,
        f'<p class="govuk-body ju-chart__description">{escape(chart.description)}</p>',
    ]
    parts.extend(
        table_html(table, links if number == 0 else None)
        for number, table in enumerate(chart.tables)
    )
    parts.append("</figure>")
    return "\n".join(parts)


def table_html(table: Table, links: Mapping[str, tuple[str, str]] | None = None) -> str:
    """One table as GOV.UK-styled HTML, numbers right-aligned, row names linked if asked."""
    numeric = table.numeric or tuple(False for _ in table.headers)

    def cell_class(kind: str, column: int) -> str:
        extra = (
            f" govuk-table__{kind}--numeric" if column < len(numeric) and numeric[column] else ""
        )
        return f"govuk-table__{kind}{extra}"

    head = "".join(
        f'<th scope="col" class="{cell_class("header", i)}">{escape(h)}</th>'
        for i, h in enumerate(table.headers)
    )

    def row_name(name: str) -> str:
        if not links or name not in links:
            return escape(name)
        href, hidden = links[name]
        return (
            f'<a class="govuk-link" href="{escape(href)}">{escape(name)}'
            f'<span class="govuk-visually-hidden"> {escape(hidden)}</span></a>'
        )

    body = []
    for row in table.rows:
        cells = [
            f'<th scope="row" class="govuk-table__header">{row_name(row[0])}</th>'
            if i == 0
            else f'<td class="{cell_class("cell", i)}">{escape(value)}</td>'
            for i, value in enumerate(row)
        ]
        body.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    # A table of figures (names, then only numbers) can be laid out from its
    # first row; the class lets print styles do that, which is much quicker.
    figures_only = len(numeric) >= 5 and all(numeric[1:])
    classes = "govuk-table ju-table--figures" if figures_only else "govuk-table"
    return (
        f'<table class="{classes}">'
        f'<caption class="govuk-table__caption govuk-table__caption--s">{escape(table.caption)}'
        "</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(body)}</tbody></table>'
    )
