"""Recommendations: the three actions, traced to the figures behind them (SPEC §5)."""

from __future__ import annotations

import json

from tests.factories import INSTRUMENT, org_respondents, rating, result, scale_answers

ACTION_OF = {
    "CASE": "conversations", "CONVERSE": "conversations", "PLACE": "conversations",
    "TRUST": "relationships", "RELATE": "relationships",
    "CHANGE": "commitment", "COMMIT": "commitment", "STRAIN": "commitment",
    "SURVIVAL": "commitment",
}  # fmt: skip


def _partnership(**scale_answer: int) -> dict:
    """Two organisations of six, every statement answered 4 except the scales given.

    Answers are raw: for reverse-worded items, 4 scores 2.
    """
    cells: dict[str, str] = {}
    for scale, answer in scale_answer.items():
        cells |= scale_answers(scale, [answer] * len(INSTRUMENT.scale(scale).items))
    rows = org_respondents("Ashby Council", 6, 4, **cells)
    rows += org_respondents("Bexley Health", 6, 4, **cells)
    return result(rows)


def _recommended_scales(outcome: dict) -> set[str]:
    return {code for area in outcome["recommendations"] for code in area["scales"]}


def test_every_scale_of_concern_is_addressed_under_its_action() -> None:
    outcome = _partnership(TRUST=1, CONVERSE=1, COMMIT=1)
    concern = {
        code for code, entry in outcome["partnership"]["scales"].items()
        if entry["band"] == "concern"
    }  # fmt: skip
    assert {"TRUST", "CONVERSE", "COMMIT"} <= concern
    assert concern <= _recommended_scales(outcome)
    for area in outcome["recommendations"]:
        assert all(ACTION_OF[code] == area["action"] for code in area["scales"])
        assert 2 <= len(area["steps"]) <= 4
        assert area["questions"]
        assert area["title"] in {
            "Have the right conversations",
            "Build the right relationships",
            "Bring your organisation to bear",
        }


def test_the_two_lowest_favourable_scores_are_addressed_even_without_a_concern() -> None:
    # Low strain and self-preservation (raw answers of 2) keep every band above concern.
    outcome = _partnership(CASE=5, CHANGE=5, PLACE=5, RELATE=5, COMMIT=5, STRAIN=2, SURVIVAL=2)
    favourable = {}
    for code, entry in outcome["partnership"]["scales"].items():
        better = INSTRUMENT.scale(code).higher_is_better
        favourable[code] = entry["score"] if better else 100 - entry["score"]
    assert not any(e["band"] == "concern" for e in outcome["partnership"]["scales"].values())
    lowest = sorted(favourable, key=favourable.get)[:2]
    assert set(lowest) <= _recommended_scales(outcome)


def test_each_recommendation_carries_the_figures_behind_it() -> None:
    outcome = _partnership(TRUST=1)
    trust_area = next(a for a in outcome["recommendations"] if "TRUST" in a["scales"])
    figure = next(f for f in trust_area["figures"] if f.get("scale") == "TRUST")
    expected = outcome["partnership"]["scales"]["TRUST"]
    assert figure["score"] == expected["score"]
    assert figure["band"] == "concern"
    assert (figure["ci_low"], figure["ci_high"]) == (expected["ci_low"], expected["ci_high"])
    assert f"{expected['score']:.0f} out of 100" in " ".join(trust_area["why"])
    assert {u["unit"] for u in figure["lowest_units"]} <= {"Ashby Council", "Bexley Health"}


def test_the_weakest_action_comes_first() -> None:
    outcome = _partnership(COMMIT=1, TRUST=2)
    priorities = [area["priority"] for area in outcome["recommendations"]]
    assert priorities == sorted(priorities) == list(range(1, len(priorities) + 1))
    assert outcome["recommendations"][0]["action"] == "commitment"


def test_strengths_to_build_on_are_named() -> None:
    outcome = _partnership(CASE=5)
    assert any(s["scale"] == "CASE" and s["band"] == "strength" for s in outcome["strengths"])


def test_there_are_no_recommendations_without_results() -> None:
    outcome = result(org_respondents("Ashby Council", 3))
    assert outcome["recommendations"] == [] and outcome["strengths"] == []


def test_relationship_flags_never_name_an_organisation_merged_for_disclosure() -> None:
    # Cole (2) is merged, and so is Ashby (6, the smallest own unit) to make the
    # combined unit 8; Bexley (7) and Dale (8) are their own units.
    rows = org_respondents("Ashby Council", 6, 4) + org_respondents("Bexley Health", 7, 4)
    rows += org_respondents("Cole Trust", 2, 4) + org_respondents("Dale Fire", 8, 4)
    # Cole's two respondents rate Bexley low (all 1s: trust 0); Bexley's seven rate
    # Cole high (all 4s: trust 100). Under revision 1 that was an asymmetric pair
    # (gap 100) naming Cole; now Cole's view is never shown, so there is no pair.
    ratings = [rating(f"Cole Trust-{i}", "Cole Trust", "Bexley Health", 3, 1) for i in range(2)]
    ratings += [rating(f"Bexley Health-{i}", "Bexley Health", "Cole Trust", 3, 4) for i in range(7)]
    outcome = result(rows, ratings, min_tie_raters=2)
    merged = next(u for u in outcome["units"] if u["combined"])
    assert merged["organisations"] == ["Ashby Council", "Cole Trust"]
    cole = next(t for t in outcome["network"]["ties"] if t["from"] == "Cole Trust")
    assert (cole["raters"], cole["shown"], cole["trust"]) == (2, False, None)
    assert [f for f in outcome["network"]["flags"] if f["type"] != "isolate"] == []
    text = json.dumps([outcome["recommendations"], outcome["strengths"]])
    assert "Cole Trust" not in text
    assert "other pair" not in text
