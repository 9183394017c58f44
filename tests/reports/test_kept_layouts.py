"""Text drawn from the layouts kept since layout gives the same PDF, byte for byte.

`kept_layouts` keeps each text's Pango layout from laying the page out to
drawing it, instead of WeasyPrint making it afresh. These tests print the
same documents both ways and compare the files, for the bundled example's
report and for a document made to reach every way a layout is made, kept or
made afresh: justified lines, an ellipsis in a table header repeated on
every page, a clamped paragraph, preserved line breaks, right-to-left text,
spacing, and chart labels.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.reports import kept_layouts, pdf
from joinedup.reports.report import ReportOptions, render_html

WORDS = "partnership trust conversations relationships commitment strain place readiness"


@pytest.fixture
def kept_restored() -> Any:
    yield
    kept_layouts.install()


def both_ways(printable: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    """The document printed with layouts kept, then with WeasyPrint's own methods."""
    assert kept_layouts.install()
    kept = pdf.print_printable(printable)
    kept_layouts.uninstall()
    assert not kept_layouts.installed()
    monkeypatch.setattr(kept_layouts, "install", lambda: False)
    made_afresh = pdf.print_printable(printable)
    return kept, made_afresh


def test_the_report_is_the_same_with_layouts_kept(
    northshire: dict[str, Any], kept_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    printable = pdf.printable_html(render_html(northshire, ReportOptions(partnership="N")))
    kept, made_afresh = both_ways(printable, monkeypatch)
    assert kept == made_afresh


def awkward_document() -> str:
    rows = "".join(f"<tr><td>{index}</td><td>{WORDS} {index}</td></tr>" for index in range(120))
    return f"""<!DOCTYPE html><html lang="en-GB"><head><style>
      @page {{ size: A5; margin: 12mm; }}
      body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }}
      .justified {{ text-align: justify; width: 60mm; }}
      th {{ text-overflow: ellipsis; overflow: hidden; white-space: nowrap; max-width: 20mm; }}
      table {{ table-layout: fixed; width: 100%; }}
      .clamped {{ line-clamp: 2; width: 40mm; }}
      .kept-breaks {{ white-space: pre-line; }}
      .spaced {{ letter-spacing: 1px; word-spacing: 4px; }}
    </style></head><body>
      <p class="justified">{WORDS} {WORDS} {WORDS}</p>
      <p class="clamped">{WORDS} {WORDS} {WORDS}</p>
      <p class="kept-breaks">first line
second line\u2029after a separator</p>
      <p class="spaced">{WORDS}</p>
      <p dir="rtl" lang="he">שותפות ואמון בין ארגונים</p>
      <p>mixed עברית and English, and العربية too</p>
      <svg width="300" height="60" font-family="DejaVu Sans">
        <text x="10" y="20" font-size="12">a label</text>
        <text x="150" y="40" font-size="12" text-anchor="middle">centred label</text>
        <text x="10" y="55" font-size="9" dx="0 2 2">spread</text>
      </svg>
      <table><thead><tr><th>Number with a long heading</th>
        <th>Words in a heading that will not fit</th></tr></thead>
      <tbody>{rows}</tbody></table>
    </body></html>"""


def test_a_document_with_every_kind_of_text_is_the_same_with_layouts_kept(
    kept_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, made_afresh = both_ways(awkward_document(), monkeypatch)
    assert kept == made_afresh


def test_a_kept_layout_is_drawn_as_it_is_unless_it_would_differ(kept_restored: None) -> None:
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.text.line_break import create_layout

    assert kept_layouts.install()
    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = FontConfiguration()
    style["font_family"] = ["DejaVu Sans"]
    style["font_size"] = 12

    layout = create_layout("kept text", style, None, 200, 0)
    pango_layout = layout.layout
    layout.deactivate()
    layout.reactivate(style)
    assert layout.layout is pango_layout

    other = Style(style)
    other.font_config = style.font_config
    layout.reactivate(other)
    assert layout.layout is not pango_layout

    justified = create_layout("two words", style, None, 200, 2.5)
    before = justified.layout
    justified.deactivate()
    justified.reactivate(style)
    assert justified.layout is not before

    spoiled = create_layout("ellipsis", style, None, 200, 0)
    setattr(spoiled, kept_layouts.SPOILED, True)
    before = spoiled.layout
    spoiled.deactivate()
    spoiled.reactivate(style)
    assert spoiled.layout is not before


@pytest.mark.parametrize(
    ("text", "single"),
    [("plain words", True), ("two\nlines", False), ("a\rb", False), ("a\u2029b", False)],
)
def test_only_text_without_paragraph_separators_is_set_as_one_paragraph(
    text: str, single: bool
) -> None:
    assert kept_layouts.single_paragraph(text) is single


def test_other_weasyprint_versions_are_left_alone(
    kept_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    kept_layouts.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert not kept_layouts.install()
    assert not kept_layouts.installed()
