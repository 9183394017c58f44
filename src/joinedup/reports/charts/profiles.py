"""Charts of scale scores: the partnership's profile and the units' heatmap.

All three are rows against a 0-100 axis or a grid. Bands are always given in
words as well as colour; "higher is worse" scales (strain, self-preservation)
are shown with their score as it is, and marked with a hatch and a note.
"""

from __future__ import annotations

from typing import Any

from joinedup.analysis import numbers

from .. import reading
from ..reading import ScaleInfo
from . import svg
from .figures import (
    NO_FIGURE,
    Chart,
    Table,
    count_phrase,
    interval,
    listing,
    present,
    signed,
    whole,
)
from .palette import (
    BAND_FILL,
    BAND_OUTLINE,
    SUPPRESSED_FILL,
    SUPPRESSED_LINE,
    ink_on,
)
from .svg import INK, MUTED_INK, RULE, SMALL

BANDS = ("concern", "developing", "strength")
TOO_FEW = "Too few answers"
TOO_FEW_ON_EVERY_SCALE = "too few answers on every scale."


def _patterns(chart_id: str) -> str:
    """Hatches for "higher is worse" bars (one per band) and for suppressed figures."""
    worse = "".join(
        svg.hatch(
            f"{chart_id}-worse-{band}", "#ffffff" if band != "strength" else "#7fb8d9", fill, 7
        )
        for band, fill in BAND_FILL.items()
    )
    return worse + svg.hatch(f"{chart_id}-suppressed", SUPPRESSED_LINE, SUPPRESSED_FILL, 6)


def _swatch(x: float, y: float, fill: str, label: str, **extra: str | float) -> tuple[str, float]:
    """A legend entry (a 14px square and its label); returns it and its width."""
    body = svg.rect(x, y - 7, 14, 14, fill, **extra) + svg.text(x + 20, y, label, size=SMALL)
    return body, 20 + svg.text_width(label, SMALL) + 18


def _legend(
    entries: list[tuple[str, dict[str, Any], str]], x: float, y: float, width: float
) -> tuple[str, float]:
    """Legend entries laid out left to right, wrapping; returns SVG and height used."""
    parts = []
    cx, cy = x, y
    for fill, extra, label in entries:
        needed = 20 + svg.text_width(label, SMALL) + 18
        if cx + needed > x + width and cx > x:
            cx, cy = x, cy + 22
        body, used = _swatch(cx, cy, fill, label, **extra)
        parts.append(body)
        cx += used
    return "".join(parts), cy - y + 22


# ---------------------------------------------------------- scale profile

LABEL_COLUMN = 210
BAR_LEFT = 222
BAR_WIDTH = 300
SCORE_X = 562
BAND_X = 578
CHANGE_X = 690
PROFILE_WIDTH = 690  # without a trend column; with one, TREND_WIDTH
TREND_WIDTH = 840
ROW = 50


def scale_profile(result: dict[str, Any], *, chart_id: str = "scale-profile") -> Chart:
    """The partnership's nine scale scores as bars with 95% intervals and bands.

    The score is shown as it is on every scale; for strain and
    self-preservation higher is worse, so their bands run the other way
    (strength below 25, concern at 50 or more, SPEC §3.4) and their bars are
    hatched. A previous round's score, when the trend gives one, is a hollow
    diamond on the bar.
    """
    title = "The partnership's scores on the nine scales"
    part = reading.partnership(result)
    infos = reading.scales(result)
    headers: tuple[str, ...] = ("Scale", "Score", "95% interval", "Band", "Higher is")
    with_trend = any(reading.trend_entry(result, "partnership", "scales", s.code) for s in infos)
    if with_trend:
        headers += ("Previous round", "Change", "Significant change")
    rows = []
    for info in infos:
        figure = reading.scale_figure(part, info.code)
        row: tuple[str, ...] = (
            info.name,
            whole(figure.get("score"), TOO_FEW.lower()),
            interval(figure.get("ci_low"), figure.get("ci_high")),
            reading.band_word(figure.get("band")) if present(figure.get("score")) else NO_FIGURE,
            "better" if info.higher_is_better else "worse",
        )
        if with_trend:
            trend = reading.trend_entry(result, "partnership", "scales", info.code)
            row += (
                whole(trend.get("previous")),
                numbers.change_text(trend.get("previous"), figure.get("score")),
                ("yes" if trend.get("significant") else "no") if trend else NO_FIGURE,
            )
        rows.append(row)
    numeric = (False, True, False, False, False) + ((True, True, False) if with_trend else ())
    table = Table(f"{title}: 0 to 100", headers, tuple(rows), numeric)
    if not any(reading.score(part, s.code) is not None for s in infos):
        return reading.no_results_chart(result, chart_id, title, TOO_FEW_ON_EVERY_SCALE, table)

    description = _profile_description(part, infos, result)
    body = []
    top = 44
    body.append(
        svg.text(BAR_LEFT, 16, "Score, 0 to 100, with its 95% interval", size=SMALL, fill=MUTED_INK)
    )
    body.append(svg.text(SCORE_X, 16, "Score", size=SMALL, anchor="end", fill=MUTED_INK))
    body.append(svg.text(BAND_X, 16, "Band", size=SMALL, fill=MUTED_INK))
    width = TREND_WIDTH if with_trend else PROFILE_WIDTH
    if with_trend:
        body.append(svg.text(CHANGE_X, 16, "Since last round", size=SMALL, fill=MUTED_INK))
    bottom = top + ROW * len(infos)
    # Stripes first, so the grid lines show through every row.
    body.extend(
        svg.rect(0, top + index * ROW, width, ROW, "#f6f6f6") for index in range(0, len(infos), 2)
    )
    for tick in (0, 25, 50, 75, 100):
        x = BAR_LEFT + BAR_WIDTH * tick / 100
        body.append(svg.line(x, top - 6, x, bottom, RULE if tick in (0, 100) else "#e5e5e5", 1))
        body.append(svg.text(x, bottom + 14, str(tick), size=SMALL, anchor="middle"))
    for index, info in enumerate(infos):
        body.append(_profile_row(chart_id, info, part, result, top + index * ROW, index))
    legend_entries: list[tuple[str, dict[str, Any], str]] = [
        (BAND_FILL[b], {"stroke": BAND_OUTLINE[b]}, reading.band_word(b)) for b in BANDS
    ]
    legend_entries.append(
        (
            f"url(#{chart_id}-worse-developing)",
            {"stroke": BAND_OUTLINE["developing"]},
            "Hatched: higher is worse",
        )
    )
    legend, legend_height = _legend(legend_entries, BAR_LEFT, bottom + 40, width - BAR_LEFT - 10)
    extra = ""
    if with_trend:
        y = bottom + 40 + legend_height
        extra = _diamond(BAR_LEFT + 7, y, 6) + svg.text(
            BAR_LEFT + 20, y, "Previous round", size=SMALL
        )
        legend_height += 22
    height = bottom + 40 + legend_height
    document = svg.document(
        chart_id,
        title,
        description,
        width,
        height,
        "".join(body) + legend + extra,
        _patterns(chart_id),
    )
    return Chart(chart_id, title, description, document, table)


def _profile_row(
    chart_id: str,
    info: ScaleInfo,
    part: dict[str, Any],
    result: dict[str, Any],
    y: float,
    index: int,
) -> str:
    figure = reading.scale_figure(part, info.code)
    middle = y + ROW / 2
    parts = []
    lines = svg.wrap(info.name, LABEL_COLUMN - 8, 13, bold=True)[:2]
    note = None if info.higher_is_better else "Higher is worse"
    block = len(lines) + (1 if note else 0)
    first = middle - (block - 1) * 8
    for i, line in enumerate(lines):
        parts.append(svg.text(8, first + i * 16, line, size=13, weight="bold"))
    if note:
        parts.append(
            svg.text(8, first + len(lines) * 16, note, size=SMALL, fill=MUTED_INK, style="italic")
        )

    def x_of(value: float) -> float:
        return BAR_LEFT + BAR_WIDTH * min(max(value, 0.0), 100.0) / 100

    score = reading.number(figure, "score")
    if score is None:
        parts.append(svg.rect(BAR_LEFT, middle - 10, BAR_WIDTH, 20, f"url(#{chart_id}-suppressed)"))
        parts.append(
            svg.text(
                BAR_LEFT + BAR_WIDTH / 2,
                middle,
                TOO_FEW,
                size=SMALL,
                anchor="middle",
                style="italic",
            )
        )
        parts.append(svg.text(SCORE_X, middle, NO_FIGURE, anchor="end"))
        parts.append(svg.text(BAND_X, middle, TOO_FEW, size=SMALL, fill=MUTED_INK))
        return svg.group(parts)
    band = figure.get("band") or "developing"
    fill = BAND_FILL.get(band, BAND_FILL["developing"])
    if not info.higher_is_better:
        fill = f"url(#{chart_id}-worse-{band})"
    parts.append(
        svg.rect(
            BAR_LEFT,
            middle - 9,
            x_of(score) - BAR_LEFT,
            18,
            fill,
            stroke=BAND_OUTLINE.get(band, INK),
        )
    )
    low, high = reading.number(figure, "ci_low"), reading.number(figure, "ci_high")
    if low is not None and high is not None:
        x0, x1 = x_of(low), x_of(high)
        parts.append(svg.line(x0, middle, x1, middle, INK, 1.5))
        parts.append(svg.line(x0, middle - 7, x0, middle + 7, INK, 1.5))
        parts.append(svg.line(x1, middle - 7, x1, middle + 7, INK, 1.5))
    trend = reading.trend_entry(result, "partnership", "scales", info.code)
    previous = reading.number(trend, "previous")
    if previous is not None:
        parts.append(_diamond(x_of(previous), middle - 14, 5))
    parts.append(svg.text(SCORE_X, middle, whole(score), size=15, anchor="end", weight="bold"))
    band_text = reading.band_word(band)
    swatch = svg.rect(
        BAND_X,
        middle - 6,
        12,
        12,
        BAND_FILL.get(band, "#ffffff"),
        stroke=BAND_OUTLINE.get(band, INK),
    )
    parts.append(swatch)
    parts.append(svg.text(BAND_X + 18, middle, band_text, size=13))
    if trend:
        significant = bool(trend.get("significant"))
        parts.append(
            svg.text(
                CHANGE_X,
                middle,
                _change_words(trend),
                size=13 if significant else SMALL,
                weight="bold" if significant else None,
                fill=INK if significant else MUTED_INK,
            )
        )
    return svg.group(parts)


def _diamond(x: float, y: float, size: float) -> str:
    return svg.polygon(
        [(x, y - size), (x + size, y), (x, y + size), (x - size, y)],
        "#ffffff",
        stroke=INK,
        stroke_width=1.5,
    )


def _change_words(trend: dict[str, Any]) -> str:
    change = reading.number(trend, "change")
    if change is None:
        return ""
    if trend.get("significant"):
        return f"{'▲ Up' if change > 0 else '▼ Down'} {whole(abs(change))}"
    return f"No clear change ({signed(change)})"


def _profile_description(
    part: dict[str, Any], infos: list[ScaleInfo], result: dict[str, Any]
) -> str:
    shown = [(i, reading.scale_figure(part, i.code)) for i in infos]
    by_band: dict[str, list[str]] = {b: [] for b in BANDS}
    missing = []
    for info, figure in shown:
        if not present(figure.get("score")):
            missing.append(info.short.lower())
        elif figure.get("band") in by_band:
            by_band[figure["band"]].append(f"{info.short.lower()} ({whole(figure['score'])})")
    sentences = []
    if by_band["concern"]:
        sentences.append(f"Areas of concern: {listing(by_band['concern'])}.")
    else:
        sentences.append("No scale is in the concern band.")
    if by_band["strength"]:
        sentences.append(f"Strengths: {listing(by_band['strength'])}.")
    if by_band["developing"]:
        sentences.append(f"Developing: {listing(by_band['developing'])}.")
    if missing:
        sentences.append(f"Too few answers to show {listing(missing)}.")
    sentences.append(
        "Each bar is the partnership's score from 0 to 100 with its 95% interval. Bands are "
        "judged so that higher is better: for strain on organisations and self-preservation, "
        "where a higher score is worse, 50 or more is a concern and below 25 a strength; on the "
        "other scales below 50 is a concern and 75 or more a strength."
    )
    changes = []
    for info in infos:
        trend = reading.trend_entry(result, "partnership", "scales", info.code)
        if trend.get("significant") and present(trend.get("change")):
            direction = "up" if trend["change"] > 0 else "down"
            changes.append(f"{info.short.lower()} {direction} {whole(abs(trend['change']))}")
    if changes:
        sentences.append(f"Clear changes since the last round: {listing(changes)}.")
    return " ".join(sentences)


# ------------------------------------------------------------ unit heatmap

HEAT_LABEL = 256  # the narrowest name column
HEAT_LABEL_MOST = 380  # the widest; a longer name wraps onto two lines
CELL_W = 52
CELL_H = 28
HEADER = 132


def unit_heatmap(result: dict[str, Any], *, chart_id: str = "unit-heatmap") -> Chart:
    """Every reporting unit's score on every scale, coloured by band, with the number printed.

    A corner mark flags a concern, so the band never rests on colour alone;
    a hatched cell with a dash is a score withheld for too few answers.
    Only reporting units appear: organisations merged into "Other
    organisations" are never shown on their own.
    """
    title = "Scores by organisation"
    infos = reading.scales(result)
    part = reading.partnership(result)
    all_units = reading.units(result)
    headers = ("Unit", *[s.short for s in infos])
    rows = [("Partnership", *[whole(reading.score(part, s.code)) for s in infos])]
    rows += [
        (str(u.get("name", "")), *[whole(reading.score(u, s.code)) for s in infos])
        for u in all_units
    ]
    table = Table(
        f"{title}: scale scores, 0 to 100 ({NO_FIGURE} where too few answered)",
        headers,
        tuple(rows),
        (False, *[True] * len(infos)),
    )
    if not all_units:
        return reading.no_results_chart(result, chart_id, title, TOO_FEW_ON_EVERY_SCALE, table)

    # Names in full: the column widens for the longest, then wraps.
    levels = [("Partnership", part, True)] + [(str(u.get("name", "")), u, False) for u in all_units]
    longest = max(svg.text_width(name, 13, bold) for name, _, bold in levels)
    label_right = min(max(HEAT_LABEL, longest + 16), HEAT_LABEL_MOST)
    left = label_right + 8
    # Room on the right for the last column's slanted heading.
    width = left + CELL_W * len(infos) + 120
    parts = []
    for column, info in enumerate(infos):
        x = left + column * CELL_W + CELL_W / 2
        label = info.short + ("*" if not info.higher_is_better else "")
        parts.append(
            svg.text(x + 4, HEADER - 8, label, size=SMALL, rotate=-45, baseline="alphabetic")
        )
    y = HEADER
    for index, (name, level, bold) in enumerate(levels):
        lines = svg.wrap(name, label_right - 8, 13, bold)
        if len(lines) > 2:
            lines = [lines[0], svg.shorten(" ".join(lines[1:]), label_right - 8, 13, bold)]
        for number, line in enumerate(lines):
            parts.append(
                svg.text(
                    label_right,
                    y + CELL_H / 2 + 13 * (number - (len(lines) - 1) / 2),
                    line,
                    size=13,
                    anchor="end",
                    weight="bold" if bold else None,
                )
            )
        for column, info in enumerate(infos):
            figure = reading.scale_figure(level, info.code)
            parts.append(_heat_cell(chart_id, left + column * CELL_W, y, figure, name, info))
        y += CELL_H + (8 if index == 0 else 0)
    entries: list[tuple[str, dict[str, Any], str]] = [
        (BAND_FILL[b], {"stroke": BAND_OUTLINE[b]}, reading.band_word(b)) for b in BANDS
    ]
    entries.append(
        (
            f"url(#{chart_id}-suppressed)",
            {"stroke": SUPPRESSED_LINE},
            f"{NO_FIGURE} too few answers",
        )
    )
    legend, legend_height = _legend(entries, 8, y + 22, width - 16)
    notes = [
        svg.polygon(
            [
                (8, y + legend_height + 16),
                (20, y + legend_height + 16),
                (8, y + legend_height + 28),
            ],
            INK,
        ),
        svg.text(26, y + legend_height + 22, "Corner mark: a concern", size=SMALL),
        svg.text(
            8, y + legend_height + 44, "* Higher is worse: a high score is a concern", size=SMALL
        ),
    ]
    height = y + legend_height + 60
    description = _heatmap_description(result, infos, all_units)
    document = svg.document(
        chart_id,
        title,
        description,
        width,
        height,
        "".join(parts) + legend + "".join(notes),
        _patterns(chart_id),
    )
    return Chart(chart_id, title, description, document, table)


def _heat_cell(
    chart_id: str, x: float, y: float, figure: dict[str, Any], name: str, info: ScaleInfo
) -> str:
    w, h = CELL_W - 2, CELL_H - 2
    score = reading.number(figure, "score")
    tip = svg.tooltip(f"{name}, {info.name}: {whole(score, 'too few answers')}")
    if score is None:
        return svg.element(
            "g",
            None,
            tip
            + svg.rect(x, y, w, h, f"url(#{chart_id}-suppressed)", stroke=SUPPRESSED_LINE)
            + svg.text(x + w / 2, y + h / 2, NO_FIGURE, anchor="middle", weight="bold"),
        )
    band = figure.get("band") or "developing"
    fill = BAND_FILL.get(band, BAND_FILL["developing"])
    body = tip + svg.rect(x, y, w, h, fill)
    if band == "concern":
        body += svg.polygon([(x, y), (x + 11, y), (x, y + 11)], INK)
    body += svg.text(
        x + w / 2,
        y + h / 2,
        whole(score),
        size=13,
        anchor="middle",
        fill=ink_on(fill),
        weight="bold" if band == "concern" else None,
    )
    return svg.element("g", None, body)


def _heatmap_description(
    result: dict[str, Any], infos: list[ScaleInfo], all_units: list[dict[str, Any]]
) -> str:
    concern_count: dict[str, int] = {}
    withheld = 0
    for unit in all_units:
        for info in infos:
            figure = reading.scale_figure(unit, info.code)
            if not present(figure.get("score")):
                withheld += 1
            elif figure.get("band") == "concern":
                concern_count[info.code] = concern_count.get(info.code, 0) + 1
    sentences = [
        f"A grid of {count_phrase(len(all_units), 'reporting unit')} (rows, after the partnership "
        f"as a whole) by {len(infos)} scales (columns), each cell printing the score from 0 to 100 "
        "and coloured by its band: orange with a corner mark for a concern, light blue for "
        "developing, dark blue for a strength. Strain on organisations and self-preservation "
        "are marked with an asterisk: a high score there is a concern."
    ]
    if concern_count:
        worst = sorted(concern_count.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        names = {i.code: i.short.lower() for i in infos}
        sentences.append(
            "Concerns are most widespread on "
            + listing([f"{names[c]} ({count_phrase(n, 'unit')})" for c, n in worst])
            + "."
        )
    else:
        sentences.append("No unit has a score in the concern band.")
    if withheld:
        verb = "is" if withheld == 1 else "are"
        sentences.append(f"{count_phrase(withheld, 'score')} {verb} withheld for too few answers.")
    if any(u.get("combined") for u in all_units):
        sentences.append(
            "Organisations with too few respondents to report alone are combined as "
            "“Other organisations”."
        )
    return " ".join(sentences)
