"""The PDF reads the report's HTML with the XML parser only where an HTML parser agrees.

`pdf.html_tree` reads the report as XML (quick) and turns away markup an
HTML parser would build differently. These tests compare its tree with
tinyhtml5's (WeasyPrint's HTML parser) for every kind of report, and play
the markup it must turn away.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
import tinyhtml5

from joinedup.reports import pdf
from joinedup.reports.report import ReportOptions, render_html
from tests.reports import support


def differences(ours: ET.Element, theirs: ET.Element, path: str = "html") -> list[str]:
    """Where two element trees differ: tags, attributes, text, tails, children."""
    found = []
    if (ours.tag, dict(ours.attrib)) != (theirs.tag, dict(theirs.attrib)):
        return [f"{path}: {ours.tag} {ours.attrib} / {theirs.tag} {theirs.attrib}"]
    for part in ("text", "tail"):
        if (getattr(ours, part) or "") != (getattr(theirs, part) or ""):
            found.append(f"{path} {part}: {getattr(ours, part)!r} / {getattr(theirs, part)!r}")
    if len(ours) != len(theirs):
        return [*found, f"{path}: {[c.tag for c in ours]} / {[c.tag for c in theirs]}"]
    for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
        found += differences(mine, other, f"{path}/{mine.tag}[{index}]")
    return found


def without_style(printable: str) -> str:
    # The stylesheet is taken out before the document is read (`print_printable`).
    style = pdf.STYLE.search(printable)
    assert style is not None
    return printable[: style.start()] + printable[style.end() :]


def reports(northshire: dict[str, Any], small: dict[str, Any], forty: dict[str, Any]) -> Any:
    yield "example", northshire, ReportOptions(partnership="Northshire", previous=northshire)
    yield "with a plan", northshire, ReportOptions(partnership="Northshire", plan=support.PLAN)
    yield "merged organisations", small, ReportOptions(partnership=support.HOSTILE)
    yield "forty", forty, ReportOptions(partnership="Forty")
    yield "no results", support.no_results(), ReportOptions()
    yield "one organisation", support.one_unit(), ReportOptions()
    yield "every score withheld", support.all_null(northshire), ReportOptions()


def test_every_kind_of_report_reads_as_an_html_parser_reads_it(
    northshire: dict[str, Any], small: dict[str, Any], forty: dict[str, Any]
) -> None:
    for name, result, options in reports(northshire, small, forty):
        printable = without_style(pdf.printable_html(render_html(result, options)))
        ours = pdf.html_tree(printable)
        assert ours is not None, f"{name}: the report was not read as XML"
        theirs = tinyhtml5.parse(printable, namespace_html_elements=False)
        assert differences(ours, theirs) == [], name


PAGE = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{}</body></html>'


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<p>A paragraph <div>with a block</div></p>", id="block in a paragraph"),
        pytest.param("<p>Nested <span><ul><li>list</li></ul></span></p>", id="list in a paragraph"),
        pytest.param("<table><tr><td>no section</td></tr></table>", id="row outside a section"),
        pytest.param("<table><tbody><tr>text<td>1</td></tr></tbody></table>", id="text in a row"),
        pytest.param("<table><col/><tbody/></table>", id="column outside a group"),
        pytest.param("<div><caption>Lost</caption></div>", id="caption outside a table"),
        pytest.param("<ul><li>One<li>Two</li></li></ul>", id="item straight in an item"),
        pytest.param("<dl><dt>Term<dd>Nested</dd></dt></dl>", id="description in a term"),
        pytest.param("<h2>Heading <h3>in a heading</h3></h2>", id="heading in a heading"),
        pytest.param('<a href="#a">Link <a href="#b">in a link</a></a>', id="link in a link"),
        pytest.param("<p>Space&nbsp;kept</p>", id="named character reference"),
        pytest.param("<p>Unclosed <b>bold</p>", id="not well formed"),
        pytest.param("<input disabled>", id="attribute without a value"),
        pytest.param('<svg viewBox="0 0 1 1"><rect width="1" height="1"/></svg>', id="inline SVG"),
        pytest.param("<pre>\nkept</pre>", id="preformatted"),
        pytest.param("<form><p>Form</p></form>", id="form"),
        pytest.param("<!-- a comment --><p>Text</p>", id="comment"),
    ],
)
def test_markup_an_html_parser_would_rearrange_is_left_to_it(body: str) -> None:
    assert pdf.html_tree(PAGE.format(body)) is None


def test_what_an_html_parser_keeps_is_read_as_xml() -> None:
    body = (
        '<main><p>Text with <a href="#x">a link</a>, <strong>bold</strong> and a break<br>'
        "here &amp; there &#8211; fine.</p><ul><li>One <ul><li>Inner</li></ul></li></ul>"
        '<table><caption>C</caption><colgroup><col style="width:50%"><col></colgroup>'
        "<thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><th>x</th><td>1</td></tr>"
        '</tbody></table><img alt="A chart" src="data:image/svg+xml;base64,PHN2Zy8+"></main>\n'
    )
    printable = PAGE.format(body)
    ours = pdf.html_tree(printable)
    assert ours is not None
    assert differences(ours, tinyhtml5.parse(printable, namespace_html_elements=False)) == []
