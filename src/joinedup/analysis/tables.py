"""Reading CSV files and Excel workbooks into raw tables of text.

A `RawTable` holds every cell as text, exactly as the file gave it, stored
column by column as pandas categoricals (a few distinct values, many rows),
with the row number a spreadsheet would show for each record. Nothing here
interprets a value: that is `interchange`'s job. Large CSV files are parsed
by Arrow's multi-threaded reader straight into dictionary-encoded columns, so
a million-row file costs a few integer arrays rather than millions of Python
strings.

Every file is first held to its read limits (`limits`: the command line's,
or an upload's), from its size and bytes alone (`csv_limits`) or its zip
directory and a streamed count (`workbooks`), so a file too large or hostile
is refused before it is parsed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from . import csv_limits
from .limits import COMMAND_LINE_LIMITS, UPLOAD_LIMITS, ReadLimits, describe_bytes
from .problems import Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
HEADER_WINDOW = 1 << 20  # bytes read to find the header row


def normalise_key(text: str) -> str:
    """How headers and cell values are matched: case and surrounding spaces ignored."""
    return text.strip().casefold()


@dataclass
class RawTable:
    """A table read from one CSV file or one workbook sheet, all cells as text."""

    source: str
    headers: list[str]
    columns: list[pd.Categorical]
    rows: np.ndarray
    problems: list[Problem] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @classmethod
    def from_records(
        cls,
        source: str,
        headers: list[str],
        records: list[list[str]],
        rows: list[int] | None = None,
    ) -> RawTable:
        """Build a table from rows of text (used for workbooks and by the web app)."""
        width = len(headers)
        padded = [list(r[:width]) + [""] * (width - len(r)) for r in records]
        by_column = list(zip(*padded, strict=True)) if padded else [() for _ in headers]
        columns = [pd.Categorical(list(values)) for values in by_column]
        numbers = np.asarray(
            rows if rows is not None else range(2, len(records) + 2), dtype=np.int64
        )
        return cls(source, list(headers), columns, numbers)

    @classmethod
    def from_frame(cls, source: str, frame: pd.DataFrame) -> RawTable:
        """A table from a data frame: missing values blank, everything else as text.

        For tables built from a database, such as a round's stored answers.
        """
        columns = []
        for header in frame.columns:
            column = frame[header]
            text = column.astype(object).where(column.notna(), "")
            text = text.map(cell_text) if len(text) else text.astype(str)
            columns.append(pd.Categorical(text.tolist()))
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
        return cls(source, [str(h) for h in frame.columns], columns, rows)

    @classmethod
    def failed(cls, source: str, message: str, row: int | None = None) -> RawTable:
        """A table that could not be read at all."""
        return cls(
            source, [], [], np.zeros(0, dtype=np.int64), [Problem(source, row, None, message)]
        )


def read_table(path: Path, sheet: str, limits: ReadLimits = COMMAND_LINE_LIMITS) -> RawTable:
    """Read `path` (CSV, or an Excel workbook's sheet named `sheet`) within `limits`."""
    if path.suffix.casefold() in EXCEL_SUFFIXES:
        tables = read_workbook(path, limits=limits)
        if "" in tables:  # the workbook could not be opened, or broke a limit
            return tables[""]
        key = normalise_key(sheet)
        if key in tables:
            return tables[key]
        if len(tables) == 1:
            return next(iter(tables.values()))
        names = ", ".join(table.source.rsplit("sheet ", 1)[-1] for table in tables.values())
        return RawTable.failed(
            path.name, f'has no sheet called "{sheet}" (it has: {names or "no sheets"})'
        )
    return read_csv(path, limits=limits)


def read_upload(
    filename: str, content: bytes, sheet: str, limits: ReadLimits = UPLOAD_LIMITS
) -> RawTable:
    """An uploaded file (CSV, or an Excel workbook's sheet named `sheet`) as a table.

    Used by the web app for files people upload; named in messages by the
    file's own name, as the command line names files. The web app passes
    the limits of its settings (`joinedup.site.uploads`).
    """
    name = Path(filename).name or sheet
    if Path(name).suffix.casefold() not in EXCEL_SUFFIXES:
        return parse_csv_bytes(content, name, limits)
    # In memory: nothing written to disk.
    sheets = read_workbook(Path(name), content, limits=limits)
    if "" in sheets:  # the workbook could not be opened, or broke a limit
        return sheets[""]
    table = sheets.get(normalise_key(sheet))
    if table is None and len(sheets) == 1:
        table = next(iter(sheets.values()))
    if table is None:
        return RawTable.failed(name, f'has no sheet called "{sheet}"')
    return table


def read_workbook(
    path: Path, content: bytes | None = None, limits: ReadLimits = COMMAND_LINE_LIMITS
) -> dict[str, RawTable]:
    """Every sheet of an Excel workbook, keyed by normalised sheet name (see `workbooks`)."""
    from .workbooks import read_workbook as read_checked_workbook  # it builds on this module

    return read_checked_workbook(path, content, limits)


def read_csv(
    path: Path, source: str | None = None, limits: ReadLimits = COMMAND_LINE_LIMITS
) -> RawTable:
    """Read a UTF-8 CSV file (with or without a byte-order mark) within `limits`."""
    source = source or path.name
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:  # refused before a byte of it is read
            return RawTable.failed(source, _too_large(size, limits))
        raw = path.read_bytes()
    except FileNotFoundError:
        return RawTable.failed(source, f"the file {path} does not exist")
    except IsADirectoryError:
        return RawTable.failed(source, f"{path} is a folder, not a file")
    except OSError as error:
        return RawTable.failed(source, f"the file could not be read ({error.strerror})")
    return parse_csv_bytes(raw, source, limits)


def parse_csv_bytes(raw: bytes, source: str, limits: ReadLimits = COMMAND_LINE_LIMITS) -> RawTable:
    """Parse CSV content held in memory (a file's bytes or an upload).

    The limits are checked first, from the bytes alone: the size, the
    longest line, the header's width, and the number of lines (counted
    exactly only when there are more lines than rows allowed, and then only
    until the limit is passed). Most files then take the fast path: Arrow
    parses them on every core. A file
    with blank lines, rows of the wrong length or old Mac line endings takes
    the careful path
    (Python's csv module), which numbers every row exactly as a spreadsheet
    does. Rows whose cells are all empty are skipped, as in a workbook.
    """
    if len(raw) > limits.max_bytes:
        return RawTable.failed(source, _too_large(len(raw), limits))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    head = raw[:HEADER_WINDOW]
    refusal = _refuse(head, source)
    if refusal is not None:
        return refusal
    if len(raw) <= HEADER_WINDOW and not raw.strip():
        return RawTable.failed(source, "the file is empty; it needs a header row")
    too_long = csv_limits.check_lines(raw, source, limits)
    if too_long is not None:
        return RawTable.failed(source, too_long.message)

    # The header is parsed from the start of the file only: decoding a large
    # file in Python would cost more than Arrow's whole parse.
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not merely a character cut at the window's edge
            return _not_utf8(source, raw)
        head_text = head[: error.start].decode("utf-8")
    first_line = head_text.replace("\r", "\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    header_reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter)
    headers = next(header_reader, [])
    header_lines = max(1, header_reader.line_num)
    too_big = csv_limits.check_shape(raw, source, headers, delimiter, limits)
    if too_big is not None:
        return RawTable.failed(source, too_big.message, too_big.row)
    if b"\n" not in raw:  # old Mac line endings (\r only): Arrow does not split on them
        return _parse_carefully(raw, source, delimiter)

    names = [f"c{i}" for i in range(len(headers))]
    string_dictionary = pa.dictionary(pa.int32(), pa.string())
    wrong_length = False

    def on_invalid_row(row: pacsv.InvalidRow) -> str:
        nonlocal wrong_length
        wrong_length = True
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=header_lines),
            # A blank line becomes a row of one cell, so it reaches on_invalid_row
            # (and the careful path) instead of silently shifting row numbers.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, string_dictionary),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid as error:
        if _first_bad_utf8_line(raw) is not None:
            return _not_utf8(source, raw)
        return RawTable.failed(source, f"could not be read as CSV ({_arrow_reason(error)})")
    if wrong_length:
        return _parse_carefully(raw, source, delimiter)
    columns = [_to_categorical(table.column(i)) for i in range(table.num_columns)]
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return _without_empty_rows(RawTable(source, headers, columns, rows))


def _too_large(size: int, limits: ReadLimits) -> str:
    message = f"is {describe_bytes(size)}; a file may be at most {describe_bytes(limits.max_bytes)}"
    return f"{message}; {limits.advice}" if limits.advice else message


def _refuse(head: bytes, source: str) -> RawTable | None:
    """A clear message for files that are not CSV text at all."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:200].count(b"\x00") > 10:
        return RawTable.failed(
            source, "is saved as UTF-16 text; save it as CSV UTF-8 (comma delimited) instead"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return RawTable.failed(
            source, "is an old-style Excel file (.xls); save it as .xlsx or as CSV UTF-8"
        )
    if head.startswith(b"PK\x03\x04"):
        return RawTable.failed(
            source, "is an Excel workbook, not a CSV file; give it a name ending in .xlsx"
        )
    return None


def _parse_carefully(raw: bytes, source: str, delimiter: str) -> RawTable:
    """Parse with Python's csv module, numbering rows as a spreadsheet shows them."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _not_utf8(source, raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        return RawTable.failed(
            source, f"could not be read as CSV ({error})", row=reader.line_num or None
        )
    if not records:
        return RawTable.failed(source, "the file is empty; it needs a header row")
    headers = records[0]
    width = len(headers)
    kept: list[list[str]] = []
    numbers: list[int] = []
    problems = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != width:
            problems.append(
                Problem(
                    source,
                    number,
                    None,
                    f"has {len(record)} cells but the header has {width} columns "
                    "(check for a missing or extra comma, or an unclosed quote)",
                )
            )
            continue
        kept.append(record)
        numbers.append(number)
    if problems:
        failed = RawTable.failed(source, "")
        failed.problems = problems
        return failed
    return RawTable.from_records(source, headers, kept, numbers)


def _without_empty_rows(table: RawTable) -> RawTable:
    """Drop rows whose every cell is blank (a spreadsheet's empty rows)."""
    if not table.columns or table.n_rows == 0:
        return table
    empty = np.ones(table.n_rows, dtype=bool)
    for column in table.columns:
        blank = np.array([str(value).strip() == "" for value in column.categories], dtype=bool)
        empty &= blank[np.asarray(column.codes)] if len(blank) else False
        if not empty.any():
            return table
    keep = np.flatnonzero(~empty)
    columns = [
        pd.Categorical.from_codes(np.asarray(c.codes)[keep], categories=c.categories)
        for c in table.columns
    ]
    return RawTable(table.source, table.headers, columns, table.rows[keep], table.problems)


def _to_categorical(column: pa.ChunkedArray) -> pd.Categorical:
    """An Arrow dictionary column as one pandas categorical (chunks unified)."""
    combined = column.unify_dictionaries().combine_chunks() if column.num_chunks else column
    if isinstance(combined, pa.ChunkedArray):  # no chunks at all: an empty column
        return pd.Categorical([])
    codes = combined.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    # unify_dictionaries leaves one dictionary without repeats, so its entries
    # can serve as the categories directly.
    categories = pd.Index(combined.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Categorical.from_codes(codes, categories=categories)


def _arrow_reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0]
    return text.removeprefix("CSV parse error: ")


def _not_utf8(source: str, raw: bytes) -> RawTable:
    return RawTable.failed(
        source,
        "is not UTF-8 text (the first unreadable character is on this line); "
        "save it as CSV UTF-8 (comma delimited)",
        row=_first_bad_utf8_line(raw),
    )


def _first_bad_utf8_line(raw: bytes) -> int | None:
    """The 1-based line holding the first byte that is not UTF-8, or None."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return raw.count(b"\n", 0, error.start) + 1
    return None


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
