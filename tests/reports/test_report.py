"""The HTML and PDF report, rendered from the result alone."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from joinedup.analysis.vocabulary import POSITIONS, PULL
from joinedup.cli import main
from joinedup.reports.charts import position_map
from joinedup.reports.report import ReportOptions, render_html, render_pdf
from tests.factories import org_respondents, result, write_csv
from tests.reports import support


class _Visible(HTMLParser):
    """Text of the page outside the network section and combined-member lists."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = values.get("id") == "network" or "combined-members" in (values.get("class") or "")
        if self.skipping or skip:
            self.skipping += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()
        if self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and (not self.stack or self.stack[-1] not in {"style"}):
            self.parts.append(data)


def visible_outside_network(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def test_the_report_is_one_self_contained_page(northshire: dict[str, Any]) -> None:
    html = render_html(northshire, ReportOptions(partnership="Northshire Together"))
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    external = re.findall(r'(?:src|href)="(?!#)([^"]+)"', html)
    assert external == []
    for heading in ("Summary", "The nine scales", "Each organisation", "How we worked this out"):
        assert heading in html
    assert html.count("<svg") == 7  # the six charts, and the position map again on page 1


def test_the_summary_says_where_the_partnership_stands_and_what_to_do(northshire) -> None:
    html = render_html(northshire)
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert "Momentum" in summary and PULL in summary
    for action in northshire["recommendations"][:3]:
        assert action["title"] in summary


def test_no_merged_organisation_is_named_outside_the_network_and_the_combined_list() -> None:
    small = support.small_partnership()
    merged = next(u for u in small["units"] if u["combined"])["organisations"]
    assert sorted(merged) == sorted(support.MERGED)
    html = render_html(small)
    text = visible_outside_network(html)
    for name in merged:
        assert name not in text, name
    # ... yet the reader is told who was combined, without figures.
    assert all(name in html for name in merged)


def test_suppressed_free_text_never_reaches_the_report() -> None:
    rows = org_respondents(
        "Ashby Council", 6, 4, TEXT_IMPORTANT="A secret worry"
    ) + org_respondents("Bexley Health", 6, 4)
    outcome = result(rows)
    assert outcome["text"]["TEXT_IMPORTANT"]["shown"] is False
    html = render_html(outcome)
    assert "A secret worry" not in html
    assert "Not shown: 6 people answered" in html


def test_a_partnership_with_no_results_says_so_plainly() -> None:
    html = render_html(support.no_results())
    assert "There are no results" in html
    assert "<svg" not in html


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_the_pdf_is_an_a4_document_of_the_same_report(northshire, tmp_path: Path) -> None:
    pdf = render_pdf(northshire, ReportOptions(partnership="Northshire Together"))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 10


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_text_names_no_merged_organisation_outside_its_place(tmp_path: Path) -> None:
    small = support.small_partnership()
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(small))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Page 1 is the summary (the printed report has no contents list: its bookmarks are).
    summary_to_network = text.split("Relationships between organisations")[0]
    assert "Where the partnership stands" in summary_to_network
    for name in support.MERGED:
        lines = [line for line in summary_to_network.splitlines() if name in line]
        # Only the combined unit's description lists it.
        assert all("organisations:" in line or "Other organisations" in line for line in lines)


def test_the_command_line_writes_every_report_and_export(tmp_path: Path, capsys) -> None:
    rows = org_respondents("Ashby Council", 6, 4) + org_respondents("Bexley Health", 6, 2)
    responses = write_csv(tmp_path / "responses.csv", rows)
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        [
            "analyse", str(responses), "--title", "Test Partnership",
            "--html", str(out / "r.html"), "--pdf", str(out / "r.pdf"),
            "--xlsx", str(out / "r.xlsx"), "--graphml", str(out / "r.graphml"),
            "--csv", str(out / "csv"), "--json", str(out / "r.json"),
        ]
    )  # fmt: skip
    assert code == 0
    for name in ("r.html", "r.pdf", "r.xlsx", "r.graphml", "r.json"):
        assert (out / name).stat().st_size > 0
    assert any((out / "csv").glob("*.csv"))
    assert "Test Partnership" in (out / "r.html").read_text("utf-8")
    # A saved result renders again through `joinedup report`.
    assert main(["report", str(out / "r.json"), "--html", str(out / "again.html")]) == 0
    assert "<svg" in (out / "again.html").read_text("utf-8")


def test_report_refuses_a_file_that_is_not_a_result(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    assert main(["report", str(bogus), "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "not a joinedup.analysis/1 result" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["report", str(bogus)]) == 2


def test_a_large_partnership_gets_a_row_per_organisation_and_still_hides_merged_ones(
    tmp_path: Path,
) -> None:
    from joinedup.analysis import analyse, read_files
    from joinedup.analysis.synth import SynthSpec, generate, write

    write(
        generate(SynthSpec(organisations=40, respondents=1500, ratings_per_respondent=3)), tmp_path
    )
    dataset, _ = read_files(
        tmp_path / "responses.csv", tmp_path / "relationships.csv", tmp_path / "organisations.csv"
    )
    outcome = analyse(dataset)
    assert len(outcome["units"]) > 24
    html = render_html(outcome)
    assert "Each organisation at a glance" in html
    assert '<article class="unit">' not in html
    merged = next(u for u in outcome["units"] if u["combined"])["organisations"]
    text = visible_outside_network(html)
    for name in merged:
        assert name not in text, name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_page_one_of_the_pdf_is_the_summary(northshire: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(northshire))
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(first.split())
    for heading in ("Where the partnership stands", "What to do next"):
        assert heading in flat
    assert POSITIONS[northshire["partnership"]["position"]] in flat
    assert "Momentum towards a tipping point" in flat and "Pull towards a breaking point" in flat
    assert northshire["recommendations"][0]["title"] in flat


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_page_one_holds_the_map_all_three_next_steps_and_the_strengths(
    northshire: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(northshire))
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(first.split())
    assert position_map(northshire).title in flat
    # The map is drawn there, not only named: its axis is on page 1 too.
    assert flat.count("Pull towards a breaking point") >= 2
    steps = flat.split("What to do next", 1)[1].split("What the partnership does well", 1)[0]
    titles = [action["title"] for action in northshire["recommendations"][:3]]
    assert len(titles) == 3
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in steps
    assert "What the partnership does well" in flat
    strengths = flat.split("What the partnership does well", 1)[1]
    assert "out of 100" in strengths or "No scale stands out" in strengths


def test_the_report_s_changes_add_up_as_printed(northshire: dict[str, Any]) -> None:
    # A result whose previous round differs by fractions that rounding would hide.
    changed = copy.deepcopy(northshire)
    scales = changed["partnership"]["scales"]
    changed["trend"] = {
        "previous_round": "Spring",
        "partnership": {
            "scales": {
                code: {"previous": entry["score"] - 1.4 + 0.9 * (i % 2), "change": 1.4,
                       "p": 0.2, "significant": False}
                for i, (code, entry) in enumerate(scales.items())
            },
            "momentum": {"previous": 50.0, "change": 1.0},
            "strain": {"previous": 50.0, "change": 1.0},
            "position": {"previous": "holding_pattern", "current": "tipping_point"},
            "alignment": {"previous": "emerging", "current": "emerging"},
        },
        "units": [],
    }  # fmt: skip
    html = render_html(changed)
    section = html.split('id="trend"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">[^<]+</th>'
        r"<td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>",
        section,
    )
    assert len(rows) == 9
    for then, now, change in rows:
        step = 0 if change == "no change" else int(change.replace("\u2212", "-"))
        assert int(then) + step == int(now), (then, now, change)
    assert "Welch" not in section
