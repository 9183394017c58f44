"""The CSV export: tidy files Excel and analysts' tools open correctly, and the zip of them."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from joinedup.reports.exports import to_csv, to_csv_zip
from tests.reports.test_exports import MERGED, SECTORS, no_results, partnership

CSV_FILES = [
    "summary.csv",
    "scores.csv",
    "groups.csv",
    "trend.csv",
    "reliability.csv",
    "ties.csv",
    "members.csv",
    "flags.csv",
    "perception_gaps.csv",
    "recommendations.csv",
    "text_themes.csv",
    "text_answers.csv",
]
FILES = [*CSV_FILES, "README.txt"]  # README.txt says what each file and column holds
SCORES_HEADER = [
    "level",
    "group",
    "combined",
    "scale",
    "score",
    "ci_low",
    "ci_high",
    "n",
    "band",
    "rwg",
    "reason",
]


def read(path: Path) -> list[dict[str, str]]:
    """A CSV file as Excel would read it: UTF-8 with a byte-order mark."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def exported(outcome: dict[str, Any], folder: Path) -> dict[str, list[dict[str, str]]]:
    return {
        path.name: read(path) for path in to_csv(outcome, folder, SECTORS) if path.suffix == ".csv"
    }


def test_every_file_is_written_and_returned(tmp_path: Path) -> None:
    paths = to_csv(partnership(), tmp_path / "new" / "folder")
    assert [path.name for path in paths] == FILES
    assert all(path.is_file() for path in paths)


def test_every_file_starts_with_a_byte_order_mark_so_excel_reads_utf8(tmp_path: Path) -> None:
    for path in to_csv(partnership(), tmp_path):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
        path.read_bytes().decode("utf-8-sig")


def test_scores_are_tidy_one_row_per_level_group_and_scale(tmp_path: Path) -> None:
    outcome = partnership()
    path = tmp_path / "scores.csv"
    to_csv(outcome, tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == SCORES_HEADER
    rows = read(path)
    scales = list(outcome["partnership"]["scales"])
    groups = 1 + len(outcome["units"]) + len(outcome["roles"])
    assert len(rows) == groups * len(scales)
    keys = [(row["level"], row["group"], row["scale"]) for row in rows]
    assert len(set(keys)) == len(keys)
    assert {row["level"] for row in rows} == {"partnership", "unit", "role"}


def test_scores_carry_the_results_figures_unrounded(tmp_path: Path) -> None:
    outcome = partnership()
    rows = {
        (r["level"], r["group"], r["scale"]): r for r in exported(outcome, tmp_path)["scores.csv"]
    }
    for code, figure in outcome["partnership"]["scales"].items():
        row = rows[("partnership", "Partnership", code)]
        assert number(row["score"]) == figure["score"]
        assert number(row["ci_low"]) == figure["ci_low"]
        assert int(row["n"]) == figure["n"]
        assert row["band"] == figure["band"]
        assert row["combined"] == "false" and row["rwg"] == ""
    for unit in outcome["units"]:
        for code, figure in unit["scales"].items():
            row = rows[("unit", unit["name"], code)]
            assert row["combined"] == ("true" if unit["combined"] else "false")
            assert number(row["score"]) == figure["score"]
            assert number(row["ci_high"]) == figure["ci_high"]
            assert number(row["rwg"]) == figure["rwg"]
            assert row["reason"] == (figure["reason"] or "")
    for role in outcome["roles"]:
        row = rows[("role", role["name"], "CASE")]
        assert number(row["score"]) == role["scales"]["CASE"]["score"]


def test_groups_name_the_organisations_of_the_combined_unit(tmp_path: Path) -> None:
    outcome = partnership()
    rows = exported(outcome, tmp_path)["groups.csv"]
    combined = [row for row in rows if row["combined"] == "true"]
    assert [(row["level"], row["group"], row["members"]) for row in combined] == [
        ("unit", "Other organisations", "; ".join(MERGED)),
        ("role", "Other roles", "practitioner; senior_manager"),
    ]
    first = rows[0]
    assert (first["level"], first["position"]) == (
        "partnership",
        outcome["partnership"]["position"],
    )
    assert number(first["momentum"]) == outcome["partnership"]["momentum"]


def test_network_files_carry_ties_members_and_flags(tmp_path: Path) -> None:
    outcome = partnership()
    files = exported(outcome, tmp_path)
    ties = files["ties.csv"]
    assert len(ties) == len(outcome["network"]["ties"])
    for row, tie in zip(ties, outcome["network"]["ties"], strict=True):
        raters = "" if tie["from"] in MERGED else str(tie["raters"])
        assert (row["from"], row["to"], row["raters"]) == (tie["from"], tie["to"], raters)
        assert row["shown"] == ("true" if tie["shown"] else "false")
        assert number(row["trust"]) == (tie["trust"] if tie["shown"] else None)
        assert number(row["value"]) == (tie["value"] if tie["shown"] else None)
    assert any(row["shown"] == "false" for row in ties)
    members = {row["organisation"]: row for row in files["members.csv"]}
    assert members["Northshire Council"]["sector"] == "local_government"
    for member in outcome["network"]["members"]:
        assert number(members[member["organisation"]]["trust_received"]) == member["trust_received"]
    assert [row["type"] for row in files["flags.csv"]] == [
        flag["type"] for flag in outcome["network"]["flags"]
    ]
    gaps = files["perception_gaps.csv"]
    assert [number(row["gap"]) for row in gaps] == [g["gap"] for g in outcome["perception_gaps"]]


def test_trend_text_and_summary_files(tmp_path: Path) -> None:
    outcome = partnership()
    files = exported(outcome, tmp_path)
    trend = {(r["level"], r["group"], r["measure"]): r for r in files["trend.csv"]}
    change = outcome["trend"]["partnership"]["scales"]["TRUST"]
    assert number(trend[("partnership", "Partnership", "TRUST")]["change"]) == change["change"]
    momentum = outcome["trend"]["partnership"]["momentum"]
    assert number(trend[("partnership", "Partnership", "momentum")]["previous"]) == pytest.approx(
        momentum["previous"]
    )
    themes = outcome["text"]["TEXT_IMPORTANT"]["themes"]
    assert [(r["question"], r["theme"], int(r["count"])) for r in files["text_themes.csv"]] == [
        ("TEXT_IMPORTANT", t["label"], t["count"]) for t in themes
    ]
    assert len(files["text_answers.csv"]) == len(outcome["text"]["TEXT_IMPORTANT"]["answers"])
    summary = {row["measure"]: row["value"] for row in files["summary.csv"]}
    assert summary["round"] == "2025" and summary["previous_round"] == "2024"
    assert summary["min_tie_raters"] == "2"
    assert summary["position"] == outcome["partnership"]["position"]


def test_the_zip_holds_the_same_files_byte_for_byte(tmp_path: Path) -> None:
    outcome = partnership()
    paths = to_csv(outcome, tmp_path)
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(outcome))) as archive:
        assert archive.namelist() == FILES
        for path in paths:
            assert archive.read(path.name) == path.read_bytes()


def test_a_result_with_no_results_at_all_exports_every_file(tmp_path: Path) -> None:
    files = exported(no_results(), tmp_path)
    assert list(files) == CSV_FILES
    scores = files["scores.csv"]
    assert [row["level"] for row in scores] == ["partnership"] * 9
    assert all(row["score"] == "" and row["reason"] == "too_few_answers" for row in scores)
    summary = {row["measure"]: row["value"] for row in files["summary.csv"]}
    assert summary["reason"] == "too_few_respondents"
    assert files["trend.csv"] == [] and files["text_themes.csv"] == []
    assert len(files["ties.csv"]) == 1
