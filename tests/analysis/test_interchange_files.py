"""Interchange files on disk (SPEC §2): CSV, Excel workbooks and the command line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from joinedup.analysis import Dataset, InputError, Problem, Settings, analyse, read_files, to_json
from joinedup.cli import main
from tests.factories import ITEMS, organisation, rating, response, write_csv

HEADER = ",".join(["respondent_id", "organisation", *ITEMS])
THREES = ",3" * len(ITEMS)


def problems_reading(*paths: Path | None) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_files(*paths)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def place(problem: Problem) -> tuple[str, int | None, str | None]:
    return problem.source, problem.row, problem.column


def assert_same_dataset(first: Dataset, second: Dataset) -> None:
    assert first.rounds == second.rounds
    assert first.listed == second.listed
    pd.testing.assert_frame_equal(first.organisations, second.organisations)
    ids = {"respondent_id": str}
    pd.testing.assert_frame_equal(first.respondents.astype(ids), second.respondents.astype(ids))
    pd.testing.assert_frame_equal(first.ratings, second.ratings)


# ------------------------------------------------------------------ CSV files


def test_a_utf8_csv_file_is_read(tmp_path):
    path = write_csv(tmp_path / "responses.csv", [response("r1", "Café Partnership", 4)])

    built, warnings = read_files(path)

    assert warnings == []
    assert built.organisation_names == ["Café Partnership"]
    assert built.respondents.iloc[0]["CASE1"] == 4


def test_a_byte_order_mark_makes_no_difference(tmp_path):
    responses = [response("r1", "Council", 4), response("r2", "Police", 2)]
    relationships = [rating("r1", "Council", "Police")]
    organisations = [organisation("Council", "local_government"), organisation("Police", "police")]
    plain = tmp_path / "plain"
    marked = tmp_path / "marked"
    plain.mkdir()
    marked.mkdir()

    with_mark, _ = read_files(
        write_csv(marked / "responses.csv", responses, bom=True),
        write_csv(marked / "relationships.csv", relationships, bom=True),
        write_csv(marked / "organisations.csv", organisations, bom=True),
    )
    without_mark, _ = read_files(
        write_csv(plain / "responses.csv", responses),
        write_csv(plain / "relationships.csv", relationships),
        write_csv(plain / "organisations.csv", organisations),
    )

    assert list(with_mark.respondents["respondent_id"]) == ["r1", "r2"]
    assert_same_dataset(with_mark, without_mark)


def test_a_utf16_file_is_a_clear_file_problem(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(f"{HEADER}\nr1,Council{THREES}\n", encoding="utf-16")

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", None, None)
    assert "UTF-16" in problem.message and "UTF-8" in problem.message


def test_a_latin1_file_is_a_problem_naming_the_line_of_the_first_bad_character(tmp_path):
    path = tmp_path / "responses.csv"
    text = f"{HEADER}\nr1,Council{THREES}\nr2,Council{THREES}\nr3,Café{THREES}\n"
    path.write_bytes(text.encode("latin-1"))

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", 4, None)
    assert "not UTF-8" in problem.message


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_a_problem(tmp_path, content):
    path = tmp_path / "responses.csv"
    path.write_bytes(content)

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", None, None)
    assert "empty" in problem.message


def test_rows_with_the_wrong_number_of_cells_are_reported_with_their_rows(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(
        f"{HEADER}\nr1,Council{THREES}\nr2,Council{THREES[:-2]}\n"
        f"r3,Council{THREES}\nr4,Council{THREES},3\n"
    )

    problems = problems_reading(path)

    assert [place(p) for p in problems] == [("responses.csv", 3, None), ("responses.csv", 5, None)]
    assert "has 32 cells but the header has 33 columns" in problems[0].message
    assert "has 34 cells but the header has 33 columns" in problems[1].message


def test_a_semicolon_separated_file_is_read(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(
        HEADER.replace(",", ";") + "\nr1;Council, Housing and Care" + ";4" * len(ITEMS) + "\n"
    )

    built, _ = read_files(path)

    assert built.organisation_names == ["Council, Housing and Care"]
    assert set(built.respondents.iloc[0][ITEMS]) == {4}


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_windows_and_old_mac_line_endings_are_read(tmp_path, newline):
    path = tmp_path / "responses.csv"
    lines = [HEADER, f"r1,Council{THREES}", f"r2,Council,9{THREES[2:]}"]
    path.write_bytes((newline.join(lines) + newline).encode())

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", 3, "CASE1")


def test_a_quoted_cell_spanning_lines_is_still_one_row(tmp_path):
    path = write_csv(
        tmp_path / "responses.csv",
        [
            response("r1", "Council", TEXT_OTHER="first line\nsecond line"),
            response("r2", "Council", CASE1="maybe"),
        ],
    )

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", 3, "CASE1")


def test_a_blank_line_still_counts_as_a_spreadsheet_row(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(f"{HEADER}\nr1,Council{THREES}\n\nr2,Council,9{THREES[2:]}\n")

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", 4, "CASE1")


def test_a_row_of_empty_cells_is_skipped_as_in_a_workbook(tmp_path):
    path = tmp_path / "responses.csv"
    empty_row = "," * (len(ITEMS) + 1)
    path.write_text(f"{HEADER}\nr1,Council{THREES}\n{empty_row}\nr2,Council,9{THREES[2:]}\n")

    problem = only(problems_reading(path))

    assert place(problem) == ("responses.csv", 4, "CASE1")


def test_a_missing_file_is_a_problem(tmp_path):
    problem = only(problems_reading(tmp_path / "responses.csv"))

    assert place(problem) == ("responses.csv", None, None)
    assert "does not exist" in problem.message


def test_missing_relationships_and_organisations_files_are_reported_together(tmp_path):
    responses = write_csv(tmp_path / "responses.csv", [response("r1", "Council")])

    problems = problems_reading(responses, tmp_path / "ratings.csv", tmp_path / "orgs.csv")

    assert sorted(p.source for p in problems) == ["orgs.csv", "ratings.csv"]
    assert all("does not exist" in p.message for p in problems)


def test_a_folder_instead_of_a_file_is_a_problem(tmp_path):
    problem = only(problems_reading(tmp_path))

    assert "folder" in problem.message


# ------------------------------------------------------------- Excel workbooks


Cells = Mapping[str, object]


def write_workbook(path: Path, sheets: dict[str, list[Cells | None]]) -> Path:
    """A workbook with one sheet per entry; a None row is left empty."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = list(dict.fromkeys(key for row in rows if row for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([] if row is None else [row.get(column) for column in columns])
    book.save(path)
    return path


def as_text(rows: list[Cells]) -> list[dict[str, str]]:
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def partnership_cells() -> dict[str, list[Cells]]:
    """A small partnership with numbers as a spreadsheet stores them."""
    responses: list[Cells] = []
    for i in range(5):
        council: dict[str, object] = dict(response(f"C{i}", "Council"))
        council |= {code: 4 for code in ITEMS} | {"CASE2": 5.0, "STRAIN1": "Agree", "SURV1": None}
        council["respondent_id"] = 100 + i
        police: dict[str, object] = dict(response(f"P{i}", "Police", role="manager"))
        police |= {code: 2.0 for code in ITEMS} | {"CASE1": 1 + i, "REL1": "DK"}
        responses += [council, police]
    relationships: list[Cells] = [
        dict(rating("100", "Council", "Police")) | {"contact": 4, "reliable": 3.0, "open": None},
        dict(rating("P1", "Police", "Council")) | {"contact": 2.0, "purpose": 1, "influence": 4},
        dict(rating("P2", "police", "Fire")) | {"contact": 0},
    ]
    organisations: list[Cells] = [
        {"organisation": "Council", "sector": "local_government", "budget_gap_pct": 4.5},
        {"organisation": "Police", "sector": "Police", "demand_growth_pct": 3},
        {"organisation": "Fire", "sector": "fire", "vacancy_rate_pct": 12.25},
    ]
    return {
        "responses": responses,
        "relationships": relationships,
        "organisations": organisations,
    }


def test_a_workbook_gives_the_same_dataset_and_result_as_the_csv_files(tmp_path):
    sheets = partnership_cells()
    book = write_workbook(tmp_path / "book.xlsx", sheets)
    csv_files = [
        write_csv(tmp_path / f"{name}.csv", as_text(rows)) for name, rows in sheets.items()
    ]

    from_book, book_warnings = read_files(Path(book))
    from_csv, csv_warnings = read_files(*csv_files)

    assert book_warnings == csv_warnings == []
    assert len(from_book.respondents) == 10 and len(from_book.ratings) == 3
    assert list(from_book.respondents["respondent_id"])[:2] == ["100", "P0"]
    assert from_book.respondents.iloc[0]["CASE2"] == 5
    assert from_book.organisations.iloc[0]["budget_gap_pct"] == 4.5
    assert_same_dataset(from_book, from_csv)
    assert to_json(analyse(from_book, Settings())) == to_json(analyse(from_csv, Settings()))


def test_errors_in_a_workbook_name_the_workbook_sheet_row_and_column(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx",
        {
            "responses": [response("r1", "Council"), response("r2", "Council") | {"CASE1": 7}],
            "relationships": [rating("r1", "Council", "Police") | {"contact": 9}],
        },
    )

    problems = problems_reading(Path(book))

    assert [place(p) for p in problems] == [
        ("book.xlsx, sheet relationships", 2, "contact"),
        ("book.xlsx, sheet responses", 3, "CASE1"),
    ]
    assert '"7" is not an answer' in problems[1].message


def test_a_fractional_number_in_a_workbook_is_not_an_answer(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx", {"responses": [dict(response("r1", "Council")) | {"PLACE2": 4.5}]}
    )

    problem = only(problems_reading(book))

    assert place(problem) == ("book.xlsx, sheet responses", 2, "PLACE2")
    assert '"4.5"' in problem.message


def test_empty_rows_in_a_sheet_keep_the_row_numbers_a_spreadsheet_shows(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx",
        {"responses": [response("r1", "Council"), None, None, response("r1", "Council")]},
    )

    problem = only(problems_reading(book))

    assert place(problem) == ("book.xlsx, sheet responses", 5, "respondent_id")
    assert "already on row 2" in problem.message


def test_sheet_names_match_ignoring_case(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx",
        {
            "Responses": [response("r1", "Council"), response("r2", "Police")],
            "RELATIONSHIPS": [rating("r1", "Council", "Police")],
        },
    )

    built, _ = read_files(book)

    assert len(built.ratings) == 1


def test_a_workbook_with_one_sheet_of_another_name_is_read_as_responses(tmp_path):
    book = write_workbook(tmp_path / "answers.xlsx", {"Form answers": [response("r1", "Council")]})

    built, _ = read_files(book)

    assert list(built.respondents["respondent_id"]) == ["r1"]


def test_a_workbook_without_a_responses_sheet_is_a_problem(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx", {"Sheet A": [response("r1", "Council")], "Sheet B": []}
    )

    problem = only(problems_reading(book))

    assert place(problem) == ("book.xlsx", None, None)
    assert 'no sheet called "responses"' in problem.message


def test_a_workbook_shows_an_organisation_as_first_spelt(tmp_path):
    book = write_workbook(
        tmp_path / "book.xlsx",
        {"responses": [response("r1", "county council"), response("r2", "County Council")]},
    )

    built, _ = read_files(book)

    assert built.organisation_names == ["county council"]


def test_a_damaged_workbook_is_a_problem(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"this is not a workbook")

    problem = only(problems_reading(path))

    assert place(problem) == ("book.xlsx", None, None)
    assert "could not be opened as an Excel workbook" in problem.message


def test_a_missing_workbook_is_a_problem(tmp_path):
    problem = only(problems_reading(tmp_path / "book.xlsx"))

    assert place(problem) == ("book.xlsx", None, None)
    assert "does not exist" in problem.message


# ----------------------------------------------------------------- command line


def good_files(folder: Path) -> list[str]:
    responses = [response(f"C{i}", "Council", 4) for i in range(5)]
    responses += [response(f"P{i}", "Police", 2) for i in range(5)]
    relationships = [rating("C0", "Council", "Police"), rating("P0", "Police", "Council")]
    return [
        str(write_csv(folder / "responses.csv", responses)),
        "--relationships",
        str(write_csv(folder / "relationships.csv", relationships)),
    ]


def bad_files(folder: Path) -> list[str]:
    responses = [
        response("r1", "Council", CASE1="maybe"),
        response("r1", "Council"),
        response("r3", "Police"),
    ]
    relationships = [rating("r3", "Police", "Police")]
    return [
        str(write_csv(folder / "bad.csv", responses)),
        "--relationships",
        str(write_csv(folder / "ratings.csv", relationships)),
    ]


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_bad_input_exits_2_listing_every_problem_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "result.json"

    status = main(["analyse", *bad_files(tmp_path), "--json", str(out)])

    captured = capsys.readouterr()
    assert status == 2
    assert not out.exists()
    assert captured.out == ""
    errors = one_line(captured.err)
    assert "3 problems" in errors and "Nothing was written" in errors
    assert 'bad.csv row 2, column CASE1: "maybe" is not an answer' in errors
    assert "bad.csv row 3, column respondent_id: this respondent_id is already on row 2" in errors
    assert "ratings.csv row 2, column partner: a respondent cannot rate their own" in errors


def test_bad_input_leaves_an_existing_result_file_unchanged(tmp_path, capsys):
    out = tmp_path / "result.json"
    out.write_text('{"previous": true}\n')

    status = main(["analyse", *bad_files(tmp_path), "--json", str(out)])

    assert status == 2
    assert out.read_text() == '{"previous": true}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_good_input_writes_the_json_result(tmp_path, capsys):
    out = tmp_path / "result.json"

    status = main(["analyse", *good_files(tmp_path), "--json", str(out)])

    assert status == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema"] == "joinedup.analysis/1"
    assert document["instrument"] == "tpd-1"
    assert document["respondents"] == 10
    assert sorted(document["network"]["organisations"]) == ["Council", "Police"]


def test_json_to_standard_output_writes_nothing_else_there(tmp_path, capsys):
    status = main(["analyse", *good_files(tmp_path), "--json", "-"])

    captured = capsys.readouterr()
    assert status == 0
    document = json.loads(captured.out)
    assert document["schema"] == "joinedup.analysis/1"
    assert document["settings"]["min_group_size"] == 5


def test_unknown_columns_are_warned_about_on_the_command_line(tmp_path, capsys):
    responses = write_csv(
        tmp_path / "responses.csv", [response(f"r{i}", "Council", Notes="x") for i in range(5)]
    )

    status = main(["analyse", str(responses), "--json", "-"])

    captured = capsys.readouterr()
    assert status == 0
    assert "warning: responses.csv row 1, column Notes" in one_line(captured.err)
    assert json.loads(captured.out)["respondents"] == 5


def test_a_minimum_group_size_below_3_exits_2_with_a_clear_message(tmp_path, capsys):
    out = tmp_path / "result.json"

    status = main(["analyse", *good_files(tmp_path), "--min-group-size", "2", "--json", str(out)])

    errors = one_line(capsys.readouterr().err)
    assert status == 2
    assert "min" in errors and "group" in errors and "at least 3" in errors
    assert not out.exists()


def test_a_missing_responses_file_exits_2(tmp_path, capsys):
    status = main(["analyse", str(tmp_path / "nowhere.csv")])

    assert status == 2
    assert "nowhere.csv" in capsys.readouterr().err


def test_a_workbook_is_accepted_as_responses(tmp_path, capsys):
    book = write_workbook(tmp_path / "book.xlsx", partnership_cells())
    out = tmp_path / "result.json"

    status = main(["analyse", str(book), "--json", str(out)])

    assert status == 0, capsys.readouterr().err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema"] == "joinedup.analysis/1"
    assert document["respondents"] == 10
    assert sorted(document["network"]["organisations"]) == ["Council", "Fire", "Police"]


def test_a_workbook_with_bad_cells_exits_2_naming_the_sheet(tmp_path, capsys):
    book = write_workbook(
        tmp_path / "book.xlsx", {"responses": [response("r1", "Council") | {"CASE1": 6}]}
    )

    status = main(["analyse", str(book)])

    assert status == 2
    assert "book.xlsx, sheet responses row 2, column CASE1" in one_line(capsys.readouterr().err)


def test_a_json_path_in_a_missing_folder_exits_2_with_a_message(tmp_path, capsys):
    out = tmp_path / "no such folder" / "result.json"

    status = main(["analyse", *good_files(tmp_path), "--json", str(out)])

    assert status == 2
    assert "no such folder" in capsys.readouterr().err
    assert not out.parent.exists()
