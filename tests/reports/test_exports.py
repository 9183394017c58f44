"""The Excel export: sheets, figures as real numbers, and a workbook people can read.

The results exported here are built by the analysis core from rows (tests/factories.py),
so every figure checked comes from a real `joinedup.analysis/1` result. The builders are
shared by the other export tests (CSV, GraphML, safety).
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from joinedup.analysis import to_json
from joinedup.analysis.vocabulary import ALIGNMENTS, MOMENTUM, POSITIONS, PULL
from joinedup.reports.exports import to_xlsx
from tests.factories import ITEMS, rating, response, result

COUNCIL = "Northshire Council"
NHS = "Northshire NHS Trust"
POLICE = "Riverside Police"
TINY = "Tiny Trust"  # merged into "Other organisations"
SMALL = "Small Charity"  # merged too, and not connected to anyone
SIZES = {COUNCIL: 8, NHS: 6, POLICE: 5, TINY: 2, SMALL: 3}
MERGED = (SMALL, TINY)
SECTORS = {COUNCIL: "local_government", NHS: "health", POLICE: "police", TINY: "voluntary"}
ROLES = ("executive", "manager", "practitioner")
PRIVATE = "A private remark only three people made"
THEMES = ("Shared plan for housing", "Waiting times in emergency care", "Safer streets together")

SHEETS = [
    "Summary",
    "Scales",
    "Units",
    "Roles",
    "Positions",
    "Reliability",
    "Network ties",
    "Members",
    "Flags",
    "Perception gaps",
    "Recommendations",
    "Strengths",
    "Text themes",
    "Text answers",
    "About",
]


def _round(label: str, shift: int) -> list[dict[str, str]]:
    """Respondents of every organisation, their answers varied item by item."""
    rows = []
    for organisation, size in SIZES.items():
        for i in range(size):
            answers = {code: 1 + (3 * i + j + shift) % 5 for j, code in enumerate(ITEMS)}
            cells: dict[str, Any] = answers | {"TEXT_IMPORTANT": THEMES[i % 3]}
            if organisation == COUNCIL and i < 3:
                cells["TEXT_OTHER"] = PRIVATE  # three answers: fewer than 10, never shown
            rows.append(
                response(
                    f"{organisation}-{i}",
                    organisation,
                    # One senior manager: a role group too small to stand alone.
                    role="senior_manager" if (organisation, i) == (COUNCIL, 7) else ROLES[i % 3],
                    round=label,
                    **cells,
                )
            )
    return rows


def _ratings(label: str) -> list[dict[str, str]]:
    """Council and NHS rate each other (shown, one-sided trust); two ties not shown.

    Council -> Police has one rater (fewer than 2); Tiny -> Council has two, but
    Tiny is merged into "Other organisations", so its view is never shown (SPEC §4.4).
    """
    return [
        rating(f"{COUNCIL}-0", COUNCIL, NHS, round=label, reliable=4, open=4, purpose=4),
        rating(f"{COUNCIL}-1", COUNCIL, NHS, round=label),
        rating(f"{NHS}-0", NHS, COUNCIL, value=2, round=label),
        rating(f"{NHS}-1", NHS, COUNCIL, value=1, round=label),
        rating(f"{COUNCIL}-2", COUNCIL, POLICE, round=label),  # one rater: not shown
        rating(f"{POLICE}-0", POLICE, TINY, round=label),
        rating(f"{POLICE}-1", POLICE, TINY, value=4, round=label),
        rating(f"{TINY}-0", TINY, COUNCIL, round=label),  # merged: not shown
        rating(f"{TINY}-1", TINY, COUNCIL, value=1, round=label),
    ]


@cache
def _partnership_json() -> str:
    rows = _round("2024", 1) + _round("2025", 0)
    return to_json(result(rows, _ratings("2024") + _ratings("2025"), min_tie_raters=2))


def partnership() -> dict[str, Any]:
    """Two rounds of five organisations, two of them merged, with ties shown and hidden.

    Read back from JSON, as the web app and the API store it.
    """
    return json.loads(_partnership_json())


def no_results() -> dict[str, Any]:
    """Three respondents in all: fewer than k, so no figures at all."""
    rows = [response(f"r{i}", name) for i, name in enumerate([COUNCIL, NHS, POLICE])]
    return result(rows, [rating("r0", COUNCIL, NHS)])


def exactly(value: float | None) -> Any:
    """A figure as a workbook holds it: 16 significant digits (Excel keeps 15)."""
    return None if value is None else pytest.approx(value, rel=1e-15)


def workbook(outcome: dict[str, Any], sectors: dict[str, str] | None = None) -> Any:
    """The exported workbook, read back with openpyxl."""
    buffer = io.BytesIO()
    to_xlsx(outcome, buffer, sectors)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def records(sheet: Worksheet) -> list[dict[str, Any]]:
    """A table sheet's rows as dicts keyed by the header row."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def summary(sheet: Worksheet) -> dict[str, Any]:
    """The Summary sheet's items and values."""
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


# ------------------------------------------------------------------ tests


def test_the_workbook_has_every_sheet_in_order() -> None:
    assert workbook(partnership()).sheetnames == SHEETS


def test_the_workbook_saves_to_a_path_too(tmp_path: Any) -> None:
    path = tmp_path / "result.xlsx"
    to_xlsx(partnership(), path, SECTORS)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS


def test_partnership_scale_scores_are_the_results_numbers_unrounded() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Scales"])
    assert [row["Scale"] for row in rows] == list(outcome["partnership"]["scales"])
    for row in rows:
        figure = outcome["partnership"]["scales"][row["Scale"]]
        assert row["Score (0-100)"] == exactly(figure["score"])
        assert row["95% interval: low"] == exactly(figure["ci_low"])
        assert row["95% interval: high"] == exactly(figure["ci_high"])
        assert row["Answered (n)"] == figure["n"]
        assert row["Units (n_units)"] == figure["n_units"]
        assert row["Band"] == figure["band"].capitalize()


def test_the_scales_sheet_carries_the_trend() -> None:
    outcome = partnership()
    trend = outcome["trend"]["partnership"]["scales"]
    for row in records(workbook(outcome)["Scales"]):
        change = trend[row["Scale"]]
        assert row["Previous round"] == exactly(change["previous"])
        assert row["Change"] == exactly(change["change"])
        assert row["p (Welch)"] == exactly(change["p"])
        assert (
            row["Significant (p < 0.05)"]
            == {True: "yes", False: "no", None: None}[change["significant"]]
        )


def test_without_a_trend_there_are_no_trend_columns() -> None:
    outcome = partnership() | {"trend": None}
    header = next(workbook(outcome)["Scales"].iter_rows(values_only=True))
    assert "Previous round" not in header and "Change" not in header


def test_units_have_one_row_per_unit_per_scale_with_their_figures() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Units"])
    scales = list(outcome["partnership"]["scales"])
    assert len(rows) == len(outcome["units"]) * len(scales)
    by_key = {(row["Unit"], row["Scale"]): row for row in rows}
    for unit in outcome["units"]:
        for code, figure in unit["scales"].items():
            row = by_key[(unit["name"], code)]
            assert row["Combined"] == ("yes" if unit["combined"] else "no")
            assert row["Organisations"] == "; ".join(unit["organisations"])
            assert row["Respondents in group"] == unit["n"]
            assert row["Score (0-100)"] == exactly(figure["score"])
            assert row["95% interval: low"] == exactly(figure["ci_low"])
            assert row["95% interval: high"] == exactly(figure["ci_high"])
            assert row["Answered (n)"] == figure["n"]
            assert row["Agreement (rwg)"] == exactly(figure["rwg"])


def test_the_combined_unit_is_one_row_per_scale_naming_its_organisations() -> None:
    rows = records(workbook(partnership())["Units"])
    combined = [row for row in rows if row["Combined"] == "yes"]
    assert {row["Unit"] for row in combined} == {"Other organisations"}
    assert {row["Organisations"] for row in combined} == {"; ".join(MERGED)}


def test_role_groups_are_labelled_and_carry_their_figures() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Roles"])
    assert len(rows) == len(outcome["roles"]) * len(outcome["partnership"]["scales"])
    executive = next(r for r in outcome["roles"] if r["name"] == "executive")
    row = next(
        r
        for r in rows
        if r["Role group"] == "Chief executive or executive director" and r["Scale"] == "TRUST"
    )
    assert row["Score (0-100)"] == exactly(executive["scales"]["TRUST"]["score"])
    assert row["Respondents in group"] == executive["n"]
    assert "Agreement (rwg)" not in row  # rwg is worked for units only
    other = [r for r in rows if r["Role group"] == "Other roles"]
    assert {(r["Combined"], r["Roles"]) for r in other} == {
        ("yes", "Practitioner or front-line staff; Senior manager")
    }


def test_positions_give_momentum_strain_and_plain_words_per_level() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Positions"])
    first = rows[0]
    assert (first["Level"], first["Group"]) == ("partnership", "Partnership")
    assert first[f"{MOMENTUM} (0-100)"] == exactly(outcome["partnership"]["momentum"])
    assert first[f"{PULL} (0-100)"] == exactly(outcome["partnership"]["strain"])
    assert first["Respondents"] == outcome["respondents"]
    assert [row["Level"] for row in rows].count("unit") == len(outcome["units"])
    assert [row["Level"] for row in rows].count("role") == len(outcome["roles"])


def test_reliability_network_and_gaps_carry_the_results_figures() -> None:
    outcome = partnership()
    book = workbook(outcome, SECTORS)
    reliability = {row["Scale"]: row for row in records(book["Reliability"])}
    for code, figure in outcome["reliability"].items():
        assert reliability[code]["Cronbach's alpha"] == exactly(figure["alpha"])
        assert reliability[code]["Respondents answering every item"] == figure["n_complete"]
        assert reliability[code]["ICC(1)"] == exactly(figure["icc1"])
    ties = records(book["Network ties"])
    assert len(ties) == len(outcome["network"]["ties"])
    for row, tie in zip(ties, outcome["network"]["ties"], strict=True):
        # A merged organisation's tie exists, with no figure of its own: not even raters.
        raters = None if tie["from"] in MERGED else tie["raters"]
        assert (row["From"], row["To"], row["Raters"]) == (tie["from"], tie["to"], raters)
        assert row["Shown"] == ("yes" if tie["shown"] else "no")
        assert row["Trust (0-100)"] == exactly(tie["trust"])
    members = {row["Organisation"]: row for row in records(book["Members"])}
    assert members[COUNCIL]["Sector"] == "Local government"
    assert members[SMALL]["Sector"] is None
    for member in outcome["network"]["members"]:
        assert members[member["organisation"]]["Value received"] == exactly(
            member["value_received"]
        )
        assert members[member["organisation"]]["Degree"] == member["degree"]
    flags = records(book["Flags"])
    assert {(f["Flag"], f["Organisation A"], f["Organisation B"]) for f in flags} >= {
        ("One-sided trust", COUNCIL, NHS)
    }
    assert ("Not connected", SMALL) in {(f["Flag"], f["Organisation"]) for f in flags}
    gaps = records(book["Perception gaps"])
    assert [g["Organisation"] for g in gaps] == [
        g["organisation"] for g in outcome["perception_gaps"]
    ]
    assert [g["Gap"] for g in gaps] == [exactly(g["gap"]) for g in outcome["perception_gaps"]]


def test_recommendations_read_as_text() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Recommendations"])
    assert len(rows) == len(outcome["recommendations"]) > 0
    for row, entry in zip(rows, outcome["recommendations"], strict=True):
        assert row["Priority"] == entry["priority"]
        assert row["Action"] == entry["title"]
        assert row["Why"] == "\n".join(entry["why"])
        assert row["Steps"].startswith("1. " + entry["steps"][0])
        assert row["Questions to discuss"] == ("\n".join(entry["questions"]) or None)


def test_text_themes_are_exported_for_shown_questions() -> None:
    outcome = partnership()
    rows = records(workbook(outcome)["Text themes"])
    themes = outcome["text"]["TEXT_IMPORTANT"]["themes"]
    assert [(r["Question"], r["Theme"], r["Answers"]) for r in rows] == [
        ("TEXT_IMPORTANT", t["label"], t["count"]) for t in themes
    ]
    assert [row["Examples"] for row in rows] == ["\n".join(t["examples"]) for t in themes]
    assert {row["Examples"] for row in rows} == set(THEMES)


def test_the_summary_says_where_the_partnership_stands_in_plain_english() -> None:
    outcome = partnership()
    items = summary(workbook(outcome)["Summary"])
    assert items["Round"] == "2025"
    assert items["Respondents"] == outcome["respondents"]
    assert items["Position"] == POSITIONS[outcome["partnership"]["position"]]
    assert items["Alignment"] == ALIGNMENTS[outcome["partnership"]["alignment"]]
    assert items[f"{MOMENTUM} (0-100)"] == exactly(outcome["partnership"]["momentum"])
    assert items[f"{PULL} (0-100)"] == exactly(outcome["partnership"]["strain"])
    assert items["Compared with"] == "2024"
    assert items["Combined as \u201cOther organisations\u201d"] == "; ".join(MERGED)
    assert items["Combined as \u201cOther roles\u201d"] == (
        "Practitioner or front-line staff; Senior manager"
    )
    assert items["min_group_size"] == 5 and items["min_tie_raters"] == 2


def test_every_figure_is_a_number_and_no_number_is_stored_as_text() -> None:
    book = workbook(partnership(), SECTORS)
    labels = {"2024", "2025"}  # round labels are text, whatever they look like
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float):
                    numbers += 1
                    assert cell.data_type == "n"
                elif isinstance(cell.value, str) and cell.value not in labels:
                    with pytest.raises(ValueError):
                        float(cell.value)
    assert numbers > 500


def test_numbers_are_rounded_for_display_only_by_number_formats() -> None:
    book = workbook(partnership())
    scales = book["Scales"]
    header = [cell.value for cell in scales[1]]
    score = scales.cell(row=2, column=header.index("Score (0-100)") + 1)
    n = scales.cell(row=2, column=header.index("Answered (n)") + 1)
    assert score.number_format == "0.0" and score.value != round(score.value, 1)
    assert n.number_format == "0"


def test_every_sheet_has_a_bold_frozen_header_and_sized_columns() -> None:
    for sheet in workbook(partnership()).worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        header = [cell for cell in sheet[1] if cell.value is not None]
        assert header and all(cell.font.b for cell in header), sheet.title
        for index, cell in enumerate(header, start=1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert width >= min(len(str(cell.value)), 40), (sheet.title, cell.value)


def test_the_about_sheet_explains_the_figures() -> None:
    about = " ".join(
        str(row[0]) for row in workbook(partnership())["About"].iter_rows(values_only=True)
    )
    for words in ("0 to 100", "Other organisations", "rwg", "Welch", "apostrophe"):
        assert words in about


def test_a_result_with_no_results_at_all_exports_and_says_so() -> None:
    outcome = no_results()
    assert outcome["partnership"]["reason"] == "too_few_respondents"
    book = workbook(outcome)
    assert book.sheetnames == SHEETS
    assert summary(book["Summary"])["Results"].startswith("No results")
    assert records(book["Units"]) == [] and records(book["Roles"]) == []
    scales = records(book["Scales"])
    assert all(row["Score (0-100)"] is None for row in scales)
    assert {row["Why not shown"] for row in scales} == {
        "Not shown: fewer than 5 respondents answered"
    }
    assert len(records(book["Network ties"])) == 1


def test_a_partial_stored_result_still_exports() -> None:
    book = workbook({"schema": "joinedup.analysis/1", "respondents": 0})
    assert book.sheetnames == SHEETS
