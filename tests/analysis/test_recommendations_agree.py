"""Each reason of a recommendation comes with a step about the same scales or pairs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from joinedup.analysis.recommendations import NAMED, content
from tests.factories import org_respondents, rating, result

ORGANISATIONS = [f"Org {letter}" for letter in "ABCDEFGHIJ"]


@cache
def crowded() -> dict[str, Any]:
    """Ten organisations of five; trust runs one way along the alphabet.

    An earlier organisation trusts a later one (3s, or 4s when they are more
    than three letters apart) and is not trusted back (1s): every one of the
    45 pairs is one-sided, with a gap of 67 or, for distant pairs, 100.
    """
    rows, ratings = [], []
    for index, name in enumerate(ORGANISATIONS):
        people = org_respondents(name, 5, 2 + index % 3)
        rows += people
        for person in people:
            for other_index, partner in enumerate(ORGANISATIONS):
                if partner != name:
                    value = (4 if other_index - index > 3 else 3) if other_index > index else 1
                    ratings.append(rating(person["respondent_id"], name, partner, 3, value))
    return result(rows, ratings)


def _relationships(outcome: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in outcome["recommendations"] if a["action"] == "relationships")


def test_every_reason_is_followed_by_its_own_step() -> None:
    outcome = crowded()
    words = content()
    for area in outcome["recommendations"]:
        assert len(area["reasons"]) == len(area["why"])
        for index, reason in enumerate(area["reasons"]):
            assert area["why"][index] == reason["why"]
            assert area["steps"][index] == reason["step"]
            for code in reason.get("scales", []):
                assert reason["step"] == words["scales"][code]["steps"][0]
            for a, b in reason.get("pairs", []):
                assert a in reason["why"] and b in reason["why"]
                assert a in reason["step"] and b in reason["step"]


def test_a_crowded_network_names_the_pairs_that_matter_most_and_counts_the_rest() -> None:
    outcome = crowded()
    flagged = [f for f in outcome["network"]["flags"] if f["type"] == "asymmetric"]
    assert len(flagged) == 45
    area = _relationships(outcome)
    reason = next(r for r in area["reasons"] if "one-sided" in r["why"])
    assert len(reason["pairs"]) == NAMED
    assert reason["why"].endswith(f"and {45 - NAMED} more pairs: one organisation trusts the "
                                  "other much more than it is trusted back.")  # fmt: skip
    assert area["more"]["asymmetric"] == 45 - NAMED
    # The step is about the same three pairs, not "each one-sided pair" in general.
    for a, b in reason["pairs"]:
        assert f"{a} and {b}" in reason["step"]
    assert "other pairs" not in json.dumps(outcome["recommendations"])


def test_the_widest_trust_gaps_are_named_first() -> None:
    outcome = crowded()
    area = _relationships(outcome)
    reason = next(r for r in area["reasons"] if "one-sided" in r["why"])
    gaps = {(f["a"], f["b"]): f["gap"] for f in outcome["network"]["flags"] if "gap" in f}
    named = [gaps[(a, b)] for a, b in reason["pairs"]]
    assert min(named) >= max(v for k, v in gaps.items() if list(k) not in reason["pairs"])
    assert min(gaps.values()) < min(named)  # the gaps differ, so the order means something


def test_the_summary_fields_are_kept_for_older_readers() -> None:
    for area in crowded()["recommendations"]:
        for key in ("action", "title", "summary", "priority", "scales", "why", "figures",
                    "steps", "questions"):  # fmt: skip
            assert key in area
        assert len(area["steps"]) >= 1 and len(area["steps"]) >= len(area["why"])
