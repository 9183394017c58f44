"""Results to chart, and checks every chart must pass, shared by the report tests."""

from __future__ import annotations

import copy
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from joinedup.analysis import analyse as analyse_dataset
from joinedup.analysis import read_files
from joinedup.reports import Chart
from tests.factories import org_respondents, rating, result

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "northshire"

HOSTILE = "Smith & Jones <Trust> \"Quoted\" 'Apostrophe'"
MERGED = ["Delta Tiny Charity", "Epsilon Small Group", "Gamma Police"]
OWN = ["Alpha Council", HOSTILE, "Zeta Fire and Rescue Service of the Very Long Name District"]


def northshire() -> dict[str, Any]:
    """The bundled example partnership's result (12 organisations)."""
    dataset, _ = read_files(
        EXAMPLE / "responses.csv", EXAMPLE / "relationships.csv", EXAMPLE / "organisations.csv"
    )
    return analyse_dataset(dataset)


def northshire_sectors() -> dict[str, str]:
    lines = (EXAMPLE / "organisations.csv").read_text("utf-8").splitlines()[1:]
    return {line.split(",")[0]: line.split(",")[1] for line in lines}


def small_partnership() -> dict[str, Any]:
    """Three own units (one with a hostile name), and three organisations merged.

    Delta and Epsilon have two respondents each; together (4) they are fewer
    than k = 5, so Gamma Police (5, the smallest own unit) is merged too.
    """
    sizes = {"Alpha Council": (8, 4), HOSTILE: (7, 2), OWN[2]: (6, 3)}
    sizes |= {"Gamma Police": (5, 3), "Delta Tiny Charity": (2, 4), "Epsilon Small Group": (2, 4)}
    spread = {OWN[2]: {"CASE1": 5, "CASE2": 5, "TRUST1": 5, "STRAIN1": 1, "STRAIN2": 1}}
    responses = []
    for name, (count, answer) in sizes.items():
        cells = spread.get(name, {})
        responses += org_respondents(name, count, answer, prefix=f"r{len(responses)}", **cells)
    ratings = []
    for row in responses:
        for partner in sizes:
            if partner != row["organisation"]:
                trust = 1 + (len(partner) + len(row["organisation"])) % 4
                ratings.append(rating(row["respondent_id"], row["organisation"], partner, 3, trust))
    return result(responses, ratings)


def no_results() -> dict[str, Any]:
    """Three respondents in all: fewer than k, so there are no results."""
    responses = org_respondents("Alpha Council", 2, 4) + org_respondents("Beta Trust", 1, 2)
    return result(responses)


def one_unit() -> dict[str, Any]:
    """One organisation, five respondents, no relationship ratings."""
    return result(org_respondents("Alpha Council", 5, 4))


def all_null(base: dict[str, Any]) -> dict[str, Any]:
    """A copy of `base` with every score and interval withheld."""
    nulled = copy.deepcopy(base)
    levels = [nulled["partnership"], *nulled["units"]]
    for level in levels:
        level.update(momentum=None, strain=None, position=None, alignment=None)
        for figure in level["scales"].values():
            figure.update(
                score=None, ci_low=None, ci_high=None, band=None, reason="too_few_answers"
            )
    for gap in nulled["perception_gaps"]:
        gap.update(self_commit=None, gap=None, flagged=False)
    return nulled


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def assert_accessible_svg(chart: Chart) -> None:
    """role="img", labelled by its own <title> and <desc>, a viewBox, nothing external."""
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox", ""))
    assert root.get("width") is None and root.get("height") is None
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text == chart.title
    assert desc is not None and desc.get("id") == desc_id and desc.text == chart.description
    assert "sans-serif" in root.get("font-family", "")
    for element in root.iter():
        assert not element.tag.endswith("script")
        assert not element.tag.endswith("image")
        assert not element.tag.endswith("foreignObject")
        assert "href" not in "".join(element.keys())


def texts(chart: Chart) -> list[str]:
    """Every piece of text drawn in the chart."""
    return ["".join(t.itertext()) for t in parse(chart).iter(f"{SVG}text")]


def everything(chart: Chart) -> str:
    """All a reader can see or hear of a chart: SVG text, tooltips, description, tables."""
    cells = [
        cell
        for table in chart.tables
        for row in (table.headers, *table.rows)
        for cell in (table.caption, *row)
    ]
    return "\n".join([*texts(chart), chart.svg, chart.description, *cells])


def table_row(chart: Chart, first_cell: str) -> dict[str, str]:
    for row in chart.table.rows:
        if row[0] == first_cell:
            return dict(zip(chart.table.headers, row, strict=True))
    raise AssertionError(f"no row {first_cell!r} in {chart.id}'s table")


def synthetic(folder: Path, organisations: int, respondents: int) -> dict[str, Any]:
    """The result of a synthetic partnership (`joinedup synth`), written to `folder`."""
    from joinedup.analysis.synth import SynthSpec, generate, write

    write(generate(SynthSpec(organisations=organisations, respondents=respondents)), folder)
    dataset, _ = read_files(
        folder / "responses.csv", folder / "relationships.csv", folder / "organisations.csv"
    )
    return analyse_dataset(dataset)


def word_boxes(document: bytes, folder: Path) -> str:
    """`pdftotext -bbox` of a PDF: every word with its box, page by page (poppler-utils)."""
    path = folder / "boxes.pdf"
    path.write_bytes(document)
    return subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# An action plan's status as the web app passes it to the report (ReportOptions.plan).
PLAN = {
    "total": 2,
    "by_status": [{"label": "Not started", "count": 1}, {"label": "Done", "count": 1}],
    "overdue": 1,
    "met": 0,
    "checked": 1,
    "rows": [
        {
            "title": "Meet the voluntary sector <quarterly>",
            "area": "Conversations",
            "owner": "A & B",
            "due": "1 March 2027",
            "overdue": True,
            "status": "Not started",
            "measure": "Trust",
            "outcome": "not met",
        }
    ],
}
