"""The report's typeface, embedded, so that layout never depends on the server's fonts.

The report is set in Source Sans 3 (SIL Open Font Licence), from the npm
package `@fontsource/source-sans-3`. `site/frontend.py` copies the files the
report uses into `reports/fonts/` at set-up (they are built, not committed);
here they become `@font-face` rules with the fonts inlined as data, so the
HTML report stays one self-contained file and WeasyPrint and a browser lay
out the same glyphs whatever is installed.

The PDF uses the same fonts as TrueType files (decompressed from WOFF2 once,
at set-up): WeasyPrint otherwise decompresses WOFF2 in pure Python on every
render, which cost about a second per report.

Only regular and bold, upright and italic, in the Latin and Latin Extended
subsets are embedded: that covers the names of UK organisations (Welsh
accents included). Other scripts fall back to the system's sans-serif.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

FAMILY = "Source Sans 3"
FONTS = Path(__file__).resolve().parent / "fonts"
PACKAGE = "@fontsource/source-sans-3"
SUBSETS = ("latin", "latin-ext")
WEIGHTS = (400, 700)
STYLES = ("normal", "italic")


def font_file_names() -> list[str]:
    """The font files the report embeds, as the npm package names them."""
    return [
        f"source-sans-3-{subset}-{weight}-{style}.woff2"
        for subset in SUBSETS
        for weight in WEIGHTS
        for style in STYLES
    ]


def truetype_name(name: str) -> str:
    """The TrueType file made from one of `font_file_names()` at set-up."""
    return name.removesuffix(".woff2") + ".ttf"


@cache
def font_faces() -> str:
    """`@font-face` rules with every font inlined (WOFF2), or "" when the fonts are not built.

    Without them the report still renders, in the system's sans-serif (the
    stylesheet's fallbacks); `fonts_installed()` lets tests and set-up tell.
    """
    return _rules(
        lambda name: (
            f"url(data:font/woff2;base64,"
            f"{base64.b64encode((FONTS / name).read_bytes()).decode('ascii')}) format('woff2')"
        )
    )


@cache
def print_font_faces() -> str:
    """The same rules pointing at the TrueType files, for WeasyPrint."""
    return _rules(lambda name: f"url({(FONTS / truetype_name(name)).as_uri()}) format('truetype')")


def _rules(source: Callable[[str], str]) -> str:
    if not fonts_installed():
        return ""
    ranges = json.loads((FONTS / "unicode.json").read_text("utf-8"))
    rules = []
    for name in font_file_names():
        subset, weight, style = (
            name.removeprefix("source-sans-3-").removesuffix(".woff2").rsplit("-", 2)
        )
        rules.append(
            "@font-face{"
            f"font-family:'{FAMILY}';font-style:{style};font-weight:{weight};"
            f"src:{source(name)};unicode-range:{ranges[subset]}"
            "}"
        )
    return "\n".join(rules) + "\n"


def fonts_installed() -> bool:
    """Whether set-up has copied the report's fonts into place."""
    return (FONTS / "unicode.json").is_file() and all(
        (FONTS / name).is_file() and (FONTS / truetype_name(name)).is_file()
        for name in font_file_names()
    )


@cache
def advance_widths(weight: int) -> dict[int, float]:
    """Each character's advance in ems in the upright typeface at `weight` (400 or 700).

    Read from the TrueType files, so that the PDF can size table columns
    from what their text will measure. Empty when the fonts are not built.
    """
    if not fonts_installed():
        return {}
    from fontTools.ttLib import TTFont

    widths: dict[int, float] = {}
    # Latin last, so that it wins where the subsets overlap.
    for subset in reversed(SUBSETS):
        font = TTFont(FONTS / truetype_name(f"source-sans-3-{subset}-{weight}-normal.woff2"))
        per_em = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        for code, glyph in font.getBestCmap().items():
            widths[code] = metrics[glyph][0] / per_em
    return widths
