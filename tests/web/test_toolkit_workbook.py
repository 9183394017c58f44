"""The data-entry workbook: typed-in paper answers import first time, through the core and
through a round's import page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from joinedup.analysis import read_files
from joinedup.analysis.interchange import (
    ORGANISATIONS_COLUMNS,
    relationships_columns,
    responses_columns,
)
from joinedup.instrument import load_instrument
from joinedup.surveys import ratings
from joinedup.surveys.models import Response
from joinedup.toolkit.spreadsheets import data_entry_workbook

pytestmark = pytest.mark.django_db
INSTRUMENT = load_instrument()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POLICE, COUNCIL = "Northshire Police", "Northshire County Council"
# (respondent code, organisation, agreement answer index, partner rated)
PAPER = [
    ("P-01", POLICE, 3, COUNCIL),
    ("P-02", POLICE, 4, COUNCIL),
    ("P-03", POLICE, 1, None),
    ("C-01", COUNCIL, 2, POLICE),
    ("C-02", COUNCIL, 5, POLICE),  # index 5: "Don't know"
]


def _headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def _validation_lists(sheet) -> dict[str, str]:
    """Column letter -> the list formula of the drop-down covering its cells."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[get_column_letter(cell_range.min_col)] = validation.formula1
    return found


def _list_values(book, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    return [cell.value for row in sheet[cells.replace("$", "")] for cell in row]


def _fill_in(content: bytes) -> bytes:
    """Type five paper questionnaires into the workbook, as a survey lead would."""
    book = load_workbook(io.BytesIO(content))
    agreement = [c.label for c in INSTRUMENT.agreement] + [INSTRUMENT.agreement_dont_know]
    ratings = [c.label for c in INSTRUMENT.rating]
    organisations = book["organisations"]
    for name, sector in ((POLICE, "Police"), (COUNCIL, "Local government")):
        organisations.append([name, sector])
    responses, relationships = book["responses"], book["relationships"]
    response_headers = _headers(responses)
    relationship_headers = _headers(relationships)
    for code, organisation, answer, partner in PAPER:
        row = {"respondent_id": code, "organisation": organisation, "role": "Manager"}
        row |= dict.fromkeys(INSTRUMENT.item_codes, agreement[answer])
        responses.append([row.get(header) for header in response_headers])
        if partner:
            rating = {"respondent_id": code, "organisation": organisation, "partner": partner}
            rating |= {"contact": "Monthly"} | dict.fromkeys(
                INSTRUMENT.rating_codes, ratings[answer % 4]
            )
            relationships.append([rating.get(header) for header in relationship_headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_workbook_has_the_imports_headers_and_a_drop_down_on_every_answer_cell() -> None:
    book = load_workbook(io.BytesIO(data_entry_workbook(INSTRUMENT)))
    assert "instructions" in book.sheetnames
    responses, relationships = book["responses"], book["relationships"]
    expected = responses_columns(INSTRUMENT)
    assert _headers(responses)[: len(expected.required)] == list(expected.required)
    assert set(_headers(responses)) == {*expected.required, *expected.optional} - {"round"}
    assert _headers(relationships) == list(relationships_columns(INSTRUMENT).required)
    assert _headers(book["organisations"]) == [
        *ORGANISATIONS_COLUMNS.required,
        *ORGANISATIONS_COLUMNS.optional,
    ]
    agreement = [c.label for c in INSTRUMENT.agreement] + [INSTRUMENT.agreement_dont_know]
    lists = _validation_lists(responses)
    for position, header in enumerate(_headers(responses), start=1):
        if header in INSTRUMENT.item_codes:
            assert _list_values(book, lists[get_column_letter(position)]) == agreement, header
    rating = [c.label for c in INSTRUMENT.rating] + [INSTRUMENT.rating_dont_know]
    lists = _validation_lists(relationships)
    for position, header in enumerate(_headers(relationships), start=1):
        if header in INSTRUMENT.rating_codes:
            assert _list_values(book, lists[get_column_letter(position)]) == rating, header
        if header == "contact":
            contact = [c.label for c in INSTRUMENT.contact]
            assert _list_values(book, lists[get_column_letter(position)]) == contact


def test_a_filled_in_workbook_reads_through_the_analysis_core(tmp_path: Path) -> None:
    path = tmp_path / "paper.xlsx"
    path.write_bytes(_fill_in(data_entry_workbook(INSTRUMENT)))
    dataset, warnings = read_files(path)
    assert warnings == []
    people = dataset.respondents.set_index("respondent_id")
    assert sorted(people.index) == sorted(code for code, *_ in PAPER)
    # "Neither agree nor disagree" is 3 ... "Don't know" is missing.
    assert people.loc["P-02", "CASE1"] == INSTRUMENT.agreement[4].value
    assert people.loc["P-01", "CASE1"] == INSTRUMENT.agreement[3].value
    assert people[INSTRUMENT.item_codes].loc["C-02"].isna().all()
    assert len(dataset.ratings) == 4


def test_a_filled_in_workbook_imports_into_a_round_first_time(world, open_round) -> None:
    content = _fill_in(data_entry_workbook(INSTRUMENT))
    page = world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/import/",
        {
            "responses": SimpleUploadedFile("paper.xlsx", content, XLSX),
            "relationships": SimpleUploadedFile("paper.xlsx", content, XLSX),
        },
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    stored = Response.objects.filter(round=open_round)
    assert stored.count() == len(PAPER)
    police = stored.filter(organisation=world.org(POLICE))
    assert police.count() == 3
    assert sorted(r.answers["CASE1"] for r in police) == [2, 4, 5]
    assert {r.role for r in stored} == {"manager"}
    assert ratings.count_in_round(open_round.pk) == 4
