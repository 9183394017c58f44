"""A long report printed in two halves at once gives the PDF the whole would have given.

`pdf_halves` cuts the report where a section starts a page, prints the
halves in two helper processes at once, and `pdf_join` joins them.
These tests print the same reports whole and in halves and compare what a
reader and assistive technology get: every word where it was (footers'
page numbers included), the structure tree, the outline, the named
destinations and links. They also play a helper failing.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from joinedup.reports import pdf, pdf_halves
from joinedup.reports.report import ReportOptions, render_html
from tests.reports import support

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)


def words(document: bytes, tmp_path: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words with where they start, as pdftotext finds them."""
    boxes = support.word_boxes(document, tmp_path)
    return [
        [
            (round(float(x), 2), round(float(y), 2), word)
            for x, y, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>', page
            )
        ]
        for page in boxes.split("<page ")[1:]
    ]


def described(document: bytes) -> dict[str, Any]:
    """What a reader's software gets from a tagged PDF, with page numbers for page objects."""
    opened = pikepdf.open(io.BytesIO(document))
    pages = {page.obj.objgen: number for number, page in enumerate(opened.pages)}
    elements: list[tuple[Any, ...]] = []
    header_ids: list[str] = []
    headers_named: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            page = pages[node.Pg.objgen] if "/Pg" in node else None
            elements.append((depth, str(node.S), page, str(node.get("/Alt", ""))))
            if "/ID" in node:
                header_ids.append(str(node.ID))
            attributes = node.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                headers_named.extend(str(name) for name in attributes.Headers)
            kids = node.K if isinstance(node.get("/K"), pikepdf.Array) else [node.get("/K")]
            for kid in kids:
                if isinstance(kid, int):
                    elements.append((depth + 1, "MCID", kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    elements.append((depth + 1, "OBJR", pages[kid.Pg.objgen]))
                else:
                    walk(kid, depth + 1)

    tree = opened.Root.StructTreeRoot
    assert len(tree.K) == 1
    walk(tree.K[0], 0)
    numbers = tree.ParentTree.Nums
    parent_tree = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    # Every marked piece of a page maps to an element of that page.
    misplaced = [
        number
        for number, page in enumerate(opened.pages)
        for element in parent_tree[int(page.obj.StructParents)]
        if pages[element.Pg.objgen] != number
    ]
    links = []
    for number, page in enumerate(opened.pages):
        for annotation in page.obj.get("/Annots", ()):
            owner = parent_tree[int(annotation.StructParent)]
            links.append((number, str(annotation.get("/Dest", "")), str(owner.S)))
    outline: list[tuple[Any, ...]] = []

    def walk_outline(item: Any, depth: int) -> None:
        while item is not None:
            destination = item.Dest
            outline.append(
                (
                    depth,
                    str(item.Title),
                    pages[destination[0].objgen],
                    round(float(destination[2]), 2),
                    round(float(destination[3]), 2),
                    int(item.Count),
                )
            )
            if "/First" in item:
                walk_outline(item.First, depth + 1)
            item = item.get("/Next")

    if "/Outlines" in opened.Root:
        walk_outline(opened.Root.Outlines.First, 0)
    names = opened.Root.Names.Dests.Names if "/Names" in opened.Root else []
    destinations = [
        (str(names[i]), pages[names[i + 1][0].objgen], round(float(names[i + 1][3]), 2))
        for i in range(0, len(names), 2)
    ]
    return {
        "elements": elements,
        "misplaced": misplaced,
        "links": links,
        "outline": outline,
        "destinations": destinations,
        "header_ids": header_ids,
        "headers_named": headers_named,
        "pages": len(opened.pages),
        "lang": str(opened.Root.Lang),
        "title": str(opened.docinfo.Title),
    }


def printed_both_ways(html: str) -> tuple[bytes, bytes]:
    """The report printed whole, and in halves (whatever its length)."""
    halves = pdf_halves.print_in_halves(html, least_ms=0)
    assert halves is not None, "the report was not printed in halves"
    return pdf.print_printable(pdf.printable_html(html)), halves


def assert_same_document(whole: bytes, halves: bytes, tmp_path: Path) -> None:
    assert words(halves, tmp_path) == words(whole, tmp_path)
    ours, theirs = described(halves), described(whole)
    assert ours["misplaced"] == []
    # Header cells are named per half; every name is unique and every cell's
    # headers are among them.
    assert len(set(ours["header_ids"])) == len(ours["header_ids"])
    assert set(ours["headers_named"]) <= set(ours["header_ids"])
    for key in ("elements", "links", "outline", "destinations", "pages", "lang", "title"):
        assert ours[key] == theirs[key], key


@needs_poppler
def test_the_bundled_example_in_halves_is_the_whole_report(
    northshire: dict[str, Any], sectors: dict[str, str], tmp_path: Path
) -> None:
    html = render_html(
        northshire, ReportOptions(partnership="Northshire Together", sectors=sectors)
    )
    whole, halves = printed_both_ways(html)
    assert_same_document(whole, halves, tmp_path)
    pages = words(halves, tmp_path)
    # Footers run on across the halves: "Page 2 of N" to "Page N of N".
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        text = " ".join(word for _, _, word in page)
        assert f"Page {number} of {total}" in text


@needs_poppler
def test_forty_organisations_in_halves_are_the_whole_report(
    forty: dict[str, Any], tmp_path: Path
) -> None:
    html = render_html(forty, ReportOptions(partnership="Forty Together", sectors=None))
    whole, halves = printed_both_ways(html)
    assert_same_document(whole, halves, tmp_path)


@needs_poppler
def test_a_report_with_its_plan_and_merged_organisations_in_halves_is_the_whole(
    northshire: dict[str, Any], small: dict[str, Any], tmp_path: Path
) -> None:
    for result, options in [
        (northshire, ReportOptions(partnership="N", plan=support.PLAN, previous=northshire)),
        (small, ReportOptions(partnership=support.HOSTILE)),
    ]:
        whole, halves = printed_both_ways(render_html(result, options))
        assert_same_document(whole, halves, tmp_path)


PAGE_STYLE = """
@page { size: A5; margin: 15mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
@page :first { @bottom-right { content: none; } }
.page { break-before: page; }
"""


def document(sections: list[str], style: str = PAGE_STYLE) -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><title>Two halves</title><style>{style}</style>'
        f"</head><body><header><h1>Two halves</h1></header><main>{''.join(sections)}</main>"
        "</body></html>"
    )


def section(name: str, paragraphs: int, extra: str = "") -> str:
    text = "".join(
        f"<p>Paragraph {index} of {name}: the partnership's organisations answered.</p>"
        for index in range(paragraphs)
    )
    return f'<section id="{name}" class="page"><h2>{name.title()}</h2>{extra}{text}</section>'


@needs_poppler
def test_links_across_the_halves_lead_where_they_did(tmp_path: Path) -> None:
    html = document(
        [
            section("first", 30, '<p><a href="#third">To the third section</a></p>'),
            section("second", 30, '<p><a href="https://example.org/">Outside</a></p>'),
            section("third", 30, '<p><a href="#first">Back to the first</a></p>'),
            section("fourth", 30),
        ]
    )
    whole, halves = printed_both_ways(html)
    assert_same_document(whole, halves, tmp_path)
    links = described(halves)["links"]
    assert [(target, owner) for _, target, owner in links] == [
        ("third", "/Link"),
        ("", "/Link"),
        ("first", "/Link"),
    ]
    destinations = dict((name, page) for name, page, _ in described(halves)["destinations"])
    assert destinations["third"] > destinations["first"]


def test_the_cut_shares_the_work_and_starts_the_second_half_afresh() -> None:
    html = document([section("small", 2), section("large", 60), section("last", 58)])
    halves = pdf_halves.cut(html, least_ms=0)
    assert halves is not None
    # The large section balances the last one best: cut before the last.
    assert '<section id="last"' in halves.second and '<section id="large"' in halves.first
    assert halves.first.endswith("</main></body></html>")
    assert "<header>" not in halves.second
    assert re.search(r"<body><main><section id=\"last\"", halves.second)
    # The second half's first page is not the document's first.
    assert "@page :first" in halves.first and "@page :first" not in halves.second
    assert "@bottom-right" in halves.second


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<html><body><p>No main</p></body></html>", id="no main"),
        pytest.param(document(['<section id="a"><p>No page breaks</p></section>']), id="no breaks"),
        pytest.param(
            document(
                [section("a", 30), section("b", 30)], PAGE_STYLE + "@page :left { margin: 1mm }"
            ),
            id="pages by side",
        ),
    ],
)
def test_a_report_that_cannot_be_cut_is_printed_whole(html: str) -> None:
    assert pdf_halves.cut(html, least_ms=0) is None


def test_a_short_report_is_printed_whole() -> None:
    html = document([section("a", 3), section("b", 3)])
    assert pdf_halves.cut(html, least_ms=0) is not None
    assert pdf_halves.cut(html) is None


@needs_poppler
def test_when_the_helper_dies_while_printing_the_whole_report_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    html = document([section(name, 40) for name in ("one", "two", "three", "four")])
    whole = pdf.print_printable(pdf.printable_html(html))
    receive = pdf_halves.Helper.receive

    def killed_first(helper: pdf_halves.Helper) -> Any:
        helper.process.kill()
        helper.process.wait()
        return receive(helper)

    monkeypatch.setattr(pdf_halves.Helper, "receive", killed_first)
    with caplog.at_level(logging.WARNING, logger="joinedup.reports.pdf_halves"):
        assert pdf_halves.print_in_halves(html, least_ms=0) is None
    assert "printing it whole" in caplog.text
    assert pdf_halves._helpers == []
    monkeypatch.setattr(pdf_halves, "LEAST_HALF_MS", 0.0)
    # html_to_pdf falls back the same way, and gives the whole report.
    assert words(pdf.html_to_pdf(html), tmp_path) == words(whole, tmp_path)
    monkeypatch.setattr(pdf_halves.Helper, "receive", receive)
    # The next report starts a new helper and is printed in halves again.
    assert pdf_halves.print_in_halves(html, least_ms=0) is not None
    assert len(pdf_halves._helpers) == 2
    assert all(helper.alive() for helper in pdf_halves._helpers)


@needs_poppler
def test_reports_printed_at_once_from_two_threads_are_both_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_halves, "LEAST_HALF_MS", 0.0)
    reports = [
        document([section(f"{name}-{index}", 35) for index in range(3)])
        for name in ("north", "south")
    ]
    expected = [words(pdf.print_printable(pdf.printable_html(html)), tmp_path) for html in reports]
    printed: dict[int, bytes] = {}
    threads = [
        threading.Thread(target=lambda n=n: printed.__setitem__(n, pdf.html_to_pdf(reports[n])))
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [words(printed[n], tmp_path) for n in range(2)] == expected


def test_a_script_without_a_main_guard_prints_once(tmp_path: Path) -> None:
    # The helper is a plain subprocess: a script that prints a PDF at its
    # top level is not run again in it (as multiprocessing's "spawn" would).
    script = tmp_path / "script.py"
    out = tmp_path / "printed.txt"
    script.write_text(
        "from joinedup.reports import pdf, pdf_halves\n"
        f"html = {document([section(n, 30) for n in ('a', 'b', 'c')])!r}\n"
        "halves = pdf_halves.print_in_halves(html, least_ms=0)\n"
        f"with open({str(out)!r}, 'a') as f:\n"
        "    f.write('halves %s\\n' % (halves is not None))\n"
    )
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    assert out.read_text().splitlines() == ["halves True"]


@needs_poppler
def test_table_headers_of_the_two_halves_keep_their_own_names(tmp_path: Path) -> None:
    # WeasyPrint names header cells after their table's object number; two
    # halves laid out alike number their objects alike.
    table = (
        "<table><thead><tr><th>Organisation</th><th>Score</th></tr></thead><tbody>"
        + "".join(f"<tr><th>Body {n}</th><td>{n}</td></tr>" for n in range(12))
        + "</tbody></table>"
    )
    sections = [
        f'<section id="{name}" class="page"><h2>Scores</h2>{table}</section>'
        for name in ("one", "two")
    ]
    html = document(sections).replace("<header><h1>Two halves</h1></header>", "")
    whole, halves = printed_both_ways(html)
    assert_same_document(whole, halves, tmp_path)
    ids = described(halves)["header_ids"]
    assert len(ids) == 2 * 14
