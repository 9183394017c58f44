"""How the PDF is printed quickly without changing what it shows.

Tables get their column widths up front (`pdf.column_widths`). These tests
check that the widths are sensible, and that chart labels land where the SVG
puts them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from joinedup.reports import pdf, typeface


def test_a_table_of_names_and_figures_gives_the_names_the_widest_column() -> None:
    rows = "".join(
        f'<tr><th scope="row">{name}</th><td>{score}</td><td>{score - 3} to {score + 3}</td></tr>'
        for name, score in [("Northshire Fire and Rescue Service", 61), ("Eastmoor Police", 57)]
    )
    head = "<tr><th>Organisation</th><th>Score</th><th>Interval</th></tr>"
    table = f"<caption>Scores</caption>{head}{rows}"
    names, score, interval = pdf.column_widths(table)
    assert names + score + interval == pytest.approx(1)
    assert names > interval > score


def test_when_headers_cannot_all_fit_only_the_longest_words_are_cut_down() -> None:
    widths = pdf.capped([3.0, 4.0, 12.0, 14.0], room=25.0)
    assert sum(widths) == pytest.approx(25.0)
    assert widths[:2] == [3.0, 4.0]
    assert widths[2] == widths[3] == pytest.approx(9.0)


def test_every_table_in_the_pdf_gets_one_width_a_column() -> None:
    html = (
        "<table><caption>A</caption><thead><tr><th>Name</th><th>Score</th></tr></thead>"
        "<tbody><tr><th>Eastmoor Police</th><td>57</td></tr></tbody></table>"
    )
    printed = pdf.fixed_widths(html)
    assert re.search(
        r"</caption><colgroup>(<col style=\"width:[\d.]+%\">){2}</colgroup><thead>", printed
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_chart_labels_land_where_their_anchors_put_them(tmp_path: Path) -> None:
    family = typeface.FAMILY
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'
        "<title>Labels</title><desc>Three labels</desc>"
        f'<text x="20" y="20" font-family="{family}" font-size="12">Started</text>'
        f'<text x="200" y="50" text-anchor="middle" font-family="{family}" font-size="12">'
        "Centred</text>"
        f'<text x="380" y="80" text-anchor="end" font-family="{family}" font-size="12">Ended</text>'
        "</svg>"
    )
    html = f"<html lang='en-GB'><head><title>Labels</title></head><body>{chart}</body></html>"
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf.html_to_pdf(html))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = {
        word: (float(x_min), float(x_max))
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(\w+)</word>', boxes
        )
    }
    assert {"Started", "Centred", "Ended"} <= words.keys()
    # A CSS pixel is 0.75pt; positions are measured from the start of "Started".
    origin = words["Started"][0]
    centre = sum(words["Centred"]) / 2
    assert centre - origin == pytest.approx((200 - 20) * 0.75, abs=1.5)
    assert words["Ended"][1] - origin == pytest.approx((380 - 20) * 0.75, abs=1.5)
