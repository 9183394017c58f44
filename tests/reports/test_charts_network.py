"""The network map: a deterministic circle, sectors told apart without colour, flags marked."""

from __future__ import annotations

import copy
import math

from joinedup.reports import network_map
from joinedup.reports.charts.network_layout import circular_layout
from tests.reports import support


def lines(chart):
    return list(support.parse(chart).iter(f"{support.SVG}line"))


def test_the_same_result_gives_byte_identical_svg(northshire, sectors):
    assert network_map(northshire, sectors).svg == network_map(northshire, dict(sectors)).svg


def test_layout_orders_by_sector_then_name_from_the_top():
    sectors = {
        "B Police": "police",
        "A Council": "local_government",
        "C Council": "local_government",
    }
    angles = circular_layout(list(sectors), sectors, ["local_government", "police"])
    assert sorted(angles, key=angles.get) == ["A Council", "C Council", "B Police"]
    assert math.isclose(angles["A Council"], -math.pi / 2)


def test_sectors_have_a_letter_and_a_legend(northshire, sectors):
    chart = network_map(northshire, sectors)
    drawn = support.texts(chart)
    for label in ["Local government", "Health and care", "Police", "Schools and colleges"]:
        assert label in drawn
    assert drawn.count("E") >= 3  # three education organisations, and the legend
    row = support.table_row(chart, "Northshire Police")
    assert row["Sector"] == "Police"


def test_without_sectors_there_is_no_sector_legend(northshire):
    chart = network_map(northshire)
    assert "Local government" not in support.texts(chart)
    assert "grouped and coloured by sector" not in chart.description


def test_every_node_has_its_full_name_as_a_tooltip(northshire, sectors):
    chart = network_map(northshire, sectors)
    tips = ["".join(t.itertext()) for t in support.parse(chart).iter(f"{support.SVG}title")]
    for name in northshire["network"]["organisations"]:
        assert any(tip.startswith(f"{name}: trust received") for tip in tips)


def test_flagged_pairs_are_heavy_dashed_lines_with_a_symbol(northshire, sectors):
    chart = network_map(northshire, sectors)
    flags = [f for f in northshire["network"]["flags"] if f["type"] != "isolate"]
    heavy = [ln for ln in lines(chart) if ln.get("stroke") == "#882255"]
    in_map = [ln for ln in heavy if float(ln.get("stroke-width")) == 3]
    assert len(in_map) >= len(flags)
    assert all(ln.get("stroke-dasharray") for ln in in_map)
    drawn = support.texts(chart)
    assert drawn.count("≠") >= sum(f["type"] == "asymmetric" for f in flags)
    pairs = {row[0] for row in chart.extra_tables[0].rows}
    assert pairs == {f"{f['a']} and {f['b']}" for f in flags}


def test_hidden_ties_are_thin_grey_dashes_with_no_value(northshire):
    hidden = copy.deepcopy(northshire)
    own = {u["name"] for u in hidden["units"] if not u["combined"]}
    shown = [t for t in hidden["network"]["ties"] if t["shown"] and t["trust"] is not None]
    assert all(t["from"] in own for t in shown)
    already = len(hidden["network"]["ties"]) - len(shown)
    for tie in shown[:5]:
        tie.update(shown=False, trust=None, value=None)
    chart = network_map(hidden)
    dashed = [ln for ln in lines(chart) if ln.get("stroke") == "#9a9a9a"]
    assert len(dashed) == already + 5 + 1  # one half-line per hidden tie, and the legend's sample
    assert all(ln.get("stroke-dasharray") == "3 3" for ln in dashed)
    merged_out = sum(1 for t in hidden["network"]["ties"] if t["from"] not in own)
    few = already + 5 - merged_out
    assert f"{few} ties with too few raters for figures" in chart.description
    tie_rows = chart.extra_tables[-1].rows
    assert sum(row[1] == "not shown" for row in tie_rows) == already + 5


def test_a_merged_organisations_ties_are_drawn_without_its_view(small):
    # Delta, Epsilon and Gamma are merged: each rated every partner (Gamma with
    # five raters), yet none of their half-lines carries a trust colour, their
    # rows in the tie table say "not shown", and they have no trust given.
    chart = network_map(small)
    assert "ties from organisations reported together as" in chart.description
    for name in support.MERGED:
        rows = [row for row in chart.extra_tables[-1].rows if row[0].startswith(f"{name} →")]
        assert rows and all(row[1:] == ("not shown", "not shown") for row in rows)
        member = support.table_row(chart, name)
        assert member["Trust given"] == member["Value given"] == "–"
        assert member["Trust received"] != "–"  # from own units' shown ties: may be named


def test_each_half_line_shows_its_raters_trust(small):
    chart = network_map(small)
    ties = {(t["from"], t["to"]): t for t in small["network"]["ties"]}
    colours = {ln.get("stroke") for ln in lines(chart)}
    assert colours & {"#0072b2", "#8c8c8c", "#d55e00"}
    # one coloured half-line per shown tie that is not part of a flagged pair
    flagged = {tuple(sorted((f["a"], f["b"]))) for f in small["network"]["flags"] if "a" in f}
    halves = sum(
        1
        for (a, b), t in ties.items()
        if t["shown"] and t["trust"] is not None and tuple(sorted((a, b))) not in flagged
    )
    assert halves > 0
    drawn = [ln for ln in lines(chart) if ln.get("stroke-opacity")]
    assert len(drawn) == halves + 3  # and three legend samples


def test_a_dense_network_fades_ordinary_ties_and_drops_flag_symbols(northshire):
    dense = copy.deepcopy(northshire)
    names = [f"Organisation {i:02d}" for i in range(40)]
    dense["network"]["organisations"] = names
    # Each its own reporting unit, so that its view of partners may be shown.
    dense["units"] = [
        {"name": n, "organisations": [n], "combined": False, "n": 5, "scales": {}} for n in names
    ]
    dense["network"]["members"] = [
        {"organisation": n, "trust_received": 60.0, "degree": 39} for n in names
    ]
    dense["network"]["ties"] = [
        {"from": a, "to": b, "raters": 2, "shown": True, "trust": 80.0, "value": 50.0}
        for a in names
        for b in names
        if a != b
    ]
    dense["network"]["flags"] = [
        {"type": "asymmetric", "a": names[i], "b": names[i + 1], "gap": 30.0} for i in range(20)
    ]
    chart = network_map(dense)
    blue = [ln for ln in lines(chart) if ln.get("stroke") == "#0072b2"]
    assert {ln.get("stroke-opacity") for ln in blue} == {"0.4"}
    assert "≠" not in support.texts(chart)
    assert chart.extra_tables[0].rows  # the flagged pairs are still listed
    assert len(chart.extra_tables) == 1  # 1,560 ties are too many to list one by one
