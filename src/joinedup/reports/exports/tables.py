"""The tables of an export: what each sheet of the workbook and each CSV file holds.

Each table is a list of records (dicts) read from a `joinedup.analysis/1`
result, and the columns that read them, so the workbook and the CSV files
show the same figures: a workbook shows a code's plain-English label and
yes/no, a CSV file the code and true/false (see `exports` and `workbook`).

Only the result is read, never raw responses, and only through the rules of
disclosure: unit figures for the result's reporting units (SPEC §3.5),
perception gaps for organisations reported on their own, free text only where
the result marks it shown (SPEC §5), a tie's trust and value only where the
tie is shown (SPEC §4.4).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from joinedup.analysis import numbers as numbers_rule
from joinedup.analysis import vocabulary
from joinedup.analysis.result import PERCEPTION_GAP
from joinedup.instrument import Instrument

from .. import reading
from ..charts.gaps import own_unit_gaps

# Leading characters that make a spreadsheet read a cell as a formula (OWASP,
# "CSV Injection"), and their full-width forms, which some spreadsheets accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

SCORE = "0.0"
COUNT = "0"
AGREEMENT = "0.00"
SHARE = "0.000"
P_VALUE = "0.000"

NETWORK_FIGURES = ("density", "reciprocity", "centralisation", "mean_trust", "mean_value")


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe if a spreadsheet could read it as a formula.

    A cell beginning with =, +, -, @, a tab or a carriage return (or the
    full-width =, +, - and @) is a formula to Excel, LibreOffice and Google
    Sheets; the apostrophe makes them show it as text (OWASP, "CSV Injection").
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Coded:
    """A code from the result and its plain-English label.

    A workbook shows the label, a CSV file the code, so analysts can filter
    on codes and readers see words.
    """

    code: str | None
    label: str | None


def coded(code: Any, words: Mapping[str, str]) -> Coded:
    """A code and its words (the code itself when `words` has none for it)."""
    if code is None:
        return Coded(None, None)
    return Coded(str(code), words.get(str(code), str(code)))


@dataclass(frozen=True)
class Column:
    """One column: the record key it reads (and its CSV header), its heading, its kind.

    A column with a number format holds numbers; `words` makes it a coded
    column (a label in a workbook, the code in CSV); `yes_no` a true/false one.
    """

    key: str
    title: str
    number_format: str | None = None
    width: int | None = None  # None: fitted to the content
    wrap: bool = False
    words: Mapping[str, str] | None = None
    yes_no: bool = False
    # Worked out from the record, for a cell the result does not hold as such
    # (an organisation's code, a change as printed).
    compute: Callable[[Mapping[str, Any]], Any] | None = None

    def value(self, record: Mapping[str, Any]) -> Any:
        """This column's cell for a record: a number, a bool, a Coded, text or None."""
        raw = self.compute(record) if self.compute else record.get(self.key)
        if isinstance(raw, Coded):
            return raw
        if self.number_format:
            return as_number(raw)
        if self.yes_no:
            return None if raw is None else bool(raw)
        if self.words is not None:
            return coded(raw, self.words)
        if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
            return as_number(raw)  # a number in a mixed column stays a number
        return None if raw is None else str(raw)


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, or one CSV file: columns, and a record per row."""

    name: str
    title: str
    columns: Sequence[Column]
    records: Sequence[Mapping[str, Any]]

    def rows(self) -> list[list[Any]]:
        return [[column.value(record) for column in self.columns] for record in self.records]


@dataclass(frozen=True)
class Source:
    """The result, read defensively (a stored result may be partial), and its instrument."""

    result: dict[str, Any]
    instrument: Instrument
    k: int
    sectors: dict[str, str]
    title: str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def read(
        cls, result: dict[str, Any], sectors: dict[str, str] | None, title: str | None = None
    ) -> Source:
        settings = result.get("settings") or {}
        known = dict(result.get("sectors") or {}) if isinstance(result.get("sectors"), dict) else {}
        return cls(
            result=result,
            instrument=reading.instrument(result),
            k=as_int(settings.get("min_group_size")) or 5,
            sectors={
                reading.match_name(name): code for name, code in (known | (sectors or {})).items()
            },
            title=title,
            codes=organisation_codes(result),
        )

    def code(self, organisation: Any) -> str | None:
        """The organisation's stable code ("O07"), the same in every file of the result."""
        if organisation is None:
            return None
        return self.codes.get(reading.match_name(str(organisation)))

    def section(self, key: str) -> Any:
        return self.result.get(key) or {}

    @property
    def partnership(self) -> dict[str, Any]:
        return reading.partnership(self.result)

    @property
    def network(self) -> dict[str, Any]:
        return reading.network(self.result)

    @property
    def units(self) -> list[dict[str, Any]]:
        return reading.units(self.result)

    @property
    def roles(self) -> list[dict[str, Any]]:
        return [r for r in self.result.get("roles") or [] if isinstance(r, dict)]

    @property
    def trend(self) -> dict[str, Any] | None:
        trend = self.result.get("trend")
        return trend if isinstance(trend, dict) else None

    @property
    def reasons(self) -> dict[str, str]:
        return {
            "too_few_answers": f"Not shown: fewer than {self.k} respondents answered",
            "too_few_respondents": f"No results: fewer than {self.k} respondents in all",
        }

    def sector(self, organisation: str) -> str | None:
        return self.sectors.get(reading.match_name(organisation))

    def scale_name(self, code: str) -> str:
        names = {scale.code: scale.name for scale in self.instrument.scales}
        return names.get(code, code)

    def direction(self, code: str) -> str | None:
        better = {scale.code: scale.higher_is_better for scale in self.instrument.scales}
        if code not in better:
            return None
        return "higher is better" if better[code] else "higher is worse"

    def role(self, code: str) -> Coded:
        labels = {role.code: role.label for role in self.instrument.roles}
        return Coded(code, labels.get(code, code))

    def role_list(self, codes: Iterable[Any]) -> Coded:
        """Roles in one cell: their codes for CSV, their labels for a workbook."""
        roles = [self.role(str(code)) for code in codes]
        return Coded(joined(r.code for r in roles), joined(r.label for r in roles))

    def question(self, code: str) -> dict[str, str]:
        """A free-text question's code and the words it asked, as a record's first cells."""
        texts = {question.code: question.text for question in self.instrument.text_questions}
        return {"question": code, "question_text": texts.get(code, code)}

    def trend_units(self) -> dict[str, dict[str, Any]]:
        """Trend entries of this round's units compared with the previous round, by unit name.

        Only units of this round: a trend entry for any other name has no place here.
        """
        current = {str(unit.get("name", "")) for unit in self.units}
        return {
            name: entry
            for entry in (self.trend or {}).get("units") or []
            if isinstance(entry, dict) and (name := str(entry.get("name", ""))) in current
        }

    def shown_text(self) -> list[tuple[str, dict[str, Any]]]:
        """Free-text questions the result shows; a suppressed one is never read further."""
        return [
            (str(code), entry)
            for code, entry in self.section("text").items()
            if isinstance(entry, dict) and entry.get("shown") is True
        ]


def as_float(value: Any) -> float | None:
    """A finite number from the result as a float; None when missing, not a number, or NaN."""
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def as_int(value: Any) -> int | None:
    """`as_float`, truncated to a whole number."""
    number = as_float(value)
    return None if number is None else int(number)


def as_number(value: Any) -> int | float | None:
    """A number from the result as a plain int or float; None when missing."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return as_float(value)


def xml_text(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def organisation_codes(result: dict[str, Any]) -> dict[str, str]:
    """Each organisation's code: "O" and its place in the network's list of organisations.

    A name may be changed in a spreadsheet to stop a formula (a leading
    apostrophe), but its code never is, so files join on the code.
    """
    names = [str(n) for n in (result.get("network") or {}).get("organisations") or []]
    for unit in reading.units(result):
        names += [str(n) for n in unit.get("organisations") or []]
    ordered = list(dict.fromkeys(reading.match_name(n) for n in names))
    width = max(2, len(str(len(ordered))))
    return {name: f"O{index:0{width}d}" for index, name in enumerate(ordered, start=1)}


def joined(names: Iterable[Any], separator: str = "; ") -> str:
    """Several names in one cell."""
    return separator.join(str(name) for name in names)


# -------------------------------------------------------------- tables


def printed_change(record: Mapping[str, Any], now_key: str = "score") -> str | None:
    """The change as the page and PDF print it: from the rounded ends, signed or "no change"."""
    previous, change = record.get("previous"), record.get("change")
    now = record.get(now_key)
    if not numbers_rule.present(now) and numbers_rule.present(previous):
        now = previous + change if numbers_rule.present(change) else None
    text = numbers_rule.change_text(previous, now, missing="")
    return text or None


TREND_COLUMNS = (
    Column("previous", "Previous round", SCORE),
    Column("change", "Change", SCORE),
    Column("change_shown", "Change as printed (rounded ends)", compute=printed_change),
    Column("p", "p (Welch)", P_VALUE),
    Column("significant", "Significant (p < 0.05)", yes_no=True),
)
SCORE_COLUMNS = (
    Column("score", "Score (0-100)", SCORE),
    Column("ci_low", "95% interval: low", SCORE),
    Column("ci_high", "95% interval: high", SCORE),
    Column("n", "Answered (n)", COUNT),
)
BAND = Column("band", "Band", words=vocabulary.BANDS)


def scales_table(source: Source) -> Table:
    """Partnership scale scores, with the trend columns when there is a trend."""
    compared = ((source.trend or {}).get("partnership") or {}).get("scales") or {}
    columns = [
        Column("scale", "Scale"),
        Column("name", "Name"),
        Column("direction", "Direction"),
        *SCORE_COLUMNS,
        Column("n_units", "Units (n_units)", COUNT),
        BAND,
        Column("reason", "Why not shown", words=source.reasons),
        *(TREND_COLUMNS if source.trend is not None else ()),
    ]
    records = [
        entry
        | compared.get(code, {})
        | {"scale": code, "name": source.scale_name(code), "direction": source.direction(code)}
        for code, entry in (source.partnership.get("scales") or {}).items()
    ]
    return Table("scales", "Scales", columns, records)


def groups_table(source: Source, level: str) -> Table:
    """Units (`level` "unit") or role groups ("role"): one row per group per scale.

    A combined group is one row per scale, with the organisations (or roles)
    it combines named in one cell; nothing is shown for them one by one.
    """
    is_unit = level == "unit"
    trend = source.trend_units() if is_unit else {}
    columns = [
        Column(level, "Unit" if is_unit else "Role group"),
        Column("combined", "Combined", yes_no=True),
        Column("members", "Organisations" if is_unit else "Roles", width=50, wrap=True),
        Column("respondents", "Respondents in group", COUNT),
        Column("scale", "Scale"),
        Column("scale_name", "Scale name"),
        *SCORE_COLUMNS,
        BAND,
        *([Column("rwg", "Agreement (rwg)", AGREEMENT)] if is_unit else []),
        Column("reason", "Why not shown", words=source.reasons),
        *(TREND_COLUMNS if trend else ()),
    ]
    records = []
    for group in source.units if is_unit else source.roles:
        name = str(group.get("name", ""))
        members = (
            joined(group.get("organisations") or [])
            if is_unit
            else source.role_list(group.get("roles") or [])
        )
        compared = (trend.get(name) or {}).get("scales") or {}
        for code, entry in (group.get("scales") or {}).items():
            records.append(
                entry
                | compared.get(code, {})
                | {
                    level: name if is_unit else source.role(name),
                    "combined": bool(group.get("combined")),
                    "members": members,
                    "respondents": group.get("n"),
                    "scale": code,
                    "scale_name": source.scale_name(code),
                }
            )
    return Table(f"{level}s", "Units" if is_unit else "Roles", columns, records)


def positions_table(source: Source) -> Table:
    """Momentum, strain, position and alignment of the partnership, each unit and role group."""
    columns = [
        Column("level", "Level"),
        Column("group", "Group"),
        Column("combined", "Combined", yes_no=True),
        Column("members", "Organisations or roles", width=50, wrap=True),
        Column("respondents", "Respondents", COUNT),
        Column("momentum", f"{vocabulary.MOMENTUM} (0-100)", SCORE),
        Column("strain", f"{vocabulary.PULL} (0-100)", SCORE),
        Column("position", "Position", words=vocabulary.POSITIONS),
        Column("alignment", "Alignment", words=vocabulary.ALIGNMENTS),
    ]
    if source.trend is not None:
        columns += [
            Column("momentum_previous", "Momentum, previous round", SCORE),
            Column("momentum_change", "Momentum change", SCORE),
            Column(
                "momentum_change_shown",
                "Momentum change as printed",
                compute=lambda r: printed_change(
                    {
                        "previous": r.get("momentum_previous"),
                        "change": r.get("momentum_change"),
                        "score": r.get("momentum"),
                    }
                ),
            ),
            Column("strain_previous", "Pull, previous round", SCORE),
            Column("strain_change", "Pull change", SCORE),
            Column(
                "strain_change_shown",
                "Pull change as printed",
                compute=lambda r: printed_change(
                    {
                        "previous": r.get("strain_previous"),
                        "change": r.get("strain_change"),
                        "score": r.get("strain"),
                    }
                ),
            ),
        ]
    trend = source.trend_units()
    levels: list[tuple[str, Any, dict[str, Any], Any, dict[str, Any]]] = [
        (
            "partnership",
            "Partnership",
            source.partnership | {"n": source.result.get("respondents")},
            None,
            (source.trend or {}).get("partnership") or {},
        )
    ]
    for unit in source.units:
        name = str(unit.get("name", ""))
        organisations = joined(unit.get("organisations") or [])
        levels.append(("unit", name, unit, organisations, trend.get(name, {})))
    for role in source.roles:
        roles = source.role_list(role.get("roles") or [])
        levels.append(("role", source.role(str(role.get("name", ""))), role, roles, {}))
    records = []
    for level, name, entry, members, compared in levels:
        record = {key: entry.get(key) for key in ("momentum", "strain", "position", "alignment")}
        record |= {"level": level, "group": name, "members": members}
        record |= {"combined": bool(entry.get("combined")), "respondents": entry.get("n")}
        for key in ("momentum", "strain"):
            change = compared.get(key) or {}
            record |= {
                f"{key}_previous": change.get("previous"),
                f"{key}_change": change.get("change"),
            }
        records.append(record)
    return Table("groups", "Positions", columns, records)


def reliability_table(source: Source) -> Table:
    """Cronbach's alpha, ICC(1) and ICC(2) per scale."""
    columns = [
        Column("scale", "Scale"),
        Column("name", "Name"),
        Column("alpha", "Cronbach's alpha", AGREEMENT),
        Column("n_complete", "Respondents answering every item", COUNT),
        Column("icc1", "ICC(1)", SHARE),
        Column("icc2", "ICC(2)", SHARE),
    ]
    records = [
        entry | {"scale": code, "name": source.scale_name(code)}
        for code, entry in source.section("reliability").items()
    ]
    return Table("reliability", "Reliability", columns, records)


def ties_table(source: Source) -> Table:
    """Every existing tie; trust and value only on shown ties (SPEC §4.4)."""
    columns = [
        Column("from", "From"),
        Column("from_code", "From (code)", compute=lambda r: source.code(r.get("from"))),
        Column("to", "To"),
        Column("to_code", "To (code)", compute=lambda r: source.code(r.get("to"))),
        Column("raters", "Raters", COUNT),
        Column("shown", "Shown", yes_no=True),
        Column("trust", "Trust (0-100)", SCORE),
        Column("value", "Value (0-100)", SCORE),
    ]
    records = [
        tie if tie.get("shown") is True else tie | {"shown": False, "trust": None, "value": None}
        for tie in source.network.get("ties") or []
    ]
    return Table("ties", "Network ties", columns, records)


def members_table(source: Source) -> Table:
    """Network figures per organisation, with its sector when known."""
    sectors = {sector.code: sector.label for sector in source.instrument.sectors}
    columns = [
        Column("organisation", "Organisation"),
        Column(
            "org_code", "Organisation code", compute=lambda r: source.code(r.get("organisation"))
        ),
        Column("sector", "Sector", words=sectors),
        Column("trust_received", "Trust received", SCORE),
        Column("trust_given", "Trust given", SCORE),
        Column("value_received", "Value received", SCORE),
        Column("value_given", "Value given", SCORE),
        Column("betweenness", "Betweenness", SHARE),
        Column("degree", "Degree", COUNT),
    ]
    records = [
        member | {"sector": source.sector(str(member.get("organisation", "")))}
        for member in source.network.get("members") or []
    ]
    return Table("members", "Members", columns, records)


def flags_table(source: Source) -> Table:
    """Relationship flags: one-sided trust, low trust both ways, organisations not connected."""
    columns = [
        Column("type", "Flag", words=vocabulary.FLAGS),
        Column("a", "Organisation A"),
        Column("a_code", "Organisation A (code)", compute=lambda r: source.code(r.get("a"))),
        Column("b", "Organisation B"),
        Column("b_code", "Organisation B (code)", compute=lambda r: source.code(r.get("b"))),
        Column("organisation", "Organisation"),
        Column(
            "org_code", "Organisation code", compute=lambda r: source.code(r.get("organisation"))
        ),
        Column("gap", "Trust gap", SCORE),
    ]
    return Table("flags", "Flags", columns, source.network.get("flags") or [])


def printed_gap(record: Mapping[str, Any]) -> str | None:
    """A perception gap as printed beside its flag: to as many places as it takes to agree."""
    gap = record.get("gap")
    if not numbers_rule.present(gap):
        return None
    return numbers_rule.flagged_text(gap, PERCEPTION_GAP, bool(record.get("flagged")))


def perception_gaps_table(source: Source) -> Table:
    """Own COMMIT score against value received, for organisations that are their own unit."""
    columns = [
        Column("organisation", "Organisation"),
        Column(
            "org_code", "Organisation code", compute=lambda r: source.code(r.get("organisation"))
        ),
        Column("self_commit", "Own commitment score (bringing the organisation to bear)", SCORE),
        Column("value_received", "Value received", SCORE),
        Column("gap", "Gap", SCORE),
        Column("gap_shown", "Gap as printed (agrees with the flag)", compute=printed_gap),
        Column("flagged", "Flagged (gap of 20 or more)", yes_no=True),
    ]
    return Table("perception_gaps", "Perception gaps", columns, own_unit_gaps(source.result))


def recommendations_table(source: Source) -> Table:
    """The recommended actions, most urgent first, with why, steps and questions as text."""
    columns = [
        Column("priority", "Priority", COUNT),
        Column("action", "Action"),
        Column("summary", "Summary", width=50, wrap=True),
        Column("scales", "Scales"),
        Column("why", "Why", width=70, wrap=True),
        Column("steps", "Steps", width=70, wrap=True),
        Column("questions", "Questions to discuss", width=60, wrap=True),
    ]
    records = [
        entry
        | {
            "action": Coded(entry.get("action"), entry.get("title") or entry.get("action")),
            "scales": joined(entry.get("scales") or [], ", "),
            "why": joined(entry.get("why") or [], "\n"),
            "steps": joined(
                (f"{i}. {step}" for i, step in enumerate(entry.get("steps") or [], start=1)), "\n"
            ),
            "questions": joined(entry.get("questions") or [], "\n"),
        }
        for entry in source.result.get("recommendations") or []
    ]
    return Table("recommendations", "Recommendations", columns, records)


def strengths_table(source: Source) -> Table:
    """What the partnership does well."""
    columns = [
        Column("scale", "Scale"),
        Column("name", "Name"),
        Column("score", "Score (0-100)", SCORE),
        BAND,
        Column("text", "What it means", width=70, wrap=True),
    ]
    records = [
        entry | {"name": source.scale_name(str(entry.get("scale")))}
        for entry in source.result.get("strengths") or []
    ]
    return Table("strengths", "Strengths", columns, records)


QUESTION_COLUMNS = (
    Column("question", "Question"),
    Column("question_text", "Question asked", width=40, wrap=True),
)


def text_themes_table(source: Source) -> Table:
    """Themes of the free-text answers the result shows (partnership level only)."""
    columns = [
        *QUESTION_COLUMNS,
        Column("theme", "Theme", width=50, wrap=True),
        Column("count", "Answers", COUNT),
        Column("keywords", "Keywords"),
        Column("examples", "Examples", width=70, wrap=True),
    ]
    records = [
        source.question(code)
        | {
            "theme": theme.get("label"),
            "count": theme.get("count"),
            "keywords": joined(theme.get("keywords") or [], ", "),
            "examples": joined(theme.get("examples") or [], "\n"),
        }
        for code, entry in source.shown_text()
        for theme in entry.get("themes") or []
    ]
    return Table("text_themes", "Text themes", columns, records)


def text_answers_table(source: Source) -> Table:
    """Every free-text answer the result shows, as the core redacted and sorted them."""
    columns = [*QUESTION_COLUMNS, Column("answer", "Answer", width=90, wrap=True)]
    records = [
        source.question(code) | {"answer": answer}
        for code, entry in source.shown_text()
        for answer in entry.get("answers") or []
    ]
    return Table("text_answers", "Text answers", columns, records)


def scores_table(source: Source) -> Table:
    """The tidy scores: one row per level (partnership, unit, role), group and scale."""
    columns = [
        Column("level", "Level"),
        Column("group", "Group"),
        Column("combined", "Combined", yes_no=True),
        Column("scale", "Scale"),
        *SCORE_COLUMNS,
        BAND,
        Column("rwg", "Agreement (rwg)", AGREEMENT),
        Column("reason", "Why not shown", words=source.reasons),
    ]
    levels = [("partnership", {"name": "Partnership"} | source.partnership)]
    levels += [("unit", unit) for unit in source.units]
    levels += [("role", role) for role in source.roles]
    records = [
        entry
        | {"level": level, "group": group.get("name"), "combined": bool(group.get("combined"))}
        | {"scale": code}
        for level, group in levels
        for code, entry in (group.get("scales") or {}).items()
    ]
    return Table("scores", "Scores", columns, records)


def trend_table(source: Source) -> Table:
    """The trend, tidy: one row per level, group and measure (a scale, momentum or strain)."""
    columns = [
        Column("level", "Level"),
        Column("group", "Group"),
        Column("measure", "Measure"),
        *TREND_COLUMNS,
    ]
    trend = source.trend or {}
    levels = [("partnership", "Partnership", trend.get("partnership") or {})] if trend else []
    levels += [("unit", name, entry) for name, entry in source.trend_units().items()]
    records = []
    for level, name, entry in levels:
        measures = dict(entry.get("scales") or {})
        measures |= {key: entry[key] for key in ("momentum", "strain") if entry.get(key)}
        records += [
            change | {"level": level, "group": name, "measure": measure}
            for measure, change in measures.items()
        ]
    return Table("trend", "Trend", columns, records)


def summary_table(source: Source) -> Table:
    """Measure and value pairs: the round, settings, partnership and network figures."""
    result, partnership, network = source.result, source.partnership, source.network
    compared = ((source.trend or {}).get("partnership")) or {}
    pairs: dict[str, Any] = {
        "title": source.title,
        "schema": result.get("schema"),
        "instrument": source.instrument.id,
        "round": result.get("round"),
        "respondents": as_number(result.get("respondents")),
    }
    pairs |= {str(key): as_number(value) for key, value in source.section("settings").items()}
    pairs |= {key: partnership.get(key) for key in ("momentum", "strain", "position")}
    pairs |= {key: partnership.get(key) for key in ("alignment", "reason")}
    if source.trend is not None:
        pairs |= {
            "previous_round": source.trend.get("previous_round"),
            "previous_position": (compared.get("position") or {}).get("previous"),
            "previous_alignment": (compared.get("alignment") or {}).get("previous"),
        }
    pairs["network_organisations"] = len(network.get("organisations") or [])
    pairs["network_ties"] = len(network.get("ties") or [])
    pairs |= {f"network_{key}": network.get(key) for key in NETWORK_FIGURES}
    records = [{"measure": key, "value": value} for key, value in pairs.items()]
    columns = [Column("measure", "Measure"), Column("value", "Value")]
    return Table("summary", "Summary", columns, records)
