"""Small factories for survey rows, files and datasets used across the tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from joinedup.analysis import Dataset, Settings, analyse, load_tables
from joinedup.analysis.tables import RawTable
from joinedup.instrument import load_instrument

INSTRUMENT = load_instrument()
ITEMS = INSTRUMENT.item_codes
RATINGS = INSTRUMENT.rating_codes


def response(
    respondent_id: str,
    organisation: str,
    answer: int | str | None = 3,
    *,
    role: str | None = None,
    round: str | None = None,
    **cells: Any,
) -> dict[str, str]:
    """A responses row: every statement answered `answer` unless given in `cells`.

    `answer` is written as given (an int, a label, "" or "DK"); reverse-worded
    statements get the same raw answer, so mind reversal when working scores.
    """
    row: dict[str, str] = {"respondent_id": respondent_id, "organisation": organisation}
    if role is not None:
        row["role"] = role
    if round is not None:
        row["round"] = round
    for code in ITEMS:
        row[code] = "" if answer is None else str(answer)
    for key, value in cells.items():
        row[key] = "" if value is None else str(value)
    return row


def scale_answers(scale: str, values: Iterable[int | None]) -> dict[str, str]:
    """Cells for one scale's statements, in order (None for a blank)."""
    codes = INSTRUMENT.scale(scale).items
    return {code: "" if v is None else str(v) for code, v in zip(codes, values, strict=True)}


def rating(
    respondent_id: str,
    organisation: str,
    partner: str,
    contact: int | str | None = 3,
    value: int | str | None = 3,
    *,
    round: str | None = None,
    **cells: Any,
) -> dict[str, str]:
    """A relationships row: every rating `value` unless given in `cells`."""
    row = {
        "respondent_id": respondent_id,
        "organisation": organisation,
        "partner": partner,
        "contact": "" if contact is None else str(contact),
    }
    for code in RATINGS:
        row[code] = "" if value is None else str(value)
    if round is not None:
        row["round"] = round
    for key, cell in cells.items():
        row[key] = "" if cell is None else str(cell)
    return row


def organisation(name: str, sector: str = "other", **cells: Any) -> dict[str, str]:
    return {"organisation": name, "sector": sector} | {k: str(v) for k, v in cells.items()}


def _columns(rows: list[Mapping[str, str]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def write_csv(
    path: Path, rows: list[Mapping[str, str]], columns: list[str] | None = None, bom: bool = False
) -> Path:
    """Write rows as a UTF-8 CSV file (missing cells blank)."""
    columns = columns or _columns(rows)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def table(name: str, rows: list[Mapping[str, str]], columns: list[str] | None = None) -> RawTable:
    """An in-memory raw table, as if read from `name`."""
    columns = columns or _columns(rows)
    records = [[str(row.get(c, "")) for c in columns] for row in rows]
    return RawTable.from_records(name, columns, records)


def dataset(
    responses: list[Mapping[str, str]],
    relationships: list[Mapping[str, str]] | None = None,
    organisations: list[Mapping[str, str]] | None = None,
) -> Dataset:
    """A checked dataset built from rows (raises InputError like the files would)."""
    built, _ = load_tables(
        table("responses.csv", responses),
        table("relationships.csv", relationships) if relationships else None,
        table("organisations.csv", organisations) if organisations else None,
    )
    return built


def result(
    responses: list[Mapping[str, str]],
    relationships: list[Mapping[str, str]] | None = None,
    organisations: list[Mapping[str, str]] | None = None,
    **settings: int,
) -> dict[str, Any]:
    """The analysis result of rows, with optional settings."""
    return analyse(dataset(responses, relationships, organisations), Settings(**settings))


def org_respondents(
    organisation: str, count: int, answer: int = 3, prefix: str | None = None, **cells: Any
) -> list[dict[str, str]]:
    """`count` identical respondents of one organisation."""
    prefix = prefix or organisation
    return [response(f"{prefix}-{i}", organisation, answer, **cells) for i in range(count)]
