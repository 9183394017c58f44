"""Charts drawn with WeasyPrint's parsing remembered are drawn exactly as without.

`chart_parsing` remembers the SVG attribute values WeasyPrint parses for
every node. These tests print the same report both ways and compare every
page's drawing instructions, and check that a colour handed out is the
caller's own to change.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest

from joinedup.reports import chart_parsing, pdf
from joinedup.reports.report import ReportOptions, render_html


def drawing(document: bytes) -> list[bytes]:
    """Every page's content stream, decompressed."""
    opened = pikepdf.open(io.BytesIO(document))
    return [page.Contents.read_bytes() for page in opened.pages]


@pytest.fixture
def parsing_restored() -> Any:
    yield
    chart_parsing.install()


def test_the_report_is_drawn_the_same_with_parsing_remembered(
    northshire: dict[str, Any], parsing_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    printable = pdf.printable_html(render_html(northshire, ReportOptions(partnership="N")))
    assert chart_parsing.install()
    remembered = pdf.print_printable(printable)
    chart_parsing.uninstall()
    monkeypatch.setattr(chart_parsing, "install", lambda: False)
    parsed_each_time = pdf.print_printable(printable)
    assert drawing(remembered) == drawing(parsed_each_time)


def test_a_colour_handed_out_is_a_copy(parsing_restored: None) -> None:
    from weasyprint import svg

    chart_parsing.install()
    first = svg.color("#1d70b8")
    first.alpha *= 0.5
    again = svg.color("#1d70b8")
    assert again.alpha == 1 and first is not again
    assert svg.size("12", 10, 100) == 12 and svg.size("50%", 10, 100) == 50
