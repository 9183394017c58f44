"""The network map: organisations and the trust between them (SPEC §4).

Organisations sit on a circle (see `network_layout`), sized by the trust
they receive and coloured and lettered by sector. Each pair that works
together is one line, split at its middle: the half next to an organisation
shows how far that organisation trusts the other (colour and thickness), so
a one-way or lopsided relationship is visible without arrows. Ties whose
figures are not shown are thin grey dashes with no value: too few raters, or
a rating organisation merged into "Other organisations" (SPEC §4.4).
Flagged pairs are drawn last, as heavy dashed lines with a symbol.

Every organisation is named here, as SPEC §3.5 allows: a merged
organisation's ties are drawn as existing, and it may show the trust and
value it receives from other organisations' shown ties, but never its own
view of a partner (its ratings, trust given or value given). The network
section is read through `reading.network`, which enforces that even for a
result file made elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from joinedup.analysis import vocabulary

from .. import reading
from . import svg
from .figures import Chart, Table, count_phrase, listing, present, share, whole
from .network_layout import circular_layout
from .palette import (
    BLUE,
    FLAG_COLOUR,
    GREY,
    HIDDEN_TIE,
    SECTOR_STYLE,
    TRUST_LEVELS,
    UNIT_COLOUR,
    UNKNOWN_SECTOR,
    ink_on,
    trust_style,
)
from .svg import FAINT_RULE, INK, MUTED_INK, SMALL

WIDTH = 820
LABEL_ROOM = 158  # room for labels beside a small map, in pixels at 12px
MAX_LABEL_ROOM = 300  # a large map's labels are names in full, up to this wide
MAX_TIE_ROWS = 200  # above this, ties are summarised rather than listed one by one
DENSE_PAIRS = 120  # with more pairs than this, ordinary ties are faded
MAX_BADGES = 15  # with more flagged pairs, their symbols would cover each other
FLAG_SYMBOL = {"asymmetric": "≠", "mutual_low_trust": "!"}
FLAG_DASH = {"asymmetric": "9 5", "mutual_low_trust": "3 4"}
FLAG_LINE = {"asymmetric": "heavy dashed line", "mutual_low_trust": "heavy dotted line"}
FLAG_WORDS = {kind: vocabulary.FLAGS[kind] for kind in FLAG_SYMBOL}  # the flagged pairs


@dataclass(frozen=True)
class Node:
    name: str
    x: float
    y: float
    angle: float
    radius: float
    sector: str


def network_map(
    result: dict[str, Any],
    sectors: dict[str, str] | None = None,
    *,
    chart_id: str = "network-map",
    focus: str | None = None,
    strongest: int | None = None,
) -> Chart:
    """The relationship network, for every organisation named in the partnership.

    `sectors` maps organisation names to sector codes (SPEC §2); without it
    the map has no sector colours. The layout is a circle ordered by sector
    and name, so the same result always gives the same picture.

    Two narrower views of the same figures, for partnerships too large for
    one picture of every tie:

    - `focus="Name"`: one organisation's own ties: it, the partners it names
      or is named by, and only the lines that touch it (names matched
      ignoring case and surrounding spaces);
    - `strongest=N`: every organisation, but only each one's N most trusted
      partners (its N highest shown trust ratings) and every flagged pair.

    Both apply the same disclosure rules as the full map: they only leave
    lines out.
    """
    section = reading.network(result)
    names = [str(n) for n in section.get("organisations") or []]
    ties = [t for t in section.get("ties") or [] if isinstance(t, dict)]
    members = {
        str(m.get("organisation")): m for m in section.get("members") or [] if isinstance(m, dict)
    }
    flags = [f for f in section.get("flags") or [] if isinstance(f, dict)]
    sector_of = _match_sectors(names, sectors)
    sector_names = reading.sector_labels()
    title = "Who works with whom, and how far they trust each other"
    view = ""
    if focus is not None:
        matched = [n for n in names if reading.match_name(n) == reading.match_name(focus)]
        if not matched:
            table = _member_table(title, [], members, sector_of, sector_names)
            return reading.no_figures(
                chart_id, title, f"no organisation called {focus.strip()} is in the network.", table
            )
        focus = matched[0]
        title = f"{focus}: who it works with, and how far they trust each other"
        names, ties, flags = _focus_view(focus, names, ties, flags)
        view = (
            f"This view shows only {focus} and the {count_phrase(len(names) - 1, 'partner')} "
            "it names or is named by. "
        )
    elif strongest is not None:
        title = "The strongest ties, and the pairs to look at"
        kept = strongest_ties(ties, flags, max(1, strongest))
        view = (
            f"This view keeps {count_phrase(len(kept), 'tie')} of {len(ties)}: each "
            f"organisation's {count_phrase(max(1, strongest), 'most trusted partner')}, and every "
            "flagged pair; every tie's figures are in the Excel workbook. "
        )
        ties = kept

    table = _member_table(title, names, members, sector_of, sector_names)
    extra = _flag_table(flags, ties)
    # The strongest-ties view is for large partnerships: its ties would list
    # for pages; every tie's figures are in the workbook.
    tie_table = None if strongest is not None and focus is None else _tie_table(ties)
    extra_tables = tuple(t for t in (extra, tie_table) if t is not None)
    if len(names) < 2 or not ties:
        reason = (
            "there are fewer than two organisations in the network."
            if len(names) < 2
            else "no organisation named a partner it works with."
        )
        chart = reading.no_figures(chart_id, title, reason, table)
        return Chart(chart.id, chart.title, chart.description, chart.svg, table, extra_tables)

    order = list(SECTOR_STYLE)
    angles = circular_layout(names, sector_of, order)
    many = len(names) > 16
    radius = 236 if many else 214
    # Never below 8.5, so a 12px sector letter always fits inside.
    smallest, largest = (8.5, 13.0) if many else (9.0, 21.0)
    # Radial labels get room for the longest name, so names are shown in full;
    # the picture widens rather than cutting them short.
    label_room: float = LABEL_ROOM
    if many:
        longest = max(svg.text_width(name, SMALL) for name in names)
        label_room = min(max(LABEL_ROOM, longest + 8), MAX_LABEL_ROOM)
    width = max(WIDTH, 2 * (radius + largest + label_room + 12))
    centre_x, centre_y = width / 2, (radius + label_room + 30 if many else radius + 70)
    nodes = {}
    for name in names:
        received = reading.number(members.get(name, {}), "trust_received")
        size = smallest + (largest - smallest) * (received / 100 if received is not None else 0)
        x, y = svg.polar(centre_x, centre_y, radius, angles[name])
        nodes[name] = Node(name, x, y, angles[name], size, sector_of.get(name, ""))

    edges, dense, badges = _edges(ties, flags, nodes)
    node_marks = "".join(
        _node(node, members.get(node.name, {}), sector_of, sector_names, bool(sector_of))
        for node in nodes.values()
    )
    labels = "".join(
        _node_label(node, centre_x, centre_y, radius, largest, many, label_room)
        for node in nodes.values()
    )
    top = centre_y + radius + (label_room + 20 if many else 60)
    legend, legend_height = _legend(
        top,
        sector_of,
        len(sector_of) < len(names),
        ties,
        flags,
        (smallest, largest),
        (dense, badges),
    )
    # A view's ties are a selection: the network's density and mean trust
    # describe all of them, so only the full map states them.
    whole_network = section if not view else {}
    description = view + _description(
        names, ties, members, flags, whole_network, bool(sector_of), (dense, badges)
    )
    description += _hidden_sentence(ties, reading.own_unit_names(result))
    body = edges + svg.group([node_marks]) + svg.group([labels], {"font-size": SMALL}) + legend
    document = svg.document(chart_id, title, description, width, top + legend_height, body)
    return Chart(chart_id, title, description, document, table, extra_tables)


def _focus_view(
    focus: str, names: list[str], ties: list[dict[str, Any]], flags: list[dict[str, Any]]
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """One organisation, its partners, and only the ties and flags that touch it."""
    own = [t for t in ties if focus in (str(t.get("from")), str(t.get("to")))]
    partners = {str(t.get("from")) for t in own} | {str(t.get("to")) for t in own}
    kept = [n for n in names if n == focus or n in partners]
    touching = [
        f for f in flags if focus in (str(f.get("a")), str(f.get("b")), str(f.get("organisation")))
    ]
    return kept, own, touching


def strongest_ties(
    ties: list[dict[str, Any]], flags: list[dict[str, Any]], per_organisation: int
) -> list[dict[str, Any]]:
    """Each rater's most trusted shown ties, and both ties of every flagged pair.

    Ties are ranked by trust, then by name so that the choice is the same
    every time; a tie without a shown figure is never among the strongest.
    """
    flagged = {
        frozenset((str(f.get("a")), str(f.get("b")))) for f in flags if f.get("type") in FLAG_WORDS
    }
    by_rater: dict[str, list[dict[str, Any]]] = {}
    for tie in ties:
        if tie.get("shown") and present(tie.get("trust")):
            by_rater.setdefault(str(tie.get("from")), []).append(tie)
    chosen: set[int] = set()
    for rated in by_rater.values():
        rated.sort(key=lambda t: (-float(t["trust"]), str(t.get("to")).casefold()))
        chosen.update(id(t) for t in rated[:per_organisation])
    return [
        t
        for t in ties
        if id(t) in chosen or frozenset((str(t.get("from")), str(t.get("to")))) in flagged
    ]


def _match_sectors(names: list[str], sectors: dict[str, str] | None) -> dict[str, str]:
    """Sectors by organisation name, matching names ignoring case and surrounding spaces."""
    if not sectors:
        return {}
    lookup = {reading.match_name(str(k)): reading.match_name(str(v)) for k, v in sectors.items()}
    return {n: lookup[reading.match_name(n)] for n in names if reading.match_name(n) in lookup}


# ------------------------------------------------------------------ drawing


def _edges(
    ties: list[dict[str, Any]], flags: list[dict[str, Any]], nodes: dict[str, Node]
) -> tuple[str, bool, bool]:
    """The lines between organisations; also whether the map is dense and has flag badges."""
    by_pair: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for tie in ties:
        a, b = str(tie.get("from")), str(tie.get("to"))
        if a in nodes and b in nodes and a != b:
            low, high = sorted((a, b))
            by_pair.setdefault((low, high), {})[a] = tie
    flagged: dict[tuple[str, str], dict[str, Any]] = {}
    for flag in flags:
        if flag.get("type") in FLAG_SYMBOL and flag.get("a") in nodes and flag.get("b") in nodes:
            low, high = sorted((str(flag["a"]), str(flag["b"])))
            flagged.setdefault((low, high), flag)
    # In a dense network most pairs work together; fading the ordinary ties
    # lets low trust and flagged pairs stand out.
    dense = len(by_pair) > DENSE_PAIRS
    badges = len(flagged) <= MAX_BADGES
    # Thick high-trust halves first, so thin low-trust ones stay visible on top.
    layers: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    for (a, b), pair in sorted(by_pair.items()):
        if (a, b) in flagged:
            continue
        start, end = nodes[a], nodes[b]
        mx, my = (start.x + end.x) / 2, (start.y + end.y) / 2
        for source, (x, y) in ((a, (start.x, start.y)), (b, (end.x, end.y))):
            found = pair.get(source)
            if found is None:
                # The other organisation gave no rating (or, in a view, not
                # one of its strongest): a hairline, so no line ends in mid-air.
                layers[3].append(svg.line(x, y, mx, my, FAINT_RULE, 0.75))
                continue
            tie = found
            if not tie.get("shown") or not present(tie.get("trust")):
                layers[3].append(svg.line(x, y, mx, my, HIDDEN_TIE, 0.75, stroke_dasharray="3 3"))
                continue
            colour, width, opacity = trust_style(float(tie["trust"]), dense)
            layer = {BLUE: 0, GREY: 1}.get(colour, 2)
            layers[layer].append(svg.line(x, y, mx, my, colour, width, stroke_opacity=opacity))
    flag_marks = []
    placed: list[tuple[float, float]] = []
    for (a, b), flag in sorted(flagged.items()):
        start, end = nodes[a], nodes[b]
        kind = str(flag["type"])
        flag_marks.append(
            svg.line(
                start.x,
                start.y,
                end.x,
                end.y,
                FLAG_COLOUR,
                2.5 if dense else 3,
                stroke_dasharray=FLAG_DASH[kind],
            )
        )
        if badges:
            spot = _badge_spot(start, end, placed)
            placed.append(spot)
            flag_marks.append(_badge(*spot, kind, f"{FLAG_WORDS[kind]}: {a} and {b}"))
    lines = "".join(svg.group(layers[i]) for i in range(4))
    return lines + svg.group(flag_marks, {"class": "flags"}), dense, badges


def _badge_spot(start: Node, end: Node, placed: list[tuple[float, float]]) -> tuple[float, float]:
    """Where on a flagged line its symbol goes: the middle, unless another symbol is there.

    Lines across a circle often share a middle (every diameter crosses the
    centre), so the symbol moves along its line until it is clear of the others.
    """
    spot = (0.0, 0.0)
    for along in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
        spot = (start.x + (end.x - start.x) * along, start.y + (end.y - start.y) * along)
        if all(math.hypot(spot[0] - x, spot[1] - y) >= 20 for x, y in placed):
            return spot
    return (start.x + end.x) / 2, (start.y + end.y) / 2


def _badge(x: float, y: float, kind: str, tip: str) -> str:
    return svg.element(
        "g",
        None,
        svg.tooltip(tip)
        + svg.circle(x, y, 8, "#ffffff", stroke=FLAG_COLOUR, stroke_width=2)
        + svg.text(
            x, y, FLAG_SYMBOL[kind], size=SMALL, anchor="middle", weight="bold", fill=FLAG_COLOUR
        ),
    )


def _node(
    node: Node,
    member: dict[str, Any],
    sector_of: dict[str, str],
    sector_names: dict[str, str],
    with_sectors: bool,
) -> str:
    fill, letter = (
        SECTOR_STYLE.get(node.sector, UNKNOWN_SECTOR) if with_sectors else (UNIT_COLOUR, "")
    )
    received = member.get("trust_received")
    tip = f"{node.name}: trust received {whole(received, 'not rated')}"
    if with_sectors:
        tip += f"; {sector_names.get(node.sector, 'sector not given')}"
    isolate = not member.get("degree")
    outline = {"stroke": INK, "stroke_width": 1}
    if isolate:
        outline = {"stroke": INK, "stroke_width": 1.5, "stroke_dasharray": "2 2"}
    body = svg.tooltip(tip) + svg.circle(
        node.x, node.y, node.radius, fill if present(received) else "#ffffff", **outline
    )
    if letter:  # a radius of at least 8.5 leaves room for a 12px letter
        ink = ink_on(fill) if present(received) else INK
        body += svg.text(
            node.x,
            node.y,
            letter,
            size=SMALL,
            anchor="middle",
            weight="bold",
            fill=ink,
        )
    details = (
        f"{node.name}. Trust received {whole(received, 'not rated')}, given "
        f"{whole(member.get('trust_given'), 'none')}; value received "
        f"{whole(member.get('value_received'), 'not rated')}, given "
        f"{whole(member.get('value_given'), 'none')}; works with {member.get('degree') or 0} "
        "organisations."
    )
    # The page's script (progressive enhancement) shows data-details on hover and focus.
    return svg.element("g", {"class": "ju-node", "data-details": details}, body)


def _node_label(
    node: Node,
    cx: float,
    cy: float,
    radius: float,
    largest: float,
    radial: bool,
    label_room: float = LABEL_ROOM,
) -> str:
    label = svg.shorten(node.name, label_room - 4, SMALL)
    cos, sin = math.cos(node.angle), math.sin(node.angle)
    if radial:
        x, y = svg.polar(cx, cy, radius + largest + 6, node.angle)
        degrees = math.degrees(node.angle)
        if cos < -1e-9:
            return svg.text(x, y, label, size=SMALL, anchor="end", rotate=degrees + 180)
        return svg.text(x, y, label, size=SMALL, rotate=degrees)
    # Few organisations: horizontal labels, on up to two lines.
    x, y = svg.polar(cx, cy, radius + node.radius + 7, node.angle)
    lines = _two_lines(node.name, LABEL_ROOM + 30)
    if abs(cos) < 0.35:  # near the top or bottom: centred above or below the circle
        anchor = "middle"
        first = y + 10 if sin > 0 else y - 10 - 15 * (len(lines) - 1)
    else:
        anchor = "start" if cos > 0 else "end"
        first = y - 7.5 * (len(lines) - 1)
    return "".join(
        svg.text(x, first + 15 * i, line, size=SMALL, anchor=anchor) for i, line in enumerate(lines)
    )


def _two_lines(name: str, limit: float) -> list[str]:
    lines = svg.wrap(name, limit, SMALL)
    if len(lines) <= 2:
        return lines
    return [lines[0], svg.shorten(" ".join(lines[1:]), limit, SMALL)]


def _legend(
    top: float,
    sector_of: dict[str, str],
    unmatched: bool,
    ties: list[dict[str, Any]],
    flags: list[dict[str, Any]],
    sizes: tuple[float, float],
    style: tuple[bool, bool],
) -> tuple[str, float]:
    """The key below the map; returns it and its height."""
    smallest, largest = sizes
    dense, badges = style
    parts = []
    left = 40.0
    y = float(top)
    parts.append(svg.text(left, y, "How to read it", size=13, weight="bold"))
    y += 12 + largest
    parts.append(svg.circle(left + smallest, y, smallest, "#ffffff", stroke=INK, stroke_width=1))
    parts.append(
        svg.circle(
            left + 2 * smallest + 10 + largest, y, largest, "#ffffff", stroke=INK, stroke_width=1
        )
    )
    parts.append(
        svg.text(
            left + 2 * smallest + 2 * largest + 20,
            y,
            "Circle size: trust the organisation receives from partners (low to high)",
            size=SMALL,
        )
    )
    y += max(largest, 10) + 16
    if sector_of:
        present_sectors = [code for code in SECTOR_STYLE if code in set(sector_of.values())]
        if unmatched or set(sector_of.values()) - set(SECTOR_STYLE):
            present_sectors.append("")
        labels = reading.sector_labels() | {"": "Sector not given"}
        x = left
        for code in present_sectors:
            fill, letter = SECTOR_STYLE.get(code, UNKNOWN_SECTOR)
            text = labels.get(code, code)
            needed = 30 + svg.text_width(text, SMALL) + 18
            if x + needed > WIDTH - left:
                x, y = left, y + 26
            parts.append(svg.circle(x + 10, y, 10, fill, stroke=INK, stroke_width=1))
            parts.append(
                svg.text(
                    x + 10, y, letter, size=SMALL, anchor="middle", weight="bold", fill=ink_on(fill)
                )
            )
            parts.append(svg.text(x + 26, y, text, size=SMALL))
            x += needed
        y += 30
    entries: list[tuple[str, float, float, str | None, str]] = [
        (*trust_style(level, dense), None, words) for level, words in TRUST_LEVELS
    ]
    if any(not t.get("shown") or not present(t.get("trust")) for t in ties):
        entries.append((HIDDEN_TIE, 0.75, 1.0, "3 3", "No trust figure shown"))
    column = (WIDTH - 2 * left) / 2
    for index, (colour, width, opacity, dash, words) in enumerate(entries):
        x = left + (index % 2) * column
        row_y = y + (index // 2) * 22
        parts.append(
            svg.line(
                x,
                row_y,
                x + 36,
                row_y,
                colour,
                width,
                stroke_dasharray=dash,
                stroke_opacity=None if opacity >= 1 else opacity,
            )
        )
        parts.append(svg.text(x + 46, row_y, words, size=SMALL))
    y += math.ceil(len(entries) / 2) * 22 + 6
    kinds = [k for k in FLAG_SYMBOL if any(f.get("type") == k for f in flags)]
    for index, kind in enumerate(kinds):
        x = left + (index % 2) * column
        parts.append(svg.line(x, y, x + 36, y, FLAG_COLOUR, 3, stroke_dasharray=FLAG_DASH[kind]))
        if badges:
            parts.append(_badge(x + 18, y, kind, FLAG_WORDS[kind]))
        gap_note = " (25 or more apart)" if kind == "asymmetric" else " (both below 50)"
        parts.append(svg.text(x + 46, y, FLAG_WORDS[kind] + gap_note, size=SMALL))
    if kinds:
        y += 26
    note = (
        "Each line is split at its middle: the half next to an organisation shows how far that "
        "organisation trusts the other. A faint hairline half: that organisation's rating of the "
        "other is not drawn (it gave none, or this view leaves it out)."
    )
    for line in svg.wrap(note, WIDTH - 2 * left, SMALL):
        parts.append(svg.text(left, y, line, size=SMALL, fill=MUTED_INK))
        y += 17
    return svg.group(parts, {"class": "legend"}), y - top + 12


# ------------------------------------------------------------------ text


def _description(
    names: list[str],
    ties: list[dict[str, Any]],
    members: dict[str, dict[str, Any]],
    flags: list[dict[str, Any]],
    section: dict[str, Any],
    with_sectors: bool,
    style: tuple[bool, bool],
) -> str:
    dense, badges = style
    density = section.get("density")
    sentences = [
        f"A map of {count_phrase(len(names), 'organisation')} on a circle"
        + (
            ", grouped and coloured by sector (with a letter for each sector)"
            if with_sectors
            else ""
        )
        + f", joined by {count_phrase(len(ties), 'tie')} where one names the other as a partner it "
        "works with"
        + (f" (density {whole(float(density) * 100)}%)" if present(density) else "")
        + ". Circles are sized by the trust each receives. Each line is split at its middle; the "
        "half next to an organisation shows how far it trusts the other: blue and thick for high "
        "trust (75 or more), grey for some trust (50 to 74), orange-red and thin for low trust "
        "(below 50)."
    ]
    if dense:
        sentences.append(
            "Most organisations work together, so high and some trust are drawn faint to let "
            "low trust and flagged pairs stand out."
        )
    rated = sorted(
        (
            (float(m["trust_received"]), n)
            for n, m in members.items()
            if present(m.get("trust_received"))
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if len(rated) >= 2:
        sentences.append(
            f"Most trusted: {rated[0][1]} ({whole(rated[0][0])}); least trusted: "
            f"{rated[-1][1]} ({whole(rated[-1][0])})."
        )
    if present(section.get("mean_trust")):
        sentences.append(f"Mean trust across the ties shown: {whole(section['mean_trust'])}.")
    for kind, words in FLAG_WORDS.items():
        pairs = [f for f in flags if f.get("type") == kind]
        if not pairs:
            continue
        mark = FLAG_LINE[kind] + (f", symbol {FLAG_SYMBOL[kind]}" if badges else "")
        # Pairs are separated by semicolons: the names themselves hold "and".
        named = "; ".join(f"{f.get('a')} and {f.get('b')}" for f in pairs[:4])
        if len(pairs) > 4:
            named = f"{len(pairs)} pairs, among them {named}; and {len(pairs) - 4} more"
        sentences.append(f"{words} ({mark}): {named}.")
    isolates = [str(f.get("organisation")) for f in flags if f.get("type") == "isolate"]
    if isolates:
        sentences.append(f"Not connected to anyone (dashed outline): {listing(isolates)}.")
    return " ".join(sentences)


def _hidden_sentence(ties: list[dict[str, Any]], own: set[str]) -> str:
    """Why some ties are grey dashes: merged rating organisations, or too few raters."""
    hidden = [t for t in ties if not t.get("shown") or not present(t.get("trust"))]
    if not hidden:
        return ""
    merged = sum(1 for t in hidden if reading.match_name(str(t.get("from"))) not in own)
    few = len(hidden) - merged
    reasons = []
    if merged:
        reasons.append(
            f"{count_phrase(merged, 'tie')} from organisations reported together as "
            '"Other organisations", whose own view of a partner is never shown'
        )
    if few:
        reasons.append(f"{count_phrase(few, 'tie')} with too few raters for figures")
    return f" Drawn as grey dashes with no figures: {' and '.join(reasons)}."


def _member_table(
    title: str,
    names: list[str],
    members: dict[str, dict[str, Any]],
    sector_of: dict[str, str],
    sector_names: dict[str, str],
) -> Table:
    rows = []
    for name in sorted(names, key=lambda n: (n.casefold(), n)):
        member = members.get(name, {})
        rows.append(
            (
                name,
                sector_names.get(sector_of.get(name, ""), "–"),
                whole(member.get("trust_received")),
                whole(member.get("trust_given")),
                whole(member.get("value_received")),
                whole(member.get("value_given")),
                share(member.get("betweenness")),
                whole(member.get("degree")),
            )
        )
    return Table(
        f"{title}: each organisation (trust and value 0 to 100)",
        (
            "Organisation",
            "Sector",
            "Trust received",
            "Trust given",
            "Value received",
            "Value given",
            "Betweenness (% of shortest paths through it)",
            "Partners (ties in or out)",
        ),
        tuple(rows),
        (False, False, True, True, True, True, True, True),
    )


def _flag_table(flags: list[dict[str, Any]], ties: list[dict[str, Any]]) -> Table | None:
    pairs = [f for f in flags if f.get("type") in FLAG_WORDS]
    if not pairs:
        return None
    trust = {(str(t.get("from")), str(t.get("to"))): t.get("trust") for t in ties if t.get("shown")}
    rows = []
    for flag in pairs:
        a, b = str(flag.get("a")), str(flag.get("b"))
        forward, backward = trust.get((a, b)), trust.get((b, a))
        gap = flag.get("gap")
        if not present(gap) and present(forward) and present(backward):
            gap = abs(float(forward) - float(backward))
        rows.append(
            (
                f"{a} and {b}",
                FLAG_WORDS[str(flag["type"])],
                whole(forward),
                whole(backward),
                whole(gap),
            )
        )
    return Table(
        "Flagged pairs: trust each way, 0 to 100",
        (
            "Pair (first and second)",
            "Flag",
            "First's trust in second",
            "Second's trust in first",
            "Gap",
        ),
        tuple(rows),
        (False, False, True, True, True),
    )


def _tie_table(ties: list[dict[str, Any]]) -> Table | None:
    if not ties or len(ties) > MAX_TIE_ROWS:
        return None
    rows = []
    for tie in sorted(
        ties, key=lambda t: (str(t.get("from")).casefold(), str(t.get("to")).casefold())
    ):
        shown = bool(tie.get("shown"))
        rows.append(
            (
                f"{tie.get('from')} → {tie.get('to')}",
                whole(tie.get("trust")) if shown else "not shown",
                whole(tie.get("value")) if shown else "not shown",
            )
        )
    return Table(
        "Each tie: how far one organisation trusts and values another, 0 to 100",
        ("Tie (rater → rated)", "Trust", "Value"),
        tuple(rows),
        (False, True, True),
    )
