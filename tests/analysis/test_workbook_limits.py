"""Hostile and damaged workbooks are refused with a message, before they are parsed.

Each test builds its file, and shows *what was read*: a refusal that stays
the same when the part it concerns is scrambled was made from the zip
directory alone; one that stays the same when broken XML follows the limit
was made by a count that stopped at the limit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from joinedup.analysis.limits import UPLOAD_LIMITS
from joinedup.analysis.tables import read_table, read_upload
from joinedup.cli import main
from tests.hostile_files import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    SHEET,
    SHEET_OPEN,
    SHEET_ROOT,
    cell,
    declared_size,
    many_parts,
    scrambled_data,
    scrambled_directory,
    with_sheet,
    workbook_parts,
    zip_bomb,
    zipped,
)

SMALL = UPLOAD_LIMITS.with_changes(max_rows=10, max_columns=8, max_cells=60)


def refusal(content: bytes, limits=UPLOAD_LIMITS, name: str = "responses.xlsx") -> str:
    table = read_upload(name, content, "responses", limits)
    assert table.n_rows == 0 and table.headers == [], "a refused file yields no table"
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert problem.source == name
    return problem.message


def sheet_of(rows: list[str], after: str = "</sheetData></worksheet>") -> str:
    return SHEET_OPEN + "<sheetData>" + "".join(rows) + after


def row(number: int, cells: int) -> str:
    return f'<row r="{number}">' + "".join(cell(c, number, "x") for c in range(1, cells + 1))


@pytest.mark.parametrize(
    "part",
    ["xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"],
)
def test_every_part_of_a_workbook_is_checked_for_entities_before_openpyxl_reads_it(
    part: str,
) -> None:
    """Billion laughs in any part openpyxl parses whole is refused by our defused check.

    openpyxl parses these parts with lxml when lxml is installed (python-docx
    brings it), not through defusedxml, so the guarantee is our own check:
    every XML part goes through defusedxml's parser first.
    """
    parts = workbook_parts()
    assert part in parts
    xml = parts[part].decode()
    parts[part] = (BILLION_LAUGHS + xml.split("?>", 1)[-1]).encode()
    message = refusal(zipped(parts))
    assert f"declares XML entities in {part}" in message


def test_a_zip_bomb_is_refused_from_its_zip_directory_alone() -> None:
    bomb = zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # a small file that unpacks to 64 MB
    message = refusal(bomb)
    assert "has a part compressed" in message and SHEET in message
    assert "real workbooks stay under 100 to 1" in message
    # With the sheet's compressed bytes scrambled, unpacking it would fail:
    # the same refusal shows the sheet was never unpacked.
    assert refusal(scrambled_data(bomb, SHEET)) == message


def test_a_workbook_unpacking_beyond_the_limit_is_refused_from_its_directory() -> None:
    rows = [[f"r{n}", f"text {n * 7919 % 104729}"] for n in range(5000)]
    content = zipped(workbook_parts(rows))
    limits = UPLOAD_LIMITS.with_changes(max_uncompressed_bytes=100_000)
    message = refusal(content, limits)
    assert message.startswith("unpacks to more than 98 KB, the most that is read")
    assert message.endswith("use the command line (joinedup analyse)")
    assert refusal(scrambled_data(content, SHEET), limits) == message


def test_a_workbook_that_understates_its_size_unpacks_no_further_than_it_declares() -> None:
    # 3 MB of sheet declared as 200 KB: under every limit, so it is unpacked,
    # but Python's zipfile stops at the declared size and the checksum fails.
    liar = declared_size(zip_bomb(3 * 1024 * 1024), SHEET, 200 * 1024)
    assert refusal(liar) == f"is damaged: part {SHEET} does not unpack"


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened() -> None:
    message = refusal(b"PK\x03\x04" + b"\0" * 3000, UPLOAD_LIMITS.with_changes(max_bytes=2000))
    assert message.startswith("is 3 KB; a file may be at most 2 KB")


def test_a_zip_of_thousands_of_parts_is_refused_before_its_directory_is_listed() -> None:
    content = many_parts(1500)
    message = refusal(content)
    assert message.startswith("holds 1,5") and "at most 1,000 are read" in message
    # The directory itself scrambled: the count came from the end record alone.
    assert refusal(scrambled_directory(content)) == message


def test_billion_laughs_in_a_sheet_is_refused_by_the_defused_parser() -> None:
    sheet = BILLION_LAUGHS + SHEET_ROOT + "<sheetData>" + row(1, 1) + "</row>"
    sheet += '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    message = refusal(with_sheet(sheet + "</sheetData></worksheet>"))
    assert message.startswith(f"declares XML entities in {SHEET}")


def test_an_external_entity_is_refused_and_the_file_it_names_is_not_read() -> None:
    sheet = EXTERNAL_ENTITY + SHEET_ROOT + "<sheetData>" + row(1, 1) + "</row>"
    sheet += '<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    content = with_sheet(sheet + "</sheetData></worksheet>")
    table = read_upload("responses.xlsx", content, "responses")
    assert "declares XML entities" in table.problems[0].message
    assert "root:" not in str(table.problems)


def test_even_a_harmless_entity_is_refused() -> None:
    # Python's own parser would expand this one quietly; only defusedxml refuses it.
    sheet = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY name "Ashby">]>' + SHEET_ROOT
    sheet += "<sheetData>" + row(1, 1) + "</row>"
    sheet += '<row r="2"><c r="A2" t="inlineStr"><is><t>&name;</t></is></c></row>'
    assert "declares XML entities" in refusal(with_sheet(sheet + "</sheetData></worksheet>"))


def test_twenty_thousand_columns_are_refused_at_the_first_column_past_the_limit() -> None:
    # Broken XML follows column 501: a reader that went on would report it instead.
    header = row(1, 501)
    message = refusal(with_sheet(sheet_of([header], after="<c r='SZ1'><<<broken")))
    assert message.startswith("has a value in column 501 (row 1); a file may have at most 500")
    wide = with_sheet(sheet_of([row(1, 20_000) + "</row>"]))
    assert refusal(wide) == message


def test_too_many_rows_are_refused_at_the_first_row_past_the_limit() -> None:
    rows = [row(n, 2) + "</row>" for n in range(1, 13)]
    message = refusal(with_sheet(sheet_of(rows, after="<row><<<broken")), SMALL)
    assert message.startswith("has a value in row 12; a file may have at most 10 rows")


def test_a_single_value_in_the_last_row_excel_allows_is_refused() -> None:
    far = row(1, 2) + "</row>" + row(1_048_576, 1) + "</row>"
    message = refusal(with_sheet(sheet_of([far])))
    assert message.startswith("has a value in row 1,048,576; a file may have at most 200,000")


def test_too_many_cells_are_refused_though_rows_and_columns_each_fit() -> None:
    rows = [row(n, 8) + "</row>" for n in range(1, 11)]
    message = refusal(with_sheet(sheet_of(rows)), SMALL)
    assert message.startswith("has more than 60 cells")


def test_a_row_of_more_cells_than_excel_allows_is_refused_without_values() -> None:
    empty_cells = "<c/>" * 16_385
    message = refusal(with_sheet(sheet_of(['<row r="1">' + empty_cells + "</row>"])))
    assert message == "has more cells in row 1 than Excel allows"


def test_a_file_within_every_limit_is_read_as_before() -> None:
    rows = [["respondent_id", "organisation"]] + [[f"r{n}", "Ashby Council"] for n in range(10)]
    table = read_upload("responses.xlsx", zipped(workbook_parts(rows)), "responses", SMALL)
    assert table.problems == []
    assert table.headers == ["respondent_id", "organisation"]
    assert table.n_rows == 10 and list(table.rows) == list(range(2, 12))


def test_a_real_workbook_stays_far_inside_the_compression_limit() -> None:
    rows = [["respondent_id", "organisation", *[f"Q{n}" for n in range(31)]]]
    rows += [[f"r{n}", "Ashby Council", *[3] * 31] for n in range(1_500)]
    content = zipped(workbook_parts(rows))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(SHEET)
    assert info.file_size > 1024 * 1024  # large enough for the ratio check to apply
    assert info.file_size / info.compress_size < UPLOAD_LIMITS.max_compression_ratio / 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x13\x37" * 500, "could not be opened as an Excel workbook (.xlsx): its content"),
        (zipped(workbook_parts())[:900], "is not a complete Excel workbook: the end of the file"),
        (zipped({"notes.txt": b"hello"}), "is a zip archive but not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 500, "is password-protected or an old-style Excel file"),
        (with_sheet(SHEET_OPEN + "<sheetData><row><c"), f"is damaged: its XML is broken ({SHEET}"),
        (
            zipped(workbook_parts(), zipfile.ZIP_BZIP2),
            "uses a kind of compression spreadsheets do not use",
        ),
    ],
    ids=["random bytes", "truncated", "not a workbook", "encrypted", "broken sheet", "bzip2"],
)
def test_a_damaged_or_false_workbook_gets_a_message(content: bytes, expected: str) -> None:
    assert refusal(content).startswith(expected)


def test_the_command_line_refuses_a_zip_bomb_with_status_2_and_writes_nothing(
    tmp_path: Path, capsys
) -> None:
    bomb = tmp_path / "responses.xlsx"
    bomb.write_bytes(zip_bomb(64 * 1024 * 1024))
    saved = tmp_path / "result.json"
    assert main(["analyse", str(bomb), "--json", str(saved)]) == 2
    err = capsys.readouterr().err
    assert "responses.xlsx: has a part compressed" in err
    assert not saved.exists()


def test_the_command_line_reads_a_sheet_longer_than_an_upload_may_be(tmp_path: Path) -> None:
    far = row(1, 2) + "</row>" + row(250_000, 2) + "</row>"
    content = with_sheet(sheet_of([far]))
    assert "a file may have at most 200,000 rows" in refusal(content)
    path = tmp_path / "responses.xlsx"
    path.write_bytes(content)
    table = read_table(path, "responses")
    assert table.problems == [] and list(table.rows) == [250_000]
