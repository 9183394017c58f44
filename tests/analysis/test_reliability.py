"""Reliability and agreement: Cronbach's alpha, ICC(1), ICC(2) and rwg(j) (SPEC §3.11-3.12).

Alpha is checked against pingouin; the ICCs against a one-way ANOVA worked by hand and
scipy's F statistic; rwg(j) against hand-worked variances.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from tests.factories import org_respondents, response, result

# SPEC §1.1.
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
ORGANISATIONS = ("Ashby Council", "Bexley Health", "Carrow Police", "Dunmore Voluntary")


def unit(outcome: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [u for u in outcome["units"] if u["name"] == name]
    return found


# ------------------------------------------------------------------ Cronbach's alpha


def random_rows(seed: int, respondents: int = 48) -> list[dict[str, str]]:
    """Answers driven by one latent attitude per respondent and scale, with noise and gaps.

    Reverse-worded statements are answered the other way round, as people do, so alpha is
    only right if they are reversed (6 - x) before it is worked.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(respondents):
        cells: dict[str, Any] = {}
        for items in SCALE_ITEMS.values():
            attitude = rng.normal(3, 1)
            for code in items:
                value = int(np.clip(np.rint(attitude + rng.normal(0, 0.8)), 1, 5))
                answer = 6 - value if code in REVERSED else value
                cells[code] = None if rng.random() < 0.08 else answer
        rows.append(response(f"r{i}", ORGANISATIONS[i % len(ORGANISATIONS)], 3, **cells))
    return rows


def item_values(rows: list[dict[str, str]], scale: str) -> pd.DataFrame:
    """The scale's item values (6 - x for reverse-worded), NaN where blank."""
    frame = pd.DataFrame(
        [
            [float(row[code]) if row[code] else np.nan for code in SCALE_ITEMS[scale]]
            for row in rows
        ],
        columns=SCALE_ITEMS[scale],
    )
    for code in SCALE_ITEMS[scale]:
        if code in REVERSED:
            frame[code] = 6 - frame[code]
    return frame


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_cronbachs_alpha_matches_pingouin_on_complete_cases(seed: int) -> None:
    rows = random_rows(seed)
    reliability = result(rows)["reliability"]
    for scale in SCALE_ITEMS:
        values = item_values(rows, scale)
        expected, _ = pingouin.cronbach_alpha(data=values, nan_policy="listwise")
        assert reliability[scale]["alpha"] == pytest.approx(expected, abs=1e-9), scale
        assert reliability[scale]["n_complete"] == len(values.dropna()), scale


def test_alpha_is_worked_on_item_values_not_raw_answers() -> None:
    # With reverse-worded items answered the other way round, alpha on raw answers would be
    # far lower (even negative); on item values it is high.
    rows = random_rows(7)
    values = item_values(rows, "TRUST")
    raw = values.copy()
    raw["TRUST3"] = 6 - raw["TRUST3"]
    on_values, _ = pingouin.cronbach_alpha(data=values, nan_policy="listwise")
    on_raw, _ = pingouin.cronbach_alpha(data=raw, nan_policy="listwise")
    assert on_values - on_raw > 0.2  # the data really tell the two apart
    assert result(rows)["reliability"]["TRUST"]["alpha"] == pytest.approx(on_values)


def test_alpha_needs_three_respondents_who_answered_every_item() -> None:
    # Seven respondents; only two answered all four CASE statements (the rest skipped CASE4).
    complete = [
        response("r1", "Ashby Council", 3, CASE1=2, CASE2=3, CASE3=2, CASE4=3),
        response("r2", "Ashby Council", 3, CASE1=4, CASE2=5, CASE3=4, CASE4=4),
    ]
    partial = [
        response(f"p{i}", "Ashby Council", 3, CASE1=a, CASE2=a, CASE3=a, CASE4=None)
        for i, a in enumerate((1, 2, 4, 5, 3))
    ]
    case = result(complete + partial)["reliability"]["CASE"]
    assert case == {"alpha": None, "n_complete": 2, "icc1": None, "icc2": None}

    # A third complete respondent is enough.
    third = response("r3", "Ashby Council", 3, CASE1=5, CASE2=4, CASE3=5, CASE4=5)
    case = result([*complete, third, *partial])["reliability"]["CASE"]
    expected, _ = pingouin.cronbach_alpha(
        data=pd.DataFrame([[2, 3, 2, 3], [4, 5, 4, 4], [5, 4, 5, 5]]), nan_policy="listwise"
    )
    assert case["n_complete"] == 3
    assert case["alpha"] == pytest.approx(expected)


# --------------------------------------------------------------------- ICC(1), ICC(2)

# Every CASE statement answered the same value v by a respondent gives a CASE score of
# (v - 1) * 25. Three units of unequal size (k = 3):
GROUPS = {
    "Ashby Council": (1, 2, 3),  # mean 2,   SSW 1 + 0 + 1 = 2
    "Bexley Health": (2, 3, 3, 4),  # mean 3,   SSW 1 + 0 + 0 + 1 = 2
    "Carrow Police": (3, 4, 4, 5, 5),  # mean 4.2, SSW 1.44 + .04 + .04 + .64 + .64 = 2.8
}
# In answer units: N = 12, G = 3, grand mean 39 / 12 = 3.25.
# SSB = 3(2 - 3.25)² + 4(3 - 3.25)² + 5(4.2 - 3.25)² = 4.6875 + 0.25 + 4.5125 = 9.45
# MSB = 9.45 / 2 = 189/40;  MSW = 6.8 / 9 = 34/45
# n0 = (12 - (9 + 16 + 25) / 12) / 2 = 47/12
# ICC(1) = (MSB - MSW) / (MSB + (n0 - 1) MSW) = (1429/360) / (189/40 + 35/12 · 34/45)
# ICC(2) = (MSB - MSW) / MSB = 1 - 1/F, F = MSB / MSW = 1701/272 ≈ 6.2537
# Both are ratios of mean squares, so scores (x25) give the same values.
MSB = Fraction(189, 40)
MSW = Fraction(34, 45)
N0 = Fraction(47, 12)
ICC1 = (MSB - MSW) / (MSB + (N0 - 1) * MSW)  # 3.96944 / 6.92870 ≈ 0.57290
ICC2 = (MSB - MSW) / MSB  # ≈ 0.8401


def icc_rows() -> list[dict[str, str]]:
    return [
        response(f"{name}-{i}", name, 3, CASE1=v, CASE2=v, CASE3=v, CASE4=v)
        for name, answers in GROUPS.items()
        for i, v in enumerate(answers)
    ]


def test_icc1_and_icc2_follow_the_one_way_anova_with_unequal_group_sizes() -> None:
    case = result(icc_rows(), min_group_size=3)["reliability"]["CASE"]
    assert float(ICC1) == pytest.approx(0.57290, abs=1e-5)  # the hand arithmetic above
    assert case["icc1"] == pytest.approx(float(ICC1))
    assert case["icc2"] == pytest.approx(float(ICC2))


def test_icc2_agrees_with_scipys_f_statistic() -> None:
    scores = [[(v - 1) * 25 for v in answers] for answers in GROUPS.values()]
    f = stats.f_oneway(*scores).statistic
    assert f == pytest.approx(float(MSB / MSW))
    case = result(icc_rows(), min_group_size=3)["reliability"]["CASE"]
    assert case["icc2"] == pytest.approx(1 - 1 / f)


def test_iccs_are_across_reporting_units_not_organisations() -> None:
    # k = 5: Ashby (3) and Bexley (4) are merged into "Other organisations" (7) and Carrow
    # (5) stands alone: two units of 7 and 5 answers.
    # Other: 1,2,3,2,3,3,4 mean 18/7; Carrow: 3,4,4,5,5 mean 21/5; grand 39/12 = 3.25.
    # SSB = 7(18/7 - 13/4)² + 5(21/5 - 13/4)² = 7(19/28)² + 5(19/20)² = 361/112 + 361/80
    # SSW = Σx² - Σ nᵢ x̄ᵢ²: (1+4+9+4+9+9+16) - 324/7 = 52 - 324/7 = 40/7; Carrow 2.8 = 14/5
    # MSB = SSB / 1; MSW = (40/7 + 14/5) / 10; n0 = (12 - (49 + 25) / 12) / 1 = 35/6.
    ssb = 7 * Fraction(19, 28) ** 2 + 5 * Fraction(19, 20) ** 2
    msw = (Fraction(40, 7) + Fraction(14, 5)) / 10
    n0 = Fraction(35, 6)
    icc1 = (ssb - msw) / (ssb + (n0 - 1) * msw)
    icc2 = (ssb - msw) / ssb
    outcome = result(icc_rows())
    assert [u["name"] for u in outcome["units"]] == ["Carrow Police", "Other organisations"]
    assert outcome["reliability"]["CASE"]["icc1"] == pytest.approx(float(icc1))
    assert outcome["reliability"]["CASE"]["icc2"] == pytest.approx(float(icc2))


def test_iccs_are_null_with_a_single_unit() -> None:
    rows = [
        response(f"Ashby-{i}", "Ashby Council", 3, CASE1=v, CASE2=v, CASE3=v, CASE4=v)
        for i, v in enumerate((1, 2, 3, 4, 5, 5))
    ]
    case = result(rows)["reliability"]["CASE"]
    assert case["icc1"] is None
    assert case["icc2"] is None
    assert case["alpha"] is not None  # alpha does not need units


# ---------------------------------------------------------------------------- rwg(j)


def relate_unit(answers: list[tuple[int | None, int | None, int | None]], **settings: int):
    """A unit of respondents answering REL1-REL3 as given; all else 3."""
    rows = [
        response(f"Ashby-{i}", "Ashby Council", 3, REL1=a, REL2=b, REL3=c)
        for i, (a, b, c) in enumerate(answers)
    ]
    return unit(result(rows, **settings), "Ashby Council")["scales"]["RELATE"]


def test_rwg_from_the_mean_item_variance() -> None:
    # REL1 3,3,4,4,5: mean 3.8, variance (.64+.64+.04+.04+1.44)/4 = 0.7
    # REL2 2,3,3,3,4: mean 3,   variance (1+0+0+0+1)/4 = 0.5
    # REL3 4,4,4,4,4: variance 0
    # J = 3, s² = (0.7 + 0.5 + 0) / 3 = 0.4, s²/σ² = 0.4 / 2 = 0.2
    # rwg = 3(1 - 0.2) / (3(1 - 0.2) + 0.2) = 2.4 / 2.6 = 12/13
    figure = relate_unit([(3, 2, 4), (3, 3, 4), (4, 3, 4), (4, 3, 4), (5, 4, 4)])
    assert figure["rwg"] == pytest.approx(12 / 13)


def test_rwg_counts_only_items_with_at_least_two_answers() -> None:
    # As above, but REL3 answered by one respondent only: J = 2,
    # s² = (0.7 + 0.5) / 2 = 0.6, ratio 0.3, rwg = 2(0.7) / (2(0.7) + 0.3) = 1.4 / 1.7 = 14/17.
    figure = relate_unit([(3, 2, 4), (3, 3, None), (4, 3, None), (4, 3, None), (5, 4, None)])
    assert figure["score"] is not None
    assert figure["rwg"] == pytest.approx(14 / 17)


def test_rwg_is_one_when_everyone_agrees() -> None:
    assert relate_unit([(4, 4, 4)] * 5)["rwg"] == pytest.approx(1.0)


def test_rwg_is_zero_when_answers_vary_more_than_random_ones() -> None:
    # Every item answered 1, 1, 3, 5, 5: mean 3, variance (4+4+0+4+4)/4 = 4 ≥ σ² = 2.
    # (The formula alone would give 3(1-2) / (3(1-2) + 2) = 3, not an agreement.)
    assert relate_unit([(1, 1, 1), (1, 1, 1), (3, 3, 3), (5, 5, 5), (5, 5, 5)])["rwg"] == 0.0


def test_rwg_is_zero_when_the_variance_equals_that_of_random_answers() -> None:
    # Every item answered 1, 3, 3, 5, 3: variance (4+0+0+4+0)/4 = 2 = σ².
    assert relate_unit([(1, 1, 1), (3, 3, 3), (3, 3, 3), (5, 5, 5), (3, 3, 3)])[
        "rwg"
    ] == pytest.approx(0.0)


def test_rwg_is_null_where_the_units_score_is_not_shown() -> None:
    # Five respondents, but one answered only REL1 (1 of 3 items: no score), so only four
    # have a RELATE score (k = 5): the score is withheld, and so is rwg, although every
    # item has at least two answers.
    figure = relate_unit([(3, 2, 4), (3, 3, 4), (4, 3, 4), (4, 3, 4), (5, None, None)])
    assert figure["score"] is None
    assert figure["reason"] == "too_few_answers"
    assert figure["rwg"] is None


def test_rwg_ignores_respondents_of_other_units() -> None:
    # Ashby agrees perfectly; Bexley's spread must not leak into Ashby's rwg.
    rows = org_respondents("Ashby Council", 5, 4) + [
        response(f"Bexley-{i}", "Bexley Health", a) for i, a in enumerate((1, 1, 3, 5, 5))
    ]
    outcome = result(rows)
    assert unit(outcome, "Ashby Council")["scales"]["RELATE"]["rwg"] == pytest.approx(1.0)
    assert unit(outcome, "Bexley Health")["scales"]["RELATE"]["rwg"] == 0.0
