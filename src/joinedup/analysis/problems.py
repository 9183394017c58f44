"""Problems found in input, and the error that carries them.

Every check reports a `Problem` that says where (file, spreadsheet row,
column) and what is wrong, in plain English. Checks collect every problem
before stopping, so a person fixes a file once rather than once per error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem with an input file.

    `row` is the row number a spreadsheet shows (the header is row 1), or
    None for a problem with the whole file. `column` is the column's header,
    or None for a problem with a whole row or file.
    """

    source: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.source
        if self.row is not None:
            place += f" row {self.row}"
        if self.column is not None:
            place += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return f"{place}: {self.message}"


class InputError(Exception):
    """Input that cannot be analysed; `problems` lists every reason."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = sorted(problems, key=_sort_key)
        self.warnings = list(warnings or [])
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the input:\n" + "\n".join(map(str, self.problems)))


class SettingsError(ValueError):
    """A setting (such as the minimum group size) is out of range."""


def _sort_key(problem: Problem) -> tuple[str, int]:
    # Stable: within a row, problems keep the order they were found (column order).
    return (problem.source, problem.row or 0)


def describe_value(raw: str, limit: int = 40) -> str:
    """Quote a cell's value for a message, shortened if long."""
    text = raw if len(raw) <= limit else raw[: limit - 1] + "…"
    return f'"{text}"'
