"""The relationships file (SPEC §2): ratings of partner organisations."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from joinedup.analysis import InputError, Problem
from tests.factories import RATINGS, dataset, organisation, rating, response


def problems_in(
    responses: list[Mapping[str, str]],
    relationships: list[Mapping[str, str]],
    organisations: list[Mapping[str, str]] | None = None,
) -> list[Problem]:
    """The problems reported for these rows (the import must refuse them)."""
    with pytest.raises(InputError) as caught:
        dataset(responses, relationships, organisations)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def place(problem: Problem) -> tuple[str, int | None, str | None]:
    return problem.source, problem.row, problem.column


PEOPLE = [response("r1", "Council"), response("r2", "Police"), response("r3", "Council")]


def ratings_of(relationships: list[Mapping[str, str]], responses=PEOPLE):
    return dataset(responses, relationships).ratings


# ------------------------------------------------------------- accepted values


def test_a_rating_row_becomes_one_rating_of_the_partner():
    built = dataset(PEOPLE, [rating("r2", "Police", "Council", contact=4, value=2)])

    assert built.organisation_names == ["Council", "Police"]
    row = built.ratings.iloc[0]
    assert (row["respondent"], row["organisation"], row["partner"]) == (1, 1, 0)
    assert row["contact"] == 4
    assert [row[code] for code in RATINGS] == [2, 2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1", 1),
        ("4.0", 4),
        ("Not at all", 1),
        ("A little", 2),
        ("a little", 2),
        (" A FAIR AMOUNT ", 3),
        ("A great deal", 4),
    ],
)
def test_ratings_are_one_to_four_or_their_labels(written, value):
    ratings = ratings_of([rating("r1", "Council", "Police", open=written)])

    assert ratings.iloc[0]["open"] == value
    assert ratings.iloc[0]["reliable"] == 3


@pytest.mark.parametrize("written", ["", "DK", "n/a", "Don't know", "don’t know"])
def test_blank_and_dont_know_ratings_are_missing(written):
    ratings = ratings_of([rating("r1", "Council", "Police", influence=written, contact=written)])

    assert math.isnan(ratings.iloc[0]["influence"])
    assert math.isnan(ratings.iloc[0]["contact"])
    assert ratings.iloc[0]["involved"] == 3


@pytest.mark.parametrize("contact", ["0", "1", "2", "3", "4", "2.0"])
def test_contact_is_zero_to_four(contact):
    ratings = ratings_of([rating("r1", "Council", "Police", contact=contact)])

    assert ratings.iloc[0]["contact"] == float(contact)


def test_respondents_and_organisations_match_ignoring_case_and_spaces():
    ratings = ratings_of([rating(" R1 ", "council ", "  POLICE")])

    row = ratings.iloc[0]
    assert (row["respondent"], row["organisation"], row["partner"]) == (0, 0, 1)


def test_a_partner_named_only_in_relationships_joins_the_partnership():
    built = dataset(PEOPLE, [rating("r1", "Council", "Fire Service")])

    assert built.organisation_names == ["Council", "Fire Service", "Police"]
    assert built.ratings.iloc[0]["partner"] == 1


def test_a_respondent_may_rate_several_partners():
    ratings = ratings_of(
        [rating("r1", "Council", "Police"), rating("r1", "Council", "Fire Service")]
    )

    assert list(ratings["respondent"]) == [0, 0]
    assert len(set(ratings["partner"])) == 2


# ----------------------------------------------------------------- bad values


@pytest.mark.parametrize("written", ["5", "0", "2.5", "lots", "Agree"])
def test_a_rating_outside_one_to_four_is_an_error(written):
    problem = only(
        problems_in(
            PEOPLE,
            [rating("r1", "Council", "Police"), rating("r2", "Police", "Council", purpose=written)],
        )
    )

    assert place(problem) == ("relationships.csv", 3, "purpose")
    assert problem.message.startswith(f'"{written}" is not a rating')
    assert "1-4" in problem.message


@pytest.mark.parametrize("written", ["7", "5", "-1", "weekly"])
def test_a_contact_outside_zero_to_four_is_an_error(written):
    problem = only(
        problems_in(
            PEOPLE,
            [rating("r1", "Council", "Police"), rating("r2", "Police", "Council", contact=written)],
        )
    )

    assert place(problem) == ("relationships.csv", 3, "contact")
    assert problem.message.startswith(f'"{written}" is not a contact frequency')
    assert "0-4" in problem.message


@pytest.mark.parametrize("column", ["respondent_id", "partner", "contact", "reliable", "involved"])
def test_a_missing_required_relationships_column_is_an_error(column):
    row = rating("r1", "Council", "Police")
    del row[column]

    problem = only(problems_in(PEOPLE, [row]))

    assert place(problem) == ("relationships.csv", 1, None)
    assert problem.message == f"the required column {column} is missing"


# ------------------------------------------------------ who rates whom: errors


def test_rating_ones_own_organisation_is_an_error():
    problem = only(
        problems_in(
            PEOPLE, [rating("r1", "Council", "Police"), rating("r3", "Council", " council ")]
        )
    )

    assert place(problem) == ("relationships.csv", 3, "partner")
    assert "own organisation" in problem.message


def test_a_respondent_not_in_responses_is_an_error():
    problem = only(
        problems_in(PEOPLE, [rating("r1", "Council", "Police"), rating("r9", "Council", "Police")])
    )

    assert place(problem) == ("relationships.csv", 3, "respondent_id")
    assert '"r9"' in problem.message and "is not in responses.csv" in problem.message


def test_an_organisation_that_is_not_the_respondents_is_an_error():
    problem = only(
        problems_in(PEOPLE, [rating("r1", "Council", "Police"), rating("r2", "Council", "Fire")])
    )

    assert place(problem) == ("relationships.csv", 3, "organisation")
    assert '"Council" is not the organisation of respondent "r2"' in problem.message
    assert '"Police"' in problem.message


def test_two_rows_of_one_respondent_for_the_same_partner_is_an_error():
    problem = only(
        problems_in(
            PEOPLE,
            [
                rating("r1", "Council", "Police"),
                rating("r3", "Council", "Police"),
                rating("r1", "Council", "Fire"),
                rating(" R1", "COUNCIL", "police "),
            ],
        )
    )

    assert place(problem) == ("relationships.csv", 5, "partner")
    assert "already on row 2" in problem.message


@pytest.mark.parametrize("column", ["respondent_id", "organisation", "partner"])
def test_a_blank_respondent_organisation_or_partner_is_an_error(column):
    blank = rating("r1", "Council", "Police") | {column: " "}

    problem = only(problems_in(PEOPLE, [rating("r2", "Police", "Council"), blank]))

    assert place(problem) == ("relationships.csv", 3, column)
    assert problem.message == f"{column} is blank"


def test_organisation_and_partner_must_be_listed_members_when_a_list_is_given():
    members = [organisation("Council"), organisation("Police", "police")]

    problems = problems_in(
        PEOPLE,
        [
            rating("r1", "Council", "Police"),
            rating("r1", "Council", "Fire Service"),
            rating("r2", "Ambulance Trust", "Council"),
        ],
        members,
    )

    assert [place(p) for p in problems] == [
        ("relationships.csv", 3, "partner"),
        ("relationships.csv", 4, "organisation"),
    ]
    assert '"Fire Service" is not one of the member organisations' in problems[0].message
    assert '"Ambulance Trust" is not one of the member organisations' in problems[1].message
    assert all("organisations.csv" in p.message for p in problems)


def test_several_relationship_problems_are_reported_together_in_row_order():
    problems = problems_in(
        PEOPLE,
        [
            rating("r1", "Council", "Police"),
            rating("r1", "Council", "Council"),
            rating("r9", "Council", "Police"),
            rating("r2", "Council", "Fire"),
            rating("r1", "Council", "Police"),
            rating("r3", "Council", "Police", reliable="5"),
        ],
    )

    assert [(p.row, p.column) for p in problems] == [
        (3, "partner"),
        (4, "respondent_id"),
        (5, "organisation"),
        (6, "partner"),
        (7, "reliable"),
    ]


# -------------------------------------------------------------------- rounds


TWO_ROUNDS = [
    response("r1", "Council", round="Spring"),
    response("r2", "Police", round="Spring"),
    response("r1", "Council", round="Autumn"),
]


def test_ratings_are_matched_to_the_respondent_of_their_round():
    built = dataset(
        TWO_ROUNDS,
        [
            rating("r1", "Council", "Police", round="autumn", reliable="1"),
            rating("r1", "Council", "Police", round=" SPRING ", reliable="4"),
        ],
    )

    assert built.rounds == ["Spring", "Autumn"]
    assert list(built.ratings["round"]) == [1, 0]
    assert list(built.ratings["respondent"]) == [2, 0]
    assert list(built.ratings["reliable"]) == [1, 4]


def test_a_respondent_may_rate_the_same_partner_in_each_round():
    built = dataset(
        TWO_ROUNDS,
        [
            rating("r1", "Council", "Police", round="Spring"),
            rating("r1", "Council", "Police", round="Autumn"),
        ],
    )

    assert len(built.ratings) == 2


def test_without_a_round_column_a_rating_matches_a_respondent_of_one_round_only():
    built = dataset(TWO_ROUNDS, [rating("r2", "Police", "Council")])

    assert list(built.ratings["respondent"]) == [1]
    assert list(built.ratings["round"]) == [0]


def test_without_a_round_column_a_respondent_of_several_rounds_is_ambiguous():
    problem = only(
        problems_in(
            TWO_ROUNDS, [rating("r2", "Police", "Council"), rating("r1", "Council", "Police")]
        )
    )

    assert place(problem) == ("relationships.csv", 3, "respondent_id")
    assert '"r1"' in problem.message and "more than one round" in problem.message
    assert "round column" in problem.message


def test_a_rating_for_a_respondent_absent_from_that_round_is_an_error():
    problem = only(problems_in(TWO_ROUNDS, [rating("r2", "Police", "Council", round="Autumn")]))

    assert place(problem) == ("relationships.csv", 2, "respondent_id")
    assert '"r2"' in problem.message and "in that round" in problem.message


def test_a_blank_round_in_relationships_when_other_rows_name_one_is_an_error():
    problems = problems_in(
        TWO_ROUNDS,
        [
            rating("r1", "Council", "Police", round="Spring"),
            rating("r2", "Police", "Council", round=""),
        ],
    )

    assert ("relationships.csv", 3, "round") in [place(p) for p in problems]


def test_a_relationships_round_column_left_blank_is_as_if_it_were_absent():
    """An empty round column is no information, as it is in responses."""
    built = dataset(TWO_ROUNDS, [rating("r2", "Police", "Council", round="")])

    assert list(built.ratings["respondent"]) == [1]
