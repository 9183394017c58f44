"""Small helpers for writing SVG by hand: escaping, numbers, elements, text sizes.

Charts are strings built from these helpers, so every name that reaches a
chart passes through `escape` or `attributes`, and every number through `num`
(a fixed number of decimals), which keeps the output byte-identical from one
run to the next.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

# The report's embedded typeface first (reports/typeface.py), then system
# fonts; DejaVu for Linux machines without them. The stack is written with
# single quotes so it can sit inside a double-quoted attribute.
FONT_FAMILY = (
    "'Source Sans 3', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Liberation Sans', 'DejaVu Sans', sans-serif"
)
FONT_SIZE = 13
SMALL = 12  # the smallest text on any chart, at its default size
LEGIBLE = 9  # pixels: the smallest text a chart may shrink to on a narrow screen
INK = "#0b0c0c"  # near-black text: 19.6:1 on white
MUTED_INK = "#484949"  # secondary text: 9.4:1 on white
RULE = "#b1b4b6"  # axis lines and grid
FAINT_RULE = "#dcdcdc"

Attributes = Mapping[str, str | float | int | None]


def escape(text: str) -> str:
    """Text escaped for XML character data (&, <, > and quotes)."""
    return _escape(str(text), {'"': "&quot;", "'": "&#x27;"})


def num(value: float) -> str:
    """A coordinate or length: at most one decimal, no trailing zero, no "-0"."""
    rounded = round(float(value), 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attributes(values: Attributes) -> str:
    """name="value" pairs in the order given; None leaves an attribute out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            raise TypeError(f"attribute {key} needs a string or number, not {value!r}")
        text = num(value) if isinstance(value, int | float) else str(value)
        parts.append(f" {key.rstrip('_').replace('_', '-')}={quoteattr(text)}")
    return "".join(parts)


def element(name: str, attrs: Attributes | None = None, content: str | None = None) -> str:
    """One element; self-closing when it has no content. `content` is already SVG."""
    opening = f"<{name}{attributes(attrs or {})}"
    if content is None:
        return opening + "/>"
    return f"{opening}>{content}</{name}>"


def group(children: Iterable[str], attrs: Attributes | None = None) -> str:
    """A <g> holding the given elements, or nothing when there are none."""
    body = "".join(children)
    return element("g", attrs, body) if body else ""


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = FONT_SIZE,
    anchor: str = "start",
    weight: str | None = None,
    fill: str = INK,
    style: str | None = None,
    rotate: float | None = None,
    baseline: str = "middle",
) -> str:
    """A line of text with its vertical middle (or alphabetic baseline) at y.

    The middle is placed with an offset rather than `dominant-baseline`, which
    some PDF renderers ignore.
    """
    shift = size * 0.35 if baseline == "middle" else 0.0
    transform = f"rotate({num(rotate)} {num(x)} {num(y)})" if rotate else None
    return element(
        "text",
        {
            "x": x,
            "y": y + shift,
            "font-size": size,
            "text-anchor": None if anchor == "start" else anchor,
            "font-weight": weight,
            "font-style": style,
            "fill": fill,
            "transform": transform,
        },
        escape(content),
    )


def line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, **extra: Any
) -> str:
    return element(
        "line",
        {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, "stroke-width": width, **extra},
    )


def rect(x: float, y: float, width: float, height: float, fill: str, **extra: Any) -> str:
    return element(
        "rect",
        {"x": x, "y": y, "width": max(width, 0), "height": max(height, 0), "fill": fill, **extra},
    )


def circle(cx: float, cy: float, r: float, fill: str, **extra: Any) -> str:
    return element("circle", {"cx": cx, "cy": cy, "r": r, "fill": fill, **extra})


def polygon(points: Iterable[tuple[float, float]], fill: str, **extra: Any) -> str:
    coordinates = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return element("polygon", {"points": coordinates, "fill": fill, **extra})


def tooltip(content: str) -> str:
    """A <title> child: the name a pointer or a screen reader reveals for one shape."""
    return element("title", None, escape(content))


def hatch(pattern_id: str, colour: str, background: str, spacing: float = 6) -> str:
    """A diagonal-line pattern, for marking shapes without relying on colour."""
    return element(
        "pattern",
        {
            "id": pattern_id,
            "width": spacing,
            "height": spacing,
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
        rect(0, 0, spacing, spacing, background) + line(0, 0, 0, spacing, colour, spacing / 3),
    )


def narrowest(width: float) -> float:
    """The narrowest a chart `width` wide may be drawn, keeping SMALL text LEGIBLE."""
    return math.ceil(width * LEGIBLE / SMALL)


def document(
    chart_id: str,
    title: str,
    description: str,
    width: float,
    height: float,
    body: str,
    defs: str = "",
) -> str:
    """A complete, self-contained <svg> with its accessible name and description.

    It has a viewBox and no fixed size, so it scales to its container, but
    never grows beyond its natural width, nor shrinks below the width at which
    its smallest text (SMALL) would be drawn smaller than LEGIBLE pixels: on a
    phone it keeps that width and its figure scrolls sideways on its own
    (`figures.figure_html` wraps it in a scrolling region).
    """
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    head = element("title", {"id": title_id}, escape(title)) + element(
        "desc", {"id": desc_id}, escape(description)
    )
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "style": (
                f"display:block;width:100%;max-width:{num(width)}px;"
                f"min-width:{num(narrowest(width))}px;height:auto"
            ),
            "font-family": FONT_FAMILY,
            "font-size": FONT_SIZE,
            "fill": INK,
        },
        head
        + (element("defs", None, defs) if defs else "")
        + rect(0, 0, width, height, "#ffffff")
        + body,
    )


# ------------------------------------------------------------------ text sizes

_NARROW = set("ijl.,:;!|'`Iİ ")
_SEMI = set('frt()-/[]{}"*')
_WIDE = set("mwMW@%")


def text_width(content: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """An estimate of the width of `content`, on the generous side.

    Widths follow DejaVu Sans, wider than most system fonts, so text laid
    out with this estimate fits wherever it is shown.
    """
    em = 0.0
    for character in content:
        if character in _NARROW:
            em += 0.32
        elif character in _SEMI:
            em += 0.42
        elif character in _WIDE:
            em += 0.97
        elif character.isupper():
            em += 0.73
        elif character.isdigit():
            em += 0.64
        elif ord(character) > 0x2000:  # symbols: minus, ellipsis, arrows
            em += 0.9
        else:
            em += 0.62
    return em * size * (1.1 if bold else 1.0)


def shorten(content: str, limit: float, size: float = FONT_SIZE, bold: bool = False) -> str:
    """`content` cut to fit `limit` wide, ending in an ellipsis when it was cut."""
    if text_width(content, size, bold) <= limit:
        return content
    words = content
    while words and text_width(words.rstrip() + "…", size, bold) > limit:
        words = words[:-1]
    return words.rstrip(" ,-&") + "…" if words else "…"


def wrap(content: str, limit: float, size: float = FONT_SIZE, bold: bool = False) -> list[str]:
    """Words of `content` broken into lines no wider than `limit` (a long word stays whole)."""
    lines: list[str] = []
    current = ""
    for word in content.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size, bold) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    """The point at `radius` from (cx, cy) in direction `angle` (radians, clockwise from east)."""
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)
