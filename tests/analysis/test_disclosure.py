"""Reporting units and disclosure control (SPEC §3.5).

Organisations (and roles) with fewer than k respondents are merged into one combined
unit; while that unit is still smaller than k, the smallest own unit (fewest respondents,
then name) joins it. No figure is ever shown for a merged organisation on its own.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from joinedup.analysis import SettingsError, to_json
from tests.factories import org_respondents, rating, response, result

OTHER_ORGANISATIONS = "Other organisations"
OTHER_ROLES = "Other roles"


def organisations(sizes: dict[str, int], answer: int = 3) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name, size in sizes.items():
        rows += org_respondents(name, size, answer)
    return rows


def units(outcome: dict[str, Any]) -> list[tuple[str, list[str], bool, int]]:
    return [(u["name"], u["organisations"], u["combined"], u["n"]) for u in outcome["units"]]


def reported_alone(outcome: dict[str, Any]) -> str:
    """The result as JSON, less the places a merged organisation may be named.

    Those are the combined unit's `organisations` list and the `network` section, which
    SPEC §4 governs separately (by min_tie_raters).
    """
    rest = copy.deepcopy(outcome)
    del rest["network"]
    for entry in rest["units"]:
        if entry["combined"]:
            entry["organisations"] = []
    return to_json(rest)


def assert_never_reported_alone(outcome: dict[str, Any], merged: list[str]) -> None:
    text = reported_alone(outcome)
    for name in merged:
        assert name not in text, f"{name} is reported outside the combined unit"
    assert all(u["name"] not in merged for u in outcome["units"])
    assert all(g["organisation"] not in merged for g in outcome["perception_gaps"])
    combined = [u for u in outcome["units"] if u["combined"]]
    assert len(combined) == 1
    assert sorted(combined[0]["organisations"]) == sorted(merged)


def everyone_rates_everyone(sizes: dict[str, int]) -> list[dict[str, str]]:
    """One rating from each organisation's first respondent of every other organisation.

    Gives every organisation a value received, so a perception gap could be worked for it.
    """
    return [
        rating(f"{rater}-0", rater, partner, 3, 4)
        for rater in sizes
        for partner in sizes
        if partner != rater
    ]


# ------------------------------------------------------------ organisations


def test_with_no_small_organisation_every_organisation_is_its_own_unit() -> None:
    outcome = result(organisations({"Ashby Council": 5, "Bexley Health": 7}))
    assert units(outcome) == [
        ("Ashby Council", ["Ashby Council"], False, 5),
        ("Bexley Health", ["Bexley Health"], False, 7),
    ]


def test_small_organisations_that_reach_k_together_form_one_combined_unit() -> None:
    # Brambleford Fire 2 + Coldharbour College 3 = 5 = k: they stand together, and the
    # own units keep their figures.
    sizes = {"Ashby Council": 6, "Brambleford Fire": 2, "Coldharbour College": 3}
    outcome = result(organisations(sizes), everyone_rates_everyone(sizes))
    assert units(outcome) == [
        ("Ashby Council", ["Ashby Council"], False, 6),
        (OTHER_ORGANISATIONS, ["Brambleford Fire", "Coldharbour College"], True, 5),
    ]
    assert [g["organisation"] for g in outcome["perception_gaps"]] == ["Ashby Council"]
    assert outcome["partnership"]["scales"]["CASE"]["units"] == [
        "Ashby Council",
        OTHER_ORGANISATIONS,
    ]
    assert_never_reported_alone(outcome, ["Brambleford Fire", "Coldharbour College"])


def test_one_small_organisation_takes_the_smallest_own_unit_with_it() -> None:
    # Dunmore Voluntary (2) alone is fewer than k = 5, so the smallest own unit,
    # Bexley Health (5), is merged too: "Other organisations" has 2 + 5 = 7.
    sizes = {"Ashby Council": 6, "Bexley Health": 5, "Carrow Police": 7, "Dunmore Voluntary": 2}
    outcome = result(organisations(sizes), everyone_rates_everyone(sizes))
    assert units(outcome) == [
        ("Ashby Council", ["Ashby Council"], False, 6),
        ("Carrow Police", ["Carrow Police"], False, 7),
        (OTHER_ORGANISATIONS, ["Bexley Health", "Dunmore Voluntary"], True, 7),
    ]
    assert [g["organisation"] for g in outcome["perception_gaps"]] == [
        "Ashby Council",
        "Carrow Police",
    ]
    assert_never_reported_alone(outcome, ["Bexley Health", "Dunmore Voluntary"])


def test_between_equally_small_own_units_the_first_by_name_is_merged() -> None:
    # Zennor Schools and Ashby Council both have 5; Ashby comes first by name, so it joins
    # Moor Ambulance (1) whatever order the rows come in.
    sizes = {"Zennor Schools": 5, "Moor Ambulance": 1, "Ashby Council": 5}
    outcome = result(organisations(sizes), everyone_rates_everyone(sizes))
    assert units(outcome) == [
        ("Zennor Schools", ["Zennor Schools"], False, 5),
        (OTHER_ORGANISATIONS, ["Ashby Council", "Moor Ambulance"], True, 6),
    ]
    assert_never_reported_alone(outcome, ["Ashby Council", "Moor Ambulance"])


def test_when_everyone_together_is_fewer_than_k_there_are_no_results() -> None:
    outcome = result(organisations({"Ashby Council": 2, "Bexley Health": 2}))
    assert outcome["units"] == []
    assert outcome["roles"] == []
    assert outcome["perception_gaps"] == []
    assert outcome["partnership"]["reason"] == "too_few_respondents"
    for figure in outcome["partnership"]["scales"].values():
        assert figure["score"] is None
        assert figure["ci_low"] is None and figure["ci_high"] is None
        assert figure["band"] is None
        assert figure["n_units"] == 0
    for label in ("momentum", "strain", "position", "alignment"):
        assert outcome["partnership"][label] is None


def test_when_there_are_no_results_no_reliability_figure_is_shown() -> None:
    # One organisation of four (k = 5): there are no results, so no statistic computed
    # from its four respondents (here Cronbach's alpha, which four varied, complete
    # answers would otherwise give) may appear: it would be a figure for that organisation
    # on its own.
    rows = [
        response(f"Ashby-{i}", "Ashby Council", answer) for i, answer in enumerate((1, 2, 4, 5))
    ]
    outcome = result(rows)
    assert outcome["units"] == []
    assert outcome["partnership"]["reason"] == "too_few_respondents"
    for figure in outcome["reliability"].values():
        assert figure["alpha"] is None
        assert figure["icc1"] is None and figure["icc2"] is None


def test_with_k_3_organisations_of_three_stand_alone() -> None:
    # k = 3: Ashby (3) and Carrow (4) are own units; Bexley (1) + Dunmore (2) = 3 reach k.
    sizes = {"Ashby Council": 3, "Bexley Health": 1, "Carrow Police": 4, "Dunmore Voluntary": 2}
    outcome = result(organisations(sizes), min_group_size=3)
    assert units(outcome) == [
        ("Ashby Council", ["Ashby Council"], False, 3),
        ("Carrow Police", ["Carrow Police"], False, 4),
        (OTHER_ORGANISATIONS, ["Bexley Health", "Dunmore Voluntary"], True, 3),
    ]
    assert outcome["units"][0]["scales"]["CASE"]["score"] == pytest.approx(50.0)


def test_with_k_3_a_lone_small_organisation_still_takes_the_smallest_own_unit() -> None:
    # k = 3: Bexley (2) is short of 3, so Ashby (3, smallest own unit) is merged with it.
    sizes = {"Ashby Council": 3, "Bexley Health": 2, "Carrow Police": 4}
    outcome = result(organisations(sizes), min_group_size=3)
    assert units(outcome) == [
        ("Carrow Police", ["Carrow Police"], False, 4),
        (OTHER_ORGANISATIONS, ["Ashby Council", "Bexley Health"], True, 5),
    ]
    assert_never_reported_alone(outcome, ["Ashby Council", "Bexley Health"])


@pytest.mark.parametrize("k", [2, 1, 0])
def test_a_minimum_group_size_below_3_is_refused(k: int) -> None:
    with pytest.raises(SettingsError):
        result(organisations({"Ashby Council": 5}), min_group_size=k)


def test_the_whole_result_names_a_merged_organisation_only_in_its_combined_unit() -> None:
    # A fuller partnership: relationships in both directions, free text, roles. The merged
    # organisations' names may appear in the network section and in the combined unit's
    # member list, and nowhere else.
    sizes = {
        "Ashby Council": 8,
        "Bexley Health": 6,
        "Brambleford Fire": 1,
        "Coldharbour College": 3,
        "Dunmore Voluntary": 1,
    }
    # 1 + 3 + 1 = 5 = k: the three small ones stand together without taking an own unit.
    rows = organisations(sizes, 4)
    for i, row in enumerate(rows):
        row["role"] = ("executive", "manager")[i % 2]
        row["TEXT_IMPORTANT"] = f"Answer {i}"
    outcome = result(rows, everyone_rates_everyone(sizes), min_text_group_size=3)
    merged = ["Brambleford Fire", "Coldharbour College", "Dunmore Voluntary"]
    assert [u["name"] for u in outcome["units"]] == [
        "Ashby Council",
        "Bexley Health",
        OTHER_ORGANISATIONS,
    ]
    assert_never_reported_alone(outcome, merged)
    # ... and they are in the network, which SPEC §4 governs.
    network = json.dumps(outcome["network"])
    assert all(name in network for name in merged)


# -------------------------------------------------------------------------- roles


def with_roles(sizes: dict[str | None, int]) -> list[dict[str, str]]:
    rows = []
    for role, size in sizes.items():
        for i in range(size):
            rows.append(response(f"{role}-{i}", "Ashby Council" if i % 2 else "Bexley Health", 3))
            if role is not None:
                rows[-1]["role"] = role
    return rows


def role_units(outcome: dict[str, Any]) -> list[tuple[str, list[str], bool, int]]:
    return [(u["name"], u["roles"], u["combined"], u["n"]) for u in outcome["roles"]]


def test_roles_with_k_respondents_are_reported_on_their_own() -> None:
    outcome = result(with_roles({"executive": 5, "manager": 6}))
    assert role_units(outcome) == [
        ("executive", ["executive"], False, 5),
        ("manager", ["manager"], False, 6),
    ]


def test_small_roles_are_combined_into_other_roles() -> None:
    outcome = result(with_roles({"executive": 5, "practitioner": 3, "other": 2}))
    assert role_units(outcome) == [
        ("executive", ["executive"], False, 5),
        (OTHER_ROLES, ["other", "practitioner"], True, 5),
    ]


def test_a_lone_small_role_takes_the_smallest_own_role_with_it() -> None:
    # practitioner (2) is short of 5, so senior_manager (5, the smallest) joins it: 7.
    outcome = result(
        with_roles({"executive": 6, "senior_manager": 5, "manager": 7, "practitioner": 2})
    )
    assert role_units(outcome) == [
        ("executive", ["executive"], False, 6),
        ("manager", ["manager"], False, 7),
        (OTHER_ROLES, ["practitioner", "senior_manager"], True, 7),
    ]
    assert all(u["name"] not in ("practitioner", "senior_manager") for u in outcome["roles"])


def test_between_equally_small_roles_the_first_by_name_is_merged() -> None:
    # executive and manager both have 5; executive comes first by name.
    outcome = result(with_roles({"manager": 5, "executive": 5, "other": 1}))
    assert role_units(outcome) == [
        ("manager", ["manager"], False, 5),
        (OTHER_ROLES, ["executive", "other"], True, 6),
    ]


def test_respondents_without_a_role_are_left_out_of_the_role_breakdown() -> None:
    # 4 respondents gave no role: the role units count only the 11 who did, and the four
    # do not make up a unit (or join "Other roles") of their own.
    outcome = result(with_roles({"executive": 5, "manager": 6, None: 4}))
    assert outcome["respondents"] == 15
    assert role_units(outcome) == [
        ("executive", ["executive"], False, 5),
        ("manager", ["manager"], False, 6),
    ]
    assert sum(u["scales"]["CASE"]["n"] for u in outcome["roles"]) == 11


def test_a_role_breakdown_needs_k_respondents_with_a_role() -> None:
    # Only 4 gave a role (k = 5): no role unit at all, while the organisations are reported.
    outcome = result(with_roles({"executive": 3, "other": 1, None: 8}))
    assert outcome["roles"] == []
    assert outcome["units"] != []
