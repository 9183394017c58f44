"""The responses file (SPEC §2): columns, answers, respondents, roles and rounds."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from joinedup.analysis import InputError, Problem, load_tables
from joinedup.analysis.tables import RawTable
from tests.factories import ITEMS, dataset, org_respondents, response, result, table


def problems_in(responses: list[Mapping[str, str]]) -> list[Problem]:
    """The problems reported for these responses rows (the import must refuse them)."""
    with pytest.raises(InputError) as caught:
        dataset(responses)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def place(problem: Problem) -> tuple[str, int | None, str | None]:
    return problem.source, problem.row, problem.column


def answers(built, row: int = 0) -> dict[str, float]:
    return built.respondents.iloc[row][ITEMS].to_dict()


# ------------------------------------------------------------------- answers


@pytest.mark.parametrize("written", ["maybe", "0", "6", "4.5", "-1", "10", "Agreed", "3 stars"])
def test_an_answer_that_is_not_on_the_scale_is_an_error_at_its_cell(written):
    problem = only(
        problems_in([response("r1", "Council"), response("r2", "Council", CHANGE2=written)])
    )

    assert place(problem) == ("responses.csv", 3, "CHANGE2")
    assert problem.message.startswith(f'"{written}" is not an answer')
    assert "1-5" in problem.message and "Don't know" in problem.message


def test_a_bad_answer_is_reported_under_the_header_as_the_file_spells_it():
    rows = [{"Respondent_ID": "r1", "Organisation": "Council"} | {c.lower(): "3" for c in ITEMS}]
    rows[0]["trust2"] = "yes"

    problem = only(problems_in(rows))

    assert place(problem) == ("responses.csv", 2, "trust2")


def test_every_bad_answer_of_a_respondent_is_reported():
    problems = problems_in(
        [response("r1", "Council", CASE1="maybe", CASE2="0", CASE3="6", CASE4="4.5")]
    )

    assert sorted(p.column for p in problems) == ["CASE1", "CASE2", "CASE3", "CASE4"]
    assert {p.row for p in problems} == {2}


def test_answers_are_whole_numbers_one_to_five():
    built = dataset([response("r1", "Council", CASE1="1", CASE2="2", CASE3="3", CASE4="4")])

    values = answers(built)
    assert [values[c] for c in ("CASE1", "CASE2", "CASE3", "CASE4", "CHANGE1")] == [1, 2, 3, 4, 3]


@pytest.mark.parametrize(("written", "value"), [("4.0", 4), (" 5 ", 5), ("1.0", 1), ("2.00", 2)])
def test_a_whole_number_written_with_a_decimal_point_or_spaces_is_accepted(written, value):
    built = dataset([response("r1", "Council", TRUST1=written)])

    assert answers(built)["TRUST1"] == value


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Strongly disagree", 1),
        ("disagree", 2),
        ("NEITHER AGREE NOR DISAGREE", 3),
        ("  Agree  ", 4),
        ("strongly Agree", 5),
    ],
)
def test_the_five_answer_labels_are_accepted_in_any_case(written, value):
    built = dataset([response("r1", "Council", REL2=written)])

    assert answers(built)["REL2"] == value


@pytest.mark.parametrize(
    "written", ["", "   ", "DK", "dk", "N/A", "n/a", "Don't know", "DON'T KNOW", "Don’t know"]
)
def test_blank_and_dont_know_answers_are_missing(written):
    built = dataset([response("r1", "Council", SURV3=written)])

    assert math.isnan(answers(built)["SURV3"])
    assert answers(built)["SURV2"] == 3


def test_reverse_worded_answers_are_stored_as_answered():
    built = dataset([response("r1", "Council", CHANGE4="Strongly agree")])

    assert answers(built)["CHANGE4"] == 5


# ------------------------------------------------------------------- columns


def test_headers_match_ignoring_case_and_surrounding_spaces():
    row = {" RESPONDENT_ID ": "r1", "Organisation": "Council", " Role": "manager"}
    row |= {f" {code.lower()} ": "Agree" for code in ITEMS}
    row |= {"text_important": "housing"}

    built = dataset([row])

    assert list(built.respondents["respondent_id"]) == ["r1"]
    assert built.organisation_names == ["Council"]
    assert list(built.respondents["role"]) == ["manager"]
    assert set(answers(built).values()) == {4}
    assert list(built.respondents["TEXT_IMPORTANT"]) == ["housing"]


@pytest.mark.parametrize("column", ["respondent_id", "organisation", "CASE1", "COMMIT3"])
def test_a_missing_required_column_is_an_error(column):
    row = response("r1", "Council")
    del row[column]

    problem = only(problems_in([row]))

    assert place(problem) == ("responses.csv", 1, None)
    assert problem.message == f"the required column {column} is missing"


def test_every_missing_column_is_reported():
    row = response("r1", "Council")
    for code in ("CASE2", "PLACE1", "REL3"):
        del row[code]

    problems = problems_in([row])

    assert {p.message for p in problems} == {
        "the required column CASE2 is missing",
        "the required column PLACE1 is missing",
        "the required column REL3 is missing",
    }
    assert {(p.source, p.row) for p in problems} == {("responses.csv", 1)}


def test_a_column_given_twice_is_an_error():
    columns = ["respondent_id", "organisation", *ITEMS, " case1 "]
    rows = [response("r1", "Council") | {" case1 ": "3"}]

    with pytest.raises(InputError) as caught:
        load_tables(table("responses.csv", rows, columns))

    problem = only(caught.value.problems)
    assert place(problem) == ("responses.csv", 1, " case1 ")
    assert "CASE1 appears more than once" in problem.message


def test_role_round_and_free_text_columns_are_optional():
    built, warnings = load_tables(table("responses.csv", [response("r1", "Council")]))

    assert warnings == []
    assert list(built.respondents["role"]) == [None]
    assert built.rounds == [""]
    for code in ("TEXT_IMPORTANT", "TEXT_SIDESHOW", "TEXT_OTHER"):
        assert list(built.respondents[code]) == [""]


def test_free_text_is_kept_as_written():
    built = dataset(
        [response("r1", "Council", TEXT_IMPORTANT="Housing, and  transport", TEXT_OTHER="")]
    )

    assert list(built.respondents["TEXT_IMPORTANT"]) == ["Housing, and  transport"]
    assert list(built.respondents["TEXT_OTHER"]) == [""]


def test_a_column_without_a_header_is_a_warning():
    columns = ["respondent_id", "organisation", *ITEMS, ""]
    rows = [response("r1", "Council") | {"": "stray"}]

    built, warnings = load_tables(table("responses.csv", rows, columns))

    assert [(w.source, w.row) for w in warnings] == [("responses.csv", 1)]
    assert "no header" in warnings[0].message
    assert len(built.respondents) == 1


def test_a_file_with_only_a_header_has_no_respondents():
    empty = RawTable.from_records("responses.csv", ["respondent_id", "organisation", *ITEMS], [])

    built, _ = load_tables(empty)

    assert len(built.respondents) == 0


# --------------------------------------------------------------- respondents


def test_respondent_ids_are_kept_as_written():
    built = dataset([response("RESP-001", "Council"), response("x 2", "Council")])

    assert list(built.respondents["respondent_id"]) == ["RESP-001", "x 2"]


def test_a_duplicate_respondent_id_is_an_error_naming_the_first_row():
    problem = only(
        problems_in([response("r1", "Council"), response("r2", "Police"), response("r1", "Police")])
    )

    assert place(problem) == ("responses.csv", 4, "respondent_id")
    assert "already on row 2" in problem.message


def test_respondent_ids_differing_only_in_case_or_spaces_are_duplicates():
    problems = problems_in(
        [response("r1", "Council"), response(" R1 ", "Council"), response("R1", "Council")]
    )

    assert [place(p) for p in problems] == [
        ("responses.csv", 3, "respondent_id"),
        ("responses.csv", 4, "respondent_id"),
    ]
    assert all("already on row 2" in p.message for p in problems)


@pytest.mark.parametrize("written", ["", "   "])
def test_a_blank_respondent_id_is_an_error(written):
    problems = problems_in([response("r1", "Council"), response(written, "Council")])

    problem = only(problems)
    assert place(problem) == ("responses.csv", 3, "respondent_id")
    assert problem.message == "respondent_id is blank"


def test_blank_respondent_ids_are_not_duplicates_of_each_other():
    problems = problems_in([response("", "Council"), response("", "Council")])

    assert [p.message for p in problems] == ["respondent_id is blank", "respondent_id is blank"]


@pytest.mark.parametrize("written", ["", "  "])
def test_a_blank_organisation_is_an_error(written):
    problem = only(problems_in([response("r1", "Council"), response("r2", written)]))

    assert place(problem) == ("responses.csv", 3, "organisation")
    assert problem.message == "organisation is blank"


# --------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("executive", "executive"),
        ("Chief executive or executive director", "executive"),
        ("senior_manager", "senior_manager"),
        ("Senior manager", "senior_manager"),
        (" SENIOR MANAGER ", "senior_manager"),
        ("manager", "manager"),
        ("Practitioner or front-line staff", "practitioner"),
        ("practitioner", "practitioner"),
        ("Other role", "other"),
        ("other", "other"),
        ("", None),
    ],
)
def test_a_role_is_given_by_its_code_or_its_label(written, code):
    built = dataset([response("r1", "Council", role=written)])

    assert list(built.respondents["role"]) == [code]


@pytest.mark.parametrize("written", ["boss", "director", "chief"])
def test_a_role_that_is_not_one_of_the_five_is_an_error(written):
    problem = only(
        problems_in(
            [response("r1", "Council", role="manager"), response("r2", "Council", role=written)]
        )
    )

    assert place(problem) == ("responses.csv", 3, "role")
    assert problem.message.startswith(f'"{written}" is not a role')
    assert "executive, senior_manager, manager, practitioner, other" in problem.message


# -------------------------------------------------------------------- rounds


def test_rounds_are_ordered_as_their_labels_first_appear():
    built = dataset(
        [
            response("r1", "Council", round="Spring 2025"),
            response("r2", "Council", round="Autumn 2024"),
            response("r3", "Council", round="Spring 2025"),
            response("r4", "Council", round="Autumn 2024"),
        ]
    )

    assert built.rounds == ["Spring 2025", "Autumn 2024"]
    assert list(built.respondents["round"]) == [0, 1, 0, 1]


def test_round_labels_match_ignoring_case_and_spaces_and_show_the_first_spelling():
    built = dataset(
        [
            response("r1", "Council", round="wave one"),
            response("r2", "Council", round=" Wave One "),
            response("r3", "Council", round="WAVE TWO"),
            response("r4", "Council", round="Wave One"),
        ]
    )

    assert built.rounds == ["wave one", "WAVE TWO"]
    assert list(built.respondents["round"]) == [0, 0, 1, 0]


def test_a_round_column_left_blank_throughout_means_one_round():
    built = dataset([response("r1", "Council", round=""), response("r2", "Council", round="")])

    assert built.rounds == [""]
    assert list(built.respondents["round"]) == [0, 0]


def test_the_result_is_for_the_round_that_appears_last():
    rows = [row | {"round": "2025"} for row in org_respondents("Council", 5, 4)]
    rows += [row | {"round": "2024"} for row in org_respondents("Council", 6, 2)]

    analysed = result(rows)

    assert analysed["round"] == "2024"
    assert analysed["respondents"] == 6


def test_a_blank_round_when_other_rows_name_one_is_an_error():
    problem = only(
        problems_in(
            [
                response("r1", "Council", round="2024"),
                response("r2", "Council", round=""),
                response("r3", "Council", round="2025"),
            ]
        )
    )

    assert place(problem) == ("responses.csv", 3, "round")
    assert "round" in problem.message and "blank" in problem.message


def test_a_respondent_id_may_repeat_across_rounds():
    built = dataset(
        [response("r1", "Council", round="2024"), response("R1 ", "Council", round="2025")]
    )

    assert built.rounds == ["2024", "2025"]
    assert list(built.respondents["round"]) == [0, 1]


def test_a_respondent_id_repeated_within_one_round_is_an_error():
    problem = only(
        problems_in(
            [
                response("r1", "Council", round="2024"),
                response("r1", "Council", round="2025"),
                response("r1", "Police", round="2024"),
            ]
        )
    )

    assert place(problem) == ("responses.csv", 4, "respondent_id")
    assert "in this round" in problem.message and "already on row 2" in problem.message
