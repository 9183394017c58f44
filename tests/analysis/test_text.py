"""Free-text answers: shown only with enough answers, contact details removed (SPEC §5)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories import org_respondents, response, result

ORDINARY = "We need one plan for the town centre."


def answered(texts: list[str], code: str = "TEXT_IMPORTANT", **settings: int) -> dict[str, Any]:
    """The text section for respondents (of two organisations) answering `texts`."""
    rows = [
        response(f"r{i}", ("Ashby Council", "Bexley Health")[i % 2], 3, **{code: text})
        for i, text in enumerate(texts)
    ]
    return result(rows, **settings)["text"][code]


def shown_with(answer: str) -> list[str]:
    """The answers shown when nine people write ORDINARY and one writes `answer`."""
    section = answered([ORDINARY] * 9 + [answer])
    assert section["shown"] is True
    return section["answers"]


# ------------------------------------------------------------------ how many answered


def test_nine_answers_are_not_shown() -> None:
    section = answered([f"Answer number {i}" for i in range(9)])
    assert section["n"] == 9
    assert section["shown"] is False
    assert section["answers"] == []
    assert section["reason"] == "too_few_answers"


def test_ten_answers_are_shown() -> None:
    texts = [f"Answer number {i}" for i in range(10)]
    section = answered(texts)
    assert section["n"] == 10
    assert section["shown"] is True
    assert sorted(section["answers"]) == sorted(texts)


def test_blank_answers_do_not_count() -> None:
    # Nine real answers and three blank ones (empty, spaces, a tab) are still only nine.
    section = answered([f"Answer number {i}" for i in range(9)] + ["", "   ", "\t"])
    assert section["n"] == 9
    assert section["shown"] is False
    assert section["answers"] == []


def test_the_threshold_follows_min_text_group_size() -> None:
    # Seven respondents in all (so there are results at k = 5), three or two of them writing.
    assert answered(["a", "b", "c", "", "", "", ""], min_text_group_size=3)["shown"] is True
    assert answered(["a", "b", "", "", "", "", ""], min_text_group_size=3)["shown"] is False


def test_no_text_is_shown_when_there_are_no_results_at_all() -> None:
    # Three respondents in all is fewer than k = 5: no figure, and no text either.
    section = answered(["a", "b", "c"], min_text_group_size=3)
    assert section["shown"] is False
    assert section["answers"] == []


def test_each_question_is_counted_on_its_own() -> None:
    rows = [
        response(f"r{i}", "Ashby Council", 3, TEXT_IMPORTANT=f"Issue {i}", TEXT_SIDESHOW="")
        for i in range(12)
    ]
    text = result(rows)["text"]
    assert (text["TEXT_IMPORTANT"]["n"], text["TEXT_IMPORTANT"]["shown"]) == (12, True)
    assert (text["TEXT_SIDESHOW"]["n"], text["TEXT_SIDESHOW"]["shown"]) == (0, False)
    assert (text["TEXT_OTHER"]["n"], text["TEXT_OTHER"]["shown"]) == (0, False)


# -------------------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("answer", "removed", "kept"),
    [
        ("Write to jane.doe@ashby.gov.uk about funding", ["jane.doe", "ashby.gov.uk"], "funding"),
        ("Ask j.o'brien+partners@nhs.net first", ["o'brien", "nhs.net"], "first"),
        ("Ring me on 07700 900123 please", ["07700", "900123"], "please"),
        ("Call +44 20 7946 0958 any time", ["+44", "7946", "0958"], "any time"),
        ("Our office (01632) 960 001 is open", ["01632", "960 001"], "is open"),
        ("Mobile 07700900123 after six", ["07700900123"], "after six"),
        ("See https://example.org/plan?year=2024 for details", ["example.org", "plan?"], "details"),
        ("Minutes at www.ashby-partnership.co.uk/minutes now", ["ashby-partnership"], "now"),
        ("Read http://intranet.bexley.nhs.uk/board today", ["intranet", "bexley"], "today"),
    ],
)
def test_contact_details_and_links_are_removed(answer: str, removed: list[str], kept: str) -> None:
    answers = shown_with(answer)
    everything = json.dumps(answers)
    for fragment in removed:
        assert fragment not in everything
    assert any(kept in a for a in answers)
    assert answers.count(ORDINARY) == 9


@pytest.mark.parametrize(
    "answer",
    [
        "Agree the 2024 budget before April",
        "The £5m gap in social care",
        "We had 3 meetings about car parking",
        "Waiting lists grew 12% in 2023/24",
        "Between 2019 and 2024 we lost 40 social workers",
        "1,200 families are waiting for housing",
        "The 2023-24 accounts and the 2025 plan",
        "Cut the 45 minute updates to 10",
    ],
)
def test_ordinary_numbers_are_kept(answer: str) -> None:
    assert answer in shown_with(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "The deadline is 31.03.2025 17:00 sharp",
        "Plans for 2023 2024 2025 were all late",
        "Caseloads of 150 250 300 400 per team",
        "Ward 12 (2024) had 1500 new homes",
    ],
)
def test_ordinary_numbers_next_to_each_other_are_not_taken_for_a_phone_number(answer: str):
    # Dates, times, years and counts side by side are not phone numbers (UK numbers start
    # with 0 or +44); nothing here is a contact detail, so nothing is removed.
    assert answer in shown_with(answer)


def test_a_short_link_without_www_or_a_scheme_is_removed() -> None:
    # A link is a link whatever its top-level domain.
    answers = shown_with("Vote at bit.ly/ashby-plan today")
    assert not any("bit.ly" in a or "ashby-plan" in a for a in answers)


# -------------------------------------------------------------- never by organisation


def test_free_text_is_reported_for_the_partnership_only() -> None:
    rows = org_respondents("Ashby Council", 6, TEXT_IMPORTANT="Housing") + org_respondents(
        "Bexley Health", 6, TEXT_IMPORTANT="Discharge delays"
    )
    outcome = result(rows)
    assert set(outcome["text"]) == {"TEXT_IMPORTANT", "TEXT_SIDESHOW", "TEXT_OTHER"}
    important = outcome["text"]["TEXT_IMPORTANT"]
    assert set(important) == {"n", "shown", "reason", "answers", "themes"}
    assert all(isinstance(a, str) for a in important["answers"])
    assert sorted(important["answers"]) == ["Discharge delays"] * 6 + ["Housing"] * 6
    # No unit or role carries text, and no text entry names an organisation.
    for entry in outcome["units"] + outcome["roles"]:
        assert "Housing" not in json.dumps(entry)
        assert not set(entry) & {"text", "TEXT_IMPORTANT", "answers"}
    assert "Ashby" not in json.dumps(outcome["text"])
    assert "Bexley" not in json.dumps(outcome["text"])


def test_the_order_of_answers_does_not_follow_who_wrote_them() -> None:
    # The same answers, from organisations listed in the opposite order, come out the same:
    # their order cannot be used to tell which organisation wrote which.
    ashby = [f"Ashby view {i}" for i in range(5)]
    bexley = [f"Bexley view {i}" for i in range(5)]

    def answers(first: list[str], second: list[str], names: tuple[str, str]) -> list[str]:
        rows = [response(f"a{i}", names[0], 3, TEXT_OTHER=t) for i, t in enumerate(first)]
        rows += [response(f"b{i}", names[1], 3, TEXT_OTHER=t) for i, t in enumerate(second)]
        return result(rows)["text"]["TEXT_OTHER"]["answers"]

    forward = answers(ashby, bexley, ("Ashby Council", "Bexley Health"))
    backward = answers(bexley, ashby, ("Bexley Health", "Ashby Council"))
    assert forward == backward
    assert sorted(forward) == sorted(ashby + bexley)
