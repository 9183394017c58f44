"""Reading a `joinedup.analysis/1` result for charts, defensively.

Charts and exports are drawn from stored results, which may be empty,
partial, or from a round with no results at all; every accessor here returns
something usable (an empty list, an empty dict, None) instead of raising.
Only `result["units"]` is ever used for unit-level figures, so an organisation
merged into "Other organisations" can never appear on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from joinedup.analysis import vocabulary
from joinedup.analysis.numbers import present
from joinedup.instrument import DEFAULT_INSTRUMENT, Instrument, load_instrument

if TYPE_CHECKING:
    from .charts.figures import Chart, Table

# The charts import this module for its names: it imports theirs where it
# uses them, so that either can be imported first.

MOMENTUM_SCALES = ("CASE", "TRUST", "CONVERSE", "RELATE", "COMMIT")
STRAIN_SCALES = ("STRAIN", "SURVIVAL")

ZONE_NAMES = vocabulary.ZONE_NAMES  # one name per zone, shared with the pages


@dataclass(frozen=True)
class ScaleInfo:
    code: str
    name: str
    short: str
    higher_is_better: bool


def instrument(result: dict[str, Any]) -> Instrument:
    """The instrument the result was computed with; the default one if it names none we know."""
    try:
        return load_instrument(str(result.get("instrument") or DEFAULT_INSTRUMENT))
    except KeyError:
        return load_instrument()


def scales(result: dict[str, Any]) -> list[ScaleInfo]:
    """The instrument's scales, in the order they are asked."""
    return [
        ScaleInfo(s.code, s.name, s.short_name or s.name, s.higher_is_better)
        for s in instrument(result).scales
    ]


def sector_labels() -> dict[str, str]:
    """Sector codes and their labels, from the instrument."""
    return {label.code: label.label for label in load_instrument().sectors}


def partnership(result: dict[str, Any]) -> dict[str, Any]:
    section = result.get("partnership")
    return section if isinstance(section, dict) else {}


def units(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The reporting units (own organisations, then "Other organisations")."""
    found = result.get("units")
    return [u for u in found if isinstance(u, dict)] if isinstance(found, list) else []


def own_unit_names(result: dict[str, Any]) -> set[str]:
    """Organisations reported on their own (SPEC §3.5), as `match_name` keys.

    Figures that belong to one organisation outside the network (its
    perception gap, say) are shown only for these: anything the result lists
    for another organisation, merged or unknown, is left out.
    """
    return {
        match_name(str(unit.get("name", ""))) for unit in units(result) if not unit.get("combined")
    }


def match_name(name: str) -> str:
    """An organisation name as names are matched: ignoring case and surrounding spaces (SPEC §2)."""
    return name.strip().casefold()


def network(result: dict[str, Any]) -> dict[str, Any]:
    """The network section, with SPEC §3.5 and §4.4 applied once more.

    The analysis core already withholds a merged organisation's view of its
    partners, but a result file may come from elsewhere (an older version,
    `joinedup report` on any JSON). So every chart, table and export reads the
    network through here, where a tie whose rating organisation is not its own
    reporting unit shows no trust, value or raters; such an organisation has no
    trust or value given; and a pair flag that rests on its view is dropped.
    Figures that other organisations' shown ties give it (received) stay.
    """
    section = result.get("network")
    if not isinstance(section, dict):
        return {}
    own = own_unit_names(result)

    def reported_alone(name: Any) -> bool:
        return match_name(str(name)) in own

    ties = []
    for tie in section.get("ties") or []:
        if isinstance(tie, dict) and not reported_alone(tie.get("from")):
            tie = tie | {"shown": False, "trust": None, "value": None, "raters": None}
        ties.append(tie)
    members = []
    for member in section.get("members") or []:
        if isinstance(member, dict) and not reported_alone(member.get("organisation")):
            member = member | {"trust_given": None, "value_given": None}
        members.append(member)
    flags = [
        flag
        for flag in section.get("flags") or []
        if not isinstance(flag, dict)
        or "a" not in flag
        or (reported_alone(flag.get("a")) and reported_alone(flag.get("b")))
    ]
    return section | {"ties": ties, "members": members, "flags": flags}


def scale_figure(level: dict[str, Any], code: str) -> dict[str, Any]:
    """One scale's entry at a level (partnership or unit), or {}."""
    found = (level.get("scales") or {}).get(code)
    return found if isinstance(found, dict) else {}


def score(level: dict[str, Any], code: str) -> float | None:
    value = scale_figure(level, code).get("score")
    return float(value) if present(value) else None


def number(entry: dict[str, Any], key: str) -> float | None:
    value = entry.get(key)
    return float(value) if present(value) else None


def combined_interval(level: dict[str, Any], codes: tuple[str, ...]) -> tuple[float, float] | None:
    """Momentum's or strain's interval: the mean of its scales' interval bounds.

    Momentum and strain are means of scale scores, and the result gives no
    interval for them; the mean of the available component intervals is a
    simple stand-in that charts say they use.
    """
    lows, highs = [], []
    for code in codes:
        figure = scale_figure(level, code)
        if all(present(figure.get(k)) for k in ("score", "ci_low", "ci_high")):
            lows.append(float(figure["ci_low"]))
            highs.append(float(figure["ci_high"]))
    if not lows:
        return None
    return sum(lows) / len(lows), sum(highs) / len(highs)


def trend_entry(result: dict[str, Any], *path: str) -> dict[str, Any]:
    """An entry of the trend section (e.g. "partnership", "scales", "CASE"), or {}."""
    node: Any = result.get("trend")
    for key in path:
        if not isinstance(node, dict):
            return {}
        node = node.get(key)
    return node if isinstance(node, dict) else {}


def position_words(code: str | None) -> str:
    return vocabulary.POSITIONS.get(code or "", "not placed")


def band_word(band: str | None) -> str:
    return vocabulary.BANDS.get(band or "", "Too few answers")


# ----------------------------------------------------------- empty charts


def no_results_reason(result: dict[str, Any], otherwise: str) -> str:
    """Why a chart is empty: no results at all (too few respondents), or `otherwise`."""
    if partnership(result).get("reason") == "too_few_respondents":
        k = (result.get("settings") or {}).get("min_group_size", 5)
        return (
            f"fewer than {k} people answered in all, so no figures can be shown without "
            "risking identifying them."
        )
    return otherwise


def no_results_chart(
    result: dict[str, Any], chart_id: str, title: str, otherwise: str, table: Table
) -> Chart:
    """The empty chart for a result with no results at all, or with `otherwise` as the reason."""
    return no_figures(chart_id, title, no_results_reason(result, otherwise), table)


def no_figures(
    chart_id: str, title: str, reason: str, table: Table, description: str | None = None
) -> Chart:
    """A chart that says plainly there is nothing to draw, and why."""
    from .charts import svg
    from .charts.figures import Chart

    message = f"No figures to show: {reason}"
    lines = svg.wrap(message, 580, 14)
    width, height = 640, 64 + 20 * len(lines)
    body = svg.rect(8, 8, width - 16, height - 16, "#f3f2f1", stroke="#b1b4b6") + "".join(
        svg.text(
            width / 2, height / 2 + 20 * (i - (len(lines) - 1) / 2), line, anchor="middle", size=14
        )
        for i, line in enumerate(lines)
    )
    text = description or f"{title}. {message}"
    document = svg.document(chart_id, title, text, width, height, body)
    return Chart(chart_id, title, text, document, table)
