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
@pytest.mark.parametrize("bundled", [False, True], ids=["system font", "report typeface"])
def test_chart_labels_land_where_their_anchors_put_them(tmp_path: Path, bundled: bool) -> None:
    # With the report's typeface in the document, the PDF measures anchored
    # labels itself and starts them (`pdf.started_text`); without, WeasyPrint
    # shifts them.
    if bundled and not typeface.fonts_installed():
        pytest.skip("run src/joinedup/site/frontend.py (make setup)")
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
    style = f"<style>{typeface.font_faces()}</style>" if bundled else ""
    html = (
        f"<html lang='en-GB'><head><title>Labels</title>{style}</head><body>{chart}</body></html>"
    )
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


def test_labels_in_the_report_typeface_are_started_and_others_keep_their_anchor() -> None:
    if not typeface.fonts_installed():
        pytest.skip("run src/joinedup/site/frontend.py (make setup)")
    chart = (
        f'<svg xmlns="http://www.w3.org/2000/svg" font-family="\'{typeface.FAMILY}\', sans-serif">'
        '<text x="100" y="10" text-anchor="end" font-size="10">II</text>'
        '<text x="100" y="20" text-anchor="middle" font-size="10" font-weight="bold">II</text>'
        '<text x="100" y="30" text-anchor="end" font-size="10" font-style="italic">II</text>'
        '<text x="100" y="40" text-anchor="end" font-size="10" font-family="Serif">II</text>'
        "</svg>"
    )
    regular, bold = (typeface.advance_widths(weight)[ord("I")] * 10 for weight in (400, 700))
    starts = [float(x) for x in re.findall(r'<text x="([\d.]+)"', pdf.started_labels(chart))]
    assert starts == pytest.approx([100 - 2 * regular, 100 - bold, 100, 100], abs=0.001)
    assert pdf.started_labels(chart).count("text-anchor") == 2


def test_groups_that_do_nothing_are_unwrapped_and_others_kept() -> None:
    svg = (
        '<svg><g><g class="cell"><g><rect/></g></g><g transform="scale(2)"><circle/></g></g></svg>'
    )
    assert pdf.unwrapped_groups(svg) == (
        '<svg><g class="cell"><rect/></g><g transform="scale(2)"><circle/></g></svg>'
    )


def test_the_pdf_is_compressed_at_zlibs_default_level() -> None:
    # pydyf asks for level 9; the default level is about three times as
    # quick for 2% more bytes (`pdf.deflate_at_default_level`).
    import io
    import zlib

    import pikepdf

    html = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
        + "".join(
            f"<p>Paragraph {n}: the partnership's organisations answered.</p>" for n in range(80)
        )
        + "</body></html>"
    )
    document = pikepdf.open(io.BytesIO(pdf.print_printable(pdf.printable_html(html))))
    contents = document.pages[0].Contents
    assert (
        zlib.compress(contents.read_bytes(), zlib.Z_DEFAULT_COMPRESSION)
        == contents.read_raw_bytes()
    )
    assert zlib.compress(contents.read_bytes(), 9) != contents.read_raw_bytes()
