"""Exports take figures of single organisations only for organisations reported on their own.

A stored result is read defensively: whatever else it lists (a perception gap or a trend
entry for an organisation merged into "Other organisations", or for a name that is no
reporting unit at all), the workbook and the CSV files show figures only for this round's
own units (SPEC §3.5), as the perception-gaps chart does.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from joinedup.reports import exports, perception_gaps
from tests.reports.test_exports import MERGED, partnership, records, workbook
from tests.reports.test_exports_csv import exported

STRANGER = "Not A Unit Anywhere"


def tampered() -> dict[str, Any]:
    """The two-round partnership, its result listing figures for merged organisations."""
    outcome = copy.deepcopy(partnership())
    gap = {"self_commit": 90.0, "value_received": 10.0, "gap": 80.0, "flagged": True}
    outcome["perception_gaps"] += [
        {"organisation": name} | gap for name in (*MERGED, STRANGER, f"  {MERGED[0].upper()} ")
    ]
    change = {"previous": 12.0, "change": 34.0, "p": 0.01, "significant": True}
    outcome["trend"]["units"] += [
        {"name": name, "scales": {"CASE": change}, "momentum": change}
        for name in (*MERGED, STRANGER)
    ]
    return outcome


def test_the_workbook_gives_no_figure_to_an_organisation_that_is_not_its_own_unit() -> None:
    outcome = tampered()
    own = {u["name"] for u in outcome["units"] if not u["combined"]}
    gaps = records(workbook(outcome)["Perception gaps"])
    assert gaps and {row["Organisation"] for row in gaps} <= own
    for name in (*MERGED, STRANGER):
        assert all(name.casefold() not in str(row["Organisation"]).casefold() for row in gaps)


def test_csv_files_give_no_figure_to_an_organisation_that_is_not_its_own_unit(
    tmp_path: Path,
) -> None:
    outcome = tampered()
    units = {u["name"] for u in outcome["units"]}
    files = exported(outcome, tmp_path)
    assert {row["organisation"] for row in files["perception_gaps.csv"]} <= units
    trend_groups = {row["group"] for row in files["trend.csv"] if row["level"] == "unit"}
    assert trend_groups and trend_groups <= units
    for name in (*MERGED, STRANGER):
        assert name not in trend_groups


def test_the_export_and_the_chart_agree_on_whose_gaps_are_shown(tmp_path: Path) -> None:
    outcome = tampered()
    chart_rows = {row[0] for row in perception_gaps(outcome).table.rows}
    files = exported(outcome, tmp_path)
    assert {row["organisation"] for row in files["perception_gaps.csv"]} == chart_rows


def test_a_result_without_units_exports_no_perception_gap(tmp_path: Path) -> None:
    outcome = tampered()
    outcome["units"] = []  # say, a stored result cut short
    assert records(workbook(outcome)["Perception gaps"]) == []
    assert exported(outcome, tmp_path)["perception_gaps.csv"] == []


def test_public_names_are_still_importable_from_exports() -> None:
    for name in exports.__all__:
        assert getattr(exports, name) is not None
    assert exports.neutralise("=1") == "'=1"
