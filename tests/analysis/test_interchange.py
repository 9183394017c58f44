"""Interchange files (SPEC §2): how problems are reported, and the organisations file.

Responses, relationships and the files themselves (CSV, workbooks, the command
line) have their own modules: test_interchange_responses.py,
test_interchange_relationships.py and test_interchange_files.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from joinedup.analysis import InputError, Problem, load_tables
from tests.factories import dataset, organisation, rating, response, table


def problems_in(
    responses: list[Mapping[str, str]],
    relationships: list[Mapping[str, str]] | None = None,
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


# ------------------------------------------------------- every problem at once


def test_bad_input_raises_input_error_holding_problem_objects():
    with pytest.raises(InputError) as caught:
        dataset([response("r1", "Council", CASE1="maybe")])

    problem = only(caught.value.problems)
    assert isinstance(problem, Problem)
    assert problem == Problem("responses.csv", 2, "CASE1", problem.message)
    assert problem.message.startswith('"maybe" is not an answer (1-5')


def test_every_problem_in_a_file_is_reported_at_once_in_row_order():
    rows = [
        response("r1", "Council"),
        response("r2", "Council", CASE1="maybe"),
        response("r1", "Council"),
        response("r4", "Council", role="boss"),
        response("r5", ""),
        response("", "Council"),
        response("r7", "Council", COMMIT3="6"),
    ]

    problems = problems_in(rows)

    assert all(isinstance(problem, Problem) for problem in problems)
    assert [(p.row, p.column) for p in problems] == [
        (3, "CASE1"),
        (4, "respondent_id"),
        (5, "role"),
        (6, "organisation"),
        (7, "respondent_id"),
        (8, "COMMIT3"),
    ]
    messages = [p.message for p in problems]
    assert '"maybe"' in messages[0]
    assert "already on row 2" in messages[1]
    assert '"boss" is not a role' in messages[2]
    assert "organisation is blank" in messages[3]
    assert "respondent_id is blank" in messages[4]
    assert '"6"' in messages[5]


def test_problems_in_all_three_files_are_reported_together():
    problems = problems_in(
        [response("r1", "Council", CASE2="7"), response("r2", "Police")],
        [rating("r1", "Council", "Police", contact="9")],
        [organisation("Council", "local_government"), organisation("Police", "constabulary")],
    )

    assert [place(p) for p in problems] == [
        ("organisations.csv", 3, "sector"),
        ("relationships.csv", 2, "contact"),
        ("responses.csv", 2, "CASE2"),
    ]


def test_the_error_message_lists_each_problem_with_file_row_and_column():
    with pytest.raises(InputError) as caught:
        dataset([response("r1", "Council", CASE1="maybe"), response("r1", "Council")])

    text = str(caught.value)
    assert text.startswith("2 problems in the input")
    assert 'responses.csv row 2, column CASE1: "maybe" is not an answer' in text
    assert "responses.csv row 3, column respondent_id: this respondent_id is already on row 2" in (
        text
    )


def test_relationship_cells_are_checked_even_when_responses_lack_a_column():
    """Every problem at once: a missing responses column must not hide a bad rating."""
    broken = response("r1", "Council")
    del broken["CASE3"]

    problems = problems_in([broken], [rating("r1", "Council", "Police", contact="7")])

    assert [place(p) for p in problems] == [
        ("relationships.csv", 2, "contact"),
        ("responses.csv", 1, None),
    ]
    assert '"7"' in problems[0].message
    assert "CASE3" in problems[1].message


def test_unknown_columns_are_warnings_and_are_ignored():
    rows = [response("r1", "Council", Notes="met at the away day")]

    built, warnings = load_tables(table("responses.csv", rows))

    assert warnings == [
        Problem("responses.csv", 1, "Notes", "this column is not one Joined Up uses; ignored")
    ]
    assert "Notes" not in built.respondents.columns
    assert len(built.respondents) == 1


def test_warnings_travel_with_the_error_when_the_input_is_refused():
    rows = [response("r1", "Council", CASE1="maybe", Notes="x")]

    with pytest.raises(InputError) as caught:
        load_tables(table("responses.csv", rows))

    assert [place(w) for w in caught.value.warnings] == [("responses.csv", 1, "Notes")]
    assert [place(p) for p in caught.value.problems] == [("responses.csv", 2, "CASE1")]


# ------------------------------------------------------------ organisation names


def test_organisation_names_match_ignoring_case_and_surrounding_spaces():
    built = dataset(
        [
            response("r1", "Big Council"),
            response("r2", "  big council "),
            response("r3", "BIG COUNCIL"),
            response("r4", "Police"),
        ]
    )

    assert built.organisation_names == ["Big Council", "Police"]
    assert list(built.respondents["organisation"]) == [0, 0, 0, 1]


def test_an_organisation_is_shown_as_first_spelt():
    """Web uploads and workbooks build tables in memory; the first spelling must win there too."""
    built = dataset([response("r1", "big council"), response("r2", "Big Council")])

    assert built.organisation_names == ["big council"]


def test_an_organisation_is_shown_as_the_organisations_file_spells_it():
    built = dataset(
        [response("r1", "the police"), response("r2", " COUNTY COUNCIL")],
        organisations=[organisation("County Council"), organisation("The Police", "police")],
    )

    assert built.organisation_names == ["County Council", "The Police"]
    assert list(built.respondents["organisation"]) == [1, 0]
    assert built.listed is True


def test_a_response_naming_an_organisation_not_in_the_organisations_file_is_an_error():
    problem = only(
        problems_in(
            [response("r1", "Council"), response("r2", "Fire Service")],
            organisations=[organisation("Council"), organisation("Police", "police")],
        )
    )

    assert place(problem) == ("responses.csv", 3, "organisation")
    assert '"Fire Service" is not one of the member organisations' in problem.message
    assert "organisations.csv" in problem.message


def test_the_unknown_organisation_message_quotes_the_cell_as_written():
    problems = problems_in(
        [response("r1", "fire service"), response("r2", "Fire Service")],
        organisations=[organisation("Council")],
    )

    assert [place(p) for p in problems] == [
        ("responses.csv", 2, "organisation"),
        ("responses.csv", 3, "organisation"),
    ]
    assert problems[0].message.startswith('"fire service" is not')
    assert problems[1].message.startswith('"Fire Service" is not')


def test_without_an_organisations_file_any_organisation_is_accepted():
    built = dataset([response("r1", "Council"), response("r2", "Anyone at all")])

    assert built.organisation_names == ["Anyone at all", "Council"]
    assert built.listed is False
    assert list(built.organisations["sector"]) == [None, None]


def test_listed_organisations_without_respondents_are_members_of_the_partnership():
    built = dataset(
        [response("r1", "Council")],
        organisations=[organisation("Council"), organisation("Police", "police")],
    )

    assert built.organisation_names == ["Council", "Police"]


# ------------------------------------------------------------ organisations file


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("local_government", "local_government"),
        ("Local government", "local_government"),
        (" LOCAL GOVERNMENT ", "local_government"),
        ("health", "health"),
        ("Health and care", "health"),
        ("police", "police"),
        ("Fire and rescue", "fire"),
        ("ambulance", "ambulance"),
        ("Schools and colleges", "education"),
        ("Voluntary", "voluntary"),
        ("Voluntary and community sector", "voluntary"),
        ("housing", "housing"),
        ("Other", "other"),
    ],
)
def test_a_sector_is_given_by_its_code_or_its_label(written, code):
    built = dataset([response("r1", "Council")], organisations=[organisation("Council", written)])

    assert list(built.organisations["sector"]) == [code]


@pytest.mark.parametrize("written", ["council", "NHS", "private", "7"])
def test_a_sector_that_is_not_one_of_the_nine_is_an_error(written):
    problem = only(
        problems_in(
            [response("r1", "Council")],
            organisations=[organisation("Police", "police"), organisation("Council", written)],
        )
    )

    assert place(problem) == ("organisations.csv", 3, "sector")
    assert f'"{written}" is not a sector' in problem.message
    assert "local_government" in problem.message and "voluntary" in problem.message


def test_a_blank_sector_is_an_error():
    problem = only(
        problems_in([response("r1", "Council")], organisations=[organisation("Council", "")])
    )

    assert place(problem) == ("organisations.csv", 2, "sector")
    assert "sector is blank" in problem.message


def test_pressure_indicators_are_read_as_numbers():
    built = dataset(
        [response("r1", "Council")],
        organisations=[
            organisation(
                "Council",
                budget_gap_pct="4.5",
                demand_growth_pct=" 12% ",
                vacancy_rate_pct="",
            )
        ],
    )

    row = built.organisations.iloc[0]
    assert row["budget_gap_pct"] == 4.5
    assert row["demand_growth_pct"] == 12.0
    assert math.isnan(row["vacancy_rate_pct"])


def test_pressure_indicators_are_optional():
    built = dataset([response("r1", "Council")], organisations=[organisation("Council")])

    assert math.isnan(built.organisations.iloc[0]["budget_gap_pct"])


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("budget_gap_pct", "a lot"),
        ("demand_growth_pct", "4,5"),
        ("vacancy_rate_pct", "nan"),
        ("budget_gap_pct", "inf"),
    ],
)
def test_a_pressure_indicator_that_is_not_a_number_is_an_error(column, written):
    problem = only(
        problems_in(
            [response("r1", "Council")],
            organisations=[organisation("Police"), organisation("Council", **{column: written})],
        )
    )

    assert place(problem) == ("organisations.csv", 3, column)
    assert f'"{written}" is not a number' in problem.message


def test_an_organisation_listed_twice_is_an_error_even_spelt_differently():
    problems = problems_in(
        [response("r1", "Council")],
        organisations=[
            organisation("Council"),
            organisation("Police", "police"),
            organisation(" council ", "local_government"),
        ],
    )

    problem = only(problems)
    assert place(problem) == ("organisations.csv", 4, "organisation")
    assert "already on row 2" in problem.message


def test_a_blank_organisation_in_the_organisations_file_is_an_error():
    problem = only(
        problems_in(
            [response("r1", "Council")],
            organisations=[organisation("Council"), organisation("  ", "police")],
        )
    )

    assert place(problem) == ("organisations.csv", 3, "organisation")
    assert "organisation is blank" in problem.message


@pytest.mark.parametrize("column", ["organisation", "sector"])
def test_the_organisations_file_needs_organisation_and_sector(column):
    rows = [organisation("Council")]
    for row in rows:
        del row[column]

    problem = only(problems_in([response("r1", "Council")], organisations=rows))

    assert place(problem) == ("organisations.csv", 1, None)
    assert f"the required column {column} is missing" in problem.message
