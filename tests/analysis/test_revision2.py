"""SPEC revision 2 against hand-worked figures: clipped intervals (§3.6-7) and
a tie's values only from an organisation reported on its own (§3.5, §4.4).

t quantiles used (two-sided 95%): t(0.975, 1) = 12.706205, t(0.975, 2) =
4.302653, t(0.975, 4) = 2.776445. A respondent answering every CASE
statement 1 scores 0, answering 5 scores 100, answering 4 scores 75.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from joinedup.analysis import Settings, SettingsError
from joinedup.cli import main
from tests.analysis.network_support import member, rated_by, tie
from tests.factories import org_respondents, response, result, scale_answers, write_csv

T4 = 2.776445
T2 = 4.302653


def case_answers(value: int) -> dict[str, str]:
    return scale_answers("CASE", [value] * 4)


def four_low_one_high(name: str, low: int = 1, high: int = 5) -> list[dict[str, str]]:
    """Five respondents of `name`: four answer CASE `low`, one answers `high`."""
    rows = [response(f"{name}-{i}", name, 3, **case_answers(low)) for i in range(4)]
    return [*rows, response(f"{name}-4", name, 3, **case_answers(high))]


def unit(outcome: dict[str, Any], name: str) -> dict[str, Any]:
    return next(u for u in outcome["units"] if u["name"] == name)


# ------------------------------------------------------------- §3.6 clipping


def test_a_unit_interval_that_would_go_below_0_is_clipped_at_0() -> None:
    # CASE scores 0, 0, 0, 0, 100: mean 20; sd √((4 · 20² + 80²) / 4) = √2000 = 44.72;
    # sd / √5 = 20; half = 2.776445 · 20 = 55.53. Unclipped -35.53 to 75.53.
    case = unit(result(four_low_one_high("Alder")), "Alder")["scales"]["CASE"]
    assert case["score"] == pytest.approx(20.0)
    assert case["ci_low"] == 0.0
    assert case["ci_high"] == pytest.approx(20 + T4 * 20, abs=1e-5)  # 75.5289


def test_a_unit_interval_that_would_go_above_100_is_clipped_at_100() -> None:
    # The mirror: 100, 100, 100, 100, 0: mean 80, half 55.53; unclipped 24.47 to 135.53.
    case = unit(result(four_low_one_high("Alder", 5, 1)), "Alder")["scales"]["CASE"]
    assert case["score"] == pytest.approx(80.0)
    assert case["ci_low"] == pytest.approx(80 - T4 * 20, abs=1e-5)  # 24.4711
    assert case["ci_high"] == 100.0


def test_a_partnership_interval_over_unit_scores_is_clipped_too() -> None:
    # Units all-5 (100), all-4 (75) and all-5 (100): each unit's sd is 0.
    # Partnership 275 / 3 = 91.67; sd of (100, 75, 100) = 14.43, / √3 = 8.333;
    # half = 4.302653 · 8.333 = 35.86: unclipped 55.81 to 127.52.
    rows = (
        org_respondents("Alder", 5, 5)
        + org_respondents("Birch", 5, 4)
        + org_respondents("Cedar", 5, 5)
    )
    case = result(rows)["partnership"]["scales"]["CASE"]
    assert case["score"] == pytest.approx(275 / 3)
    assert case["ci_low"] == pytest.approx(275 / 3 - T2 * 25 / 3, abs=1e-5)  # 55.8113
    assert case["ci_high"] == 100.0
    # Two units 0 and 100: 50 ± 12.706205 · 50 = 50 ± 635.3, clipped both ways.
    both = result(org_respondents("Alder", 5, 1) + org_respondents("Birch", 5, 5))
    case = both["partnership"]["scales"]["CASE"]
    assert (case["score"], case["ci_low"], case["ci_high"]) == (50.0, 0.0, 100.0)


def test_a_one_unit_partnership_takes_the_units_clipped_interval() -> None:
    outcome = result(four_low_one_high("Alder"))
    case = outcome["partnership"]["scales"]["CASE"]
    own = unit(outcome, "Alder")["scales"]["CASE"]
    assert case["n_units"] == 1
    assert (case["score"], case["ci_low"], case["ci_high"]) == (
        own["score"],
        own["ci_low"],
        own["ci_high"],
    )
    assert case["ci_low"] == 0.0  # clipped, as the unit's is
    assert case["ci_high"] == pytest.approx(75.5289, abs=1e-4)


# ----------------------------------------------------- §4.4 merged raters


def merged_partnership() -> dict[str, Any]:
    """Alder (6) and Birch (7) are their own units; Cedar (3) is merged, and so
    is Damson (5, the smallest own unit) to bring "Other organisations" to 8.

    Trust (4, 4, 4) is 100, (3, 3, 3) 200/3, (2, 3) 50, (1, 1, 1) 0; value
    (1, 1, 1) is 0 and the default (3, 3, 3) 200/3.
    """
    responses = (
        org_respondents("Alder", 6)
        + org_respondents("Birch", 7)
        + org_respondents("Cedar", 3)
        + org_respondents("Damson", 5)
    )
    relationships = [
        # Cedar's three respondents all trust Alder fully and value it not at all.
        *rated_by("Cedar", "Alder", trust=(4, 4, 4), value=(1, 1, 1)),
        *rated_by("Alder", "Cedar", trust=(2, 3)),  # 50, 200/3
        *rated_by("Birch", "Cedar", 4, trust=(1, 1, 1)),  # 0, 200/3
        *rated_by("Birch", "Alder", trust=(3, 3, 3)),  # 200/3, 200/3
        # Damson's five distrust Birch; Birch trusts Damson fully: under
        # revision 1, a one-sided pair with a gap of 100.
        *rated_by("Damson", "Birch", 5, trust=(1, 1, 1)),
        *rated_by("Birch", "Damson", first=4, trust=(4, 4, 4)),
    ]
    return result(responses, relationships)


def test_a_merged_organisations_tie_exists_with_no_values() -> None:
    outcome = merged_partnership()
    merged = next(u for u in outcome["units"] if u["combined"])
    assert merged["organisations"] == ["Cedar", "Damson"]
    network = outcome["network"]
    cedar = tie(network, "Cedar", "Alder")
    assert cedar == {
        "from": "Cedar",
        "to": "Alder",
        "raters": 3,
        "shown": False,
        "trust": None,
        "value": None,
    }
    damson = tie(network, "Damson", "Birch")
    assert (damson["raters"], damson["shown"], damson["trust"], damson["value"]) == (
        5,
        False,
        None,
        None,
    )
    # It still exists: 6 ties among 4 organisations, 6 / 12. Cedar <-> Alder and
    # Damson <-> Birch are returned (4 ties); Birch -> Cedar and Birch -> Alder are not.
    assert network["density"] == pytest.approx(0.5)
    assert network["reciprocity"] == pytest.approx(4 / 6)
    assert member(network, "Cedar")["degree"] == 2


def test_a_merged_organisation_gives_nothing_but_may_receive_from_shown_ties() -> None:
    network = merged_partnership()["network"]
    for name in ("Cedar", "Damson"):
        assert member(network, name)["trust_given"] is None
        assert member(network, name)["value_given"] is None
    # Cedar receives from Alder (50) and Birch (0): (50 + 0) / 2 = 25; value 200/3.
    cedar = member(network, "Cedar")
    assert cedar["trust_received"] == pytest.approx(25.0)
    assert cedar["value_received"] == pytest.approx(200 / 3)
    # Alder receives from Birch only (200/3), not (100 + 200/3) / 2 with Cedar's view.
    alder = member(network, "Alder")
    assert alder["trust_received"] == pytest.approx(200 / 3)
    assert alder["value_received"] == pytest.approx(200 / 3)
    # Damson receives Birch's 100; Birch receives nothing that is shown.
    assert member(network, "Damson")["trust_received"] == pytest.approx(100.0)
    assert member(network, "Birch")["trust_received"] is None
    # Birch gives to Cedar (0), Alder (200/3) and Damson (100): mean 500/9.
    assert member(network, "Birch")["trust_given"] == pytest.approx(500 / 9)


def test_mean_trust_value_and_flags_use_only_shown_ties() -> None:
    outcome = merged_partnership()
    network = outcome["network"]
    # Shown: Alder->Cedar 50, Birch->Cedar 0, Birch->Alder 200/3, Birch->Damson 100.
    assert network["mean_trust"] == pytest.approx((50 + 0 + 200 / 3 + 100) / 4)
    # Values: 200/3 on each of the four shown ties.
    assert network["mean_value"] == pytest.approx(200 / 3)
    # Birch <-> Damson (100 against 0) and Alder <-> Cedar (50 against 100) would be
    # one-sided; Cedar's and Damson's views are not shown, so nothing is flagged.
    assert network["flags"] == []
    text = json.dumps(outcome["recommendations"])
    assert "Cedar" not in text and "Damson" not in text


def test_perception_gaps_only_for_organisations_reported_on_their_own() -> None:
    gaps = merged_partnership()["perception_gaps"]
    assert [g["organisation"] for g in gaps] == ["Alder", "Birch"]
    # Alder: COMMIT 50 (every answer 3) less value received 200/3.
    assert gaps[0]["gap"] == pytest.approx(50 - 200 / 3)
    assert gaps[0]["flagged"] is False
    # Birch's only value received would come from Damson's hidden tie.
    assert (gaps[1]["value_received"], gaps[1]["gap"]) == (None, None)


def test_no_result_section_names_a_merged_organisation_with_its_own_figure() -> None:
    outcome = merged_partnership()
    merged = {"Cedar", "Damson"}
    assert not any(u["name"] in merged for u in outcome["units"] + outcome["roles"])
    assert not any(g["organisation"] in merged for g in outcome["perception_gaps"])
    for each in outcome["network"]["ties"]:
        if each["from"] in merged:
            assert (each["shown"], each["trust"], each["value"]) == (False, None, None)
    outside = {k: v for k, v in outcome.items() if k not in ("units", "network")}
    assert not any(name in json.dumps(outside) for name in merged)


def test_an_own_units_tie_with_fewer_raters_than_the_setting_is_hidden() -> None:
    # Alder (5, its own unit): two rate Birch 100. Hidden at the default 3, shown at 2.
    rows = org_respondents("Alder", 5)
    ratings = rated_by("Alder", "Birch", 2, trust=(4, 4, 4))
    hidden = tie(result(rows, ratings)["network"], "Alder", "Birch")
    assert (hidden["raters"], hidden["shown"], hidden["trust"]) == (2, False, None)
    shown = tie(result(rows, ratings, min_tie_raters=2)["network"], "Alder", "Birch")
    assert (shown["raters"], shown["shown"], shown["trust"]) == (2, True, 100.0)


# ----------------------------------------------------------- the setting


def test_min_tie_raters_defaults_to_3_allows_2_and_refuses_1_with_a_reason() -> None:
    assert Settings().min_tie_raters == 3
    assert Settings(min_tie_raters=2).min_tie_raters == 2
    for low in (1, 0, -3):
        with pytest.raises(SettingsError) as refused:
            Settings(min_tie_raters=low)
        message = str(refused.value)
        assert f"min_tie_raters must be at least 2, not {low}" in message
        assert "one person's ratings" in message


def test_the_command_line_refuses_min_tie_raters_1(tmp_path: Path, capsys) -> None:
    responses = write_csv(tmp_path / "responses.csv", org_respondents("Ashby Council", 6, 4))
    out = tmp_path / "result.json"
    code = main(["analyse", str(responses), "--min-tie-raters", "1", "--json", str(out)])
    assert code == 2
    error = capsys.readouterr().err
    assert "--min-tie-raters must be at least 2, not 1" in error
    assert "one person's ratings of a partner would be shown as their own answers" in error
    assert "Traceback" not in error
    assert not out.exists()
    # 2 is allowed, and the default is 3.
    assert main(["analyse", str(responses), "--min-tie-raters", "2", "--json", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["settings"]["min_tie_raters"] == 2
    assert main(["analyse", str(responses), "--json", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["settings"]["min_tie_raters"] == 3
