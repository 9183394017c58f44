"""Relationship flags and perception gaps (SPEC §4.7-8).

Trust values used below, worked by hand from (x - 1) / 3 * 100 on the mean
rating: (4, 4, 4) 100; (4, 4, 3) 800/9; (3, 3, 3) 200/3; (2, 4) 200/3;
(2, 3) 50; (1, 2, 4) 400/9; (1, 3) 100/3; (2, 2, 2) 100/3; (1, 2, 2) 200/9;
(1, 2) 50/3; (1, 1, 2) 100/9; (1, 1) 0; (1, 1, 1) 0.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.analysis.network_support import (
    Ratings,
    flags_of,
    network,
    pairs_flagged,
    rated,
    rated_by,
    tie,
)
from tests.factories import org_respondents, organisation, response, result


def two_way(
    a_trusts: list[Ratings],
    b_trusts: list[Ratings],
    a: str = "Alder",
    b: str = "Birch",
    copies: int = 3,
    **settings: int,
) -> dict[str, Any]:
    """A network where a's respondents rate b with the trusts in `a_trusts`, and
    b's rate a with those in `b_trusts`, each trust given by `copies` respondents.

    Copies leave every mean as it is, and give each tie enough raters to be
    shown (SPEC §4.4, default 3). Each organisation has at least three
    respondents and k is 3, so each is its own reporting unit.
    """
    settings.setdefault("min_group_size", 3)
    relationships = []
    for rater, partner, trusts in ((a, b, a_trusts), (b, a, b_trusts)):
        given = [t for t in trusts for _ in range(copies)]
        relationships += [
            rated(f"{rater}-{i}", rater, partner, trust=t) for i, t in enumerate(given)
        ]
    responses = org_respondents(a, max(3, len(a_trusts) * copies))
    responses += org_respondents(b, max(3, len(b_trusts) * copies))
    return network(responses, relationships, **settings)


# ----------------------------------------------------------------- asymmetric


def test_asymmetric_names_the_pair_alphabetically_with_the_absolute_gap():
    # Zephyr answers first, and trusts Ash more than Ash trusts it.
    section = two_way([(4, 4, 4)], [(2, 2, 2)], a="Zephyr Police", b="Ash Council")
    flags = flags_of(section, "asymmetric")
    assert len(flags) == 1
    assert (flags[0]["a"], flags[0]["b"]) == ("Ash Council", "Zephyr Police")
    assert flags[0]["gap"] == pytest.approx(100 - 100 / 3)


def test_asymmetric_at_a_gap_of_exactly_25():
    # Alder -> Birch: (0 + 50) / 2 = 25; Birch -> Alder: 50.
    section = two_way([(1, 1), (2, 3)], [(2, 3)])
    flags = flags_of(section, "asymmetric")
    assert [(f["a"], f["b"]) for f in flags] == [("Alder", "Birch")]
    assert flags[0]["gap"] == pytest.approx(25.0)
    assert pairs_flagged(section, "mutual_low_trust") == set()  # 50 is not below 50


def test_asymmetric_at_a_gap_of_25_reached_through_thirds():
    # Alder -> Birch: (0 + 50/3) / 2 = 25/3; Birch -> Alder: 100/3. The gap is
    # exactly 25, though 100/3 - 25/3 is not exact in floating point.
    section = two_way([(1, 1), (1, 2)], [(1, 3)])
    assert pairs_flagged(section, "asymmetric") == {("Alder", "Birch")}
    assert pairs_flagged(section, "mutual_low_trust") == {("Alder", "Birch")}


def test_not_asymmetric_just_below_a_gap_of_25():
    # Alder -> Birch over 7 raters: (100 + 800/9 + 5 * 0) / 7 = 1700/63 ≈ 26.98.
    # Birch -> Alder over 8 raters: (50/3 + 7 * 0) / 8 = 25/12 ≈ 2.08.
    # Gap 1700/63 - 25/12 ≈ 24.90.
    a_trusts: list[Ratings] = [(4, 4, 4), (4, 4, 3)] + [(1, 1, 1)] * 5
    b_trusts: list[Ratings] = [(1, 2)] + [(1, 1, 1)] * 7
    section = two_way(a_trusts, b_trusts)
    assert tie(section, "Alder", "Birch")["trust"] == pytest.approx(1700 / 63)
    assert tie(section, "Birch", "Alder")["trust"] == pytest.approx(25 / 12)
    assert flags_of(section, "asymmetric") == []
    assert pairs_flagged(section, "mutual_low_trust") == {("Alder", "Birch")}


def test_not_asymmetric_when_trust_is_similar():
    section = two_way([(3, 3, 3)], [(4, 4, 3)])  # 200/3 against 800/9: gap 22.2
    assert section["flags"] == []


# ----------------------------------------------------------- mutual low trust


def test_mutual_low_trust_when_both_directions_are_below_50():
    section = two_way([(1, 2, 4)], [(2, 2, 2)], a="Cedar", b="Birch")  # 400/9 and 100/3
    assert pairs_flagged(section, "mutual_low_trust") == {("Birch", "Cedar")}
    assert flags_of(section, "asymmetric") == []


def test_not_mutual_low_trust_when_one_direction_is_exactly_50():
    section = two_way([(2, 3)], [(1, 2, 2)])  # 50 and 200/9
    assert pairs_flagged(section, "mutual_low_trust") == set()
    flags = flags_of(section, "asymmetric")
    assert len(flags) == 1
    assert flags[0]["gap"] == pytest.approx(50 - 200 / 9)


def test_not_mutual_low_trust_when_a_mean_of_raters_is_exactly_50():
    # Alder -> Birch: (100/3 + 200/3) / 2 = 50, not below 50.
    section = two_way([(1, 3), (2, 4)], [(1, 2, 2)])
    assert pairs_flagged(section, "mutual_low_trust") == set()
    assert pairs_flagged(section, "asymmetric") == {("Alder", "Birch")}


# ----------------------------------------------------- both must be shown


def test_no_pair_flag_without_the_reverse_tie():
    section = two_way([(4, 4, 4)], [])
    assert section["flags"] == []


def test_no_pair_flag_when_the_reverse_tie_has_no_raters():
    section = two_way([(1, 1, 1)], [(None, None, None)])
    assert section["flags"] == []


def test_no_pair_flag_when_one_direction_has_too_few_raters():
    # Alder -> Birch has 3 raters (trust 100), Birch -> Alder only 2 (trust 0).
    section = two_way([(4, 4, 4)] * 3, [(1, 1, 1)] * 2, copies=1)
    assert section["flags"] == []
    # The same answers with every tie shown (min_tie_raters 2): asymmetric by 100.
    shown = two_way([(4, 4, 4)] * 3, [(1, 1, 1)] * 2, copies=1, min_tie_raters=2)
    assert pairs_flagged(shown, "asymmetric") == {("Alder", "Birch")}


def test_no_pair_flag_when_both_too_few_raters():
    section = two_way([(1, 1, 1)] * 2, [(1, 1, 1)] * 2, copies=1)
    assert section["flags"] == []
    shown = two_way([(1, 1, 1)] * 2, [(1, 1, 1)] * 2, copies=1, min_tie_raters=2)
    assert pairs_flagged(shown, "mutual_low_trust") == {("Alder", "Birch")}


def test_each_pair_is_flagged_once():
    section = two_way([(1, 1, 1)], [(2, 4)])  # 0 and 200/3
    assert len(flags_of(section, "asymmetric")) == 1
    section = two_way([(1, 1, 1)], [(1, 1, 2)])  # 0 and 100/9
    assert len(flags_of(section, "mutual_low_trust")) == 1


# -------------------------------------------------------------------- isolate


def test_isolates_are_organisations_with_no_tie_in_or_out():
    section = network(
        [
            response("A1", "Alder"),
            response("B1", "Birch"),
            response("E1", "Elm"),  # answered but rated no one: isolate
        ],
        [
            rated("A1", "Alder", "Birch"),  # Alder only out, Birch only in
            rated("A1", "Alder", "Cedar", contact=0),  # named with no contact: isolate
        ],
        [organisation(name) for name in ("Alder", "Birch", "Cedar", "Damson", "Elm")],
    )
    isolates = flags_of(section, "isolate")
    assert sorted(f["organisation"] for f in isolates) == ["Cedar", "Damson", "Elm"]


def test_a_tie_with_no_raters_is_still_a_tie_for_isolates():
    section = network(
        [response("A1", "Alder")],
        [rated("A1", "Alder", "Birch", trust=(), value=())],
        [organisation("Alder"), organisation("Birch")],
    )
    assert flags_of(section, "isolate") == []


# ------------------------------------------------------------ perception gaps


def test_perception_gaps_only_for_organisations_that_are_their_own_unit():
    # Cedar (2) is combined; the combined unit is still below 5, so Alder (5,
    # the smallest own unit, before Damson by name) joins it. Birch and Damson
    # stay their own units.
    responses = (
        org_respondents("Alder", 5)
        + org_respondents("Birch", 6)
        + org_respondents("Cedar", 2)
        + org_respondents("Damson", 5)
    )
    relationships = [
        *rated_by("Alder", "Birch", value=(1, 1, 1)),  # merged: hidden, enters nothing
        *rated_by("Cedar", "Birch", 2, value=(1, 1, 1)),  # merged: hidden
        *rated_by("Damson", "Birch", value=(4, 4, 4)),  # shown: 100
        *rated_by("Birch", "Alder", value=(4, 4, 4)),
        *rated_by("Birch", "Cedar", value=(1, 1, 1)),
    ]
    full = result(responses, relationships)
    combined = [unit for unit in full["units"] if unit["combined"]]
    assert [sorted(unit["organisations"]) for unit in combined] == [["Alder", "Cedar"]]

    gaps = full["perception_gaps"]
    assert [gap["organisation"] for gap in gaps] == ["Birch", "Damson"]
    # Birch's COMMIT 50 (every answer 3) less value received 100 (Damson's tie
    # only; the merged Alder's and Cedar's 0 are not shown).
    assert gaps[0]["self_commit"] == pytest.approx(50.0)
    assert gaps[0]["value_received"] == pytest.approx(100.0)
    assert gaps[0]["gap"] == pytest.approx(-50.0)
    assert gaps[0]["flagged"] is True
    # Damson receives nothing: no gap.
    assert (gaps[1]["self_commit"], gaps[1]["value_received"], gaps[1]["gap"]) == (50.0, None, None)


def test_perception_gap_is_commit_less_value_received_flagged_at_20():
    responses = [
        # Alder: COMMIT (4 * 25 + 0) / 5 = 20
        *org_respondents("Alder", 4, answer=2),
        response("Alder-4", "Alder", 1),
        # Birch: COMMIT 25
        *org_respondents("Birch", 5, answer=2),
        # Cedar: COMMIT 75
        *org_respondents("Cedar", 5, answer=4),
        # Damson: COMMIT (2 * 75 + 3 * 200/3) / 5 = 70
        *org_respondents("Damson", 2, answer=4, prefix="Damson-a"),
        *org_respondents("Damson", 3, answer=4, prefix="Damson-b", COMMIT3=3),
    ]
    # Each tie has three identical raters (shown at the default of 3).
    relationships = [
        *rated_by("Birch", "Alder", value=(1, 1, 1)),  # Alder receives 0
        *rated_by("Alder", "Birch", value=(1, 1, 1)),  # Birch receives (0 + 100/9) / 2
        *rated_by("Cedar", "Birch", value=(1, 1, 2)),
        *rated_by("Damson", "Cedar", 2, prefix="Damson-a", value=(4, 4, 4)),  # Cedar: 100
        rated("Damson-b-0", "Damson", "Cedar", value=(4, 4, 4)),
        *rated_by("Alder", "Damson", value=(2, 3)),  # Damson receives 50
    ]
    gaps = {gap["organisation"]: gap for gap in result(responses, relationships)["perception_gaps"]}
    expected = {
        # organisation: (self COMMIT, value received, gap, flagged)
        "Alder": (20.0, 0.0, 20.0, True),
        "Birch": (25.0, 50 / 9, 25 - 50 / 9, False),  # 19.44
        "Cedar": (75.0, 100.0, -25.0, True),
        "Damson": (70.0, 50.0, 20.0, True),
    }
    assert sorted(gaps) == sorted(expected)
    for name, (commit, value, gap, flagged) in expected.items():
        assert gaps[name]["self_commit"] == pytest.approx(commit), name
        assert gaps[name]["value_received"] == pytest.approx(value), name
        assert gaps[name]["gap"] == pytest.approx(gap), name
        assert gaps[name]["flagged"] is flagged, name


def test_perception_gap_is_null_without_a_commit_score():
    # Only 3 of Alder's 5 respondents answer COMMIT: too few for a score.
    blanks = {"COMMIT1": None, "COMMIT2": None, "COMMIT3": None}
    responses = (
        org_respondents("Alder", 3, answer=4)
        + org_respondents("Alder", 2, answer=4, prefix="Alder-blank", **blanks)
        + org_respondents("Birch", 5)
    )
    relationships = rated_by("Birch", "Alder", value=(1, 1, 1))
    gaps = {gap["organisation"]: gap for gap in result(responses, relationships)["perception_gaps"]}
    assert gaps["Alder"]["self_commit"] is None
    assert gaps["Alder"]["value_received"] == pytest.approx(0.0)
    assert gaps["Alder"]["gap"] is None
    assert gaps["Alder"]["flagged"] is False


def test_perception_gap_of_exactly_20_reached_through_thirds_is_flagged():
    # Alder: COMMIT (4 * 0 + 200/3) / 5 = 40/3; value received (1, 3) = 100/3.
    # The gap is exactly -20, though 40/3 - 100/3 is not exact in floating point.
    responses = [
        *org_respondents("Alder", 4, answer=1),
        response("Alder-4", "Alder", 4, COMMIT3=3),
        *org_respondents("Birch", 5),
    ]
    relationships = rated_by("Birch", "Alder", value=(1, 3))
    gaps = {gap["organisation"]: gap for gap in result(responses, relationships)["perception_gaps"]}
    assert gaps["Alder"]["self_commit"] == pytest.approx(40 / 3)
    assert gaps["Alder"]["value_received"] == pytest.approx(100 / 3)
    assert gaps["Alder"]["gap"] == pytest.approx(-20.0)
    assert gaps["Alder"]["flagged"] is True
