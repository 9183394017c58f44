"""From answers to scores, bands and the partnership's position (SPEC §3.1-3.4, §3.6-3.10).

Expected values are worked by hand from the SPEC (the arithmetic is in the comments) or
computed independently with scipy; none is copied from the code's output.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest
from scipy import stats

from tests.factories import org_respondents, response, result

# SPEC §1.1, written out here so the tests do not depend on the instrument file.
SCALE_ITEMS = {
    "CASE": ("CASE1", "CASE2", "CASE3", "CASE4"),
    "CHANGE": ("CHANGE1", "CHANGE2", "CHANGE3", "CHANGE4"),
    "STRAIN": ("STRAIN1", "STRAIN2", "STRAIN3", "STRAIN4"),
    "PLACE": ("PLACE1", "PLACE2", "PLACE3"),
    "SURVIVAL": ("SURV1", "SURV2", "SURV3"),
    "TRUST": ("TRUST1", "TRUST2", "TRUST3", "TRUST4"),
    "CONVERSE": ("CONV1", "CONV2", "CONV3"),
    "RELATE": ("REL1", "REL2", "REL3"),
    "COMMIT": ("COMMIT1", "COMMIT2", "COMMIT3"),
}
REVERSED = {"CHANGE4", "STRAIN4", "PLACE3", "TRUST3", "CONV2"}
MOMENTUM = ("CASE", "TRUST", "CONVERSE", "RELATE", "COMMIT")
STRAIN = ("STRAIN", "SURVIVAL")


def valued(scale: str, *values: int) -> dict[str, int]:
    """Raw answers that give the scale's statements these item values (one value: all of them).

    A reverse-worded statement with item value v is answered 6 - v.
    """
    items = SCALE_ITEMS[scale]
    values = values * len(items) if len(values) == 1 else values
    return {code: 6 - v if code in REVERSED else v for code, v in zip(items, values, strict=True)}


def blank(*scales: str) -> dict[str, None]:
    return {code: None for scale in scales for code in SCALE_ITEMS[scale]}


def unit(outcome: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [u for u in outcome["units"] if u["name"] == name]
    return found


def t_interval(values: list[float]) -> tuple[float, float]:
    """95% t-interval of a mean, from scipy and the standard library only."""
    n = len(values)
    sem = statistics.stdev(values) / math.sqrt(n)
    low, high = stats.t.interval(0.95, df=n - 1, loc=statistics.fmean(values), scale=sem)
    return float(low), float(high)


# ------------------------------------------------------------- item values


@pytest.mark.parametrize(
    ("scale", "item"),
    [
        ("CHANGE", "CHANGE4"),
        ("STRAIN", "STRAIN4"),
        ("PLACE", "PLACE3"),
        ("TRUST", "TRUST3"),
        ("CONVERSE", "CONV2"),
    ],
)
def test_a_reverse_worded_statement_is_scored_six_minus_the_answer(scale: str, item: str) -> None:
    # The scale's other statements answered 5 and the reverse-worded one answered 1:
    # item values all 5 (6 - 1 = 5), mean 5, score (5 - 1) * 25 = 100.
    # Left unreversed it would be (5+5+5+1)/4 = 4 -> 75, or (5+5+1)/3 -> 66.7.
    cells = {code: 5 for code in SCALE_ITEMS[scale]} | {item: 1}
    assert result(org_respondents("Alpha", 5, **cells))["partnership"]["scales"][scale][
        "score"
    ] == pytest.approx(100.0)

    # The reverse-worded one answered 2 and the rest 4: values all 4 (6 - 2), score 75.
    cells = {code: 4 for code in SCALE_ITEMS[scale]} | {item: 2}
    assert result(org_respondents("Alpha", 5, **cells))["partnership"]["scales"][scale][
        "score"
    ] == pytest.approx(75.0)


def test_only_the_five_reverse_worded_statements_are_reversed() -> None:
    # Strongly agree (5) with every positively worded statement, strongly disagree (1) with
    # the five reverse-worded ones: every item value is 5, so every scale scores 100.
    cells = {code: 1 if code in REVERSED else 5 for items in SCALE_ITEMS.values() for code in items}
    scales = result(org_respondents("Alpha", 5, **cells))["partnership"]["scales"]
    assert {code: scales[code]["score"] for code in SCALE_ITEMS} == {
        code: pytest.approx(100.0) for code in SCALE_ITEMS
    }


# ---------------------------------------------------- half of the items answered


@pytest.mark.parametrize(
    ("scale", "cells", "counted", "expected"),
    [
        # 3 of 4 answered, values 5, 5, 2: mean 4 -> 75. Unit (4*50 + 75) / 5 = 55.
        ("CASE", {"CASE1": 5, "CASE2": 5, "CASE3": 2, "CASE4": None}, True, 55.0),
        # 2 of 4 answered (= half, rounded up 2), values 5, 4: mean 4.5 -> 87.5.
        # Unit (4*50 + 87.5) / 5 = 57.5.
        ("CASE", {"CASE1": 5, "CASE2": 4, "CASE3": None, "CASE4": None}, True, 57.5),
        # 1 of 4 answered: no score; the unit is the other four at 50.
        ("CASE", {"CASE1": 5, "CASE2": None, "CASE3": None, "CASE4": None}, False, 50.0),
        # "Don't know" and DK are missing too: still 1 of 4.
        ("CASE", {"CASE1": 5, "CASE2": "DK", "CASE3": "Don't know", "CASE4": ""}, False, 50.0),
        # 3-item scale needs ceil(3/2) = 2: REL 5, 4 answered -> 87.5 -> unit 57.5.
        ("RELATE", {"REL1": 5, "REL2": 4, "REL3": None}, True, 57.5),
        # 1 of 3 is not enough.
        ("RELATE", {"REL1": 5, "REL2": None, "REL3": None}, False, 50.0),
        # Reverse-worded PLACE3 answered 1 (value 5) with PLACE1 = 4: mean 4.5 -> 87.5.
        ("PLACE", {"PLACE1": 4, "PLACE2": None, "PLACE3": 1}, True, 57.5),
    ],
)
def test_a_respondent_scale_score_needs_half_of_its_items_answered(
    scale: str, cells: dict[str, Any], counted: bool, expected: float
) -> None:
    # Four respondents answer everything 3 (score 50); the fifth answers only `cells`.
    rows = [*org_respondents("Alpha", 4), response("Alpha-partial", "Alpha", 3, **cells)]
    figure = unit(result(rows, min_group_size=3), "Alpha")["scales"][scale]
    assert figure["n"] == (5 if counted else 4)
    assert figure["score"] == pytest.approx(expected)


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(("answer", "expected"), [(1, 0), (2, 25), (3, 50), (4, 75), (5, 100)])
def test_scores_are_normalised_to_0_100_as_mean_minus_one_times_25(
    answer: int, expected: float
) -> None:
    outcome = result(org_respondents("Alpha", 5, **valued("COMMIT", answer)))
    assert outcome["partnership"]["scales"]["COMMIT"]["score"] == pytest.approx(expected)


def test_a_mean_between_answers_is_normalised_the_same_way() -> None:
    # CASE answered 1, 2, 1, 2: mean 1.5 -> (1.5 - 1) * 25 = 12.5.
    outcome = result(org_respondents("Alpha", 5, **valued("CASE", 1, 2, 1, 2)))
    assert outcome["partnership"]["scales"]["CASE"]["score"] == pytest.approx(12.5)


# ------------------------------------------------------------------------ bands


@pytest.mark.parametrize(
    ("scale", "values", "score", "expected"),
    [
        # Higher is better: the band reads the score itself.
        ("CASE", (4,), 75.0, "strength"),  # (4-1)*25 = 75, exactly on the boundary
        ("CASE", (4, 4, 4, 3), 68.75, "developing"),  # mean 3.75 -> 68.75
        ("CASE", (3,), 50.0, "developing"),  # exactly 50
        ("CASE", (3, 3, 3, 2), 43.75, "concern"),  # mean 2.75 -> 43.75
        ("TRUST", (5,), 100.0, "strength"),
        ("COMMIT", (1,), 0.0, "concern"),
        # Higher is worse: the band reads 100 - score.
        ("STRAIN", (2,), 25.0, "strength"),  # favourable 100 - 25 = 75
        ("STRAIN", (2, 2, 2, 3), 31.25, "developing"),  # mean 2.25 -> 31.25, fav 68.75
        ("STRAIN", (3,), 50.0, "developing"),  # favourable 50
        ("STRAIN", (3, 3, 3, 4), 56.25, "concern"),  # mean 3.25 -> 56.25, fav 43.75
        ("STRAIN", (5,), 100.0, "concern"),  # favourable 0
        ("SURVIVAL", (1,), 0.0, "strength"),  # favourable 100
        ("SURVIVAL", (2,), 25.0, "strength"),  # favourable 75
        ("SURVIVAL", (3,), 50.0, "developing"),  # favourable 50
        ("SURVIVAL", (4, 3, 3), 175 / 3, "concern"),  # mean 10/3 -> 7/3 * 25 = 58.33, fav 41.67
    ],
)
def test_bands_read_the_favourable_score_at_75_and_50(
    scale: str, values: tuple[int, ...], score: float, expected: str
) -> None:
    outcome = result(org_respondents("Alpha", 5, **valued(scale, *values)))
    for level in (outcome["partnership"], unit(outcome, "Alpha")):
        assert level["scales"][scale]["score"] == pytest.approx(score)
        assert level["scales"][scale]["band"] == expected


def test_the_partnership_band_reads_the_partnership_score() -> None:
    # Units at 100 and 50: the partnership scores (100 + 50) / 2 = 75, a strength,
    # although one of its units is only developing.
    rows = org_respondents("Alpha", 5, 5) + org_respondents("Beta", 5, 3)
    outcome = result(rows)
    assert outcome["partnership"]["scales"]["CASE"]["score"] == pytest.approx(75.0)
    assert outcome["partnership"]["scales"]["CASE"]["band"] == "strength"
    assert unit(outcome, "Beta")["scales"]["CASE"]["band"] == "developing"


# ------------------------------------------------------------------ unit scores


def test_a_unit_score_is_the_mean_of_its_respondents_with_a_95_percent_t_interval() -> None:
    # Six respondents answer every CASE statement 1, 2, 3, 4, 5, 5:
    # scores 0, 25, 50, 75, 100, 100; mean 350 / 6 = 58.33.
    answers = [1, 2, 3, 4, 5, 5]
    rows = [response(f"Alpha-{i}", "Alpha", 3, **valued("CASE", a)) for i, a in enumerate(answers)]
    figure = unit(result(rows), "Alpha")["scales"]["CASE"]
    scores = [(a - 1) * 25 for a in answers]
    low, high = t_interval(scores)
    assert figure["score"] == pytest.approx(350 / 6)
    assert figure["n"] == 6
    # sd = √(8333.33 / 5) = 40.82, sd / √6 = 16.67, half = 2.570582 · 16.67 = 42.84:
    # 58.33 - 42.84 = 15.49 stays; 58.33 + 42.84 = 101.18 is clipped to 100 (SPEC §3.6).
    assert figure["ci_low"] == pytest.approx(low)
    assert figure["ci_low"] == pytest.approx(350 / 6 - 2.570582 * 50 / 3, rel=1e-6)
    assert high > 100
    assert figure["ci_high"] == 100.0
    # The interval really is a t-interval (df 5), wider than a normal one.
    half = figure["score"] - figure["ci_low"]
    assert half == pytest.approx(2.570582 * statistics.stdev(scores) / math.sqrt(6), rel=1e-6)


def test_a_unit_scale_needs_k_respondents_with_a_score_to_be_shown() -> None:
    # Alpha has six respondents, so it is a unit of its own (k = 5), but only four of them
    # answered CASE: its CASE score is withheld; its other scales are shown.
    rows = org_respondents("Alpha", 4) + org_respondents(
        "Alpha", 2, prefix="Quiet", **blank("CASE")
    )
    alpha = unit(result(rows), "Alpha")
    assert alpha["n"] == 6
    assert alpha["scales"]["CASE"] == {
        "score": None,
        "ci_low": None,
        "ci_high": None,
        "n": 4,
        "band": None,
        "rwg": None,
        "reason": "too_few_answers",
    }
    assert alpha["scales"]["TRUST"]["score"] == pytest.approx(50.0)
    assert alpha["scales"]["TRUST"]["reason"] is None


def test_a_unit_scale_with_exactly_k_scores_is_shown() -> None:
    rows = org_respondents("Alpha", 5) + org_respondents(
        "Alpha", 1, prefix="Quiet", **blank("CASE")
    )
    case = unit(result(rows), "Alpha")["scales"]["CASE"]
    assert case["n"] == 5
    assert case["score"] == pytest.approx(50.0)
    assert case["reason"] is None


# ----------------------------------------------------------- partnership scores


def test_one_organisation_one_voice_a_big_unit_weighs_the_same_as_a_small_one() -> None:
    # Big (50 respondents) scores CASE 100, Small (5) scores 0: the partnership is
    # (100 + 0) / 2 = 50, not the respondent mean (50*100 + 5*0) / 55 = 90.9.
    rows = org_respondents("Big", 50, 5) + org_respondents("Small", 5, 1)
    case = result(rows)["partnership"]["scales"]["CASE"]
    # Over the unit scores, df 1: 50 ± 12.706 · 70.71 / √2 = 50 ± 635.3, which
    # would be -585.3 to 685.3; clipped to the scale, 0 to 100 (SPEC §3.7).
    low, high = t_interval([100.0, 0.0])
    assert (low, high) == (
        pytest.approx(50 - 635.31, abs=0.01),
        pytest.approx(50 + 635.31, abs=0.01),
    )
    assert case["score"] == pytest.approx(50.0)
    assert case["n"] == 55
    assert case["n_units"] == 2
    assert case["units"] == ["Big", "Small"]
    assert (case["ci_low"], case["ci_high"]) == (0.0, 100.0)


def test_the_partnership_score_uses_only_the_units_whose_score_is_shown() -> None:
    # Units at 25, 50, 100 on CASE; Delta answered no CASE statement.
    # Partnership (25 + 50 + 100) / 3 = 58.33, over 3 units and 15 respondents.
    rows = (
        org_respondents("Alpha", 5, **valued("CASE", 2))
        + org_respondents("Beta", 5, **valued("CASE", 3))
        + org_respondents("Gamma", 5, **valued("CASE", 5))
        + org_respondents("Delta", 6, **blank("CASE"))
    )
    scales = result(rows)["partnership"]["scales"]
    # Over 25, 50, 100 (df 2): sd 38.19, 58.33 ± 4.303 · 38.19 / √3 = 58.33 ± 94.86,
    # -36.53 to 153.19 unclipped; clipped 0 to 100.
    low, high = t_interval([25.0, 50.0, 100.0])
    assert (low, high) == (pytest.approx(-36.53, abs=0.01), pytest.approx(153.20, abs=0.01))
    assert scales["CASE"]["score"] == pytest.approx(175 / 3)
    assert (scales["CASE"]["n"], scales["CASE"]["n_units"]) == (15, 3)
    assert scales["CASE"]["units"] == ["Alpha", "Beta", "Gamma"]
    assert (scales["CASE"]["ci_low"], scales["CASE"]["ci_high"]) == (0.0, 100.0)
    # Delta still counts where it answered.
    assert (scales["TRUST"]["n"], scales["TRUST"]["n_units"]) == (21, 4)


def test_with_one_unit_the_partnership_interval_is_that_units_interval() -> None:
    # Scores 0, 25, 50, 75, 100: mean 50, interval 50 ± t(0.975, 4) · sd / √5.
    rows = [response(f"Alpha-{a}", "Alpha", 3, **valued("CASE", a)) for a in range(1, 6)]
    outcome = result(rows)
    case = outcome["partnership"]["scales"]["CASE"]
    own = unit(outcome, "Alpha")["scales"]["CASE"]
    low, high = t_interval([0.0, 25.0, 50.0, 75.0, 100.0])
    assert case["score"] == pytest.approx(50.0)
    assert (case["n"], case["n_units"], case["units"]) == (5, 1, ["Alpha"])
    assert case["ci_low"] == pytest.approx(low) == own["ci_low"]
    assert case["ci_high"] == pytest.approx(high) == own["ci_high"]


# ------------------------------------------------------------- momentum, strain


def test_momentum_and_strain_are_the_means_of_their_scales() -> None:
    # Momentum: CASE 100, TRUST 100, CONVERSE 75, RELATE 25, COMMIT 0 -> 300 / 5 = 60.
    # Strain: STRAIN 75, SURVIVAL 0 -> 37.5. CHANGE and PLACE (both 0) play no part.
    cells = (
        valued("CASE", 5)
        | valued("TRUST", 5)
        | valued("CONVERSE", 4)
        | valued("RELATE", 2)
        | valued("COMMIT", 1)
        | valued("STRAIN", 4)
        | valued("SURVIVAL", 1)
        | valued("CHANGE", 1)
        | valued("PLACE", 1)
    )
    outcome = result(org_respondents("Alpha", 5, **cells))
    for level in (outcome["partnership"], unit(outcome, "Alpha")):
        assert level["momentum"] == pytest.approx(60.0)
        assert level["strain"] == pytest.approx(37.5)


def test_momentum_and_strain_use_the_scales_that_are_available() -> None:
    # RELATE, COMMIT and SURVIVAL unanswered: momentum (100 + 100 + 75) / 3 = 91.67,
    # strain is STRAIN alone, 75.
    cells = (
        valued("CASE", 5)
        | valued("TRUST", 5)
        | valued("CONVERSE", 4)
        | valued("STRAIN", 4)
        | blank("RELATE", "COMMIT", "SURVIVAL")
    )
    outcome = result(org_respondents("Alpha", 5, **cells))
    for level in (outcome["partnership"], unit(outcome, "Alpha")):
        assert level["momentum"] == pytest.approx(275 / 3)
        assert level["strain"] == pytest.approx(75.0)


def test_partnership_momentum_and_strain_come_from_the_partnership_scale_scores() -> None:
    # Alpha: CASE 100, TRUST 50; STRAIN 100, SURVIVAL 50. Beta: CASE 0, STRAIN 0, and no
    # TRUST or SURVIVAL. CONVERSE, RELATE and COMMIT answered by nobody.
    # Units: Alpha momentum (100 + 50) / 2 = 75, strain 75; Beta momentum 0, strain 0.
    # Partnership scales: CASE (100 + 0) / 2 = 50, TRUST 50 -> momentum 50;
    # STRAIN 50, SURVIVAL 50 -> strain 50 (the mean of the unit figures would be 37.5).
    nobody = blank("CONVERSE", "RELATE", "COMMIT")
    alpha = valued("CASE", 5) | valued("TRUST", 3) | valued("STRAIN", 5) | valued("SURVIVAL", 3)
    beta = valued("CASE", 1) | blank("TRUST", "SURVIVAL") | valued("STRAIN", 1)
    rows = org_respondents("Alpha", 5, **alpha, **nobody) + org_respondents(
        "Beta", 5, **beta, **nobody
    )
    outcome = result(rows)
    assert (unit(outcome, "Alpha")["momentum"], unit(outcome, "Alpha")["strain"]) == (75.0, 75.0)
    assert (unit(outcome, "Beta")["momentum"], unit(outcome, "Beta")["strain"]) == (0.0, 0.0)
    assert outcome["partnership"]["momentum"] == pytest.approx(50.0)
    assert outcome["partnership"]["strain"] == pytest.approx(50.0)


# -------------------------------------------------------------------- position


def at(momentum_value: int, strain_value: int) -> dict[str, int]:
    """Every momentum scale at one item value, both strain scales at another."""
    cells: dict[str, int] = {}
    for scale in MOMENTUM:
        cells |= valued(scale, momentum_value)
    for scale in STRAIN:
        cells |= valued(scale, strain_value)
    return cells


@pytest.mark.parametrize(
    ("momentum_value", "strain_value", "expected"),
    [
        (4, 2, "tipping_point"),  # momentum 75, strain 25
        (4, 4, "tipping_and_breaking"),  # 75, 75
        (2, 4, "breaking_point"),  # 25, 75
        (2, 2, "holding_pattern"),  # 25, 25
        (3, 3, "tipping_and_breaking"),  # exactly 50, 50: both count as >= 50
        (3, 2, "tipping_point"),  # 50, 25
        (2, 3, "breaking_point"),  # 25, 50
        (5, 1, "tipping_point"),  # 100, 0
    ],
)
def test_position_on_a_threshold_of_50(momentum_value: int, strain_value: int, expected: str):
    outcome = result(org_respondents("Alpha", 5, **at(momentum_value, strain_value)))
    momentum, strain = (momentum_value - 1) * 25, (strain_value - 1) * 25
    for level in (outcome["partnership"], unit(outcome, "Alpha")):
        assert (level["momentum"], level["strain"]) == (
            pytest.approx(momentum),
            pytest.approx(strain),
        )
        assert level["position"] == expected


# ------------------------------------------------------------------- alignment


@pytest.mark.parametrize(
    ("case", "change", "expected"),
    [
        ((4,), (4,), "aligned"),  # C 75, H 75: both exactly 75
        ((5,), (4,), "aligned"),  # 100, 75
        ((4,), (4, 4, 4, 3), "emerging"),  # 75, 68.75: H just short of 75
        ((4,), (3,), "emerging"),  # 75, 50
        ((3,), (5,), "emerging"),  # 50, 100
        ((3,), (3,), "emerging"),  # exactly 50, 50
        ((5,), (2,), "collaborate_without_changing"),  # 100, 25
        ((3,), (3, 3, 3, 2), "collaborate_without_changing"),  # 50, 43.75
        ((2,), (3,), "changing_alone"),  # 25, 50
        ((3, 3, 3, 2), (5,), "changing_alone"),  # 43.75, 100
        ((2,), (2,), "not_ready"),  # 25, 25
        ((1,), (3, 3, 3, 2), "not_ready"),  # 0, 43.75
    ],
)
def test_alignment_of_the_case_for_collaboration_and_readiness_to_change(
    case: tuple[int, ...], change: tuple[int, ...], expected: str
) -> None:
    outcome = result(
        org_respondents("Alpha", 5, **valued("CASE", *case), **valued("CHANGE", *change))
    )
    for level in (outcome["partnership"], unit(outcome, "Alpha")):
        assert level["alignment"] == expected
