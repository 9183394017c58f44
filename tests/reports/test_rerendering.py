"""Rendering a saved result again keeps what it had; every export joins on organisation codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from joinedup.cli import main
from joinedup.reports.exports import to_csv_zip
from tests.factories import org_respondents, rating, result, write_csv

HOSTILE = "=Ashby Council"  # a name a spreadsheet would run as a formula


@pytest.fixture
def analysed(tmp_path: Path) -> Path:
    """A saved result of two organisations with sectors, one named like a formula."""
    rows = org_respondents(HOSTILE, 6, 4) + org_respondents("Bexley Health", 6, 2)
    ratings = [rating(f"{HOSTILE}-{i}", HOSTILE, "Bexley Health", 3, 3) for i in range(6)]
    ratings += [rating(f"Bexley Health-{i}", "Bexley Health", HOSTILE, 3, 2) for i in range(6)]
    responses = write_csv(tmp_path / "responses.csv", rows)
    relationships = write_csv(tmp_path / "relationships.csv", ratings)
    organisations = write_csv(
        tmp_path / "organisations.csv",
        [{"organisation": HOSTILE, "sector": "local_government"},
         {"organisation": "Bexley Health", "sector": "health"}],
    )  # fmt: skip
    saved = tmp_path / "result.json"
    code = main(["analyse", str(responses), "--relationships", str(relationships),
                 "--organisations", str(organisations), "--json", str(saved)])  # fmt: skip
    assert code == 0
    return saved


def test_the_result_remembers_the_sectors_it_was_analysed_with(analysed: Path) -> None:
    saved = json.loads(analysed.read_text("utf-8"))
    assert saved["sectors"] == {HOSTILE: "local_government", "Bexley Health": "health"}


def test_rendering_again_without_the_organisations_file_keeps_the_sectors(
    analysed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "again.graphml"
    workbook = tmp_path / "again.xlsx"
    assert main(["report", str(analysed), "--graphml", str(out), "--xlsx", str(workbook)]) == 0
    graph = nx.read_graphml(out)
    assert graph.nodes["Bexley Health"]["sector"] == "health"
    members = openpyxl.load_workbook(workbook)["Members"]
    header = [cell.value for cell in next(members.iter_rows(max_row=1))]
    sectors = {
        row[0]: row[header.index("Sector")] for row in members.iter_rows(2, values_only=True)
    }
    assert sectors["Bexley Health"] == "Health and care"  # the sector's label, as before


def test_the_title_reaches_every_output(analysed: Path, tmp_path: Path) -> None:
    title = "Riverside Together"
    out = tmp_path / "out"
    out.mkdir()
    code = main(["report", str(analysed), "--title", title,
                 "--html", str(out / "r.html"), "--pdf", str(out / "r.pdf"),
                 "--xlsx", str(out / "r.xlsx"), "--graphml", str(out / "r.graphml"),
                 "--csv", str(out / "csv")])  # fmt: skip
    assert code == 0
    assert title in (out / "r.html").read_text("utf-8")
    summary = openpyxl.load_workbook(out / "r.xlsx")["Summary"]
    assert ("Name", title) in {(row[0], row[1]) for row in summary.iter_rows(values_only=True)}
    assert nx.read_graphml(out / "r.graphml").graph["title"] == title
    rows = list(csv.DictReader(io.StringIO((out / "csv" / "summary.csv").read_text("utf-8-sig"))))
    assert {"measure": "title", "value": title} in rows
    assert title in (out / "csv" / "README.txt").read_text("utf-8-sig")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert title in text


def test_every_csv_column_is_described_in_the_readme() -> None:
    outcome = result(org_respondents("Ashby Council", 6, 4) + org_respondents("Bexley", 6, 2))
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(outcome))) as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
        for name in archive.namelist():
            if not name.endswith(".csv"):
                continue
            assert f"{name}: " in readme
            header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            section = readme.split(f"{name}: ", 1)[1].split("\n\n", 1)[0]
            for column in header:
                assert f"  {column}: " in section, (name, column)


def test_no_csv_cell_holds_a_line_break() -> None:
    rows = org_respondents("Ashby Council", 6, 4, TEXT_IMPORTANT="Housing\nfirst,\r\nthen care")
    rows += org_respondents("Bexley Health", 6, 2, TEXT_IMPORTANT="Discharge\rdelays")
    outcome = result(rows, min_text_group_size=2)
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(outcome))) as archive:
        answers = archive.read("text_answers.csv").decode("utf-8-sig")
    assert "Housing first, then care" in answers
    assert "\r" not in answers.replace("\r\n", "")  # only the line ends csv writes
    for line in answers.splitlines()[1:]:
        assert len(next(csv.reader([line]))) == len(answers.splitlines()[0].split(","))


def test_a_formula_like_name_still_joins_across_files_by_its_code(
    analysed: Path, tmp_path: Path
) -> None:
    # The CSV writes the name with a leading apostrophe, so it no longer matches the
    # GraphML and JSON name; its code is the same everywhere.
    out = tmp_path / "files"
    graphml = tmp_path / "r.graphml"
    assert main(["report", str(analysed), "--csv", str(out), "--graphml", str(graphml)]) == 0

    def table(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((out / name).read_text("utf-8-sig"))))

    members = {row["org_code"]: row["organisation"] for row in table("members.csv")}
    assert f"'{HOSTILE}" in members.values()  # neutralised in the spreadsheet file
    codes = {data["org_code"]: node for node, data in nx.read_graphml(graphml).nodes(data=True)}
    assert set(codes) == set(members)
    hostile_code = next(code for code, node in codes.items() if node == HOSTILE)
    assert members[hostile_code] == f"'{HOSTILE}"
    ties = table("ties.csv")
    assert {(t["from_code"], t["to_code"]) for t in ties} == {
        (hostile_code, next(c for c in codes if c != hostile_code)),
        (next(c for c in codes if c != hostile_code), hostile_code),
    }
    gaps = table("perception_gaps.csv")
    assert {row["org_code"] for row in gaps} <= set(members)
