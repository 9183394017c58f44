"""The partnership report: self-contained HTML, and the same as a board-ready PDF.

Rendered from the `joinedup.analysis/1` result alone, never from raw
responses, so nothing the analysis core suppressed can reach a report. The
HTML carries its own stylesheet and inline SVG charts (no network, no
scripts); WeasyPrint turns the same HTML into the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from joinedup.analysis import numbers
from joinedup.analysis.summary import summarise
from joinedup.analysis.vocabulary import (
    ALIGNMENTS,
    FLAGS,
    POSITION_SENTENCES,
    POSITIONS,
)
from joinedup.instrument import Instrument, load_instrument

from . import reading, typeface
from .charts import all_charts, position_map
from .charts.figures import (
    NO_FIGURE,
    Chart,
    figure_html,
    places,
    present,
    signed,
    table_html,
    whole,
)
from .pdf import html_to_pdf

# Where readers of a report find how every figure is worked out.
METHOD_URL = "docs/methodology.md in Joined Up, or /method/ on the site that made this report"

# Beyond this many reporting units, each gets a row rather than a section of
# its own (their full figures are in the heatmap and the workbook).
COMPACT_AFTER = 24
ROLE_NAMES = {role.code: role.label for role in load_instrument().roles}


@dataclass(frozen=True)
class ReportOptions:
    """What the result itself does not know: names and context for the cover."""

    partnership: str = "Partnership"
    round_label: str | None = None
    generated: date | None = None
    sectors: dict[str, str] | None = None
    previous: dict[str, Any] | None = None
    # The action plan's status, as plain data (the web app's downloads add it).
    plan: dict[str, Any] | None = None


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("joinedup.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Figures are rounded as the charts round them, so a report never shows
    # one number in its text and another in the chart beside it.
    environment.filters["score"] = _score
    environment.filters["signed"] = signed
    environment.filters["percent"] = _percent
    environment.filters["band"] = reading.band_word
    environment.filters["role"] = lambda code: ROLE_NAMES.get(code, code)
    return environment


def _score(value: Any, digits: int = 0) -> str:
    """A figure to `digits` places ("68", "0.81"), or a dash when it is not shown."""
    return whole(value) if digits == 0 else places(value, digits)


def _percent(share: Any) -> str:
    """A share from 0 to 1 as a whole percentage ("42%"), or a dash when there is none."""
    return f"{whole(share * 100)}%" if present(share) else NO_FIGURE


def _stylesheet() -> str:
    css = (Path(__file__).parent / "templates" / "report.css").read_text("utf-8")
    return typeface.font_faces() + css


def report_context(result: dict[str, Any], options: ReportOptions) -> dict[str, Any]:
    """Everything the report template needs, worked out from the result."""
    instrument = reading.instrument(result)
    partnership = result["partnership"]
    no_results = partnership.get("reason") == "too_few_respondents"
    charts = [] if no_results else all_charts(result, options.previous, options.sectors)
    by_id = {chart.id: chart for chart in charts}
    position = partnership.get("position")
    combined = [unit for unit in result["units"] if unit["combined"]]
    actions = sorted(result["recommendations"], key=lambda a: a["priority"])
    return {
        "result": result,
        "options": options,
        "title": f"{options.partnership}: tipping point or breaking point?",
        "round_label": options.round_label or result.get("round"),
        "generated": (options.generated or date.today()).strftime("%-d %B %Y"),
        "no_results": no_results,
        "position_name": POSITIONS.get(position or "", ""),
        "position_sentence": POSITION_SENTENCES.get(position or "", ""),
        "alignment_name": ALIGNMENTS.get(partnership.get("alignment") or "", ""),
        "scales": _scale_rows(result, instrument),
        "actions": actions,
        "top_actions": actions[:3],
        "strengths": _strengths(result, instrument),
        "summary": summarise(result, instrument),
        # Drawn again under its own id, so page 1 and the full map later never share ids.
        "summary_map": (
            Markup(position_map(result, options.previous, chart_id="summary-position-map").svg)
            if "position-map" in by_id
            else ""
        ),
        "summary_map_title": by_id["position-map"].title if "position-map" in by_id else "",
        "method_url": METHOD_URL,
        "charts": by_id,
        "figure": lambda chart_id, level=2: (
            Markup(figure_html(by_id[chart_id], level)) if chart_id in by_id else ""
        ),
        "units": [_unit(unit, instrument) for unit in result["units"]],
        "compact_after": COMPACT_AFTER,
        "roles": [_unit(unit, instrument) for unit in result["roles"]],
        "combined": combined,
        "flags": _flags(result),
        "text": _text(result, instrument),
        "trend": _trend(result, instrument),
        "reliability": [
            {"name": scale.name, **result["reliability"][scale.code]} for scale in instrument.scales
        ],
        "settings": result["settings"],
        "css": Markup(_stylesheet()),
        "table_html": lambda table: Markup(table_html(table)),
    }


def _scale_rows(result: dict[str, Any], instrument: Instrument) -> list[dict[str, Any]]:
    rows = []
    for scale in instrument.scales:
        entry = result["partnership"]["scales"][scale.code]
        rows.append(
            {
                "code": scale.code,
                "name": scale.name,
                "summary": scale.summary,
                "higher_is_better": scale.higher_is_better,
                **entry,
            }
        )
    return rows


def _strengths(result: dict[str, Any], instrument: Instrument) -> list[dict[str, Any]]:
    return [{"name": instrument.scale(s["scale"]).name, **s} for s in result.get("strengths", [])]


def _unit(unit: dict[str, Any], instrument: Instrument) -> dict[str, Any]:
    shown = [
        {
            "short_name": s.short_name or s.name,
            "score": unit["scales"][s.code]["score"],
            "favourable": unit["scales"][s.code]["score"]
            if s.higher_is_better
            else 100 - unit["scales"][s.code]["score"],
        }
        for s in instrument.scales
        if unit["scales"][s.code]["score"] is not None
    ]
    ranked = sorted(shown, key=lambda item: item["favourable"])
    return {
        "weakest": ranked[0] if ranked else None,
        "strongest": ranked[-1] if ranked else None,
        **unit,
        "position_name": POSITIONS.get(unit.get("position") or "", "Not enough answers"),
        "alignment_name": ALIGNMENTS.get(unit.get("alignment") or "", "Not enough answers"),
        "rows": [
            {
                "name": scale.name,
                "short_name": scale.short_name or scale.name,
                "higher_is_better": scale.higher_is_better,
                **unit["scales"][scale.code],
            }
            for scale in instrument.scales
        ],
    }


def _flags(result: dict[str, Any]) -> list[dict[str, Any]]:
    flags = []
    # Through reading.network, so no pair flag resting on a merged organisation's view is read.
    for flag in reading.network(result).get("flags") or []:
        isolate = flag["type"] == "isolate"
        who = flag["organisation"] if isolate else f"{flag['a']} and {flag['b']}"
        flags.append({"kind": FLAGS[flag["type"]], "who": who, "gap": flag.get("gap")})
    return flags


def _text(result: dict[str, Any], instrument: Instrument) -> list[dict[str, Any]]:
    sections = []
    for question in instrument.text_questions:
        entry = result["text"].get(question.code, {})
        sections.append(
            {
                "code": question.code,
                "question": question.text,
                "shown": bool(entry.get("shown")),
                "n": entry.get("n", 0),
                "themes": entry.get("themes", [])[:8],
            }
        )
    return sections


def _trend(result: dict[str, Any], instrument: Instrument) -> dict[str, Any] | None:
    trend = result.get("trend")
    if not trend:
        return None
    rows = []
    for scale in instrument.scales:
        entry = trend["partnership"]["scales"][scale.code]
        now = result["partnership"]["scales"][scale.code]["score"]
        rows.append(
            {
                "name": scale.name,
                "now": now,
                **entry,
                # From the rounded ends, as printed beside it ("66 → 67" is +1).
                "change_text": numbers.change_text(entry.get("previous"), now),
            }
        )
    position = trend["partnership"].get("position") or {}
    return {
        "previous_round": trend.get("previous_round"),
        "rows": rows,
        "position_then": POSITIONS.get(position.get("previous") or ""),
        "position_now": POSITIONS.get(position.get("current") or "", NO_FIGURE),
    }


def render_html(result: dict[str, Any], options: ReportOptions | None = None) -> str:
    """The report as one self-contained HTML page."""
    context = report_context(result, options or ReportOptions())
    html = _environment().get_template("report.html.j2").render(**context)
    return scrollable_tables(html)


TABLE = re.compile(r"<table\b.*?</table>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)


def scrollable_tables(html: str) -> str:
    """Wrap each table so that a wide one scrolls on its own on a small screen.

    WCAG's reflow rule exempts data tables, but the page itself must not
    scroll sideways; the wrapper is a focusable, labelled region so that
    keyboard users can scroll it too.
    """
    count = 0

    def wrap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        caption = CAPTION.search(match.group(0))
        label = re.sub(r"<[^>]+>", "", caption.group(1)).strip() if caption else "Table"
        label = label.replace('"', "&quot;")
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    return TABLE.sub(wrap, html)


def render_pdf(result: dict[str, Any], options: ReportOptions | None = None) -> bytes:
    """The report as a tagged, accessible PDF (A4, PDF/UA-1), from the same HTML."""
    return html_to_pdf(render_html(result, options))


def charts_for(result: dict[str, Any], options: ReportOptions | None = None) -> list[Chart]:
    """The report's charts, for pages that show them outside a report."""
    options = options or ReportOptions()
    if result["partnership"].get("reason") == "too_few_respondents":
        return []
    return all_charts(result, options.previous, options.sectors)
