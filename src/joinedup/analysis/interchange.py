"""Reading and checking the interchange files (SPEC §2).

`read_files` turns the responses, relationships and organisations files (CSV
or an Excel workbook) into a `Dataset`, or raises `InputError` listing every
problem with its file, spreadsheet row and column. `load_tables` does the same
from tables already in memory (the web app's uploads).

Checks work on each column's distinct values and then on whole arrays, never
row by row, so a file of a million ratings is checked in about a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from joinedup.instrument import Choice, Instrument, load_instrument

from .dataset import PRESSURE_COLUMNS, Dataset, empty_ratings
from .problems import InputError, Problem, describe_value
from .tables import RawTable, normalise_key, read_csv, read_table, read_workbook

MISSING_WORDS = frozenset({"", "dk", "n/a", "don't know", "don’t know"})
MISSING_HINT = "blank, DK, N/A or Don't know"


@dataclass(frozen=True)
class Columns:
    """Which columns a file must and may have."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


def responses_columns(instrument: Instrument) -> Columns:
    return Columns(
        required=("respondent_id", "organisation", *instrument.item_codes),
        optional=("role", "round", *instrument.text_codes),
    )


def relationships_columns(instrument: Instrument) -> Columns:
    return Columns(
        required=("respondent_id", "organisation", "partner", "contact", *instrument.rating_codes),
        optional=("round",),
    )


ORGANISATIONS_COLUMNS = Columns(required=("organisation", "sector"), optional=PRESSURE_COLUMNS)


# ---------------------------------------------------------------- entry points


def read_files(
    responses: Path,
    relationships: Path | None = None,
    organisations: Path | None = None,
    instrument: Instrument | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Read and check the interchange files; return the dataset and warnings.

    `responses` may be a CSV file or an Excel workbook with sheets named
    responses, relationships and organisations; a workbook's other sheets are
    used when the matching file is not given separately.
    """
    instrument = instrument or load_instrument()
    responses_table: RawTable
    relationships_table = read_table(relationships, "relationships") if relationships else None
    organisations_table = read_table(organisations, "organisations") if organisations else None
    if responses.suffix.casefold() in {".xlsx", ".xlsm"}:
        sheets = read_workbook(responses)
        if "" in sheets:  # the workbook could not be opened
            raise InputError(sheets[""].problems)
        if "responses" in sheets:
            responses_table = sheets["responses"]
        elif len(sheets) == 1:
            responses_table = next(iter(sheets.values()))
        else:
            names = ", ".join(table.source.rsplit("sheet ", 1)[-1] for table in sheets.values())
            raise InputError(
                [
                    Problem(
                        responses.name,
                        None,
                        None,
                        f'has no sheet called "responses" (it has: {names})',
                    )
                ]
            )
        relationships_table = relationships_table or sheets.get("relationships")
        organisations_table = organisations_table or sheets.get("organisations")
    else:
        responses_table = read_csv(responses)
    return load_tables(responses_table, relationships_table, organisations_table, instrument)


def load_tables(
    responses: RawTable,
    relationships: RawTable | None = None,
    organisations: RawTable | None = None,
    instrument: Instrument | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Check raw tables and build a `Dataset`; raise `InputError` on any problem."""
    instrument = instrument or load_instrument()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for table in (responses, relationships, organisations):
        if table is not None:
            problems.extend(table.problems or _control_characters(table))
    if problems:
        raise InputError(problems)

    check = _Checker(instrument, problems, warnings)
    org_frame = check.organisations(organisations) if organisations is not None else None
    respondents = check.responses(responses, org_frame)
    ratings = (
        check.relationships(relationships, responses.source, respondents)
        if relationships is not None
        else None
    )
    if problems:
        raise InputError(problems, warnings)
    return check.build(org_frame, respondents, ratings), warnings


def check_organisations(
    table: RawTable, instrument: Instrument | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check an organisations file on its own (the web app's organisation import).

    Returns one row per organisation, in file order, with columns `row` (the
    spreadsheet row), `name`, `sector` and the pressure indicators, and the
    warnings; raises `InputError` listing every problem.
    """
    problems: list[Problem] = list(table.problems or _control_characters(table))
    warnings: list[Problem] = []
    if problems:
        raise InputError(problems)
    checker = _Checker(instrument or load_instrument(), problems, warnings)
    frame = checker.organisations(table)
    if frame is None or problems:
        raise InputError(problems, warnings)
    names = np.asarray(checker.org_names, dtype=object)
    checked = frame.drop(columns=["code"])
    checked.insert(0, "name", names[frame["code"].to_numpy()] if len(frame) else [])
    checked.insert(0, "row", table.rows)
    return checked, warnings


def _control_characters(table: RawTable) -> list[Problem]:
    """Cells holding a NUL character, which no database will store as text.

    Such a character is invisible in a spreadsheet, so the message says where
    it is; it usually comes from a file saved in the wrong encoding.
    """
    found = []
    for header, column in zip(table.headers, table.columns, strict=True):
        bad = np.array(["\x00" in str(value) for value in column.categories] + [False])
        what = "name" if normalise_key(header) in {"organisation", "partner"} else "cell"
        for row in np.flatnonzero(bad[np.asarray(column.codes)]):
            found.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    header,
                    f"the {what} contains an invisible null character: retype it, or save the "
                    "file again as CSV UTF-8",
                )
            )
    return found


# ------------------------------------------------------------- value parsers


def _answer_lookup(choices: Iterable[Choice]) -> dict[str, float]:
    lookup = {normalise_key(choice.label): float(choice.value) for choice in choices}
    for word in MISSING_WORDS:
        lookup[word] = math.nan
    return lookup


def _numeric_parser(
    choices: tuple[Choice, ...], describe: str
) -> Callable[[str], tuple[float, str | None]]:
    """A parser for one kind of answer: integers in range, labels, or missing."""
    lookup = _answer_lookup(choices)
    low, high = min(c.value for c in choices), max(c.value for c in choices)

    def parse(raw: str) -> tuple[float, str | None]:
        key = normalise_key(raw)
        if key in lookup:
            return lookup[key], None
        try:
            number = float(key)
        except ValueError:
            number = math.nan
        if number.is_integer() and low <= number <= high:
            return number, None
        return math.nan, f"{describe_value(raw)} is not {describe}"

    return parse


def _code_parser(
    labels: Iterable[tuple[str, str]], what: str, allow_blank: bool
) -> Callable[[str], tuple[str | None, str | None]]:
    """A parser for a coded category given by its code or its label."""
    lookup: dict[str, str] = {}
    codes = []
    for code, label in labels:
        codes.append(code)
        lookup[code] = code
        lookup[code.replace("_", " ")] = code
        lookup[" ".join(normalise_key(label).replace("-", " ").split())] = code

    def parse(raw: str) -> tuple[str | None, str | None]:
        key = normalise_key(raw)
        if key == "":
            return None, None if allow_blank else f"{what} is blank; it must be one of: " + (
                ", ".join(codes)
            )
        key = " ".join(key.replace("-", " ").split())
        if key in lookup:
            return lookup[key], None
        if key.replace(" ", "_") in lookup:
            return lookup[key.replace(" ", "_")], None
        return None, f"{describe_value(raw)} is not a {what}; use one of: " + ", ".join(codes)

    return parse


def _parse_percent(raw: str) -> tuple[float, str | None]:
    key = raw.strip().removesuffix("%").strip()
    if key == "":
        return math.nan, None
    try:
        number = float(key)
    except ValueError:
        return math.nan, f"{describe_value(raw)} is not a number (a percentage such as 4.5)"
    if not math.isfinite(number):
        return math.nan, f"{describe_value(raw)} is not a number (a percentage such as 4.5)"
    return number, None


# ------------------------------------------------------------------ checking


class _Checker:
    """Collects problems while turning raw tables into typed columns."""

    def __init__(self, instrument: Instrument, problems: list[Problem], warnings: list[Problem]):
        self.instrument = instrument
        self.problems = problems
        self.warnings = warnings
        # Organisation names: key -> code, and the spelling shown for each code.
        self.org_codes: dict[str, int] = {}
        self.org_names: list[str] = []
        # The organisations file that lists the members, once one has been read.
        self.listed_source: str | None = None

    # -- columns

    def _locate(self, table: RawTable, columns: Columns) -> dict[str, int] | None:
        """Map each known column code to its position; report missing and unknown."""
        wanted = {normalise_key(code): code for code in (*columns.required, *columns.optional)}
        found: dict[str, int] = {}
        for position, header in enumerate(table.headers):
            key = normalise_key(header)
            if key in wanted:
                code = wanted[key]
                if code in found:
                    self.problems.append(
                        Problem(
                            table.source, 1, header, f"the column {code} appears more than once"
                        )
                    )
                else:
                    found[code] = position
            elif key == "":
                self.warnings.append(
                    Problem(table.source, 1, None, f"column {position + 1} has no header; ignored")
                )
            else:
                self.warnings.append(
                    Problem(
                        table.source, 1, header, "this column is not one Joined Up uses; ignored"
                    )
                )
        missing = [code for code in columns.required if code not in found]
        for code in missing:
            self.problems.append(
                Problem(table.source, 1, None, f"the required column {code} is missing")
            )
        return None if missing else found

    def _parse(
        self,
        table: RawTable,
        position: int,
        parse: Callable[[str], tuple[Any, str | None]],
        dtype: type | str = np.float64,
    ) -> np.ndarray:
        """Parse one column by its distinct values; report each bad cell."""
        column = table.columns[position]
        header = table.headers[position]
        parsed = [parse(str(value)) for value in column.categories]
        messages = [message for _, message in parsed]
        codes = np.asarray(column.codes)
        bad_categories = np.array([m is not None for m in messages], dtype=bool)
        if bad_categories.any():
            for row in np.flatnonzero(bad_categories[codes]):
                self.problems.append(
                    Problem(table.source, int(table.rows[row]), header, str(messages[codes[row]]))
                )
        if dtype is object:
            values = np.empty(len(parsed), dtype=object)
            values[:] = [value for value, _ in parsed]
        else:
            values = np.array([value for value, _ in parsed], dtype=dtype)
        return values[codes] if len(values) else np.zeros(len(codes), dtype=dtype)

    def _keys(self, table: RawTable, position: int) -> tuple[np.ndarray, list[str], list[str]]:
        """Per-row codes of the normalised values, with each key and the spelling shown for it.

        Where several spellings share a key ("NHS Trust", "nhs trust "), the
        one on the earliest row is shown, whatever order the rows come in.
        """
        column = table.columns[position]
        codes = np.asarray(column.codes)
        categories = pd.Series(column.categories, dtype=object).astype(str)
        spellings = categories.str.strip().tolist()
        keys = categories.str.strip().str.casefold().tolist()
        key_index, unique_keys = pd.factorize(np.array([*keys, ""], dtype=object))
        category_order: list[int] | np.ndarray = range(len(keys))  # type: ignore[assignment]
        if len(unique_keys) < len(keys) + (0 if "" in keys else 1):
            first_row = np.full(len(keys), len(codes), dtype=np.int64)
            present, where = np.unique(codes, return_index=True)
            first_row[present] = where
            category_order = np.argsort(first_row, kind="stable")
        shown: dict[str, str]
        if isinstance(category_order, range):  # every key distinct: one spelling each
            shown = dict(zip(keys, spellings, strict=True))
        else:
            shown = {}
            for category in category_order:
                shown.setdefault(keys[category], spellings[category])
        row_codes = key_index[codes] if len(codes) else np.zeros(0, dtype=np.int64)
        return row_codes, list(unique_keys), [shown.get(key, "") for key in unique_keys]

    def _blank(self, table: RawTable, header: str, blank: np.ndarray, what: str) -> None:
        for row in np.flatnonzero(blank):
            self.problems.append(
                Problem(table.source, int(table.rows[row]), header, f"{what} is blank")
            )

    def _organisation_codes(self, table: RawTable, position: int, what: str) -> np.ndarray:
        """Organisation codes per row; -1 where blank or not a listed member."""
        row_codes, keys, spellings = self._keys(table, position)
        header = table.headers[position]
        mapping = np.full(len(keys), -1, dtype=np.int32)
        unknown = np.zeros(len(keys), dtype=bool)
        for i, (key, spelling) in enumerate(zip(keys, spellings, strict=True)):
            if key == "":
                continue
            if key not in self.org_codes:
                if self.listed_source is not None:
                    unknown[i] = True
                    continue
                self.org_codes[key] = len(self.org_names)
                self.org_names.append(spelling)
            mapping[i] = self.org_codes[key]
        self._blank(table, header, np.asarray(keys, dtype=object)[row_codes] == "", what)
        written = table.columns[position]
        written_codes = np.asarray(written.codes)
        for row in np.flatnonzero(unknown[row_codes]):
            raw = str(written.categories[written_codes[row]]).strip()
            self.problems.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    header,
                    f"{describe_value(raw)} is not one of the member organisations "
                    f"listed in {self.listed_source}",
                )
            )
        return mapping[row_codes]

    # -- the three files

    def organisations(self, table: RawTable) -> pd.DataFrame | None:
        found = self._locate(table, ORGANISATIONS_COLUMNS)
        if found is None:
            return None
        name_position = found["organisation"]
        codes = self._organisation_codes(table, name_position, "organisation")
        self._duplicates(table, name_position, codes, "organisation", "this organisation")
        sectors = self._parse(
            table,
            found["sector"],
            _code_parser(((s.code, s.label) for s in self.instrument.sectors), "sector", False),
            dtype=object,
        )
        frame = pd.DataFrame({"code": codes, "sector": sectors})
        for column in PRESSURE_COLUMNS:
            if column in found:
                frame[column] = self._parse(table, found[column], _parse_percent)
            else:
                frame[column] = np.nan
        self.listed_source = table.source
        return frame

    def _duplicates(
        self, table: RawTable, position: int, keys: np.ndarray, header: str, what: str
    ) -> None:
        """Report rows whose key (an integer array; -1 ignored) repeats an earlier row."""
        series = pd.Series(keys)
        repeated = series.duplicated() & (series >= 0)
        if not repeated.any():
            return
        first_row = pd.Series(table.rows).groupby(series.to_numpy()).transform("first").to_numpy()
        for row in np.flatnonzero(repeated.to_numpy()):
            self.problems.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    header,
                    f"{what} is already on row {int(first_row[row])}",
                )
            )

    def responses(self, table: RawTable, org_frame: pd.DataFrame | None) -> pd.DataFrame | None:
        found = self._locate(table, responses_columns(self.instrument))
        if found is None:
            return None
        frame = pd.DataFrame(
            {
                "row": table.rows,
                "organisation": self._organisation_codes(
                    table, found["organisation"], "organisation"
                ),
            }
        )
        id_codes, id_keys, id_spellings = self._keys(table, found["respondent_id"])
        self._blank(
            table,
            table.headers[found["respondent_id"]],
            np.asarray(id_keys, dtype=object)[id_codes] == "",
            "respondent_id",
        )
        frame["id_key"] = np.asarray(id_keys, dtype=object)[id_codes]
        frame["respondent_id"] = pd.Categorical(np.asarray(id_spellings, dtype=object)[id_codes])

        self.round_labels: list[str] = [""]
        round_codes = np.zeros(table.n_rows, dtype=np.int16)
        if "round" in found:
            round_codes, self.round_labels = self._rounds(table, found["round"])
        frame["round"] = round_codes
        self.round_keys = [normalise_key(label) for label in self.round_labels]

        id_factor = pd.factorize(frame["id_key"])[0].astype(np.int64)
        combined = round_codes.astype(np.int64) * (len(id_keys) + 1) + id_factor
        blank_id = frame["id_key"].to_numpy() == ""
        self._duplicates(
            table,
            found["respondent_id"],
            np.where(blank_id, -1, combined),
            table.headers[found["respondent_id"]],
            "this respondent_id" + (" in this round" if len(self.round_labels) > 1 else ""),
        )

        if "role" in found:
            roles = self._parse(
                table,
                found["role"],
                _code_parser(((r.code, r.label) for r in self.instrument.roles), "role", True),
                dtype=object,
            )
        else:
            roles = np.full(table.n_rows, None, dtype=object)
        frame["role"] = roles

        agreement = _numeric_parser(
            self.instrument.agreement,
            f"an answer (1-5, an answer label such as Agree, or {MISSING_HINT})",
        )
        items = {
            code: self._parse(table, found[code], agreement) for code in self.instrument.item_codes
        }
        frame = pd.concat([frame, pd.DataFrame(items)], axis=1)
        for code in self.instrument.text_codes:
            if code in found:
                column = table.columns[found[code]]
                frame[code] = np.asarray(column.categories, dtype=object)[np.asarray(column.codes)]
            else:
                frame[code] = ""
        return frame

    def _rounds(self, table: RawTable, position: int) -> tuple[np.ndarray, list[str]]:
        row_codes, keys, spellings = self._keys(table, position)
        keys_array = np.asarray(keys, dtype=object)
        row_keys = keys_array[row_codes]
        blank = row_keys == ""
        if blank.all():
            return np.zeros(table.n_rows, dtype=np.int16), [""]
        self._blank(table, table.headers[position], blank, "round (other rows name a round)")
        order, uniques = pd.factorize(pd.Series(row_keys[~blank]))
        labels = [spellings[keys.index(key)] for key in uniques]
        codes = np.zeros(table.n_rows, dtype=np.int16)
        codes[~blank] = order
        return codes, labels

    def relationships(
        self, table: RawTable, responses_source: str, respondents: pd.DataFrame | None
    ) -> pd.DataFrame | None:
        found = self._locate(table, relationships_columns(self.instrument))
        if found is None:
            return None
        organisation = self._organisation_codes(table, found["organisation"], "organisation")
        partner = self._organisation_codes(table, found["partner"], "partner")

        id_codes, id_keys, id_spellings = self._keys(table, found["respondent_id"])
        id_header = table.headers[found["respondent_id"]]
        row_ids = np.asarray(id_keys, dtype=object)[id_codes]
        self._blank(table, id_header, row_ids == "", "respondent_id")

        # Without usable responses, ratings cannot be matched to respondents, but
        # every check that does not need them still runs.
        respondent = (
            self._match_respondents(
                table, found, row_ids, id_spellings, id_codes, responses_source, respondents
            )
            if respondents is not None
            else np.full(table.n_rows, -1, dtype=np.int64)
        )
        known = respondent >= 0
        own_org = np.full(table.n_rows, -1, dtype=np.int32)
        if respondents is not None:
            own_org[known] = respondents["organisation"].to_numpy()[respondent[known]]
        org_header = table.headers[found["organisation"]]
        mismatch = known & (organisation >= 0) & (own_org >= 0) & (organisation != own_org)
        for row in np.flatnonzero(mismatch):
            self.problems.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    org_header,
                    f'"{self.org_names[organisation[row]]}" is not the organisation of respondent '
                    f'"{id_spellings[id_codes[row]]}" ("{self.org_names[own_org[row]]}" '
                    f"in {responses_source})",
                )
            )
        rater_org = np.where(own_org >= 0, own_org, organisation)
        own_rating = (partner >= 0) & (partner == rater_org)
        for row in np.flatnonzero(own_rating):
            self.problems.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    table.headers[found["partner"]],
                    "a respondent cannot rate their own organisation",
                )
            )
        pair = np.where(
            known & (partner >= 0),
            respondent.astype(np.int64) * (len(self.org_names) + 1) + partner,
            -1,
        )
        self._duplicates(
            table,
            found["partner"],
            pair,
            table.headers[found["partner"]],
            "this respondent's rating of this partner",
        )

        contact = self._parse(
            table,
            found["contact"],
            _numeric_parser(
                self.instrument.contact, f"a contact frequency (0-4, or {MISSING_HINT})"
            ),
        )
        rating_parser = _numeric_parser(
            self.instrument.rating, f"a rating (1-4, a label such as A little, or {MISSING_HINT})"
        )
        ratings = {code: self._parse(table, found[code], rating_parser)
                   for code in self.instrument.rating_codes}  # fmt: skip
        if respondents is None:
            return None
        frame = pd.DataFrame(
            {
                "round": np.where(
                    known, respondents["round"].to_numpy()[np.maximum(respondent, 0)], 0
                ).astype(np.int16),
                "respondent": respondent.astype(np.int64),
                "organisation": rater_org,
                "partner": partner,
                "contact": contact,
            }
        )
        for code, values in ratings.items():
            frame[code] = values
        return frame

    def _match_respondents(
        self,
        table: RawTable,
        found: dict[str, int],
        row_ids: np.ndarray,
        id_spellings: list[str],
        id_codes: np.ndarray,
        responses_source: str,
        respondents: pd.DataFrame,
    ) -> np.ndarray:
        """Row position in responses of each rating's respondent; -1 if none."""
        id_header = table.headers[found["respondent_id"]]
        known_ids, vocabulary = pd.factorize(respondents["id_key"].to_numpy())
        size = len(vocabulary) + 1
        # Distinct ids of this file -> position in the responses' vocabulary.
        _, distinct = np.unique(id_codes, return_index=True)
        distinct_vocab = np.full(int(id_codes.max()) + 1 if len(id_codes) else 0, -1, np.int64)
        distinct_vocab[id_codes[distinct]] = pd.Index(vocabulary).get_indexer(row_ids[distinct])
        row_vocab = distinct_vocab[id_codes] if len(id_codes) else np.zeros(0, np.int64)
        response_rounds = respondents["round"].to_numpy().astype(np.int64)
        ambiguous = np.zeros(table.n_rows, dtype=bool)
        round_given = "round" in found and bool(
            (
                np.asarray(
                    [normalise_key(str(v)) for v in table.columns[found["round"]].categories]
                )
                != ""
            ).any()
        )
        if round_given:
            round_codes, round_labels = self._rounds(table, found["round"])
            to_response_round = np.array(
                [
                    self.round_keys.index(normalise_key(label))
                    if normalise_key(label) in self.round_keys
                    else -1
                    for label in round_labels
                ],
                dtype=np.int64,
            )
            rounds = to_response_round[round_codes]
            response_keys = response_rounds * size + known_ids
            row_keys = np.where((rounds >= 0) & (row_vocab >= 0), rounds * size + row_vocab, -1)
            where = " in that round"
        else:
            pairs = np.unique(np.stack([known_ids, response_rounds]), axis=1)
            rounds_per_id = np.bincount(pairs[0], minlength=size)
            ambiguous = (row_vocab >= 0) & (rounds_per_id[np.maximum(row_vocab, 0)] > 1)
            for row in np.flatnonzero(ambiguous):
                self.problems.append(
                    Problem(
                        table.source,
                        int(table.rows[row]),
                        id_header,
                        f'respondent "{id_spellings[id_codes[row]]}" answered in more than one '
                        f"round of {responses_source}; add a round column to say which",
                    )
                )
            response_keys = known_ids.astype(np.int64)
            row_keys = np.where(ambiguous, -1, row_vocab)
            where = ""
        # Duplicated respondents are reported already; ratings match the first of each.
        first = pd.Series(np.arange(len(response_keys))).groupby(response_keys).first()
        found_at = pd.Index(first.index.to_numpy()).get_indexer(row_keys)
        position = np.where(
            (found_at >= 0) & (row_keys >= 0), first.to_numpy()[np.maximum(found_at, 0)], -1
        )
        missing = (position < 0) & (row_ids != "") & ~ambiguous
        for row in np.flatnonzero(missing):
            self.problems.append(
                Problem(
                    table.source,
                    int(table.rows[row]),
                    id_header,
                    f'respondent "{id_spellings[id_codes[row]]}" is not in {responses_source}'
                    f"{where}",
                )
            )
        return np.asarray(position, dtype=np.int64)

    # -- the dataset

    def build(
        self,
        org_frame: pd.DataFrame | None,
        respondents: pd.DataFrame | None,
        ratings: pd.DataFrame | None,
    ) -> Dataset:
        assert respondents is not None
        names = self.org_names
        order = sorted(range(len(names)), key=lambda code: (names[code].casefold(), names[code]))
        recode = np.empty(len(names), dtype=np.int32)
        recode[order] = np.arange(len(names), dtype=np.int32)
        organisations = pd.DataFrame({"name": [names[code] for code in order]})
        organisations["sector"] = None
        for column in PRESSURE_COLUMNS:
            organisations[column] = np.nan
        if org_frame is not None:
            positions = recode[org_frame["code"].to_numpy()]
            organisations.loc[positions, "sector"] = org_frame["sector"].to_numpy()
            for column in PRESSURE_COLUMNS:
                organisations.loc[positions, column] = org_frame[column].to_numpy()

        people = respondents.drop(columns=["row", "id_key"]).copy()
        people["organisation"] = recode[people["organisation"].to_numpy()]
        people["round"] = people["round"].astype(np.int16)
        if ratings is None:
            rating_frame = empty_ratings(self.instrument)
        else:
            rating_frame = ratings.copy()
            rating_frame["organisation"] = recode[rating_frame["organisation"].to_numpy()]
            rating_frame["partner"] = recode[rating_frame["partner"].to_numpy()]
        return Dataset(
            instrument=self.instrument,
            organisations=organisations,
            listed=self.listed_source is not None,
            rounds=list(self.round_labels),
            respondents=people.reset_index(drop=True),
            ratings=rating_frame.reset_index(drop=True),
        )
