"""Chart labels drawn by WeasyPrint as one line of text each, not letter by letter.

WeasyPrint draws an SVG `<text>` one letter at a time, so that each letter
can have its own position or rotation (`x`, `dx`, `rotate` lists,
`letter-spacing`, `textLength`): two Pango layouts and one drawing call a
letter. A report's charts have about 800 labels and 6,000 letters, a fifth
of the time to print its PDF. Their labels have one position each and
nothing that moves single letters, so here such a label is laid out once
and drawn as one run of glyphs, from the same start, in the same font,
size, weight, style and colours. Letters drawn one by one are never kerned
or joined into ligatures, so the label is laid out with kerning and
ligatures (and contextual alternates) off: each letter keeps the advance it
had alone, and the words land where they did. Any other text node, and any
label with characters whose shapes or order depend on their neighbours
(combining marks, right-to-left scripts, joiners), is drawn by WeasyPrint's
own function. Labels alike in text and type are laid out once per chart
(`laid_out_label`).

The drawing function is swapped into WeasyPrint's table of SVG elements
(`weasyprint.svg.TAGS`, and the module's `text`, with which WeasyPrint
recognises text nodes to anchor them). That reaches into WeasyPrint's
internals, so it is done only for the versions it was tested with
(`TESTED_VERSIONS`; pyproject.toml bounds the dependency to them) and when
the functions it relies on look as expected; otherwise WeasyPrint draws
every label itself, as before, only slower. Installed once per process; it
draws the labels it takes as WeasyPrint would, so it is left in place for
any other use of WeasyPrint in the process.
"""

from __future__ import annotations

import importlib
import inspect
import threading
import unicodedata
from collections.abc import Callable
from math import inf
from typing import Any

TESTED_VERSIONS = ("70.",)

# Attributes that move, space, turn or realign single letters, or change the
# direction: a label with any of them is WeasyPrint's to draw.
PER_LETTER = frozenset(
    {
        "dx",
        "dy",
        "rotate",
        "letter-spacing",
        "textLength",
        "lengthAdjust",
        "direction",
        "display-anchor",
        "dominant-baseline",
        "alignment-baseline",
    }
)
# Characters that look and advance the same alone as next to others, in a
# left-to-right line: not marks, controls or format characters (joiners,
# variation selectors), and not of a right-to-left or number-run class.
JOINING_CATEGORIES = frozenset({"Mn", "Mc", "Me", "Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
PLAIN_DIRECTIONS = frozenset({"L", "EN", "ES", "ET", "CS", "ON", "WS"})
WEIGHTS = {"normal": 400, "bold": 700}

_lock = threading.Lock()
_installed: dict[str, Any] = {}


def plain_character(character: str) -> bool:
    """Whether a character is shaped and placed the same alone as in a line."""
    return (
        unicodedata.category(character) not in JOINING_CATEGORIES
        and unicodedata.bidirectional(character) in PLAIN_DIRECTIONS
    )


def single_number(value: str | None) -> bool:
    """Whether an `x` or `y` attribute is one plain number (not a list, no unit)."""
    if value is None:
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def drawn_in_one(node: Any) -> bool:
    """Whether an SVG node is a label that one layout draws as letter by letter would."""
    if node.tag != "text":
        return False
    content = node.text
    if not content or content != content.strip(" "):
        return False
    attributes = node.attrib
    if PER_LETTER & attributes.keys():
        return False
    if not (single_number(attributes.get("x")) and single_number(attributes.get("y"))):
        return False
    if not all(plain_character(character) for character in content):
        return False
    # No <tspan> or other children: their text is drawn by their own nodes.
    return next(iter(node), None) is None


def label_style(svg: Any, node: Any, font_size: float, internals: dict[str, Any]) -> Any:
    """The text style WeasyPrint gives a label, with kerning and ligatures off."""
    style = internals["Style"]()
    style.update(internals["INITIAL_VALUES"])
    style.font_config = svg.font_config
    style["font_family"] = [
        family.strip("\"'") for family in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if weight in WEIGHTS:
        weight = WEIGHTS[weight]
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    style["font_size"] = font_size
    # Letters drawn one by one are neither kerned nor joined.
    style["font_kerning"] = "none"
    style["font_variant_ligatures"] = "none"
    return style


# What a label's layout depends on besides its text and size: labels of a
# chart alike in these are laid out once (`laid_out_label`).
LABEL_KEYS = ("font-family", "font-style", "font-weight")
LAID_OUT = "_joinedup_laid_out_labels"


def laid_out_label(
    svg: Any, node: Any, font_size: float, internals: dict[str, Any]
) -> tuple[Any, Any, float, float, float]:
    """A label's style, Pango layout, width, height and baseline, made once per chart.

    A chart repeats its labels (a heatmap's scores, a map's axis numbers):
    the layouts are kept with the chart, for its fonts and layout context,
    and drawn again from, never changed (nothing is ellipsised).
    """
    key = (node.text, font_size, *(node.get(name) for name in LABEL_KEYS))
    fonts, context, kept = getattr(svg, LAID_OUT, (None, None, None))
    if kept is None or fonts is not svg.font_config or context is not svg.context:
        # A chart drawn again for another document starts afresh.
        kept = {}
        setattr(svg, LAID_OUT, (svg.font_config, svg.context, kept))
    found = kept.get(key)
    if found is None:
        style = label_style(svg, node, font_size, internals)
        layout = internals["create_layout"](node.text, style, svg.context, inf, 0)
        line, _ = layout.get_first_line()
        width, height = internals["line_size"](line, style)
        pango = internals["pango"]
        baseline = pango.pango_layout_get_baseline(layout.layout) * internals["FROM_UNITS"]
        found = kept[key] = (style, layout, width, height, baseline)
    return found


def draw_label(svg: Any, node: Any, font_size: float, internals: dict[str, Any]) -> None:
    """Draw a label that `drawn_in_one` accepts: one layout, one run of glyphs.

    The same start, cursor and text box (for `text-anchor`) as WeasyPrint's
    letter-by-letter drawing: the box runs from the start to the end of the
    last letter, from the baseline less the line's ascent.
    """
    size = internals["size"]
    x = size(node.attrib["x"], font_size, svg.inner_width)
    y = size(node.attrib["y"], font_size, svg.inner_height)
    style, layout, width, height, baseline = laid_out_label(svg, node, font_size, internals)

    # As WeasyPrint's: a given coordinate ends any shift from an earlier `dx`.
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_position = x + width, y
    start = x + svg.cursor_d_position[0]
    line_y = y + svg.cursor_d_position[1]
    top = line_y - baseline
    node.text_bounding_box = internals["extend_bounding_box"](
        node.text_bounding_box, ((start, top), (start + width, top + height))
    )

    stream = svg.stream
    stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    stream.begin_text()
    svg.fill_stroke(fill, stroke, text=True)
    box = internals["TextBox"](layout, style)
    box.baseline = baseline
    matrix = internals["Matrix"](a=1, d=-1, e=start, f=line_y)
    emojis = internals["draw_first_line"](stream, box, "none", "none", matrix)
    stream.end_text()
    stream.pop_state()
    internals["draw_emojis"](stream, style, x, y, emojis)


def weasyprint_internals() -> dict[str, Any] | None:
    """What the fast path uses of WeasyPrint, or None if it is not as tested."""
    try:
        import weasyprint

        if not weasyprint.__version__.startswith(TESTED_VERSIONS):
            return None
        svg_package = importlib.import_module("weasyprint.svg")
        svg_text = importlib.import_module("weasyprint.svg.text")
        line_break = importlib.import_module("weasyprint.text.line_break")
        draw_text = importlib.import_module("weasyprint.draw.text")
        internals = {
            "original": svg_text.text,
            "Style": svg_text.Style,
            "TextBox": svg_text.TextBox,
            "size": importlib.import_module("weasyprint.svg.utils").size,
            "extend_bounding_box": importlib.import_module(
                "weasyprint.svg.bounding_box"
            ).extend_bounding_box,
            "INITIAL_VALUES": importlib.import_module("weasyprint.css.properties").INITIAL_VALUES,
            "create_layout": line_break.create_layout,
            "line_size": line_break.line_size,
            "FROM_UNITS": line_break.FROM_UNITS,
            "pango": line_break.pango,
            "draw_first_line": draw_text.draw_first_line,
            "draw_emojis": draw_text.draw_emojis,
            "Matrix": importlib.import_module("weasyprint.matrix").Matrix,
        }
    except (ImportError, AttributeError):
        return None
    expected: dict[str, list[str]] = {
        "original": ["svg", "node", "font_size"],
        "create_layout": ["text", "style", "context", "max_width", "justification_spacing"],
        "line_size": ["line", "style"],
        "draw_first_line": ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"],
        "draw_emojis": ["stream", "style", "x", "y", "emojis"],
    }
    for name, parameters in expected.items():
        if list(inspect.signature(internals[name]).parameters) != parameters:
            return None
    # WeasyPrint's own function, or ours in its place once installed.
    ours = _installed.get("text")
    text_tags = [
        tag for tag, draw in svg_package.TAGS.items() if draw in (internals["original"], ours)
    ]
    if svg_package.text not in (internals["original"], ours) or "text" not in text_tags:
        return None
    if not {"font_kerning", "font_variant_ligatures"} <= internals["INITIAL_VALUES"].keys():
        return None
    if not hasattr(internals["pango"], "pango_layout_get_baseline"):
        return None
    internals["svg_package"] = svg_package
    internals["text_tags"] = text_tags
    return internals


def install() -> bool:
    """Put the one-layout drawing of labels in WeasyPrint's place, once; whether it is."""
    with _lock:
        if "done" in _installed:
            return bool(_installed["done"])
        internals = weasyprint_internals()
        _installed["done"] = internals is not None
        if internals is None:
            return False
        original: Callable[[Any, Any, float], None] = internals["original"]

        def text(svg: Any, node: Any, font_size: float) -> None:
            """Draw an SVG text node: a plain label in one layout, anything else as WeasyPrint."""
            if drawn_in_one(node):
                draw_label(svg, node, font_size, internals)
            else:
                original(svg, node, font_size)

        svg_package = internals["svg_package"]
        for tag in internals["text_tags"]:
            svg_package.TAGS[tag] = text
        # WeasyPrint recognises text nodes (to anchor them) by this function.
        svg_package.text = text
        _installed["text"] = text
        return True


def installed() -> bool:
    """Whether WeasyPrint draws labels through `draw_label` in this process."""
    return bool(_installed.get("done"))
