"""What exports must never do: run a formula, show a merged organisation, leak suppressed text.

Organisation names come from users and free text from respondents: a cell that begins
like a formula is neutralised with a leading apostrophe (OWASP, "CSV Injection"), while
numbers, negative ones included, stay numbers. Disclosure control (SPEC §3.5) holds in
every export, and suppressed free text (SPEC §5) appears in none.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
import pytest

from joinedup.reports.exports import neutralise, to_csv, to_csv_zip, to_graphml, to_xlsx
from tests.factories import org_respondents, rating, result
from tests.reports.test_exports import MERGED, PRIVATE, partnership, records, workbook

LINK = '=HYPERLINK("http://x")'
PHONE = "+44 20"
DASH = "-rf"
SUM = "@SUM(A1)"
HOSTILE = (LINK, PHONE, DASH, SUM)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NETWORK_SHEETS = {"Network ties", "Members", "Flags"}
NETWORK_FILES = {"ties.csv", "members.csv", "flags.csv"}


@cache
def hostile() -> dict[str, Any]:
    """Four organisations named like formulas; everyone answers "=1+1".

    "-rf" rates itself low on everything (COMMIT 0) while partners value it highly
    (100), so its perception gap is -100: a negative number that must stay a number.
    """
    rows = []
    for index, name in enumerate(HOSTILE):
        answer = 1 if name == DASH else 4
        rows += org_respondents(name, 5, answer, prefix=f"o{index}", TEXT_IMPORTANT="=1+1")
    # Three raters per tie, so that each is shown (SPEC §4.4: default 3).
    ratings = [
        rating(f"o{i}-{r}", name, DASH, 3, 4)
        for i, name in enumerate(HOSTILE)
        if name != DASH
        for r in range(3)
    ]
    ratings += [rating(f"o2-{r}", DASH, LINK, 3, 1) for r in range(3)]
    return result(rows, ratings)


def xlsx_cells(outcome: dict[str, Any]) -> list[tuple[str, Any]]:
    """(sheet, cell) for every cell of the exported workbook."""
    book = workbook(outcome)
    return [
        (sheet.title, cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def csv_cells(outcome: dict[str, Any], folder: Path) -> list[tuple[str, str]]:
    """(file, cell) for every cell of every exported CSV file, header included."""
    cells = []
    for path in to_csv(outcome, folder):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [(path.name, cell) for row in csv.reader(handle) for cell in row]
    return cells


# -------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-rf", "'-rf"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Northshire Council", "Northshire Council"),
        ("A-1 = fine", "A-1 = fine"),
    ],
)
def test_text_that_begins_like_a_formula_gets_a_leading_apostrophe(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_no_workbook_cell_is_a_formula_and_every_hostile_name_is_shown_as_text() -> None:
    cells = xlsx_cells(hostile())
    for sheet, cell in cells:
        assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_START), (sheet, cell.value)
    texts = {cell.value for _, cell in cells if isinstance(cell.value, str)}
    assert {"'" + name for name in HOSTILE} <= texts
    assert "'=1+1" in texts
    assert not set(HOSTILE) & texts


def test_negative_numbers_stay_numbers_in_the_workbook() -> None:
    sheet = workbook(hostile())["Perception gaps"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "'" + DASH)
    gap = row[header.index("Gap")]
    assert gap.data_type == "n" and gap.value == -100


def test_no_csv_cell_begins_like_a_formula_unless_it_is_a_number(tmp_path: Path) -> None:
    cells = csv_cells(hostile(), tmp_path)
    negative = 0
    for name, cell in cells:
        if cell.startswith(FORMULA_START):
            negative += 1
            assert float(cell) < 0, (name, cell)  # a negative number: it stays a number
    assert negative > 0
    texts = {cell for _, cell in cells}
    assert {"'" + name for name in HOSTILE} | {"'=1+1"} <= texts
    assert not set(HOSTILE) & texts


def test_the_zip_is_neutralised_too() -> None:
    archive = to_csv_zip(hostile())
    assert b"'=HYPERLINK" in zipfile.ZipFile(io.BytesIO(archive)).read("ties.csv")


# ------------------------------------------------------------ disclosure


def allowed_in_workbook(sheet: str, row: dict[str, Any], column: str) -> bool:
    """Where a merged organisation may be named: its unit's list, the summary, the network."""
    if sheet in NETWORK_SHEETS:
        return True
    if sheet == "Summary":
        return str(row.get("Item", "")).startswith("Combined as")
    return row.get("Combined") == "yes" and column in ("Organisations", "Organisations or roles")


def test_a_merged_organisation_is_named_only_in_its_combined_unit_and_the_network() -> None:
    book = workbook(partnership())
    seen: dict[str, set[str]] = {name: set() for name in MERGED}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for values in rows[1:]:
            row = dict(zip(rows[0], values, strict=True))
            for column, value in row.items():
                for name in MERGED:
                    if isinstance(value, str) and name in value:
                        seen[name].add(sheet.title)
                        assert allowed_in_workbook(sheet.title, row, str(column)), (
                            sheet.title,
                            column,
                            value,
                        )
    for name in MERGED:
        assert {"Summary", "Units", "Members"} <= seen[name]


def test_a_merged_organisation_is_never_given_a_figure_in_csv(tmp_path: Path) -> None:
    for path in to_csv(partnership(), tmp_path):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for column, value in row.items():
                if any(name in value for name in MERGED):
                    assert path.name in NETWORK_FILES or (
                        path.name == "groups.csv"
                        and row["combined"] == "true"
                        and column == "members"
                    ), (path.name, column, value)


def test_a_figure_for_a_merged_organisation_slipped_into_a_result_is_not_exported(
    tmp_path: Path,
) -> None:
    outcome = copy.deepcopy(partnership())
    outcome["perception_gaps"].append(
        {"organisation": MERGED[0], "self_commit": 10.0, "value_received": 90.0, "gap": -80.0,
         "flagged": True}
    )  # fmt: skip
    gaps = records(workbook(outcome)["Perception gaps"])
    assert MERGED[0] not in {row["Organisation"] for row in gaps}
    to_csv(outcome, tmp_path)
    assert MERGED[0] not in (tmp_path / "perception_gaps.csv").read_text("utf-8-sig")


# ----------------------------------------------------------- free text


def test_suppressed_free_text_appears_in_no_export(tmp_path: Path) -> None:
    outcome = partnership()
    assert outcome["text"]["TEXT_OTHER"] == {
        "n": 3, "shown": False, "reason": "too_few_answers", "answers": [], "themes": []
    }  # fmt: skip
    # Even if a stored result carried the answers of a suppressed question, they stay out.
    outcome["text"]["TEXT_OTHER"]["answers"] = [PRIVATE] * 3
    outcome["text"]["TEXT_OTHER"]["themes"] = [
        {"label": PRIVATE, "count": 3, "examples": [PRIVATE], "keywords": ["private"]}
    ]
    workbook_text = " ".join(str(cell.value) for _, cell in xlsx_cells(outcome))
    assert PRIVATE not in workbook_text
    assert "TEXT_OTHER" not in workbook_text
    csv_text = " ".join(cell for _, cell in csv_cells(outcome, tmp_path))
    assert PRIVATE not in csv_text
    archive = to_csv_zip(outcome)
    assert PRIVATE.encode() not in zipfile.ZipFile(io.BytesIO(archive)).read("text_answers.csv")
    graphml = io.BytesIO()
    to_graphml(outcome, graphml)
    assert PRIVATE.encode() not in graphml.getvalue()
    # The shown question is exported.
    assert "Safer streets together" in workbook_text and "Safer streets together" in csv_text


def test_hostile_names_survive_a_graphml_round_trip() -> None:
    buffer = io.BytesIO()
    to_graphml(hostile(), buffer)
    buffer.seek(0)
    assert set(nx.read_graphml(buffer).nodes) == set(HOSTILE)


def test_an_xlsx_written_to_a_path_is_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    to_xlsx(hostile(), path)
    units = records(openpyxl.load_workbook(path)["Units"])
    assert "'" + LINK in {row["Unit"] for row in units}


def test_a_name_spelled_like_an_excel_error_stays_text() -> None:
    outcome = result(org_respondents("#N/A", 5, 3) + org_respondents("#DIV/0!", 5, 3))
    cells = [cell for row in workbook(outcome)["Units"].iter_rows(min_row=2) for cell in row[:1]]
    assert {cell.value for cell in cells} == {"#N/A", "#DIV/0!"}
    assert {cell.data_type for cell in cells} == {"s"}
