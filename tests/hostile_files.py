"""Hostile and damaged files, built in the test that uses them.

Each builder starts from a real workbook made by openpyxl and changes only
what the attack needs, so a refusal can only come from that change.
"""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
SHEET_ROOT = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?>' + SHEET_ROOT
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE worksheet ['
    '<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
)


def workbook_parts(rows: list[list[object]] | None = None, title: str = "responses") -> dict:
    """The parts of a real workbook of one sheet, as openpyxl writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows or [["respondent_id", "organisation"], ["r1", "Ashby Council"]]:
        sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_sheet(xml: str | bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `xml`."""
    parts = workbook_parts()
    parts[SHEET] = xml.encode() if isinstance(xml, str) else xml
    return zipped(parts)


def cell(column: int, row: int, text: str) -> str:
    return f'<c r="{column_letters(column)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A workbook whose sheet unpacks from a few kilobytes to `unpacked_bytes` of XML."""
    padding = " " * (unpacked_bytes - 200)
    return with_sheet(SHEET_OPEN + "<sheetData>" + padding + "</sheetData></worksheet>")


def scrambled_data(archive: bytes, member: str) -> bytes:
    """The same zip with `member`'s compressed bytes overwritten, its directory intact.

    Reading the member would now fail; a refusal that does not change shows
    that the member was never unpacked.
    """
    with zipfile.ZipFile(io.BytesIO(archive)) as listing:
        info = listing.getinfo(member)
    start = info.header_offset
    name_length, extra_length = struct.unpack_from("<HH", archive, start + 26)
    data = start + 30 + name_length + extra_length
    return archive[:data] + b"\xff" * info.compress_size + archive[data + info.compress_size :]


def scrambled_directory(archive: bytes) -> bytes:
    """The same zip with its central directory overwritten; the end record intact."""
    end = archive.rfind(b"PK\x05\x06")
    size, offset = struct.unpack_from("<LL", archive, end + 12)
    return archive[:offset] + b"\xff" * size + archive[offset + size :]


def many_parts(count: int) -> bytes:
    parts = workbook_parts()
    parts.update({f"xl/padding/part{n}.xml": b"<a/>" for n in range(count)})
    return zipped(parts)


def declared_size(archive: bytes, member: str, size: int) -> bytes:
    """The same zip with `member`'s declared unpacked size changed in both headers."""
    with zipfile.ZipFile(io.BytesIO(archive)) as listing:
        info = listing.getinfo(member)
    patched = bytearray(archive)
    struct.pack_into("<L", patched, info.header_offset + 22, size)
    directory = archive.find(b"PK\x01\x02")
    while directory >= 0:
        name_length = struct.unpack_from("<H", archive, directory + 28)[0]
        if archive[directory + 46 : directory + 46 + name_length] == member.encode():
            struct.pack_into("<L", patched, directory + 24, size)
        directory = archive.find(b"PK\x01\x02", directory + 46)
    return bytes(patched)
