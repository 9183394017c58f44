"""The toolkit's workbooks: the data-entry workbook for paper answers, and the
commitments ledger.

The data-entry workbook has the import's exact headers (from
`analysis.interchange`) and a drop-down of the instrument's labels on every
answer cell; the import reads those labels, so typed-in paper answers import
as they are. The ledger computes delivered against pledged with formulas, by
the commitment kinds and units the action plan uses.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from joinedup.actions.models import COMMITMENT_UNITS, CommitmentKind
from joinedup.analysis.interchange import (
    ORGANISATIONS_COLUMNS,
    relationships_columns,
    responses_columns,
)
from joinedup.instrument import Instrument

ENTRY_ROWS = {"responses": 1000, "relationships": 4000, "organisations": 200}
LEDGER_ROWS = 200
LISTS_SHEET = "answer labels"
# Columns the paper questionnaire does not collect: one paper round at a time.
NOT_ON_PAPER = ("round",)


def entry_headers(instrument: Instrument) -> dict[str, tuple[str, ...]]:
    """Each interchange sheet's headers: the import's required columns, then its optional ones."""
    sheets = {
        "responses": responses_columns(instrument),
        "relationships": relationships_columns(instrument),
        "organisations": ORGANISATIONS_COLUMNS,
    }
    return {
        name: tuple(c for c in (*cols.required, *cols.optional) if c not in NOT_ON_PAPER)
        for name, cols in sheets.items()
    }


def answer_lists(instrument: Instrument) -> dict[str, tuple[str, ...]]:
    """The labels each kind of answer cell accepts, as the import reads them."""
    return {
        "agreement": (*(c.label for c in instrument.agreement), instrument.agreement_dont_know),
        "rating": (*(c.label for c in instrument.rating), instrument.rating_dont_know),
        "contact": tuple(c.label for c in instrument.contact),
        "role": tuple(r.label for r in instrument.roles),
        "sector": tuple(s.label for s in instrument.sectors),
    }


def _list_for(column: str, instrument: Instrument) -> str | None:
    if column in instrument.item_codes:
        return "agreement"
    if column in instrument.rating_codes:
        return "rating"
    return column if column in ("contact", "role", "sector") else None


def data_entry_workbook(instrument: Instrument) -> bytes:
    """An .xlsx to type paper answers into, ready for the round's import page."""
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = "instructions"
    lists = book.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for index, (name, labels) in enumerate(answer_lists(instrument).items(), start=1):
        letter = get_column_letter(index)
        lists.cell(1, index, name).font = Font(bold=True)
        for row, label in enumerate(labels, start=2):
            lists.cell(row, index, label)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
    organisation_range = f"organisations!$A$2:$A${ENTRY_ROWS['organisations'] + 1}"
    for name, headers in entry_headers(instrument).items():
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        last = ENTRY_ROWS[name] + 1
        for position, column in enumerate(headers, start=1):
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = max(14, len(column) + 2)
            kind = _list_for(column, instrument)
            if kind is not None:
                source = ranges[kind]
            elif column in ("partner",) or (column == "organisation" and name != "organisations"):
                source = organisation_range
            else:
                continue
            _drop_down(sheet, f"{letter}2:{letter}{last}", source, column)
    _instructions(instructions, instrument)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _drop_down(sheet: Worksheet, cells: str, source: str, column: str) -> None:
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.errorTitle = "Not one of the answers"
    validation.error = f"Choose a {column} answer from the list."
    validation.promptTitle = column
    validation.prompt = "Choose from the list."
    sheet.add_data_validation(validation)
    validation.add(cells)


def _instructions(sheet: Worksheet, instrument: Instrument) -> None:
    lines = [
        f"Typing in paper answers: {instrument.title} ({instrument.id})",
        "",
        "1. On the organisations sheet, list every member organisation and its sector.",
        "2. On the responses sheet, one row per paper questionnaire: its respondent code "
        "(respondent_id), the respondent's organisation, role, and an answer in each "
        "statement column. Choose answers from the drop-down lists.",
        "3. On the relationships sheet, one row per partner the respondent rated: their "
        "respondent code, organisation, the partner, how often they work together (contact) "
        "and each rating.",
        "4. Leave an answer blank if the respondent left it blank.",
        "5. Keep the headers as they are. Upload this workbook on the round's import page "
        "(as the responses file and as the relationships file), or run joinedup analyse on it.",
        "",
        "Statement columns:",
        *(f"{item.code}: {item.text}" for item in instrument.items),
        "",
        "Rating columns:",
        *(f"{question.code}: {question.text}" for question in instrument.relationship_questions),
        "",
        "Comment columns (optional):",
        *(f"{question.code}: {question.text}" for question in instrument.text_questions),
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120


# ----------------------------------------------------------------- ledger


def commitments_ledger() -> bytes:
    """The commitments ledger: pledged against delivered, with formulas, by kind."""
    book = Workbook()
    ledger = book.active
    assert ledger is not None
    ledger.title = "ledger"
    kinds = [(kind.label, COMMITMENT_UNITS[kind]) for kind in CommitmentKind]
    headers = (
        "Organisation",
        "Kind",
        "Description",
        "Unit",
        "Pledged",
        "Delivered",
        "Due date",
        "Still to deliver",
        "Share delivered",
    )
    ledger.append(headers)
    for cell in ledger[1]:
        cell.font = Font(bold=True)
    ledger.freeze_panes = "A2"
    kinds_sheet = book.create_sheet("kinds")
    kinds_sheet.append(("Kind", "Unit", "Pledged", "Delivered", "Share delivered"))
    last = LEDGER_ROWS + 1
    for row, (label, unit) in enumerate(kinds, start=2):
        kinds_sheet.append(
            (
                label,
                unit,
                f"=SUMIF(ledger!$B$2:$B${last},$A{row},ledger!$E$2:$E${last})",
                f"=SUMIF(ledger!$B$2:$B${last},$A{row},ledger!$F$2:$F${last})",
                f'=IF(C{row}>0,D{row}/C{row},"")',
            )
        )
        kinds_sheet.cell(row, 5).number_format = "0%"
    for cell in kinds_sheet[1]:
        cell.font = Font(bold=True)
    for row in range(2, last + 1):
        ledger[f"D{row}"] = (
            f'=IF(B{row}="","",VLOOKUP(B{row},kinds!$A$2:$B${len(kinds) + 1},2,FALSE))'
        )
        ledger[f"H{row}"] = f'=IF(E{row}="","",MAX(E{row}-F{row},0))'
        ledger[f"I{row}"] = f'=IF(N(E{row})>0,F{row}/E{row},"")'
        ledger[f"I{row}"].number_format = "0%"
        ledger[f"G{row}"].number_format = "dd/mm/yyyy"
    validation = DataValidation(
        type="list", formula1=f"kinds!$A$2:$A${len(kinds) + 1}", allow_blank=True
    )
    validation.error = "Choose a kind from the list."
    ledger.add_data_validation(validation)
    validation.add(f"B2:B{last}")
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    amounts.error = "Amounts are numbers of 0 or more."
    ledger.add_data_validation(amounts)
    amounts.add(f"E2:F{last}")
    for letter, width in zip("ABCDEFGHI", (30, 14, 40, 8, 12, 12, 12, 16, 16), strict=True):
        ledger.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
