"""Checking a CSV file against the read limits before it is parsed.

Counting lines in the bytes costs a fraction of parsing them, so a file of
too many rows, too wide a header or one enormous line is refused before
Arrow or Python's csv module builds anything from it.
"""

from __future__ import annotations

import csv
import io

from .limits import ReadLimits, describe_bytes
from .problems import Problem


def check_lines(raw: bytes, source: str, limits: ReadLimits) -> Problem | None:
    """Refuse a file with a line longer than `limits.max_line_bytes`.

    A line longer than the limit holds a whole aligned block of half the
    limit without a line break, so only blocks are searched, each search
    stopping at its first line break; a block without one is measured exactly.
    """
    line_end = b"\n" if b"\n" in raw else b"\r"  # old Mac files end lines with \r only
    half = max(limits.max_line_bytes // 2, 1)
    for block in range(0, len(raw), half):
        if raw.find(line_end, block, block + half) >= 0:
            continue
        start = raw.rfind(line_end, 0, block) + 1
        end = raw.find(line_end, block)
        length = (len(raw) if end < 0 else end) - start
        if length > limits.max_line_bytes:
            line = raw.count(line_end, 0, start) + 1
            return Problem(
                source,
                None,
                None,
                _with_advice(
                    f"line {line:,} is {describe_bytes(length)} long; a line may be at "
                    f"most {describe_bytes(limits.max_line_bytes)} (is it a CSV file, with "
                    "one row on each line?)",
                    limits,
                ),
            )
    return None


def check_shape(
    raw: bytes, source: str, headers: list[str], delimiter: str, limits: ReadLimits
) -> Problem | None:
    """Refuse a header wider than the column limit, or more rows or cells than allowed.

    Lines are counted first (an upper bound on rows, since a quoted cell may
    hold a line break); only when they pass a limit are records counted
    exactly, and that count stops as soon as the limit is passed.
    """
    width = max(len(headers), 1)
    if len(headers) > limits.max_columns:
        return Problem(
            source,
            1,
            None,
            _with_advice(
                f"has {len(headers):,} columns in its header row; a file may have at most "
                f"{limits.max_columns:,} columns",
                limits,
            ),
        )
    allowed = min(limits.max_rows, limits.max_cells // width)
    lines = raw.count(b"\n") or raw.count(b"\r")
    if lines <= allowed + 1:  # the header and at most `allowed` rows: certainly within
        return None
    rows = _count_records(raw, delimiter, stop_after=allowed)
    if rows <= allowed:
        return None
    if allowed == limits.max_rows:
        message = (
            f"has more than {limits.max_rows:,} rows below the header, the most a file may have"
        )
    else:
        message = (
            f"has more than {limits.max_cells:,} cells ({width:,} columns, so at most "
            f"{allowed:,} rows)"
        )
    return Problem(source, None, None, _with_advice(message, limits))


def _count_records(raw: bytes, delimiter: str, stop_after: int) -> int:
    """Rows below the header holding any text, counted until `stop_after` is passed."""
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    next(reader, None)
    count = 0
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                count += 1
                if count > stop_after:
                    break
    except csv.Error:
        pass  # the parse that follows reports the broken row with its number
    return count


def _with_advice(message: str, limits: ReadLimits) -> str:
    return f"{message}; {limits.advice}" if limits.advice else message
