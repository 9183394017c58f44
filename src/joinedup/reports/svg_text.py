"""Chart labels drawn by WeasyPrint one layout per label, not one per letter.

WeasyPrint (70) draws SVG `<text>` letter by letter, so that each letter can
have its own position or rotation: every letter is shaped by Pango on its
own, and a 40-organisation report's charts, with about 800 labels, spent a
third of the PDF's time there. The report's charts never place letters one
by one: a label is a string at one point, perhaps anchored at its middle or
end. For such a label, `draw_label` shapes the string once and draws it as
one run of text (with the font's kerning, which letter by letter loses).

Anything else (lists of positions, `rotate`, `letter-spacing`,
`textLength`, text on a path, empty text) goes to WeasyPrint's own drawing.
`install()` puts `draw_label` in WeasyPrint's table of SVG elements only for
the WeasyPrint release it was written against, so an upgrade falls back to
WeasyPrint's drawing (correct, only slower) instead of breaking the PDF.
"""

from __future__ import annotations

from math import inf
from typing import Any

# The release whose SVG drawing (weasyprint/svg/__init__.py and svg/text.py)
# this module was written against.
WEASYPRINT_RELEASE = "70."
LETTER_BY_LETTER = ("rotate", "letter-spacing", "textLength", "lengthAdjust")
_installed: dict[str, Any] = {}


def _one_value(value: str | None) -> bool:
    return value is None or len(value.replace(",", " ").split()) <= 1


def is_plain_label(node: Any) -> bool:
    """Whether a text node is one string at one point (what `draw_label` draws)."""
    return (
        node.tag in ("text", "tspan")
        and bool(node.text)
        and not any(name in node.attrib for name in LETTER_BY_LETTER)
        and all(_one_value(node.attrib.get(name)) for name in ("x", "y", "dx", "dy"))
    )


def _font_weight(value: Any) -> int:
    names = {"normal": 400, "bold": 700}
    if value in names:
        return names[value]
    try:
        return int(value)
    except (TypeError, ValueError):
        return 400


def draw_label(svg: Any, node: Any, font_size: float) -> None:
    """Draw a plain label (`is_plain_label`) as one shaped run; anything else as WeasyPrint does."""
    if not is_plain_label(node):
        _installed["original"](svg, node, font_size)
        return
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    style = Style(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        family.strip("\"' ") for family in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    style["font_weight"] = _font_weight(node.get("font-weight", 400))
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    def length(name: str, reference: float) -> float | None:
        value = node.attrib.get(name)
        if value is None or not value.strip():
            return None
        return float(size(value.replace(",", " ").strip(), font_size, reference))

    x, y = length("x", svg.inner_width), length("y", svg.inner_height)
    dx, dy = length("dx", svg.inner_width), length("dy", svg.inner_height)
    # As WeasyPrint does for a first letter: a new x or y resets the shift.
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y

    # WeasyPrint's vertical alignment of SVG text, for the same attributes.
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        y_align = -height / 2
    elif anchor == "top":
        y_align = 0
    elif anchor == "bottom":
        y_align = -height
    elif alignment in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent
    else:
        y_align = 0

    left = x + svg.cursor_d_position[0]
    baseline_y = y + svg.cursor_d_position[1] + y_align
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((left, baseline_y - baseline), (left + width, baseline_y - baseline + height)),
    )

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(
        svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=left, f=baseline_y)
    )
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> bool:
    """Draw plain SVG labels with `draw_label` in this process; whether it is in place."""
    if "original" in _installed:
        return True
    import weasyprint
    import weasyprint.svg as svg_drawing

    original = getattr(svg_drawing, "text", None)
    if not weasyprint.__version__.startswith(WEASYPRINT_RELEASE) or not callable(original):
        return False
    _installed["original"] = original
    # WeasyPrint tells text elements (for their text-anchor) by this function's
    # identity, through the module's name `text`, so both change together.
    svg_drawing.text = draw_label
    for tag, drawing in list(svg_drawing.TAGS.items()):
        if drawing is original:
            svg_drawing.TAGS[tag] = draw_label
    return True
