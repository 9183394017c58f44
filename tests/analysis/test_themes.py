"""Free-text themes: similar answers grouped, with counts (issue 4)."""

from __future__ import annotations

import pandas as pd

from joinedup.analysis.text import themes


def test_similar_answers_form_one_theme_with_their_count() -> None:
    answers = pd.Series(
        ["Hospital discharge delays", "hospital discharge delays", "Delays in hospital discharge",
         "Housing for care leavers", "Housing for care leavers", "Funding"]
    )  # fmt: skip
    found = themes(answers)
    assert [t["count"] for t in found] == [3, 2, 1]
    assert found[0]["label"].lower() == "hospital discharge delays"
    assert set(found[0]["keywords"]) == {"hospital", "discharge", "delays"}
    assert sum(t["count"] for t in found) == len(answers)


def test_theme_labels_and_examples_are_redacted() -> None:
    found = themes(pd.Series(["Call me on 07700 900123 about housing"] * 3))
    assert "07700" not in str(found)
    assert "[phone number removed]" in found[0]["label"]


def test_themes_are_ordered_by_size_then_label() -> None:
    found = themes(pd.Series(["Beta issue", "Alpha issue", "Gamma problem", "Gamma problem"]))
    assert found[0]["label"] == "Gamma problem"
