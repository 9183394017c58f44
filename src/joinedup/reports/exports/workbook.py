"""The Excel workbook of an export: a summary, one sheet per table, and a note on the figures.

Every text cell is made safe (`neutralise`, and no control characters XML
cannot hold) and cut to the length Excel keeps; numbers are stored unrounded
and rounded for display by number formats only.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from joinedup.analysis import numbers as numbers_rule
from joinedup.analysis import vocabulary

from .tables import (
    COUNT,
    SCORE,
    SHARE,
    Coded,
    Column,
    Source,
    Table,
    as_number,
    coded,
    joined,
    neutralise,
    xml_text,
)

XLSX_CELL_LIMIT = 32_767  # the most characters Excel keeps in one cell
MOMENTUM_SCALES = "CASE, TRUST, CONVERSE, RELATE and COMMIT"
STRAIN_SCALES = "STRAIN and SURVIVAL"

BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60
FILTER_BUTTON = 2  # characters the header's filter button covers


def write_workbook(source: Source, tables: Sequence[Table], path_or_buffer: Any) -> None:
    """Write the Summary sheet, a sheet per table, and the About sheet, to a path or file."""
    workbook = Workbook(write_only=True)
    _write_summary(workbook, source)
    for table in tables:
        _write_table(workbook, table)
    _write_about(workbook, source)
    workbook.save(path_or_buffer)


def _xlsx_value(value: Any) -> Any:
    """A cell's value as the workbook stores it: numbers as numbers, text made safe."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Coded):
        return None if value.label is None else _xlsx_text(value.label)
    if isinstance(value, numbers.Real):
        return as_number(value)
    return _xlsx_text(str(value))


def _xlsx_text(text: str) -> str:
    text = neutralise(xml_text(text))
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def _cell(sheet: Any, value: Any, number_format: str | None = None, **style: Any) -> WriteOnlyCell:
    stored = _xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=stored)
    if isinstance(stored, str):
        # openpyxl would store "#N/A" and the like as an error value: text stays text.
        cell.data_type = "s"
    elif stored is not None and number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        if setting is not None:
            setattr(cell, name, setting)
    return cell


def _width(column: Column, values: Iterable[Any]) -> float:
    """A column's width in characters: its widest line, and room for the filter button."""
    if column.width is not None:
        return column.width
    longest = len(column.title) + FILTER_BUTTON
    for value in values:
        stored = _xlsx_value(value)
        if isinstance(stored, str):
            longest = max(longest, *(len(line) for line in stored.split("\n")))
        elif stored is not None:
            longest = max(longest, 8)
    return min(longest + 2, MAX_WIDTH)


def _start_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: list[list[Any]]
) -> Any:
    """A new sheet with its header row frozen and its columns sized to fit."""
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = _width(column, (row[index] for row in rows))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return sheet


def _write_table(workbook: Workbook, table: Table) -> None:
    rows = table.rows()
    sheet = _start_sheet(workbook, table.title, table.columns, rows)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(rows) + 1}"
    sheet.append([_cell(sheet, column.title, font=BOLD) for column in table.columns])
    # Beside wrapped text, every cell of a row reads best from the top; a table
    # without any (such as the ties) skips the styling, which is slow per cell.
    wrapped = any(column.wrap for column in table.columns)
    alignments = [WRAP if c.wrap else TOP if wrapped else None for c in table.columns]
    for row in rows:
        sheet.append(
            [
                _cell(sheet, value, column.number_format, alignment=alignment)
                for column, alignment, value in zip(table.columns, alignments, row, strict=True)
            ]
        )


SUMMARY_COLUMNS = [
    Column("item", "Item", width=42),
    Column("value", "Value", width=60, wrap=True),
    Column("note", "What it means", width=80, wrap=True),
]


@dataclass(frozen=True)
class _Line:
    """One line of the Summary sheet; a heading has an item alone, in bold."""

    item: str
    value: Any = None
    number_format: str | None = None
    note: str | None = None
    heading: bool = False


def _summary_lines(source: Source) -> list[_Line]:
    result, partnership = source.result, source.partnership
    k = source.k
    position = partnership.get("position")
    lines = [
        _Line("Partnership", heading=True),
        *([_Line("Name", source.title)] if source.title else []),
        _Line("Round", result.get("round") or "(not labelled)"),
        _Line("Respondents", as_number(result.get("respondents")), COUNT, "Everyone who answered."),
    ]
    if partnership.get("reason") == "too_few_respondents" or not source.units:
        lines.append(
            _Line(
                "Results",
                f"No results: fewer than {k} respondents took part in all, so no figure can be "
                "shown without risking identifying them.",
                note="The relationship network follows its own rule and may still be shown.",
            )
        )
    else:
        lines += [
            _Line(
                "Position",
                coded(position, vocabulary.POSITIONS),
                note=vocabulary.POSITION_SENTENCES.get(position or ""),
            ),
            _Line(
                f"{vocabulary.MOMENTUM} (0-100)",
                as_number(partnership.get("momentum")),
                SCORE,
                f"Towards a tipping point: the mean of {MOMENTUM_SCALES}. 50 or more is high.",
            ),
            _Line(
                f"{vocabulary.PULL} (0-100)",
                as_number(partnership.get("strain")),
                SCORE,
                f"The mean of {STRAIN_SCALES}. 50 or more is high.",
            ),
            _Line(
                "Alignment",
                coded(partnership.get("alignment"), vocabulary.ALIGNMENTS),
                note="The case for collaboration (CASE) against readiness to change (CHANGE).",
            ),
        ]
    if source.trend is not None:
        compared = source.trend.get("partnership") or {}
        lines += [
            _Line("Trend", heading=True),
            _Line("Compared with", source.trend.get("previous_round") or "the previous round"),
            _Line(
                "Position then",
                coded((compared.get("position") or {}).get("previous"), vocabulary.POSITIONS),
            ),
            _Line(
                "Change in momentum",
                as_number((compared.get("momentum") or {}).get("change")),
                SCORE,
                "This round minus the previous one. As printed (from rounded ends): "
                + (
                    numbers_rule.change_text(
                        (compared.get("momentum") or {}).get("previous"),
                        partnership.get("momentum"),
                    )
                ),
            ),
            _Line(
                "Change in the pull towards a breaking point",
                as_number((compared.get("strain") or {}).get("change")),
                SCORE,
                "This round minus the previous one. As printed (from rounded ends): "
                + (
                    numbers_rule.change_text(
                        (compared.get("strain") or {}).get("previous"), partnership.get("strain")
                    )
                ),
            ),
        ]
    lines += [
        _Line("Reporting units", heading=True),
        _Line(
            "Units reported",
            len(source.units),
            COUNT,
            f"Each organisation with at least {k} respondents is its own unit.",
        ),
    ]
    for unit in source.units:
        if unit.get("combined"):
            lines.append(
                _Line(
                    f"Combined as \u201c{unit.get('name')}\u201d",
                    joined(unit.get("organisations") or []),
                    note=f"Organisations with fewer than {k} respondents are reported together, "
                    "never on their own.",
                )
            )
    for role in source.roles:
        if role.get("combined"):
            roles = source.role_list(role.get("roles") or [])
            lines.append(_Line(f"Combined as \u201c{role.get('name')}\u201d", roles))
    notes = {
        "min_group_size": "Fewest respondents for a figure to be shown (k).",
        "min_tie_raters": "Fewest raters for a tie's trust and value to be shown (at least 2), "
        "and only from an organisation reported on its own.",
        "min_text_group_size": "Fewest answers for a free-text question to be shown.",
    }
    lines.append(_Line("Settings", heading=True))
    for key, value in (result.get("settings") or {}).items():
        lines.append(_Line(str(key), as_number(value), COUNT, notes.get(str(key))))
    network = source.network
    lines += [
        _Line("Relationship network", heading=True),
        _Line("Organisations", len(network.get("organisations") or []), COUNT),
        _Line("Ties", len(network.get("ties") or []), COUNT, "Directed: A says it works with B."),
        _Line("Density", as_number(network.get("density")), SHARE, "Share of possible ties."),
        _Line("Reciprocity", as_number(network.get("reciprocity")), SHARE,
              "Share of ties returned."),
        _Line("Centralisation", as_number(network.get("centralisation")), SHARE,
              "0 when every organisation is as connected as the rest; 1 for a star."),
        _Line("Mean trust (0-100)", as_number(network.get("mean_trust")), SCORE,
              "Over the shown ties."),
        _Line("Mean value (0-100)", as_number(network.get("mean_value")), SCORE,
              "Over the shown ties."),
        _Line("See the About sheet for what each figure means.", heading=True),
    ]  # fmt: skip
    return lines


def _write_summary(workbook: Workbook, source: Source) -> None:
    lines = _summary_lines(source)
    sheet = _start_sheet(workbook, "Summary", SUMMARY_COLUMNS, [[None] * 3 for _ in lines])
    sheet.append([_cell(sheet, column.title, font=BOLD) for column in SUMMARY_COLUMNS])
    for line in lines:
        sheet.append(
            [
                _cell(sheet, line.item, font=BOLD if line.heading else None, alignment=TOP),
                _cell(sheet, line.value, line.number_format, alignment=WRAP),
                _cell(sheet, line.note, alignment=WRAP),
            ]
        )


def _about(source: Source) -> list[str]:
    k = source.k
    return [
        "What the figures mean",
        "Scores run from 0 to 100: the mean answer on a scale's statements, where 1 (strongly "
        "disagree) is 0 and 5 (strongly agree) is 100. Reverse-worded statements are turned "
        "round first.",
        "For STRAIN and SURVIVAL a higher score is worse; for every other scale a higher score "
        "is better. Bands read the favourable score (100 minus the score for STRAIN and "
        "SURVIVAL): strength at 75 or more, developing at 50 or more, concern below 50.",
        f"A unit is an organisation with at least {k} respondents. Organisations with fewer are "
        "combined into \u201cOther organisations\u201d so no one can be identified; figures "
        "are never shown for a combined organisation on its own. A figure answered by fewer "
        f"than {k} respondents is left blank, with the reason.",
        "The partnership score is the mean of the unit scores, each organisation counting the "
        "same (one organisation, one voice). The 95% interval is a t-interval; with few units "
        "it is wide and can run past 0 or 100. n is the respondents behind a score; n_units "
        "the units.",
        f"Momentum (towards a tipping point) is the mean of {MOMENTUM_SCALES}; strain "
        f"(towards a breaking point) the mean of {STRAIN_SCALES}. Momentum of 50 or more with "
        "strain below 50 is a tipping point; both 50 or more, tipping and breaking at once; "
        "strain alone, a breaking point; neither, a holding pattern.",
        "Agreement (rwg) says how far a unit's respondents agree, from 0 to 1; 0.70 or more is "
        "conventionally taken as agreement. Cronbach's alpha says how consistently a scale's "
        "statements were answered (0.70 or more is usual); ICC(1) is the share of differences "
        "between respondents that lies between units, ICC(2) how reliably units' means differ.",
        "Network: trust (reliable, open, shares the purpose) and value (resources, influence, "
        "involvement) are on 0 to 100. A tie A to B exists when someone from A says they work "
        "with B; its trust and value are shown only when enough of A's respondents rated B, "
        "and a tie that is not shown enters no figure. Betweenness (0 to 1) says how often an "
        "organisation lies on the shortest path between two others.",
        "Flags: one-sided trust when trust each way differs by 25 or more; low trust both ways "
        "when both are below 50; not connected when an organisation has no tie at all. A "
        "perception gap is an organisation's own COMMIT score minus the value partners see in "
        "it, flagged at 20 or more either way.",
        "Trend: change since the previous round, and p from Welch's t-test on respondents' "
        "scores; significant when p is below 0.05. Units are compared only when they are the "
        "same organisations both times.",
        "Free text is shown only for the whole partnership, never by organisation, only when "
        "enough people answered, with e-mail addresses, phone numbers and links removed.",
        "Numbers are stored unrounded; the sheets round them for display only. Text that a "
        "spreadsheet could take for a formula (beginning with =, +, -, or @) is shown with a "
        "leading apostrophe.",
    ]


def _write_about(workbook: Workbook, source: Source) -> None:
    columns = [Column("about", "About", width=110, wrap=True)]
    paragraphs = _about(source)
    sheet = _start_sheet(workbook, "About", columns, [[p] for p in paragraphs])
    sheet.append([_cell(sheet, paragraphs[0], font=HEADING)])
    for paragraph in paragraphs[1:]:
        sheet.append([_cell(sheet, paragraph, alignment=WRAP)])
