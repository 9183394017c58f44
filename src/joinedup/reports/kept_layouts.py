"""Each text's Pango layout kept from laying the page out to drawing it.

WeasyPrint shapes every piece of text twice. Laying a page out, it makes a
Pango layout for each text box to find where its line ends, then lets the
layout go ("deactivates" it) to save memory. Drawing the page, it makes the
layout afresh ("reactivates" it: a new Pango context, font description and
text) and, because drawing puts the layout in single-paragraph mode, Pango
shapes the text again. A large report has about 10,000 text boxes, so this
second round was about 6% of the time to print it.

Here the layout is kept as it was laid out, and drawing uses it as it is:

- `deactivate` keeps the Pango objects (they cost about 1.5 MiB for a large
  report, released with the document);
- `reactivate` does nothing where the kept layout is what reactivating would
  make: drawn in the same style, with no extra space for justification, and
  never drawn with an ellipsis (which changes its width and text);
- `set_text` puts the layout in single-paragraph mode where the text has no
  paragraph separator, so the mode drawing asks for is already set: it only
  changes how separators are treated.

Drawn with an ellipsis (`text-overflow`, `block-ellipsis`), a layout is
marked spoiled (`drawn_first_line`) and made afresh the next time, as
WeasyPrint does. The PDF is the same byte for byte
(tests/reports/test_kept_layouts.py).

Like `chart_text`, this reaches into WeasyPrint's internals, so it is done
only for the versions it was tested with and when the methods it wraps look
as expected; otherwise WeasyPrint works as it always did.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any

TESTED_VERSIONS = ("70.",)
# What Pango treats as the end of a paragraph (besides "\r\n").
PARAGRAPH_SEPARATORS = ("\n", "\r", "\u2029", "\x85", "\x1c", "\x1d", "\x1e")
EXPECTED = {
    "set_text": ["self", "text", "justify"],
    "deactivate": ["self"],
    "reactivate": ["self", "style"],
}

# Marks on WeasyPrint's layouts: kept since laid out; drawn with an ellipsis.
KEPT = "_joinedup_kept"
SPOILED = "_joinedup_spoiled"

_lock = threading.Lock()
_originals: dict[str, Any] = {}


def single_paragraph(text: str) -> bool:
    """Whether Pango lays `text` out the same in single-paragraph mode."""
    return not any(separator in text for separator in PARAGRAPH_SEPARATORS)


def install() -> bool:
    """Keep layouts from layout to drawing, once per process; whether they are kept."""
    import weasyprint
    from weasyprint.draw import text as draw_text
    from weasyprint.text import line_break

    with _lock:
        if _originals:
            return True
        if not weasyprint.__version__.startswith(TESTED_VERSIONS):
            return False
        layout_class = getattr(line_break, "Layout", None)
        pango: Any = getattr(line_break, "pango", None)
        if layout_class is None or not hasattr(pango, "pango_layout_set_single_paragraph_mode"):
            return False
        for name, parameters in EXPECTED.items():
            method = getattr(layout_class, name, None)
            if method is None or list(inspect.signature(method).parameters) != parameters:
                return False
        draw_first_line = getattr(draw_text, "draw_first_line", None)
        if draw_first_line is None or list(inspect.signature(draw_first_line).parameters) != [
            "stream",
            "textbox",
            "text_overflow",
            "block_ellipsis",
            "matrix",
        ]:
            return False

        originals = {name: getattr(layout_class, name) for name in EXPECTED}
        set_mode = pango.pango_layout_set_single_paragraph_mode

        def set_text(self: Any, text: str, justify: bool = False) -> None:
            originals["set_text"](self, text, justify)
            set_mode(self.layout, single_paragraph(self.text))

        def deactivate(self: Any) -> None:
            setattr(self, KEPT, True)

        def reactivate(self: Any, style: Any) -> None:
            if (
                getattr(self, KEPT, False)
                and not getattr(self, SPOILED, False)
                and style is self.style
                and not self.justification_spacing
            ):
                return
            originals["reactivate"](self, style)
            setattr(self, KEPT, False)
            setattr(self, SPOILED, False)

        def drawn_first_line(
            stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str, matrix: Any
        ) -> Any:
            if text_overflow == "ellipsis" or block_ellipsis != "none":
                setattr(textbox.pango_layout, SPOILED, True)
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

        _originals.update(originals)
        _originals["draw_first_line"] = draw_first_line
        _originals["class"] = layout_class
        layout_class.set_text = set_text
        layout_class.deactivate = deactivate
        layout_class.reactivate = reactivate
        draw_text.draw_first_line = drawn_first_line
        return True


def uninstall() -> None:
    """WeasyPrint's own methods back (for tests that compare the two)."""
    from weasyprint.draw import text as draw_text

    with _lock:
        if not _originals:
            return
        layout_class = _originals.pop("class")
        draw_text.draw_first_line = _originals.pop("draw_first_line")
        for name, original in _originals.items():
            setattr(layout_class, name, original)
        _originals.clear()


def installed() -> bool:
    """Whether layouts are kept in this process."""
    return bool(_originals)
