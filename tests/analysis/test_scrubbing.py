"""What free-text scrubbing removes, and what it leaves: one table of inputs and outputs."""

from __future__ import annotations

import pytest

from joinedup.analysis.text import is_nhs_number, redact
from tests.factories import response, result

NAME = "[name removed]"
PARTNERSHIP = ["Northshire Police", "Charlotte Mason College", "St Helens Council"]

CAUGHT = [
    # postcodes
    ("Our office is at NE1 4ST now", "Our office is at [postcode removed] now"),
    ("post to sw1a 1aa", "post to [postcode removed]"),
    ("B338TH", "[postcode removed]"),
    # National Insurance numbers
    ("NI AB 12 34 56 C", "NI [National Insurance number removed]"),
    ("ni: ab123456c", "ni: [National Insurance number removed]"),
    # NHS numbers (the check digit is right)
    ("NHS no 943 476 5919.", "NHS no [NHS number removed]."),
    ("ref 9434765919", "ref [NHS number removed]"),
    ("ref 943-476-5919", "ref [NHS number removed]"),
    # people's names
    ("Sarah was very helpful", f"{NAME} was very helpful"),
    ("I spoke to Mark Jones about it", f"I spoke to {NAME} about it"),
    ("Sarah Okonkwo led the board", f"{NAME} led the board"),
    ("Anne J. Price said no", f"{NAME} said no"),
    ("Cllr Okafor chaired it", f"{NAME} chaired it"),
    ("Dr Anne Price agreed", f"{NAME} agreed"),
    ("Mrs. Hughes agreed", f"{NAME} agreed"),
    ("Cllr Patel Council meetings", f"{NAME} Council meetings"),
    ("Richard's team is great", f"{NAME}'s team is great"),
    ("Karen Smith-Jones came", f"{NAME} came"),
    ("Sean O'Brien said", f"{NAME} said"),
    ("Priya Patel and Mohammed helped", f"{NAME} and {NAME} helped"),
    ("Will Smith asked", f"{NAME} asked"),
    ("ask Dave", f"ask {NAME}"),
    # everything at once, with what was there before
    (
        "Email sarah@x.org or Sarah on 0191 123 4567",
        f"Email [e-mail address removed] or {NAME} on [phone number removed]",
    ),
]

LEFT = [
    # organisation names of the partnership
    "Northshire Police were great",
    "Charlotte Mason College is doing well",
    "st helens council took the lead",
    # words that are also given names
    "Will you come?",
    "We need Hope and Faith in this",
    "May was a busy month",
    "Bill the partners for it",
    "Mark the dates",
    "Rich partners give more",
    "Grace under pressure",
    "Frank conversations are needed",
    "Forum members agreed",
    "Harsh words were said",
    # places and organisations that hold a given name
    "Victoria Road is closed",
    "Grace Hospital took part",
    "St Helens is our patch",
    "Sarah House opened",
    # numbers that are not identifiers
    "not 943 476 5918",
    "We spent 1234567890 pounds",
    "By Q3 4th week",
    "the district NE1 only",
    "The M6 4pm jam",
    "In 2023 2024 2025 we grew",
    "Cases rose 10% to 4,567,890",
    # what the rules do not catch (see joinedup.analysis.names)
    "Smith said so",
    "sarah said so",
    "NHS England and ICB leads",
]


@pytest.mark.parametrize(("text", "expected"), CAUGHT, ids=[t for t, _ in CAUGHT])
def test_identifying_details_are_removed(text: str, expected: str) -> None:
    assert redact(text, PARTNERSHIP) == expected


@pytest.mark.parametrize("text", LEFT)
def test_ordinary_words_places_organisations_and_numbers_are_left(text: str) -> None:
    assert redact(text, PARTNERSHIP) == text


def test_without_the_partnership_names_a_name_inside_an_organisation_would_go() -> None:
    # Why the analysis passes the organisation names: it is their protection.
    assert redact("Charlotte Mason College is doing well") != (
        "Charlotte Mason College is doing well"
    )


def test_the_nhs_check_digit_is_the_modulus_11_of_the_weighted_digits() -> None:
    # Worked: 9×10+4×9+3×8+4×7+7×6+6×5+5×4+9×3+1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
    assert is_nhs_number("9434765919")
    assert not any(is_nhs_number(f"943476591{d}") for d in "012345678")
    # A remainder of 1 would need check digit 10: never issued, never valid.
    assert not any(is_nhs_number(f"100000001{d}") for d in "0123456789")


def test_an_analysed_answer_naming_a_colleague_is_shown_without_the_name() -> None:
    rows = [
        response(f"r{i}", ("Northshire Police", "Bexley Health")[i % 2], 3, TEXT_IMPORTANT=text)
        for i, text in enumerate(
            ["Northshire Police and Sarah Okonkwo at NE1 4ST made it work"]
            + ["We need one plan for the town centre."] * 9
        )
    ]
    answers = result(rows)["text"]["TEXT_IMPORTANT"]["answers"]
    assert f"Northshire Police and {NAME} at [postcode removed] made it work" in answers
    assert not any("Okonkwo" in answer or "NE1" in answer for answer in answers)
