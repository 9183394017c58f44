"""Invariants of the analysis that hold for any partnership (hypothesis property tests)."""

from __future__ import annotations

import json
import math
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ITEMS, RATINGS, organisation, rating, response, result

NAMES = ["Org Alpha", "Org Bravo", "Org Charlie", "Org Delta", "Org Echo", "Org Foxtrot"]
ANSWERS = st.sampled_from(["1", "2", "3", "4", "5", "", "DK"])
RATING_ANSWERS = st.sampled_from(["1", "2", "3", "4", ""])


@st.composite
def partnerships(draw: st.DrawFn) -> dict[str, Any]:
    """A random partnership: organisations of random sizes, answers and ratings."""
    n_orgs = draw(st.integers(1, len(NAMES)))
    names = NAMES[:n_orgs]
    sizes = draw(st.lists(st.integers(0, 8), min_size=n_orgs, max_size=n_orgs))
    roles = st.sampled_from([None, "executive", "manager", "practitioner", "other"])
    responses = []
    for name, size in zip(names, sizes, strict=True):
        for i in range(size):
            cells = {code: draw(ANSWERS) for code in ITEMS}
            responses.append(response(f"{name}-{i}", name, role=draw(roles), **cells))
    if not responses:  # a responses file needs at least one row to say anything
        responses.append(response("only-1", names[0]))
    relationships = []
    for row in responses:
        own = row["organisation"]
        partners = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
        for partner in partners:
            if partner == own:
                continue
            ratings = {code: draw(RATING_ANSWERS) for code in RATINGS}
            contact = draw(st.sampled_from(["0", "1", "3", "4", ""]))
            relationships.append(rating(row["respondent_id"], own, partner, contact, **ratings))
    return {
        "responses": responses,
        "relationships": relationships,
        "organisations": [organisation(name) for name in names],
        "k": draw(st.integers(3, 6)),
        # SPEC revision 2: never below 2.
        "tie_raters": draw(st.integers(2, 4)),
    }


def _analyse(partnership: dict[str, Any], shuffle_seed: int | None = None) -> dict[str, Any]:
    responses = list(partnership["responses"])
    relationships = list(partnership["relationships"])
    organisations = list(partnership["organisations"])
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        for rows in (responses, relationships, organisations):
            rng.shuffle(rows)
    return result(
        responses,
        relationships,
        organisations,
        min_group_size=partnership["k"],
        min_tie_raters=partnership["tie_raters"],
    )


def _scores(section: Any, keys: tuple[str, ...]) -> list[float]:
    """Every number under one of `keys`, anywhere in a nested result."""
    found: list[float] = []
    if isinstance(section, dict):
        for key, value in section.items():
            if key in keys and isinstance(value, float):
                found.append(value)
            else:
                found += _scores(value, keys)
    elif isinstance(section, list):
        for value in section:
            found += _scores(value, keys)
    return found


PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(partnerships())
def test_every_score_is_on_the_0_to_100_scale(partnership: dict[str, Any]) -> None:
    analysed = _analyse(partnership)
    keys = (
        *("score", "momentum", "strain", "trust", "value", "mean_trust", "mean_value"),
        *("trust_received", "trust_given", "value_received", "value_given", "self_commit"),
    )
    for value in _scores(analysed, keys):
        assert 0.0 <= value <= 100.0
    # Intervals are clipped to the scale too (SPEC §3.6-7), and hold their score.
    for level in [analysed["partnership"], *analysed["units"], *analysed["roles"]]:
        for scale in level["scales"].values():
            if scale["score"] is None:
                continue
            assert 0.0 <= scale["ci_low"] <= scale["score"] + 1e-9
            assert scale["score"] - 1e-9 <= scale["ci_high"] <= 100.0
    for value in _scores(analysed, ("rwg", "density", "reciprocity", "betweenness")):
        assert 0.0 <= value <= 1.0 + 1e-12


@PROPERTY_SETTINGS
@given(partnerships())
def test_no_merged_organisation_has_a_figure_of_its_own(partnership: dict[str, Any]) -> None:
    analysed = _analyse(partnership)
    merged = {
        name for unit in analysed["units"] if unit["combined"] for name in unit["organisations"]
    }
    own = {unit["name"] for unit in analysed["units"] if not unit["combined"]}
    assert not merged & own
    assert {gap["organisation"] for gap in analysed["perception_gaps"]} <= own
    # In the network, a merged organisation's ties exist but show no values, and
    # it gives no trust or value (SPEC §3.5, §4.4).
    network = analysed["network"]
    for tie in network["ties"]:
        if tie["from"] in merged or tie["from"] not in own:
            assert (tie["shown"], tie["trust"], tie["value"]) == (False, None, None)
        if tie["shown"]:
            assert tie["from"] in own
            assert tie["raters"] >= partnership["tie_raters"]
    for member in network["members"]:
        if member["organisation"] not in own:
            assert member["trust_given"] is None
            assert member["value_given"] is None
    # Outside the network, the combined unit's list of members and the sectors
    # (which come from the organisations file, not from anyone's answers), a
    # merged organisation's name appears nowhere.
    outside = {key: value for key, value in analysed.items() if key not in {"network", "sectors"}}
    outside["units"] = [
        unit | {"organisations": []} if unit["combined"] else unit for unit in analysed["units"]
    ]
    text = json.dumps(outside)
    for name in merged:
        assert name not in text
    # Every reporting unit, and every shown score, rests on at least k respondents.
    k = partnership["k"]
    for unit in analysed["units"] + analysed["roles"]:
        assert unit["n"] >= k
        for scale in unit["scales"].values():
            assert scale["score"] is None or scale["n"] >= k


@PROPERTY_SETTINGS
@given(partnerships())
def test_network_figures_come_only_from_shown_ties(partnership: dict[str, Any]) -> None:
    """Received, given, mean trust and value, and pair flags are built from shown ties alone."""
    network = _analyse(partnership)["network"]
    shown = [tie for tie in network["ties"] if tie["shown"]]

    def mean(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return sum(present) / len(present) if present else None

    def close(left: float | None, right: float | None) -> bool:
        if left is None or right is None:
            return left is right
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)

    assert close(network["mean_trust"], mean([t["trust"] for t in shown]))
    assert close(network["mean_value"], mean([t["value"] for t in shown]))
    for member in network["members"]:
        name = member["organisation"]
        into = [t for t in shown if t["to"] == name]
        out = [t for t in shown if t["from"] == name]
        assert close(member["trust_received"], mean([t["trust"] for t in into]))
        assert close(member["value_received"], mean([t["value"] for t in into]))
        assert close(member["trust_given"], mean([t["trust"] for t in out]))
        assert close(member["value_given"], mean([t["value"] for t in out]))
    pairs = {(t["from"], t["to"]) for t in shown if t["trust"] is not None}
    for flag in network["flags"]:
        if flag["type"] != "isolate":
            assert (flag["a"], flag["b"]) in pairs and (flag["b"], flag["a"]) in pairs


@PROPERTY_SETTINGS
@given(partnerships(), st.integers(0, 2**32 - 1))
def test_shuffling_rows_changes_nothing(partnership: dict[str, Any], seed: int) -> None:
    assert _same(_analyse(partnership), _analyse(partnership, shuffle_seed=seed))


def _same(left: Any, right: Any) -> bool:
    """Equal, allowing for the last bits of floating-point addition order."""
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(
            _same(a, b) for a, b in zip(left, right, strict=True)
        )
    return bool(left == right)
