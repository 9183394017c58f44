"""Exports of a `joinedup.analysis/1` result for analysts: Excel, tidy CSV and GraphML.

Everything here is rendered from the result alone, never from raw responses,
so nothing the analysis core suppressed can reach a file:

- scale figures exist only for the reporting units of the result (SPEC §3.5):
  an organisation merged into "Other organisations" is named in that unit's
  list of organisations, never given a figure of its own;
- free text is exported only where the result marks it shown (SPEC §5);
- a tie's trust and value only where the tie is shown (SPEC §4.4). The
  network may name every organisation (SPEC §4 governs it by min_tie_raters).

Every text cell of a workbook or CSV file that spreadsheet software could
read as a formula (one beginning with =, +, -, @, a tab or a carriage
return, after OWASP's guidance on CSV injection) gets a leading apostrophe.
Organisation names come from users and free text from respondents, so this
applies to every text cell; numbers are written as numbers and never touched.

Numbers are never rounded: a workbook holds them to 16 significant digits
(more than the 15 Excel keeps) and rounds them for display with number
formats only; CSV files write them exactly as the result has them.

    to_xlsx        one workbook: a summary, every table, and a note on the figures
    to_csv         tidy CSV files (UTF-8 with a byte-order mark) in a folder
    to_csv_zip     the same files packed in a zip, for web downloads
    to_graphml     the relationship network as GraphML (network_graph: as networkx)

Each table is a list of records (dicts) and the columns that read them, so
the workbook and the CSV files show the same figures: a workbook shows a
code's plain-English label and yes/no, a CSV file the code and true/false.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from joinedup.analysis import vocabulary
from joinedup.instrument import DEFAULT_INSTRUMENT, Instrument, load_instrument

# Leading characters that make a spreadsheet read a cell as a formula (OWASP,
# "CSV Injection"), and their full-width forms, which some spreadsheets accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_CELL_LIMIT = 32_767  # the most characters Excel keeps in one cell

SCORE = "0.0"
COUNT = "0"
AGREEMENT = "0.00"
SHARE = "0.000"
P_VALUE = "0.000"

MOMENTUM_SCALES = "CASE, TRUST, CONVERSE, RELATE and COMMIT"
STRAIN_SCALES = "STRAIN and SURVIVAL"
NETWORK_FIGURES = ("density", "reciprocity", "centralisation", "mean_trust", "mean_value")
MEMBER_FIGURES = ("trust_received", "trust_given", "value_received", "value_given")

PathOrBuffer = str | Path | IO[bytes]


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe if a spreadsheet could read it as a formula.

    A cell beginning with =, +, -, @, a tab or a carriage return (or the
    full-width =, +, - and @) is a formula to Excel, LibreOffice and Google
    Sheets; the apostrophe makes them show it as text (OWASP, "CSV Injection").
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_xlsx(
    result: dict[str, Any], path_or_buffer: PathOrBuffer, sectors: dict[str, str] | None = None
) -> None:
    """Write the result as an Excel workbook to a path or a binary file object.

    Sheets: Summary, Scales, Units, Roles, Positions, Reliability, Network
    ties, Members, Flags, Perception gaps, Recommendations, Strengths, Text
    themes, Text answers and About. Each table has a bold, frozen header row
    with a filter; numbers are stored unrounded and rounded for display by
    number formats. `sectors` maps organisation names to sector codes, shown
    for network members.
    """
    source = _Source.read(result, sectors)
    workbook = Workbook(write_only=True)
    _write_summary(workbook, source)
    for table in (
        scales_table(source),
        groups_table(source, "unit"),
        groups_table(source, "role"),
        positions_table(source),
        reliability_table(source),
        ties_table(source),
        members_table(source),
        flags_table(source),
        perception_gaps_table(source),
        recommendations_table(source),
        strengths_table(source),
        text_themes_table(source),
        text_answers_table(source),
    ):
        _write_table(workbook, table)
    _write_about(workbook, source)
    workbook.save(path_or_buffer)


def to_csv(
    result: dict[str, Any], folder: str | Path, sectors: dict[str, str] | None = None
) -> list[Path]:
    """Write the result as tidy CSV files in `folder` (created if need be); return their paths.

    Always every file, a header alone when its section is empty:
    summary.csv (measure, value), scores.csv (one row per level, group and
    scale: level, group, combined, scale, score, ci_low, ci_high, n, band,
    rwg, reason), groups.csv (momentum, strain, position and alignment per
    level and group, with a unit's organisations), trend.csv, reliability.csv,
    ties.csv, members.csv, flags.csv, perception_gaps.csv,
    recommendations.csv, text_themes.csv and text_answers.csv. UTF-8 with a
    byte-order mark so Excel reads every character right; codes rather than
    labels; true/false; an empty cell for a missing or suppressed figure.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in _csv_texts(result, sectors).items():
        path = target / name
        path.write_bytes(text.encode("utf-8-sig"))
        paths.append(path)
    return paths


def to_csv_zip(result: dict[str, Any], sectors: dict[str, str] | None = None) -> bytes:
    """The files of `to_csv`, packed in a zip archive (for a web download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _csv_texts(result, sectors).items():
            archive.writestr(name, text.encode("utf-8-sig"))
    return buffer.getvalue()


def network_graph(result: dict[str, Any], sectors: dict[str, str] | None = None) -> nx.DiGraph:
    """The relationship network of the result as a directed networkx graph.

    Nodes are the network's organisations, with `label`, `sector` (when
    `sectors` gives one), trust_received, trust_given, value_received,
    value_given, betweenness and degree; an attribute that is null in the
    result is left out. Every existing tie is an edge with `raters` and
    `shown`, and `trust` and `value` on shown ties only (SPEC §4.4). The
    graph carries the network figures that are not null.
    """
    source = _Source.read(result, sectors)
    network = source.network
    graph = nx.DiGraph(instrument=source.instrument.id)
    if result.get("round") is not None:
        graph.graph["round"] = _xml_text(str(result["round"]))
    for key in NETWORK_FIGURES:
        if (figure := _float(network.get(key))) is not None:
            graph.graph[key] = figure
    members = {str(m.get("organisation")): m for m in network.get("members") or []}
    for name in dict.fromkeys([str(n) for n in network.get("organisations") or []] + [*members]):
        member = members.get(name, {})
        node: dict[str, Any] = {"label": _xml_text(name)}
        if (sector := source.sector(name)) is not None:
            node["sector"] = _xml_text(sector)
        for key in (*MEMBER_FIGURES, "betweenness"):
            if (figure := _float(member.get(key))) is not None:
                node[key] = figure
        if (degree := _int(member.get("degree"))) is not None:
            node["degree"] = degree
        graph.add_node(_xml_text(name), **node)
    for tie in network.get("ties") or []:
        shown = tie.get("shown") is True
        edge: dict[str, Any] = {"raters": _int(tie.get("raters")) or 0, "shown": shown}
        for key in ("trust", "value"):
            if shown and (figure := _float(tie.get(key))) is not None:
                edge[key] = figure
        graph.add_edge(_xml_text(str(tie.get("from"))), _xml_text(str(tie.get("to"))), **edge)
    return graph


def to_graphml(
    result: dict[str, Any], path_or_buffer: PathOrBuffer, sectors: dict[str, str] | None = None
) -> None:
    """Write the relationship network as GraphML (what it holds: `network_graph`)."""
    nx.write_graphml(network_graph(result, sectors), path_or_buffer)


# ------------------------------------------------------------- reading


@dataclass(frozen=True)
class Coded:
    """A code from the result and its plain-English label.

    A workbook shows the label, a CSV file the code, so analysts can filter
    on codes and readers see words.
    """

    code: str | None
    label: str | None


def _coded(code: Any, words: Mapping[str, str]) -> Coded:
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

    def value(self, record: Mapping[str, Any]) -> Any:
        """This column's cell for a record: a number, a bool, a Coded, text or None."""
        raw = record.get(self.key)
        if isinstance(raw, Coded):
            return raw
        if self.number_format:
            return _number(raw)
        if self.yes_no:
            return None if raw is None else bool(raw)
        if self.words is not None:
            return _coded(raw, self.words)
        if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
            return _number(raw)  # a number in a mixed column stays a number
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
class _Source:
    """The result, read defensively (a stored result may be partial), and its instrument."""

    result: dict[str, Any]
    instrument: Instrument
    k: int
    sectors: dict[str, str]

    @classmethod
    def read(cls, result: dict[str, Any], sectors: dict[str, str] | None) -> _Source:
        try:
            instrument = load_instrument(str(result.get("instrument") or DEFAULT_INSTRUMENT))
        except KeyError:
            instrument = load_instrument()
        settings = result.get("settings") or {}
        return cls(
            result=result,
            instrument=instrument,
            k=_int(settings.get("min_group_size")) or 5,
            sectors={_match(name): code for name, code in (sectors or {}).items()},
        )

    def section(self, key: str) -> Any:
        return self.result.get(key) or {}

    @property
    def partnership(self) -> dict[str, Any]:
        return self.section("partnership")

    @property
    def network(self) -> dict[str, Any]:
        return self.section("network")

    @property
    def units(self) -> list[dict[str, Any]]:
        return list(self.result.get("units") or [])

    @property
    def roles(self) -> list[dict[str, Any]]:
        return list(self.result.get("roles") or [])

    @property
    def trend(self) -> dict[str, Any] | None:
        trend = self.result.get("trend")
        return trend if isinstance(trend, dict) else None

    @property
    def merged(self) -> set[str]:
        """Organisations merged into a combined unit: never given a figure alone."""
        return {
            _match(str(name))
            for unit in self.units
            if unit.get("combined")
            for name in unit.get("organisations") or []
        }

    @property
    def reasons(self) -> dict[str, str]:
        return {
            "too_few_answers": f"Not shown: fewer than {self.k} respondents answered",
            "too_few_respondents": f"No results: fewer than {self.k} respondents in all",
        }

    def sector(self, organisation: str) -> str | None:
        return self.sectors.get(_match(organisation))

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
        return Coded(_joined(r.code for r in roles), _joined(r.label for r in roles))

    def question_text(self, code: str) -> str:
        texts = {question.code: question.text for question in self.instrument.text_questions}
        return texts.get(code, code)

    def trend_units(self) -> dict[str, dict[str, Any]]:
        """Trend entries of the units compared with the previous round, by unit name."""
        return {str(u.get("name")): u for u in (self.trend or {}).get("units") or []}

    def shown_text(self) -> list[tuple[str, dict[str, Any]]]:
        """Free-text questions the result shows; a suppressed one is never read further."""
        return [
            (str(code), entry)
            for code, entry in self.section("text").items()
            if isinstance(entry, dict) and entry.get("shown") is True
        ]


def _match(name: str) -> str:
    """Organisation names match ignoring case and surrounding spaces (SPEC §2)."""
    return name.strip().casefold()


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def _number(value: Any) -> int | float | None:
    """A number from the result as a plain int or float; None when missing."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return _float(value)


def _xml_text(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _joined(names: Iterable[Any], separator: str = "; ") -> str:
    return separator.join(str(name) for name in names)


# -------------------------------------------------------------- tables

TREND_COLUMNS = (
    Column("previous", "Previous round", SCORE),
    Column("change", "Change", SCORE),
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


def scales_table(source: _Source) -> Table:
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


def groups_table(source: _Source, level: str) -> Table:
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
            _joined(group.get("organisations") or [])
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


def positions_table(source: _Source) -> Table:
    """Momentum, strain, position and alignment of the partnership, each unit and role group."""
    columns = [
        Column("level", "Level"),
        Column("group", "Group"),
        Column("combined", "Combined", yes_no=True),
        Column("members", "Organisations or roles", width=50, wrap=True),
        Column("respondents", "Respondents", COUNT),
        Column("momentum", "Momentum (0-100)", SCORE),
        Column("strain", "Strain (0-100)", SCORE),
        Column("position", "Position", words=vocabulary.POSITIONS),
        Column("alignment", "Alignment", words=vocabulary.ALIGNMENTS),
    ]
    if source.trend is not None:
        columns += [
            Column("momentum_previous", "Momentum, previous round", SCORE),
            Column("momentum_change", "Momentum change", SCORE),
            Column("strain_previous", "Strain, previous round", SCORE),
            Column("strain_change", "Strain change", SCORE),
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
        organisations = _joined(unit.get("organisations") or [])
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


def reliability_table(source: _Source) -> Table:
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


def ties_table(source: _Source) -> Table:
    """Every existing tie; trust and value only on shown ties (SPEC §4.4)."""
    columns = [
        Column("from", "From"),
        Column("to", "To"),
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


def members_table(source: _Source) -> Table:
    """Network figures per organisation, with its sector when known."""
    sectors = {sector.code: sector.label for sector in source.instrument.sectors}
    columns = [
        Column("organisation", "Organisation"),
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


def flags_table(source: _Source) -> Table:
    """Relationship flags: one-sided trust, low trust both ways, organisations not connected."""
    columns = [
        Column("type", "Flag", words=vocabulary.FLAGS),
        Column("a", "Organisation A"),
        Column("b", "Organisation B"),
        Column("organisation", "Organisation"),
        Column("gap", "Trust gap", SCORE),
    ]
    return Table("flags", "Flags", columns, source.network.get("flags") or [])


def perception_gaps_table(source: _Source) -> Table:
    """Own COMMIT score against value received, for organisations that are their own unit."""
    columns = [
        Column("organisation", "Organisation"),
        Column("self_commit", "Own COMMIT score", SCORE),
        Column("value_received", "Value received", SCORE),
        Column("gap", "Gap", SCORE),
        Column("flagged", "Flagged (gap of 20 or more)", yes_no=True),
    ]
    merged = source.merged
    records = [
        gap
        for gap in source.result.get("perception_gaps") or []
        if _match(str(gap.get("organisation", ""))) not in merged
    ]
    return Table("perception_gaps", "Perception gaps", columns, records)


def recommendations_table(source: _Source) -> Table:
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
            "scales": _joined(entry.get("scales") or [], ", "),
            "why": _joined(entry.get("why") or [], "\n"),
            "steps": _joined(
                (f"{i}. {step}" for i, step in enumerate(entry.get("steps") or [], start=1)), "\n"
            ),
            "questions": _joined(entry.get("questions") or [], "\n"),
        }
        for entry in source.result.get("recommendations") or []
    ]
    return Table("recommendations", "Recommendations", columns, records)


def strengths_table(source: _Source) -> Table:
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


def text_themes_table(source: _Source) -> Table:
    """Themes of the free-text answers the result shows (partnership level only)."""
    columns = [
        Column("question", "Question"),
        Column("question_text", "Question asked", width=40, wrap=True),
        Column("theme", "Theme", width=50, wrap=True),
        Column("count", "Answers", COUNT),
        Column("keywords", "Keywords"),
        Column("examples", "Examples", width=70, wrap=True),
    ]
    records = [
        {
            "question": code,
            "question_text": source.question_text(code),
            "theme": theme.get("label"),
            "count": theme.get("count"),
            "keywords": _joined(theme.get("keywords") or [], ", "),
            "examples": _joined(theme.get("examples") or [], "\n"),
        }
        for code, entry in source.shown_text()
        for theme in entry.get("themes") or []
    ]
    return Table("text_themes", "Text themes", columns, records)


def text_answers_table(source: _Source) -> Table:
    """Every free-text answer the result shows, as the core redacted and sorted them."""
    columns = [
        Column("question", "Question"),
        Column("question_text", "Question asked", width=40, wrap=True),
        Column("answer", "Answer", width=90, wrap=True),
    ]
    records = [
        {"question": code, "question_text": source.question_text(code), "answer": answer}
        for code, entry in source.shown_text()
        for answer in entry.get("answers") or []
    ]
    return Table("text_answers", "Text answers", columns, records)


def scores_table(source: _Source) -> Table:
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


def trend_table(source: _Source) -> Table:
    """The trend, tidy: one row per level, group and measure (a scale, momentum or strain)."""
    columns = [
        Column("level", "Level"),
        Column("group", "Group"),
        Column("measure", "Measure"),
        *TREND_COLUMNS,
    ]
    trend = source.trend or {}
    levels = [("partnership", "Partnership", trend.get("partnership") or {})] if trend else []
    levels += [("unit", str(u.get("name", "")), u) for u in trend.get("units") or []]
    records = []
    for level, name, entry in levels:
        measures = dict(entry.get("scales") or {})
        measures |= {key: entry[key] for key in ("momentum", "strain") if entry.get(key)}
        records += [
            change | {"level": level, "group": name, "measure": measure}
            for measure, change in measures.items()
        ]
    return Table("trend", "Trend", columns, records)


def summary_table(source: _Source) -> Table:
    """Measure and value pairs: the round, settings, partnership and network figures."""
    result, partnership, network = source.result, source.partnership, source.network
    compared = ((source.trend or {}).get("partnership")) or {}
    pairs: dict[str, Any] = {
        "schema": result.get("schema"),
        "instrument": source.instrument.id,
        "round": result.get("round"),
        "respondents": _number(result.get("respondents")),
    }
    pairs |= {str(key): _number(value) for key, value in source.section("settings").items()}
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


# ----------------------------------------------------------------- CSV


def _csv_texts(result: dict[str, Any], sectors: dict[str, str] | None) -> dict[str, str]:
    """Each CSV file's name and text."""
    source = _Source.read(result, sectors)
    tables = [
        summary_table(source),
        scores_table(source),
        positions_table(source),
        trend_table(source),
        reliability_table(source),
        ties_table(source),
        members_table(source),
        flags_table(source),
        perception_gaps_table(source),
        recommendations_table(source),
        text_themes_table(source),
        text_answers_table(source),
    ]
    return {f"{table.name}.csv": _csv_text(table) for table in tables}


def _csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in table.columns])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows())
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Coded):
        return "" if value.code is None else neutralise(value.code)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = _float(value)
        return "" if number is None else repr(number)
    return neutralise(str(value))


# ------------------------------------------------------------ workbook

BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60
FILTER_BUTTON = 2  # characters the header's filter button covers


def _xlsx_value(value: Any) -> Any:
    """A cell's value as the workbook stores it: numbers as numbers, text made safe."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Coded):
        return None if value.label is None else _xlsx_text(value.label)
    if isinstance(value, numbers.Real):
        return _number(value)
    return _xlsx_text(str(value))


def _xlsx_text(text: str) -> str:
    text = neutralise(_xml_text(text))
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def _cell(sheet: Any, value: Any, number_format: str | None = None, **style: Any) -> WriteOnlyCell:
    stored = _xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=stored)
    if isinstance(stored, str):
        # openpyxl would store "#N/A" and the like as an error value: text stays text.
        cell.data_type = "s"
    elif stored is not None and number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        if setting is not None:
            setattr(cell, name, setting)
    return cell


def _width(column: Column, values: Iterable[Any]) -> float:
    """A column's width in characters: its widest line, and room for the filter button."""
    if column.width is not None:
        return column.width
    longest = len(column.title) + FILTER_BUTTON
    for value in values:
        stored = _xlsx_value(value)
        if isinstance(stored, str):
            longest = max(longest, *(len(line) for line in stored.split("\n")))
        elif stored is not None:
            longest = max(longest, 8)
    return min(longest + 2, MAX_WIDTH)


def _start_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: list[list[Any]]
) -> Any:
    """A new sheet with its header row frozen and its columns sized to fit."""
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = _width(column, (row[index] for row in rows))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return sheet


def _write_table(workbook: Workbook, table: Table) -> None:
    rows = table.rows()
    sheet = _start_sheet(workbook, table.title, table.columns, rows)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(rows) + 1}"
    sheet.append([_cell(sheet, column.title, font=BOLD) for column in table.columns])
    # Beside wrapped text, every cell of a row reads best from the top; a table
    # without any (such as the ties) skips the styling, which is slow per cell.
    wrapped = any(column.wrap for column in table.columns)
    alignments = [WRAP if c.wrap else TOP if wrapped else None for c in table.columns]
    for row in rows:
        sheet.append(
            [
                _cell(sheet, value, column.number_format, alignment=alignment)
                for column, alignment, value in zip(table.columns, alignments, row, strict=True)
            ]
        )


SUMMARY_COLUMNS = [
    Column("item", "Item", width=42),
    Column("value", "Value", width=60, wrap=True),
    Column("note", "What it means", width=80, wrap=True),
]


@dataclass(frozen=True)
class _Line:
    """One line of the Summary sheet; a heading has an item alone, in bold."""

    item: str
    value: Any = None
    number_format: str | None = None
    note: str | None = None
    heading: bool = False


def _summary_lines(source: _Source) -> list[_Line]:
    result, partnership = source.result, source.partnership
    k = source.k
    position = partnership.get("position")
    lines = [
        _Line("Partnership", heading=True),
        _Line("Round", result.get("round") or "(not labelled)"),
        _Line("Respondents", _number(result.get("respondents")), COUNT, "Everyone who answered."),
    ]
    if partnership.get("reason") == "too_few_respondents" or not source.units:
        lines.append(
            _Line(
                "Results",
                f"No results: fewer than {k} respondents took part in all, so no figure can be "
                "shown without risking identifying them.",
                note="The relationship network follows its own rule and may still be shown.",
            )
        )
    else:
        lines += [
            _Line(
                "Position",
                _coded(position, vocabulary.POSITIONS),
                note=vocabulary.POSITION_SENTENCES.get(position or ""),
            ),
            _Line(
                "Momentum (0-100)",
                _number(partnership.get("momentum")),
                SCORE,
                f"Towards a tipping point: the mean of {MOMENTUM_SCALES}. 50 or more is high.",
            ),
            _Line(
                "Strain (0-100)",
                _number(partnership.get("strain")),
                SCORE,
                f"Towards a breaking point: the mean of {STRAIN_SCALES}. 50 or more is high.",
            ),
            _Line(
                "Alignment",
                _coded(partnership.get("alignment"), vocabulary.ALIGNMENTS),
                note="The case for collaboration (CASE) against readiness to change (CHANGE).",
            ),
        ]
    if source.trend is not None:
        compared = source.trend.get("partnership") or {}
        lines += [
            _Line("Trend", heading=True),
            _Line("Compared with", source.trend.get("previous_round") or "the previous round"),
            _Line(
                "Position then",
                _coded((compared.get("position") or {}).get("previous"), vocabulary.POSITIONS),
            ),
            _Line(
                "Change in momentum",
                _number((compared.get("momentum") or {}).get("change")),
                SCORE,
                "This round minus the previous one.",
            ),
            _Line(
                "Change in strain",
                _number((compared.get("strain") or {}).get("change")),
                SCORE,
                "This round minus the previous one.",
            ),
        ]
    lines += [
        _Line("Reporting units", heading=True),
        _Line(
            "Units reported",
            len(source.units),
            COUNT,
            f"Each organisation with at least {k} respondents is its own unit.",
        ),
    ]
    for unit in source.units:
        if unit.get("combined"):
            lines.append(
                _Line(
                    f"Combined as \u201c{unit.get('name')}\u201d",
                    _joined(unit.get("organisations") or []),
                    note=f"Organisations with fewer than {k} respondents are reported together, "
                    "never on their own.",
                )
            )
    for role in source.roles:
        if role.get("combined"):
            roles = source.role_list(role.get("roles") or [])
            lines.append(_Line(f"Combined as \u201c{role.get('name')}\u201d", roles))
    notes = {
        "min_group_size": "Fewest respondents for a figure to be shown (k).",
        "min_tie_raters": "Fewest raters for a tie's trust and value to be shown.",
        "min_text_group_size": "Fewest answers for a free-text question to be shown.",
    }
    lines.append(_Line("Settings", heading=True))
    for key, value in (result.get("settings") or {}).items():
        lines.append(_Line(str(key), _number(value), COUNT, notes.get(str(key))))
    network = source.network
    lines += [
        _Line("Relationship network", heading=True),
        _Line("Organisations", len(network.get("organisations") or []), COUNT),
        _Line("Ties", len(network.get("ties") or []), COUNT, "Directed: A says it works with B."),
        _Line("Density", _number(network.get("density")), SHARE, "Share of possible ties."),
        _Line("Reciprocity", _number(network.get("reciprocity")), SHARE,
              "Share of ties returned."),
        _Line("Centralisation", _number(network.get("centralisation")), SHARE,
              "0 when every organisation is as connected as the rest; 1 for a star."),
        _Line("Mean trust (0-100)", _number(network.get("mean_trust")), SCORE,
              "Over the shown ties."),
        _Line("Mean value (0-100)", _number(network.get("mean_value")), SCORE,
              "Over the shown ties."),
        _Line("See the About sheet for what each figure means.", heading=True),
    ]  # fmt: skip
    return lines


def _write_summary(workbook: Workbook, source: _Source) -> None:
    lines = _summary_lines(source)
    sheet = _start_sheet(workbook, "Summary", SUMMARY_COLUMNS, [[None] * 3 for _ in lines])
    sheet.append([_cell(sheet, column.title, font=BOLD) for column in SUMMARY_COLUMNS])
    for line in lines:
        sheet.append(
            [
                _cell(sheet, line.item, font=BOLD if line.heading else None, alignment=TOP),
                _cell(sheet, line.value, line.number_format, alignment=WRAP),
                _cell(sheet, line.note, alignment=WRAP),
            ]
        )


def _about(source: _Source) -> list[str]:
    k = source.k
    return [
        "What the figures mean",
        "Scores run from 0 to 100: the mean answer on a scale's statements, where 1 (strongly "
        "disagree) is 0 and 5 (strongly agree) is 100. Reverse-worded statements are turned "
        "round first.",
        "For STRAIN and SURVIVAL a higher score is worse; for every other scale a higher score "
        "is better. Bands read the favourable score (100 minus the score for STRAIN and "
        "SURVIVAL): strength at 75 or more, developing at 50 or more, concern below 50.",
        f"A unit is an organisation with at least {k} respondents. Organisations with fewer are "
        "combined into \u201cOther organisations\u201d so no one can be identified; figures "
        "are never shown for a combined organisation on its own. A figure answered by fewer "
        f"than {k} respondents is left blank, with the reason.",
        "The partnership score is the mean of the unit scores, each organisation counting the "
        "same (one organisation, one voice). The 95% interval is a t-interval; with few units "
        "it is wide and can run past 0 or 100. n is the respondents behind a score; n_units "
        "the units.",
        f"Momentum (towards a tipping point) is the mean of {MOMENTUM_SCALES}; strain "
        f"(towards a breaking point) the mean of {STRAIN_SCALES}. Momentum of 50 or more with "
        "strain below 50 is a tipping point; both 50 or more, tipping and breaking at once; "
        "strain alone, a breaking point; neither, a holding pattern.",
        "Agreement (rwg) says how far a unit's respondents agree, from 0 to 1; 0.70 or more is "
        "conventionally taken as agreement. Cronbach's alpha says how consistently a scale's "
        "statements were answered (0.70 or more is usual); ICC(1) is the share of differences "
        "between respondents that lies between units, ICC(2) how reliably units' means differ.",
        "Network: trust (reliable, open, shares the purpose) and value (resources, influence, "
        "involvement) are on 0 to 100. A tie A to B exists when someone from A says they work "
        "with B; its trust and value are shown only when enough of A's respondents rated B, "
        "and a tie that is not shown enters no figure. Betweenness (0 to 1) says how often an "
        "organisation lies on the shortest path between two others.",
        "Flags: one-sided trust when trust each way differs by 25 or more; low trust both ways "
        "when both are below 50; not connected when an organisation has no tie at all. A "
        "perception gap is an organisation's own COMMIT score minus the value partners see in "
        "it, flagged at 20 or more either way.",
        "Trend: change since the previous round, and p from Welch's t-test on respondents' "
        "scores; significant when p is below 0.05. Units are compared only when they are the "
        "same organisations both times.",
        "Free text is shown only for the whole partnership, never by organisation, only when "
        "enough people answered, with e-mail addresses, phone numbers and links removed.",
        "Numbers are stored unrounded; the sheets round them for display only. Text that a "
        "spreadsheet could take for a formula (beginning with =, +, -, or @) is shown with a "
        "leading apostrophe.",
    ]


def _write_about(workbook: Workbook, source: _Source) -> None:
    columns = [Column("about", "About", width=110, wrap=True)]
    paragraphs = _about(source)
    sheet = _start_sheet(workbook, "About", columns, [[p] for p in paragraphs])
    sheet.append([_cell(sheet, paragraphs[0], font=HEADING)])
    for paragraph in paragraphs[1:]:
        sheet.append([_cell(sheet, paragraph, alignment=WRAP)])
