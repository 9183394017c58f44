"""The position map and the alignment diagram: zones, markers, and the previous round's arrow."""

from __future__ import annotations

import copy

from joinedup.analysis.vocabulary import ZONE_NAMES, ZONE_PHRASES
from joinedup.reports import alignment_diagram, position_map
from joinedup.reports.charts.scatter import symmetric_range
from tests.reports import support

ZONES = [
    ZONE_NAMES[code]
    for code in ("tipping_point", "tipping_and_breaking", "breaking_point", "holding_pattern")
]


def previous_round_groups(chart):
    return [
        g
        for g in support.parse(chart).iter(f"{support.SVG}g")
        if g.get("class") == "previous-round"
    ]


def test_the_four_zones_are_named(northshire):
    drawn = support.texts(position_map(northshire))
    for zone in ZONES:
        assert zone in drawn


def test_partnership_and_every_unit_are_marked(northshire):
    chart = position_map(northshire)
    root = support.parse(chart)
    assert [g for g in root.iter(f"{support.SVG}g") if g.get("class") == "partnership"]
    units = [
        c for c in root.iter(f"{support.SVG}circle") if c.find(f"{support.SVG}title") is not None
    ]
    assert len(units) == len(northshire["units"])
    names = {"".join(c.find(f"{support.SVG}title").itertext()) for c in units}
    assert names == {u["name"] for u in northshire["units"]}
    hollow = [c for c in units if c.get("fill") == "#ffffff"]
    assert ["".join(c.find(f"{support.SVG}title").itertext()) for c in hollow] == [
        "Other organisations"
    ]


def test_the_partnership_position_is_stated_in_words(northshire):
    chart = position_map(northshire)
    assert chart.description.startswith(
        f"The partnership is {ZONE_PHRASES['tipping_and_breaking']}"
    )
    assert northshire["partnership"]["position"] == "tipping_and_breaking"


def test_no_arrow_without_a_previous_round(northshire):
    assert northshire["trend"] is None
    chart = position_map(northshire)
    assert previous_round_groups(chart) == []
    assert "Previous round" not in support.texts(chart)
    assert "previous round" not in chart.description
    assert not any(row[0].endswith("previous round") for row in chart.table.rows)


def test_a_previous_round_draws_an_arrow_to_the_current_position(northshire):
    before = copy.deepcopy(northshire)
    before["partnership"].update(momentum=40.0, strain=65.0)
    chart = position_map(northshire, previous=before)
    groups = previous_round_groups(chart)
    assert len(groups) == 1
    shapes = [el.tag.split("}")[1] for el in groups[0]]
    assert shapes == ["polygon", "line", "polygon"]  # the old marker, the shaft, the head
    assert "Previous round" in support.texts(chart)
    assert support.table_row(chart, "Partnership, previous round")["Momentum"] == "40"
    assert "momentum 40 and pull towards a breaking point 65" in chart.description


def test_the_trend_gives_the_arrow_when_no_previous_result_is_passed(northshire):
    with_trend = copy.deepcopy(northshire)
    with_trend["trend"] = {
        "partnership": {"momentum": {"previous": 42.0}, "strain": {"previous": 61.0}}
    }
    assert len(previous_round_groups(position_map(with_trend))) == 1


def test_axes_are_centred_on_the_threshold_and_hold_every_point():
    assert symmetric_range([45.0, 67.0]) == (30.0, 70.0)
    assert symmetric_range([50.0]) == (30.0, 70.0)
    assert symmetric_range([2.0, 99.0]) == (0.0, 100.0)


def test_many_crowded_units_are_numbered_and_the_table_names_them(northshire):
    crowded = copy.deepcopy(northshire)
    template = crowded["units"][0]
    crowded["units"] = []
    for i in range(30):
        unit = copy.deepcopy(template)
        unit.update(name=f"Organisation number {i:02d}", momentum=55 + i % 5, strain=52 + i % 6)
        crowded["units"].append(unit)
    chart = position_map(crowded)
    drawn = support.texts(chart)
    assert "Organisation number 00" not in drawn  # named by the table, not a key
    assert {str(n) for n in range(1, 31)} <= set(drawn)
    assert chart.description.endswith("the table after the chart gives each number's name.")
    assert chart.table.headers[:2] == ("Partnership or unit", "Point")
    assert support.table_row(chart, "Organisation number 29")["Point"] == "30"


def test_a_few_well_spread_units_are_labelled_by_name(small):
    chart = position_map(small)
    drawn = support.texts(chart)
    assert "Key to the numbered points" not in drawn
    assert "Alpha Council" in drawn


def test_alignment_names_its_five_zones_and_places_the_partnership(northshire):
    chart = alignment_diagram(northshire)
    drawn = " ".join(support.texts(chart))
    for zone in ["The stars align", ZONE_NAMES["emerging"], "Changing", "alone", "Not ready"]:
        assert zone in drawn
    assert "Collaborate without changing" in drawn
    row = support.table_row(chart, "Partnership")
    assert row["Alignment"] == ZONE_NAMES["emerging"]
    case = northshire["partnership"]["scales"]["CASE"]
    assert f"case for collaboration {round(case['score'])}" in chart.description
