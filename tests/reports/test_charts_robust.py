"""Charts of empty, tiny and hostile results still render, and say so when there is nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from joinedup.reports import all_charts, network_map, position_map, unit_heatmap
from tests.reports import support


def assert_all_render(result: dict[str, Any]) -> list[str]:
    """Every chart renders as an accessible SVG; returns the ids of "no figures" charts."""
    empty = []
    for chart in all_charts(result):
        support.assert_accessible_svg(chart)
        if "No figures to show" in chart.description:
            assert any("No figures to show" in t for t in support.texts(chart))
            empty.append(chart.id)
    return empty


def test_no_results_at_all_says_so_on_every_chart():
    result = support.no_results()
    assert result["units"] == []
    empty = assert_all_render(result)
    assert set(empty) >= {
        "position-map",
        "alignment",
        "scale-profile",
        "unit-heatmap",
        "perception-gaps",
    }
    assert "fewer than 5 people answered" in position_map(result).description


def test_one_unit_and_no_network():
    result = support.one_unit()
    empty = assert_all_render(result)
    assert "network-map" in empty
    assert "position-map" not in empty
    assert len(unit_heatmap(result).table.rows) == 2  # the partnership and its one unit


def test_every_figure_withheld(northshire):
    empty = assert_all_render(support.all_null(northshire))
    assert {"position-map", "alignment", "scale-profile", "perception-gaps"} <= set(empty)
    heatmap = unit_heatmap(support.all_null(northshire))
    assert "No figures to show" not in heatmap.description  # units exist, every cell a dash
    assert support.texts(heatmap).count("–") >= 9 * len(northshire["units"])


@pytest.mark.parametrize(
    "result",
    [
        {},
        {"schema": "joinedup.analysis/1"},
        {"partnership": None, "units": None, "network": None, "trend": None},
        {"units": [{"name": "Only"}], "network": {"organisations": ["Only"], "ties": []}},
        {"trend": {"partnership": {"momentum": None}}, "perception_gaps": [{"gap": 30}]},
    ],
    ids=["empty", "schema only", "nulls", "bare unit", "broken trend"],
)
def test_partial_documents_render_without_raising(result):
    assert_all_render(result)


def test_one_organisation_network_says_there_is_nothing_to_map():
    result = {"network": {"organisations": ["Alone"], "ties": [], "members": [], "flags": []}}
    chart = network_map(result)
    support.assert_accessible_svg(chart)
    assert "fewer than two organisations" in chart.description
    assert chart.table.rows[0][0] == "Alone"


def test_hostile_names_are_escaped_everywhere(small):
    for chart in all_charts(small):
        support.assert_accessible_svg(chart)  # parses: nothing broke the markup
        assert "<Trust>" not in chart.svg
        assert "&lt;Trust&gt;" in chart.svg or chart.id in ("scale-profile",)


def test_hostile_names_read_back_exactly_from_tooltips_and_tables(small):
    heatmap = unit_heatmap(small)
    tips = ["".join(t.itertext()) for t in support.parse(heatmap).iter(f"{support.SVG}title")]
    assert any(tip.startswith(support.HOSTILE + ",") for tip in tips)
    assert support.table_row(heatmap, support.HOSTILE)
    network = network_map(small)
    tips = ["".join(t.itertext()) for t in support.parse(network).iter(f"{support.SVG}title")]
    assert any(tip.startswith(support.HOSTILE + ":") for tip in tips)


def test_hostile_sector_codes_and_names_do_not_break_the_network(small):
    sectors = {name: "health" for name in small["network"]["organisations"]}
    sectors[support.HOSTILE] = '<script>"x"</script>'
    chart = network_map(small, sectors)
    support.assert_accessible_svg(chart)
    assert "<script>" not in chart.svg


def test_a_long_name_wraps_onto_two_lines_of_the_heatmap(small):
    long_name = support.OWN[2]
    drawn = support.texts(unit_heatmap(small))
    assert not [t for t in drawn if t.endswith("…")]
    first = next(i for i, t in enumerate(drawn) if t.startswith("Zeta"))
    assert " ".join(drawn[first : first + 2]) == long_name


def test_long_names_are_shortened_on_the_small_network_map_but_whole_in_tables_and_tooltips(
    small,
):
    long_name = support.OWN[2]
    for chart in (network_map(small),):
        drawn = support.texts(chart)
        assert long_name not in drawn
        shortened = [t for t in drawn if t.endswith("…")]
        # On the network map a name may take two lines before it is cut.
        assert any(t[:-1].rstrip() in long_name for t in shortened)
        assert any(row[0] == long_name for row in chart.table.rows)
        assert long_name in chart.svg  # in the tooltip


def test_a_result_is_not_changed_by_charting_it(small):
    before = copy.deepcopy(small)
    all_charts(small, previous=small, sectors={})
    assert small == before
