"""The PDF is accessible: PDF/UA-1, tagged, charts with their text alternatives.

UK public bodies must publish accessible documents. These tests read the PDF
the way assistive technology does, through its structure tree (pikepdf), and
as `pdfinfo` reports it.
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from joinedup.reports import typeface
from joinedup.reports.charts import position_map
from joinedup.reports.report import ReportOptions, charts_for, render_pdf

OPTIONS = ReportOptions(partnership="Northshire Together", sectors=None)


@pytest.fixture(scope="module")
def pdf_bytes(northshire: dict[str, Any]) -> bytes:
    return render_pdf(northshire, OPTIONS)


def structure(pdf: pikepdf.Pdf) -> tuple[Counter[str], list[pikepdf.Dictionary]]:
    """Every structure element's type, counted, and the elements themselves."""
    counts: Counter[str] = Counter()
    elements: list[pikepdf.Dictionary] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                counts[str(node.S).lstrip("/")] += 1
                elements.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return counts, elements


def test_the_pdf_is_tagged_with_its_language_and_title(pdf_bytes: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    assert pdf.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == "Northshire Together: tipping point or breaking point?"
    # PDF/UA asks viewers to show the title, not the file name.
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as metadata:
        assert metadata.get("pdfuaid:part") == "1"


def test_headings_lists_and_tables_are_tagged(pdf_bytes: bytes) -> None:
    counts, _ = structure(pikepdf.open(io.BytesIO(pdf_bytes)))
    assert counts["H1"] == 1
    assert counts["H2"] >= 6
    assert counts["L"] >= 3 and counts["LI"] >= 10
    assert counts["Table"] >= 10
    assert counts["TH"] >= counts["Table"]
    assert counts["TD"] > 100


def test_every_chart_is_a_figure_whose_alt_text_is_its_description(
    northshire: dict[str, Any], pdf_bytes: bytes
) -> None:
    charts = charts_for(northshire, OPTIONS)
    # Page 1's summary shows the position map too, before the six charts.
    charts = [position_map(northshire, OPTIONS.previous), *charts]
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    _, elements = structure(pdf)
    alts = [str(e.get("/Alt", "")) for e in elements if str(e.S) == "/Figure"]
    assert len(alts) == len(charts)
    expected = [" ".join(html.unescape(chart.description).split()) for chart in charts]
    assert [html.unescape(alt) for alt in alts] == expected


def test_the_report_is_set_in_the_bundled_typeface(pdf_bytes: bytes) -> None:
    assert typeface.fonts_installed(), "run src/joinedup/site/frontend.py (make setup)"
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    names = {
        str(font.get("/BaseFont"))
        for page in pdf.pages
        for font in page.Resources.get("/Font", {}).values()
    }
    assert any("Source-Sans-3" in name for name in names), names
    assert any("Source-Sans-3-Bold" in name for name in names), names


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdfinfo_reports_the_pdf_as_tagged(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Northshire Together" in info.stdout
