"""The machine-readable result, `joinedup.analysis/1` (SPEC §5)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from joinedup.analysis import SCHEMA, to_json
from tests.factories import org_respondents, rating, response, result

SCALES = {"CASE", "CHANGE", "STRAIN", "PLACE", "SURVIVAL", "TRUST", "CONVERSE", "RELATE", "COMMIT"}

# The keys SPEC §5 lists, and those the code adds beside them.
SPEC_KEYS = {
    "schema",
    "instrument",
    "settings",
    "respondents",
    "partnership",
    "units",
    "roles",
    "reliability",
    "network",
    "perception_gaps",
    "recommendations",
    "text",
    "trend",
}
# "round": the label of the round analysed (SPEC §2), null without rounds;
# "strengths": the scales to build on, beside the recommendations (issue 4);
# "sectors": organisations' sector codes, so a result re-rendered later keeps them (issue 11).
ADDED_KEYS = {"round", "strengths", "sectors"}


def partnership_rows() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Two own units, a combined one, roles, free text and relationships."""
    rows = (
        org_respondents("Ashby Council", 6, 4, role="executive", TEXT_IMPORTANT="Housing")
        + org_respondents("Bexley Health", 5, 2, role="manager", TEXT_IMPORTANT="Discharge")
        + org_respondents("Carrow Police", 2, 3, TEXT_IMPORTANT="Knife crime")
        # Dunmore answers no CASE statement: its CASE score is missing (null, not NaN).
        + org_respondents("Dunmore Voluntary", 3, 5, CASE1="", CASE2="", CASE3="", CASE4="")
    )
    ratings = [
        rating("Ashby Council-0", "Ashby Council", "Bexley Health", 3, 4),
        rating("Bexley Health-0", "Bexley Health", "Ashby Council", 4, 1),
        rating("Carrow Police-0", "Carrow Police", "Ashby Council", 2, 3),
    ]
    return rows, ratings


@pytest.fixture(scope="module")
def outcome() -> dict[str, Any]:
    rows, ratings = partnership_rows()
    return result(rows, ratings)


def test_the_top_level_keys_are_those_of_the_spec(outcome: dict[str, Any]) -> None:
    assert set(outcome) == SPEC_KEYS | ADDED_KEYS
    assert outcome["round"] is None


def test_schema_and_instrument_are_named(outcome: dict[str, Any]) -> None:
    assert outcome["schema"] == "joinedup.analysis/1" == SCHEMA
    assert outcome["instrument"] == "tpd-1"
    assert outcome["respondents"] == 16


def test_the_settings_are_echoed(outcome: dict[str, Any]) -> None:
    assert outcome["settings"] == {
        "min_group_size": 5,
        "min_tie_raters": 3,
        "min_text_group_size": 10,
    }
    rows, ratings = partnership_rows()
    chosen = result(rows, ratings, min_group_size=3, min_tie_raters=2, min_text_group_size=4)
    assert chosen["settings"] == {
        "min_group_size": 3,
        "min_tie_raters": 2,
        "min_text_group_size": 4,
    }


def test_every_scale_is_present_at_every_level(outcome: dict[str, Any]) -> None:
    assert set(outcome["partnership"]["scales"]) == SCALES
    assert set(outcome["reliability"]) == SCALES
    assert outcome["units"] and outcome["roles"]
    for entry in outcome["units"] + outcome["roles"]:
        assert set(entry["scales"]) == SCALES, entry["name"]


def test_the_partnership_entries_carry_the_spec_fields(outcome: dict[str, Any]) -> None:
    partnership = outcome["partnership"]
    assert {"scales", "momentum", "strain", "position", "alignment"} <= set(partnership)
    for figure in partnership["scales"].values():
        # SPEC §3.7 also asks for the units shown beside n and n_units.
        assert {"score", "ci_low", "ci_high", "n", "n_units", "units", "band"} <= set(figure)


def test_the_unit_entries_carry_the_spec_fields(outcome: dict[str, Any]) -> None:
    for entry in outcome["units"]:
        assert {
            "name",
            "organisations",
            "combined",
            "n",
            "scales",
            "momentum",
            "strain",
            "position",
            "alignment",
        } <= set(entry)
        for figure in entry["scales"].values():
            assert {"score", "ci_low", "ci_high", "n", "band", "rwg", "reason"} <= set(figure)
    for entry in outcome["roles"]:
        assert {"name", "roles", "combined", "n", "scales"} <= set(entry)


def test_the_reliability_network_and_gap_entries_carry_the_spec_fields(
    outcome: dict[str, Any],
) -> None:
    for figure in outcome["reliability"].values():
        assert set(figure) == {"alpha", "n_complete", "icc1", "icc2"}
    network = outcome["network"]
    assert {
        "organisations",
        "density",
        "reciprocity",
        "centralisation",
        "mean_trust",
        "mean_value",
        "ties",
        "members",
        "flags",
    } <= set(network)
    assert network["ties"]
    for tie in network["ties"]:
        assert {"from", "to", "raters", "shown", "trust", "value"} <= set(tie)
    for member in network["members"]:
        assert {
            "organisation",
            "trust_received",
            "trust_given",
            "value_received",
            "value_given",
            "betweenness",
            "degree",
        } <= set(member)
    assert outcome["perception_gaps"]
    for gap in outcome["perception_gaps"]:
        assert {"organisation", "self_commit", "value_received", "gap", "flagged"} <= set(gap)
    assert isinstance(outcome["recommendations"], list)
    assert isinstance(outcome["text"], dict)


def test_a_missing_figure_is_null(outcome: dict[str, Any]) -> None:
    (dunmore,) = [u for u in outcome["units"] if "Dunmore Voluntary" in u["organisations"]]
    assert dunmore["combined"] is True
    # Carrow's 2 CASE scores are fewer than k = 5: the combined unit's CASE is withheld.
    case = dunmore["scales"]["CASE"]
    assert case["score"] is None and case["ci_low"] is None and case["rwg"] is None
    assert case["reason"] == "too_few_answers"


def test_to_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        to_json({"score": math.nan})
    with pytest.raises(ValueError):
        to_json({"score": math.inf})


def test_the_result_round_trips_through_json_with_null_for_missing(
    outcome: dict[str, Any],
) -> None:
    text = to_json(outcome)
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == outcome


def test_a_result_with_no_units_is_still_valid_json() -> None:
    outcome = result([response(f"r{i}", "Ashby Council") for i in range(3)])
    assert json.loads(to_json(outcome)) == outcome
    assert json.loads(to_json(outcome))["partnership"]["scales"]["CASE"]["score"] is None
