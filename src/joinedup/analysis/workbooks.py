"""Reading Excel workbooks (.xlsx) safely into raw tables of text.

An .xlsx file is a zip archive of XML parts, so a few hundred kilobytes can
unpack to gigabytes (a zip bomb), and its XML can declare entities that
expand a billion-fold or fetch other files. A workbook is therefore read in
three steps, each refusing with a plain message before the next starts:

1. **The zip directory alone**: the file's size, the number of parts (read
   from the end-of-directory record before Python builds its list), each
   part's declared unpacked size, the total, the compression ratio, the
   compression method and encryption, and that the parts of a workbook are
   there. Python's `zipfile` never returns more than a part's declared size
   (and fails its checksum if the data would give more), so declared sizes
   bound what can be unpacked.
2. **A streamed count** of every XML part through `defusedxml`'s parser,
   which refuses any entity declaration or external reference. It builds no
   tree: it is called only as each tag starts, and stops at the first cell
   beyond the row, column or cell limit, or the first malformed byte.
3. **openpyxl in read-only mode**, which itself parses through `defusedxml`
   when that is installed (it is a dependency), asked for no more rows and
   columns than step 2 counted.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .limits import COMMAND_LINE_LIMITS, ReadLimits, describe_bytes
from .tables import RawTable, cell_text, normalise_key

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls files, and password-protected .xlsx
END_OF_DIRECTORY = b"PK\x05\x06"
END_WINDOW = 22 + 0xFFFF  # the record and the longest comment it may carry
EXCEL_MAX_COLUMNS = 16_384  # no cell Excel writes lies beyond column XFD
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Parts openpyxl streams (sheets, shared text); every other XML part is parsed whole.
STREAMED_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml")
DAMAGED = "could not be opened as an Excel workbook (.xlsx); is it damaged?"


class _Refused(Exception):
    """A limit or a check failed; the message says which, in plain words."""


def read_workbook(
    path: Path, content: bytes | None = None, limits: ReadLimits = COMMAND_LINE_LIMITS
) -> dict[str, RawTable]:
    """Read every sheet of an Excel workbook, keyed by normalised sheet name.

    The workbook is the file at `path`, or, when `content` is given, those
    bytes (an upload, read in memory), named in messages by `path`'s name.
    A workbook that breaks `limits`, is damaged or is not a workbook gives
    one entry keyed "" holding the reason, and nothing of it is read.
    """
    name = path.name
    try:
        source: IO[bytes] = io.BytesIO(content) if content is not None else path.open("rb")
    except FileNotFoundError:
        return _failed(name, f"the file {path} does not exist")
    except IsADirectoryError:
        return _failed(name, f"{path} is a folder, not a file")
    except OSError as error:
        return _failed(name, f"the file could not be read ({error.strerror})")
    with source:
        try:
            extents = _check_archive(source, limits)
            return _read_sheets(source, name, extents)
        except _Refused as refusal:
            return _failed(name, str(refusal))


def _check_archive(source: IO[bytes], limits: ReadLimits) -> dict[str, tuple[int, int]]:
    """Steps 1 and 2: refuse a file no real workbook would be; return each sheet's extent.

    The extent of a sheet part is (last row holding a value, widest column
    holding a value). Raises `_Refused` with the reason.
    """
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    if size > limits.max_bytes:
        _refuse(
            f"is {describe_bytes(size)}; a file may be at most {describe_bytes(limits.max_bytes)}",
            limits,
        )
    magic = source.read(4)
    if magic == OLE_MAGIC:
        raise _Refused(
            "is password-protected or an old-style Excel file (.xls); remove the password, "
            "or save it as .xlsx or as CSV UTF-8"
        )
    if magic != b"PK\x03\x04":
        raise _Refused(
            "could not be opened as an Excel workbook (.xlsx): its content is not a "
            "workbook (was another kind of file renamed .xlsx?)"
        )
    members = _declared_member_count(source, size)
    if members is None:
        raise _Refused(
            "is not a complete Excel workbook: the end of the file is missing "
            "(was it cut short while copying or uploading?)"
        )
    if members > limits.max_members:
        _refuse(
            f"holds {members:,} parts; a real workbook holds tens, and at most "
            f"{limits.max_members:,} are read",
            limits,
        )
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _Refused(DAMAGED) from None
    with archive:
        _check_directory(archive.infolist(), limits)
        return {
            info.filename: _count_part(archive, info, limits)
            for info in archive.infolist()
            if info.filename.endswith((".xml", ".rels", ".vml"))
        }


def _declared_member_count(source: IO[bytes], size: int) -> int | None:
    """How many parts the end-of-directory record declares, or None if it is missing.

    Read before `zipfile` builds an entry per part, so a directory of
    millions of parts is refused without being listed.
    """
    start = max(0, size - END_WINDOW)
    source.seek(start)
    tail = source.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    # 0xFFFF means "see the zip64 record": 65,535 or more parts, far beyond any limit.
    return int(total)


def _check_directory(infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    names = {info.filename for info in infos}
    missing = [part for part in WORKBOOK_PARTS if part not in names]
    if missing:
        raise _Refused(
            f"is a zip archive but not an Excel workbook (it has no {missing[0]}); "
            "save it from Excel or another spreadsheet as .xlsx"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Refused("is encrypted; save it again without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refused(
                f"uses a kind of compression spreadsheets do not use (part {info.filename}); "
                "save it again from Excel or another spreadsheet as .xlsx"
            )
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            _refuse(
                "unpacks to more than "
                f"{describe_bytes(limits.max_uncompressed_bytes)}, the most that is read",
                limits,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
            raise _Refused(
                f"has a part compressed {ratio:,.0f} to 1 ({info.filename}); real workbooks "
                f"stay under {limits.max_compression_ratio} to 1, so it was not unpacked"
            )
        streamed = info.filename.startswith(STREAMED_PARTS)
        if not streamed and info.file_size > limits.max_settings_part_bytes:
            raise _Refused(
                f"has a settings part of {describe_bytes(info.file_size)} ({info.filename}); "
                f"real workbooks keep these under {describe_bytes(limits.max_settings_part_bytes)}"
            )


def _count_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits
) -> tuple[int, int]:
    counter = _PartCounter(limits)
    expat = _counting_parser(counter)
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 16):
                expat.Parse(chunk, False)
        expat.Parse(b"", True)
    except DefusedXmlException:
        raise _Refused(
            f"declares XML entities in {info.filename}, which spreadsheets never write and "
            "which can expand without end or read other files; it was not read"
        ) from None
    except ExpatError as error:
        raise _Refused(
            f"is damaged: its XML is broken ({info.filename}, line {error.lineno})"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise _Refused(f"is damaged: part {info.filename} does not unpack") from None
    return counter.last_row, counter.widest


def _counting_parser(counter: _PartCounter) -> Any:
    """defusedxml's parser, with its expat told to call `counter` as each tag starts.

    defusedxml's entity and external-reference refusals stay on the expat
    parser; only the tree building is replaced. Expat then calls Python once
    per tag and never for text, which keeps the count at a fraction of
    openpyxl's own parse.
    """
    parser = DefusedXMLParser(forbid_dtd=False)
    expat = parser.parser
    expat.StartElementHandler = counter.start
    expat.EndElementHandler = None
    expat.CharacterDataHandler = None
    # Without a default handler, expat itself reports an undefined entity as an error.
    expat.DefaultHandlerExpand = None
    expat.ordered_attributes = False
    return expat


class _PartCounter:
    """Told only when a tag starts: counts rows, cells and shared text.

    No tree is built and nothing accumulates, so a row of a million cells or
    a sheet of a million rows costs only the time to reach the limit.
    """

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.row = 0
        self.column = 0
        self.cells_in_row = 0
        self.last_row = 0
        self.widest = 0
        self.shared_texts = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        # Expat names a tag "namespace}local"; most tags are cells and values.
        local = tag[tag.rfind("}") + 1 :]
        if local == "c":
            self.column = _column_number(attrib.get("r", "")) or self.column + 1
            self.cells_in_row += 1
            if self.cells_in_row > EXCEL_MAX_COLUMNS:
                raise _Refused(f"has more cells in row {self.row:,} than Excel allows")
        elif local == "v" or local == "is":
            self._value_at(self.row, self.column)
        elif local == "row":
            reference = attrib.get("r", "")
            self.row = int(reference) if reference.isdigit() else self.row + 1
            self.column = self.cells_in_row = 0
        elif local == "si":
            self.shared_texts += 1
            if self.shared_texts > self.limits.max_cells:
                _refuse(
                    f"holds more than {self.limits.max_cells:,} different texts, "
                    "the most cells a file may have",
                    self.limits,
                )

    def _value_at(self, row: int, column: int) -> None:
        limits = self.limits
        if row > limits.max_rows + 1:
            _refuse(
                f"has a value in row {row:,}; a file may have at most "
                f"{limits.max_rows:,} rows below the header",
                limits,
            )
        if column > limits.max_columns:
            _refuse(
                f"has a value in column {column:,} (row {row:,}); a file may have at most "
                f"{limits.max_columns:,} columns",
                limits,
            )
        if row > self.last_row or column > self.widest:
            self.last_row = max(self.last_row, row)
            self.widest = max(self.widest, column)
            if (self.last_row - 1) * self.widest > limits.max_cells:
                _refuse(
                    f"has more than {limits.max_cells:,} cells (rows below the header "
                    f"times columns: {self.last_row - 1:,} × {self.widest:,} by row {row:,})",
                    limits,
                )


@functools.cache
def _column_letters_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _column_number(reference: str) -> int:
    """The column of a cell reference ("AB12" is 28), or 0 if it has none."""
    letters = reference.rstrip("0123456789")
    if not letters.isalpha() or not letters.isupper() or len(letters) > 3:
        return 0
    return _column_letters_number(letters)


def _refuse(message: str, limits: ReadLimits) -> None:
    raise _Refused(f"{message}; {limits.advice}" if limits.advice else message)


def _failed(name: str, message: str) -> dict[str, RawTable]:
    return {"": RawTable.failed(name, message)}


def _read_sheets(
    source: IO[bytes], name: str, extents: dict[str, tuple[int, int]]
) -> dict[str, RawTable]:
    """Step 3: every sheet through openpyxl, no further than its counted extent."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    source.seek(0)
    tables: dict[str, RawTable] = {}
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        DefusedXmlException,
        ParseError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
    ):
        raise _Refused(DAMAGED) from None
    try:
        for sheet in book.worksheets:
            part = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
            last_row, widest = extents.get(part, (0, 0))
            source_name = f"{name}, sheet {sheet.title}"
            try:
                tables[normalise_key(sheet.title)] = _read_sheet(
                    sheet, source_name, last_row, widest
                )
            except (ParseError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile):
                tables[normalise_key(sheet.title)] = RawTable.failed(
                    source_name, "the sheet is damaged and could not be read"
                )
    finally:
        book.close()
    return tables


def _read_sheet(sheet: Any, source: str, last_row: int, widest: int) -> RawTable:
    if last_row == 0 or widest == 0:
        return RawTable.failed(source, "the sheet is empty; it needs a header row")
    rows_iter = sheet.iter_rows(max_row=last_row, max_col=widest, values_only=True)
    header_cells = next(rows_iter, None)
    headers = [cell_text(value) for value in header_cells or ()]
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        return RawTable.failed(source, "row 1 should hold the column headers but is empty", row=1)
    width = len(headers)
    records: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in enumerate(rows_iter, start=2):
        texts = [cell_text(value) for value in cells[:width]]
        if any(texts):
            records.append(texts)
            numbers.append(number)
    return RawTable.from_records(source, headers, records, numbers)
