"""WeasyPrint's parsing of SVG attribute values, remembered.

WeasyPrint draws a chart node by node, and for every node it parses the
same few attribute values again: its colours (through tinycss2), lengths,
`url(…)` references (a filter, a clip path, markers, a mask: even where
there are none) and number lists. A large report's charts repeat a handful
of values thousands of times, and parsing them was over a third of the time
spent drawing the charts.

These are pure functions of their arguments, so `install` puts remembering
versions in their place in WeasyPrint's SVG drawing module (70.x, as
`chart_text`). A colour is handed out as a copy, because the drawing code
changes the alpha of the one it is given.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

TESTED_VERSIONS = ("70.",)
REMEMBERED = ("color", "parse_url", "size", "normalize")
# Distinct values a report's charts use are a few hundred; this bounds a
# pathological chart's memory.
LIMIT = 4096

_lock = threading.Lock()
_originals: dict[str, Callable[..., Any]] = {}


def remembering_color(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parse` remembered, each call given its own copy of the colour."""
    remembered = functools.lru_cache(LIMIT)(parse)

    def color(string: str) -> Any:
        return copy.copy(remembered(string))

    return color


def install() -> bool:
    """Put the remembering functions in WeasyPrint's SVG module, once; whether they are."""
    import weasyprint
    from weasyprint import svg

    with _lock:
        if _originals:
            return True
        if not weasyprint.__version__.startswith(TESTED_VERSIONS):
            return False
        if not all(callable(getattr(svg, name, None)) for name in REMEMBERED):
            return False
        for name in REMEMBERED:
            _originals[name] = getattr(svg, name)
        svg.color = remembering_color(_originals["color"])
        for name in ("parse_url", "size", "normalize"):
            setattr(svg, name, functools.lru_cache(LIMIT)(_originals[name]))
        return True


def uninstall() -> None:
    """WeasyPrint's own functions back (for tests that compare the two)."""
    from weasyprint import svg

    with _lock:
        for name, original in _originals.items():
            setattr(svg, name, original)
        _originals.clear()
