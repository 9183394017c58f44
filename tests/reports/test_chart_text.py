"""Chart labels drawn in one layout each (`chart_text`) land where WeasyPrint put them.

WeasyPrint draws an SVG label letter by letter; the PDF draws a plain label
as one run of glyphs instead. These tests print the same chart both ways
and compare where every word is, and check that labels the quick way cannot
draw are left to WeasyPrint.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from joinedup.reports import chart_text, pdf, typeface
from tests.reports import support

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def chart_html(labels: str, bundled: bool) -> str:
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400"'
        f" font-family=\"'{typeface.FAMILY}', sans-serif\">"
        f"<title>Labels</title><desc>Labels</desc>{labels}</svg>"
    )
    style = f"<style>{typeface.font_faces()}</style>" if bundled else ""
    return (
        f"<html lang='en-GB'><head><title>Labels</title>{style}</head><body>{chart}</body></html>"
    )


def words(document: bytes, tmp_path: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word of the PDF and its box, in points, as pdftotext reads them."""
    boxes = support.word_boxes(document, tmp_path)
    return [
        (unescape(word), float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in WORD.findall(boxes)
    ]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels drawn in one layout while a test prints."""
    texts: list[str] = []
    draw = chart_text.draw_label

    def spy(svg: Any, node: Any, font_size: float, internals: dict[str, Any]) -> None:
        texts.append(node.text)
        draw(svg, node, font_size, internals)

    monkeypatch.setattr(chart_text, "draw_label", spy)
    return texts


# Kerning pairs (AV, Wa, To), ligatures (fi, ffi), figures and punctuation,
# weights, a style, colours, sizes, anchors and a quarter turn.
PLAIN_LABELS = (
    '<text x="20" y="30" font-size="12">AVAST Waters Today</text>'
    '<text x="300" y="60" font-size="12" text-anchor="middle">Office efficiency (75%)</text>'
    '<text x="580" y="90" font-size="13" text-anchor="end" font-weight="bold">Fire &amp; Rescue'
    "</text>"
    '<text x="20" y="120" font-size="9" fill="#484949">Northshire: 61 to 67, n=14</text>'
    '<text x="300" y="150" font-size="12" font-style="italic" text-anchor="middle">'
    "No value ratings</text>"
    '<text x="20" y="180" font-size="16" font-weight="700" fill="#1d70b8">Yorkshire Wolds</text>'
    '<text x="40" y="380" font-size="12" transform="rotate(-90 40 380)">Turned a quarter</text>'
)


@pytest.mark.parametrize("bundled", [False, True], ids=["system font", "report typeface"])
def test_labels_drawn_in_one_land_where_letter_by_letter_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: list[str], bundled: bool
) -> None:
    if bundled and not typeface.fonts_installed():
        pytest.skip("run src/joinedup/site/frontend.py (make setup)")
    assert chart_text.install(), "the installed WeasyPrint is not the one the fast path knows"
    html = chart_html(PLAIN_LABELS, bundled)
    quick = words(pdf.html_to_pdf(html), tmp_path)
    assert len(drawn) == PLAIN_LABELS.count("<text")
    # The same chart drawn by WeasyPrint alone, letter by letter.
    monkeypatch.setattr(chart_text, "drawn_in_one", lambda node: False)
    drawn.clear()
    slow = words(pdf.html_to_pdf(html), tmp_path)
    assert drawn == []
    assert [word for word, *_ in quick] == [word for word, *_ in slow]
    assert "AVAST" in [word for word, *_ in quick]
    for (word, *box), (_, *before) in zip(quick, slow, strict=True):
        assert box == pytest.approx(before, abs=0.2), word


def test_labels_the_quick_way_cannot_draw_are_left_to_weasyprint(
    tmp_path: Path, drawn: list[str]
) -> None:
    labels = (
        '<text x="20" y="30" font-size="12">Plain</text>'
        '<text x="20" y="60" font-size="12" letter-spacing="6">Spaced</text>'
        '<text x="20" y="90" font-size="12">Unspaced</text>'
        '<text x="20 40 60" y="120" font-size="12">abc</text>'
        '<text x="20" y="150" font-size="12" dx="5">Shifted</text>'
        '<text x="20" y="180" font-size="12">Half <tspan font-weight="bold">bold</tspan></text>'
        '<text x="20" y="210" font-size="12">Cafe\u0301</text>'
        '<text x="20px" y="240" font-size="12">Sized</text>'
    )
    found = words(pdf.html_to_pdf(chart_html(labels, bundled=False)), tmp_path)
    assert drawn == ["Plain", "Unspaced"]
    assert {"Plain", "Unspaced", "Shifted", "bold", "Sized"} <= {word for word, *_ in found}
    # Each line's text and extent (pdftotext splits widely spaced letters into words).
    lines: dict[float, tuple[str, float, float]] = {}
    for word, x0, y0, x1, _ in found:
        text, start, end = lines.get(y0, ("", x0, x1))
        lines[y0] = (text + word, min(start, x0), max(end, x1))
    extents = {text: (start, end) for text, start, end in lines.values()}
    # WeasyPrint spaced the letters out: 5 gaps of 6px (4.5pt) wider.
    spaced = extents["Spaced"][1] - extents["Spaced"][0]
    plain = words(
        pdf.html_to_pdf(chart_html('<text x="20" y="60" font-size="12">Spaced</text>', False)),
        tmp_path,
    )
    unspaced = plain[0][3] - plain[0][1]
    assert spaced - unspaced == pytest.approx(5 * 4.5, abs=0.3)
    # And moved the shifted label 5px (3.75pt) right of the others' start.
    assert extents["Shifted"][0] - extents["Plain"][0] == pytest.approx(3.75, abs=0.2)


def test_only_a_plain_label_is_drawn_in_one() -> None:
    assert chart_text.single_number("12.5") and chart_text.single_number("-3")
    assert not chart_text.single_number("10 20") and not chart_text.single_number("1em")
    assert not chart_text.single_number(None)
    assert all(chart_text.plain_character(c) for c in "Aé7 (%)&–’")
    assert not any(chart_text.plain_character(c) for c in "\u0301\u200d\u05d0\u0627\ufe0f")


def test_the_quick_way_is_used_only_with_the_weasyprint_it_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint
    import weasyprint.draw.text

    assert chart_text.weasyprint_internals() is not None
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    assert chart_text.weasyprint_internals() is None
    monkeypatch.undo()

    def draw_first_line(stream: Any, textbox: Any, matrix: Any) -> None:
        pass

    monkeypatch.setattr(weasyprint.draw.text, "draw_first_line", draw_first_line)
    assert chart_text.weasyprint_internals() is None


# The same label three times in one type, once bold and once larger, and one
# other label: laid out four times, not six.
REPEATED_LABELS = (
    '<text x="20" y="30" font-size="12">56</text>'
    '<text x="120" y="30" font-size="12">56</text>'
    '<text x="220" y="60" font-size="12" text-anchor="middle">56</text>'
    '<text x="20" y="90" font-size="12" font-weight="bold">56</text>'
    '<text x="20" y="120" font-size="16">56</text>'
    '<text x="20" y="150" font-size="12">48</text>'
)


def test_labels_alike_in_a_chart_are_laid_out_once_and_drawn_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert chart_text.install()
    html = chart_html(REPEATED_LABELS, bundled=typeface.fonts_installed())
    made: list[str] = []
    lay_out = chart_text.laid_out_label

    def counted(svg: Any, node: Any, font_size: float, internals: dict[str, Any]) -> Any:
        before = dict(getattr(svg, chart_text.LAID_OUT, (None, None, {}))[2] or {})
        found = lay_out(svg, node, font_size, internals)
        if len(getattr(svg, chart_text.LAID_OUT)[2]) > len(before):
            made.append(node.text)
        return found

    monkeypatch.setattr(chart_text, "laid_out_label", counted)
    once = pdf.html_to_pdf(html)
    assert made == ["56", "56", "56", "48"]

    def each_afresh(svg: Any, node: Any, font_size: float, internals: dict[str, Any]) -> Any:
        if hasattr(svg, chart_text.LAID_OUT):
            delattr(svg, chart_text.LAID_OUT)
        return lay_out(svg, node, font_size, internals)

    monkeypatch.setattr(chart_text, "laid_out_label", each_afresh)
    assert pdf.html_to_pdf(html) == once
