"""Exports of a `joinedup.analysis/1` result for analysts: Excel, tidy CSV and GraphML.

Everything here is rendered from the result alone, never from raw responses,
so nothing the analysis core suppressed can reach a file:

- scale figures exist only for the reporting units of the result (SPEC §3.5):
  an organisation merged into "Other organisations" is named in that unit's
  list of organisations, never given a figure of its own;
- free text is exported only where the result marks it shown (SPEC §5);
- a tie's trust and value only where the tie is shown (SPEC §4.4), and
  never a merged organisation's view of a partner (its tie ratings, raters,
  trust given or value given: SPEC §3.5). The network names every
  organisation; what a merged one receives from shown ties may be named.

Every text cell of a workbook or CSV file that spreadsheet software could
read as a formula (one beginning with =, +, -, @, a tab or a carriage
return, after OWASP's guidance on CSV injection) gets a leading apostrophe.
Organisation names come from users and free text from respondents, so this
applies to every text cell; numbers are written as numbers and never touched.

Numbers are never rounded: a workbook holds them to 16 significant digits
(more than the 15 Excel keeps) and rounds them for display with number
formats only; CSV files write them exactly as the result has them.

    to_xlsx        one workbook: a summary, every table, and a note on the figures
    to_csv         tidy CSV files (UTF-8 with a byte-order mark) in a folder
    to_csv_zip     the same files packed in a zip, for web downloads
    to_graphml     the relationship network as GraphML (network_graph: as networkx)

What each table holds is in `tables`; how the workbook is laid out, in
`workbook`.
"""

from __future__ import annotations

import csv
import io
import numbers
import zipfile
from pathlib import Path
from typing import IO, Any

import networkx as nx

from .tables import (
    NETWORK_FIGURES,
    Coded,
    Column,
    Source,
    Table,
    as_float,
    as_int,
    flags_table,
    groups_table,
    members_table,
    neutralise,
    perception_gaps_table,
    positions_table,
    recommendations_table,
    reliability_table,
    scales_table,
    scores_table,
    strengths_table,
    summary_table,
    text_answers_table,
    text_themes_table,
    ties_table,
    trend_table,
    xml_text,
)
from .workbook import write_workbook

__all__ = [
    "Coded",
    "Column",
    "Table",
    "flags_table",
    "groups_table",
    "members_table",
    "network_graph",
    "neutralise",
    "perception_gaps_table",
    "positions_table",
    "recommendations_table",
    "reliability_table",
    "scales_table",
    "scores_table",
    "strengths_table",
    "summary_table",
    "text_answers_table",
    "text_themes_table",
    "ties_table",
    "to_csv",
    "to_csv_zip",
    "to_graphml",
    "to_xlsx",
    "trend_table",
]

MEMBER_FIGURES = ("trust_received", "trust_given", "value_received", "value_given")

PathOrBuffer = str | Path | IO[bytes]


def to_xlsx(
    result: dict[str, Any],
    path_or_buffer: PathOrBuffer,
    sectors: dict[str, str] | None = None,
    title: str | None = None,
) -> None:
    """Write the result as an Excel workbook to a path or a binary file object.

    Sheets: Summary, Scales, Units, Roles, Positions, Reliability, Network
    ties, Members, Flags, Perception gaps, Recommendations, Strengths, Text
    themes, Text answers and About. Each table has a bold, frozen header row
    with a filter; numbers are stored unrounded and rounded for display by
    number formats. `sectors` maps organisation names to sector codes, shown
    for network members; `title` names the partnership on the Summary sheet.
    """
    source = Source.read(result, sectors, title)
    tables = [
        scales_table(source),
        groups_table(source, "unit"),
        groups_table(source, "role"),
        positions_table(source),
        reliability_table(source),
        ties_table(source),
        members_table(source),
        flags_table(source),
        perception_gaps_table(source),
        recommendations_table(source),
        strengths_table(source),
        text_themes_table(source),
        text_answers_table(source),
    ]
    write_workbook(source, tables, path_or_buffer)


def to_csv(
    result: dict[str, Any],
    folder: str | Path,
    sectors: dict[str, str] | None = None,
    title: str | None = None,
) -> list[Path]:
    """Write the result as tidy CSV files in `folder` (created if need be); return their paths.

    Always every file, a header alone when its section is empty:
    summary.csv (measure, value), scores.csv (one row per level, group and
    scale: level, group, combined, scale, score, ci_low, ci_high, n, band,
    rwg, reason), groups.csv (momentum, strain, position and alignment per
    level and group, with a unit's organisations), trend.csv, reliability.csv,
    ties.csv, members.csv, flags.csv, perception_gaps.csv,
    recommendations.csv, text_themes.csv and text_answers.csv. UTF-8 with a
    byte-order mark so Excel reads every character right; codes rather than
    labels; true/false; an empty cell for a missing or suppressed figure; no
    line breaks inside a cell. README.txt describes every file and column.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in _csv_texts(result, sectors, title).items():
        path = target / name
        path.write_bytes(text.encode("utf-8-sig"))
        paths.append(path)
    return paths


def to_csv_zip(
    result: dict[str, Any], sectors: dict[str, str] | None = None, title: str | None = None
) -> bytes:
    """The files of `to_csv`, packed in a zip archive (for a web download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _csv_texts(result, sectors, title).items():
            archive.writestr(name, text.encode("utf-8-sig"))
    return buffer.getvalue()


def network_graph(
    result: dict[str, Any], sectors: dict[str, str] | None = None, title: str | None = None
) -> nx.DiGraph:
    """The relationship network of the result as a directed networkx graph.

    Nodes are the network's organisations, with `label`, `sector` (when
    `sectors` gives one), trust_received, trust_given, value_received,
    value_given, betweenness and degree; an attribute that is null in the
    result is left out. Every existing tie is an edge with `shown`, `raters`
    (except from a merged organisation), and `trust` and `value` on shown
    ties only (SPEC §4.4). The
    graph carries the network figures that are not null, and `title`. Each
    node has `org_code`, the code the CSV files and the workbook use.
    """
    source = Source.read(result, sectors, title)
    network = source.network
    graph = nx.DiGraph(instrument=source.instrument.id)
    if title:
        graph.graph["title"] = xml_text(title)
    if result.get("round") is not None:
        graph.graph["round"] = xml_text(str(result["round"]))
    for key in NETWORK_FIGURES:
        if (figure := as_float(network.get(key))) is not None:
            graph.graph[key] = figure
    members = {str(m.get("organisation")): m for m in network.get("members") or []}
    for name in dict.fromkeys([str(n) for n in network.get("organisations") or []] + [*members]):
        member = members.get(name, {})
        node: dict[str, Any] = {"label": xml_text(name)}
        if (code := source.code(name)) is not None:
            node["org_code"] = code
        if (sector := source.sector(name)) is not None:
            node["sector"] = xml_text(sector)
        for key in (*MEMBER_FIGURES, "betweenness"):
            if (figure := as_float(member.get(key))) is not None:
                node[key] = figure
        if (degree := as_int(member.get("degree"))) is not None:
            node["degree"] = degree
        graph.add_node(xml_text(name), **node)
    for tie in network.get("ties") or []:
        shown = tie.get("shown") is True
        edge: dict[str, Any] = {"shown": shown}
        # A merged organisation's tie carries no raters (see reading.network).
        if (raters := as_int(tie.get("raters"))) is not None:
            edge["raters"] = raters
        for key in ("trust", "value"):
            if shown and (figure := as_float(tie.get(key))) is not None:
                edge[key] = figure
        graph.add_edge(xml_text(str(tie.get("from"))), xml_text(str(tie.get("to"))), **edge)
    return graph


def to_graphml(
    result: dict[str, Any],
    path_or_buffer: PathOrBuffer,
    sectors: dict[str, str] | None = None,
    title: str | None = None,
) -> None:
    """Write the relationship network as GraphML (what it holds: `network_graph`)."""
    nx.write_graphml(network_graph(result, sectors, title), path_or_buffer)


# ----------------------------------------------------------------- CSV


def _csv_texts(
    result: dict[str, Any], sectors: dict[str, str] | None, title: str | None = None
) -> dict[str, str]:
    """Each CSV file's name and text, and README.txt describing them."""
    source = Source.read(result, sectors, title)
    tables = [
        summary_table(source),
        scores_table(source),
        positions_table(source),
        trend_table(source),
        reliability_table(source),
        ties_table(source),
        members_table(source),
        flags_table(source),
        perception_gaps_table(source),
        recommendations_table(source),
        text_themes_table(source),
        text_answers_table(source),
    ]
    texts = {f"{table.name}.csv": _csv_text(table) for table in tables}
    texts["README.txt"] = csv_readme(source, tables)
    return texts


def csv_readme(source: Source, tables: list[Table]) -> str:
    """What each CSV file holds and what each column means, like the workbook's About sheet."""
    lines = [
        f"Joined Up results{f': {one_line(source.title)}' if source.title else ''}",
        "",
        "UTF-8 files with a byte-order mark. Codes rather than labels; true or false; an empty",
        "cell for a figure that is missing or not shown to protect respondents. Numbers are",
        "unrounded; the columns ending in _shown hold the figure as the report prints it.",
        "Organisations are joined across files by their code (org_code, from_code, to_code,",
        "a_code, b_code): a name that begins like a formula is written with a leading",
        "apostrophe, so join on the code, never on the name.",
        "How every figure is worked out: docs/methodology.md, or /method/ on the site.",
        "",
    ]
    for table in tables:
        lines += [f"{table.name}.csv: {table.title}"]
        lines += [f"  {column.key}: {column.title}" for column in table.columns]
        lines.append("")
    return "\n".join(lines)


def one_line(text: str) -> str:
    """Text with every line break and tab made a space, for a CSV cell or a heading."""
    return " ".join(str(text).split())


def _csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in table.columns])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows())
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Coded):
        return "" if value.code is None else neutralise(one_line(value.code))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = as_float(value)
        return "" if number is None else repr(number)
    # A line break inside a cell splits the row in many tools that read CSV.
    return neutralise(one_line(str(value)))
