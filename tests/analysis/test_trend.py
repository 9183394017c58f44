"""The trend: change since the previous round, with Welch's t-test (SPEC §5)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from joinedup.analysis.trend import welch
from joinedup.cli import main
from tests.factories import org_respondents, result, write_csv


def test_welch_matches_scipy_on_unequal_groups() -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        a = rng.normal(50, 10, size=rng.integers(3, 40))
        b = rng.normal(55, 20, size=rng.integers(3, 40))
        expected = stats.ttest_ind(a, b, equal_var=False).pvalue
        assert welch(a, b) == pytest.approx(expected, rel=1e-9)


def test_welch_ignores_missing_scores_and_needs_two_per_group() -> None:
    assert welch(np.array([1.0, np.nan, 3.0]), np.array([2.0, 4.0, 6.0])) == pytest.approx(
        stats.ttest_ind([1.0, 3.0], [2.0, 4.0, 6.0], equal_var=False).pvalue
    )
    assert math.isnan(welch(np.array([1.0]), np.array([2.0, 3.0])))
    assert math.isnan(welch(np.array([5.0, 5.0]), np.array([5.0, 5.0])))


def _two_rounds(before: int, after: int, count: int = 6) -> list[dict[str, str]]:
    rows = []
    for label, answer in (("Spring", before), ("Autumn", after)):
        for name in ("Ashby Council", "Bexley Health"):
            rows += org_respondents(name, count, answer, prefix=f"{label}-{name}", round=label)
    return rows


def test_with_two_rounds_the_result_is_for_the_last_and_the_trend_compares_them() -> None:
    rows = _two_rounds(before=2, after=4)
    # Vary answers a little so the t-test has variance to work with.
    for i, row in enumerate(rows):
        row["CASE1"] = str(1 + (i % 5))
    outcome = result(rows)
    assert outcome["round"] == "Autumn"
    trend = outcome["trend"]
    assert trend["previous_round"] == "Spring"
    trust = trend["partnership"]["scales"]["TRUST"]
    # TRUST3 is reverse-worded: answers of 2 score (2,2,4,2) -> mean 2.5 -> 37.5;
    # answers of 4 score (4,4,2,4) -> 3.5 -> 62.5. Everyone agrees, so no variance: no p.
    assert trust["previous"] == pytest.approx(37.5)
    assert trust["change"] == pytest.approx(25.0)
    assert trust["p"] is None and trust["significant"] is None
    case = trend["partnership"]["scales"]["CASE"]
    assert case["p"] is not None and case["significant"] in {True, False}
    assert {u["name"] for u in trend["units"]} == {"Ashby Council", "Bexley Health"}
    assert trend["partnership"]["position"]["previous"] is not None


def test_the_trend_p_value_is_welch_on_respondent_scores_of_the_shown_units() -> None:
    rows = _two_rounds(before=3, after=3)
    rng = np.random.default_rng(1)
    for row in rows:
        row["CASE1"], row["CASE2"] = (str(v) for v in rng.integers(1, 6, size=2))
    outcome = result(rows)

    def case_scores(label: str) -> list[float]:
        scores = []
        for row in rows:
            if row["round"] == label:
                values = [float(row[c]) for c in ("CASE1", "CASE2", "CASE3", "CASE4")]
                scores.append((np.mean(values) - 1) * 25)
        return scores

    expected = stats.ttest_ind(case_scores("Autumn"), case_scores("Spring"), equal_var=False)
    assert outcome["trend"]["partnership"]["scales"]["CASE"]["p"] == pytest.approx(expected.pvalue)


def test_a_single_round_has_no_trend() -> None:
    assert result(org_respondents("Ashby Council", 6))["trend"] is None


def test_a_combined_group_is_compared_only_if_it_holds_the_same_organisations() -> None:
    rows = _two_rounds(before=2, after=4)
    rows += org_respondents("Cole Trust", 2, 3, prefix="S-Cole", round="Spring")
    rows += org_respondents("Cole Trust", 2, 3, prefix="A-Cole", round="Autumn")
    rows += org_respondents("Dane Homes", 3, 3, prefix="A-Dane", round="Autumn")
    rows += org_respondents("Dane Homes", 3, 3, prefix="S-Dane", round="Spring")
    same = result(rows)
    assert "Other organisations" in {u["name"] for u in same["trend"]["units"]}
    rows = [r for r in rows if not (r["round"] == "Spring" and r["organisation"] == "Dane Homes")]
    rows += org_respondents("Eden College", 3, 3, prefix="S-Eden", round="Spring")
    changed = result(rows)
    assert "Other organisations" not in {u["name"] for u in changed["trend"]["units"]}


def test_the_command_line_takes_the_previous_round_from_its_own_file(tmp_path, capsys) -> None:
    before = write_csv(tmp_path / "before.csv", org_respondents("Ashby Council", 6, 2))
    after = write_csv(tmp_path / "after.csv", org_respondents("Ashby Council", 6, 4))
    assert main(["analyse", str(after), "--previous", str(before), "--json", "-"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["trend"]["partnership"]["scales"]["CASE"]["previous"] == pytest.approx(25.0)
    assert outcome["trend"]["partnership"]["scales"]["CASE"]["change"] == pytest.approx(50.0)
