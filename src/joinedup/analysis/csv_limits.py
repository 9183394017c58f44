"""Checking a CSV file against the read limits before it is parsed.

Counting lines in the bytes costs a fraction of parsing them, so a file of
too many rows, too wide a header or one enormous line is refused before
Arrow or Python's csv module builds anything from it.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from .limits import ReadLimits, describe_bytes
from .problems import Problem

CHUNK = 64 * 1024 * 1024  # bytes scanned at a time, so the scan's memory stays small


def check_lines(raw: bytes, source: str, limits: ReadLimits) -> Problem | None:
    """Refuse a file with a line longer than `limits.max_line_bytes`."""
    line_end = 10 if b"\n" in raw else 13  # old Mac files end lines with \r only
    longest, longest_line, line, previous_end = 0, 0, 0, -1
    for offset in range(0, len(raw), CHUNK):
        count = min(CHUNK, len(raw) - offset)
        view = np.frombuffer(raw, dtype=np.uint8, count=count, offset=offset)
        ends = np.flatnonzero(view == line_end) + offset
        starts = np.concatenate(([previous_end], ends[:-1])) if len(ends) else np.array([])
        if len(ends):
            lengths = ends - starts - 1
            at = int(np.argmax(lengths))
            if lengths[at] > longest:
                longest, longest_line = int(lengths[at]), line + at + 1
            previous_end = int(ends[-1])
            line += len(ends)
    tail = len(raw) - previous_end - 1
    if tail > longest:
        longest, longest_line = tail, line + 1
    if longest > limits.max_line_bytes:
        return Problem(
            source,
            None,
            None,
            _with_advice(
                f"line {longest_line:,} is {describe_bytes(longest)} long; a line may be at "
                f"most {describe_bytes(limits.max_line_bytes)} (is it a CSV file, with one "
                "row on each line?)",
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
