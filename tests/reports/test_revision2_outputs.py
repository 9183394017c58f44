"""No output names a merged organisation with a figure from its own respondents
(SPEC §3.5, §4.4): not the CSV, XLSX or GraphML exports, the HTML report, or
the network chart's picture and tables.

The attack: a partner lead knows Cedar, a three-person body merged into
"Other organisations", rated Alder. They read every download looking for
Cedar's view of Alder, its trust or value given, or how many of its people
rated. Each output is checked twice: from a revision 2 result, and from a
revision 1 style file that still carries Cedar's view (as `joinedup report`
may be given), which must come out exactly the same.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
import pytest

from joinedup.reports import network_map
from joinedup.reports.exports import to_csv, to_graphml, to_xlsx
from joinedup.reports.report import ReportOptions, render_html
from tests.analysis.test_revision2 import merged_partnership
from tests.reports import support

MERGED = ("Cedar", "Damson")


@pytest.fixture(scope="module")
def honest() -> dict[str, Any]:
    return merged_partnership()


@pytest.fixture(scope="module")
def revision_1(honest: dict[str, Any]) -> dict[str, Any]:
    """The same result as revision 1 published it: merged organisations' views shown."""
    old = copy.deepcopy(honest)
    for tie in old["network"]["ties"]:
        if tie["from"] == "Cedar":
            tie.update(shown=True, trust=100.0, value=0.0)
        if tie["from"] == "Damson":
            tie.update(shown=True, trust=0.0, value=200 / 3)
    for member in old["network"]["members"]:
        if member["organisation"] == "Cedar":
            member.update(trust_given=100.0, value_given=0.0)
        if member["organisation"] == "Damson":
            member.update(trust_given=0.0, value_given=200 / 3)
    old["network"]["flags"] = [
        {"type": "asymmetric", "a": "Alder", "b": "Cedar", "gap": 50.0},
        {"type": "asymmetric", "a": "Birch", "b": "Damson", "gap": 100.0},
    ]
    old["settings"]["min_tie_raters"] = 1
    return old


def csv_files(result: dict[str, Any], folder: Path) -> dict[str, list[dict[str, str]]]:
    files = {}
    for path in to_csv(result, folder):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            files[path.name] = list(csv.DictReader(handle))
    return files


def test_csv_gives_merged_organisations_ties_and_members_no_figure(honest, revision_1, tmp_path):
    for result, folder in ((honest, tmp_path / "new"), (revision_1, tmp_path / "old")):
        files = csv_files(result, folder)
        rows = [r for r in files["ties.csv"] if r["from"] in MERGED]
        assert len(rows) == 2  # the ties exist
        for row in rows:
            assert (row["shown"], row["trust"], row["value"], row["raters"]) == (
                "false",
                "",
                "",
                "",
            )
        members = {r["organisation"]: r for r in files["members.csv"]}
        for name in MERGED:
            assert (members[name]["trust_given"], members[name]["value_given"]) == ("", "")
        assert members["Cedar"]["trust_received"] == "25.0"  # from shown ties: may be named
        for flag in files["flags.csv"]:
            assert flag["a"] not in MERGED and flag["b"] not in MERGED
        assert [r["organisation"] for r in files["perception_gaps.csv"]] == ["Alder", "Birch"]
    old = (tmp_path / "old").iterdir()
    for path in old:
        if path.name != "summary.csv":  # the summary echoes the settings, which differ
            assert path.read_bytes() == (tmp_path / "new" / path.name).read_bytes(), path.name


def workbook_rows(result: dict[str, Any], sheet: str) -> list[dict[str, Any]]:
    buffer = io.BytesIO()
    to_xlsx(result, buffer)
    buffer.seek(0)
    rows = list(openpyxl.load_workbook(buffer)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_gives_merged_organisations_no_figure(honest, revision_1):
    for result in (honest, revision_1):
        ties = [r for r in workbook_rows(result, "Network ties") if r["From"] in MERGED]
        assert [
            (r["Shown"], r["Raters"], r["Trust (0-100)"], r["Value (0-100)"]) for r in ties
        ] == [("no", None, None, None)] * 2
        members = {r["Organisation"]: r for r in workbook_rows(result, "Members")}
        for name in MERGED:
            assert members[name]["Trust given"] is None
            assert members[name]["Value given"] is None
        flags = workbook_rows(result, "Flags")
        assert not any(
            f["Organisation A"] in MERGED or f["Organisation B"] in MERGED for f in flags
        )


def graph(result: dict[str, Any]) -> nx.DiGraph:
    buffer = io.BytesIO()
    to_graphml(result, buffer)
    buffer.seek(0)
    return nx.read_graphml(buffer)


def test_graphml_edges_and_nodes_of_merged_organisations_carry_no_figure(honest, revision_1):
    for result in (honest, revision_1):
        network = graph(result)
        assert network.edges["Cedar", "Alder"] == {"shown": False}
        assert network.edges["Damson", "Birch"] == {"shown": False}
        for name in MERGED:
            assert "trust_given" not in network.nodes[name]
            assert "value_given" not in network.nodes[name]
        assert network.nodes["Cedar"]["trust_received"] == pytest.approx(25.0)
        # An own unit's shown tie keeps its figures.
        assert network.edges["Birch", "Damson"]["trust"] == pytest.approx(100.0)
        assert network.edges["Birch", "Damson"]["raters"] == 3


def test_the_network_chart_draws_merged_ties_without_a_value(honest, revision_1):
    new, old = network_map(honest), network_map(revision_1)
    assert old.svg == new.svg
    assert old.description == new.description
    assert old.tables == new.tables
    ties = {row[0]: row for row in new.extra_tables[-1].rows}
    assert ties["Cedar → Alder"][1:] == ("not shown", "not shown")
    assert ties["Damson → Birch"][1:] == ("not shown", "not shown")
    for name in MERGED:
        row = support.table_row(new, name)
        assert (row["Trust given"], row["Value given"]) == ("–", "–")
    assert "2 ties from organisations reported together" in new.description
    # The node's hover text says it gives nothing.
    details = re.search(r'data-details="(Cedar\.[^"]*)"', new.svg)
    assert details is not None and "given none" in details.group(1)


def test_the_html_report_names_no_merged_organisations_view(honest, revision_1):
    options = ReportOptions(partnership="Test partnership")
    new = render_html(honest, options)
    # The same settings, so that only the merged organisations' views differ.
    old = revision_1 | {"settings": honest["settings"]}
    assert render_html(old, options) == new
    for name in MERGED:
        for row in re.findall(rf"<tr[^>]*>(?:(?!</tr>).)*{name} →(?:(?!</tr>).)*</tr>", new, re.S):
            assert row.count("not shown") == 2, row
    assert "One-sided trust" not in new
    # Its own privacy paragraph says what revision 2 does.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", new))
    assert "only when at least 3 of its people gave it" in text
    assert (
        'The view of partners of an organisation combined into "Other organisations" is never '
        "shown" in text
    )
    assert "at least 3 people of an organisation that is reported on its own" in text
