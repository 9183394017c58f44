"""The HTML report for partnerships at the edges, and figures that agree with the charts."""

from __future__ import annotations

import copy
import re
from typing import Any

from joinedup.analysis.vocabulary import POSITIONS
from joinedup.reports.report import render_html
from tests.reports import support
from tests.reports.test_exports import partnership


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def test_a_partnership_of_one_organisation_gets_a_report_without_network_figures() -> None:
    outcome = support.one_unit()
    assert outcome["network"]["density"] is None  # one organisation: no possible tie
    network = _section(render_html(outcome), "network")
    assert "Density – of possible ties; reciprocity –; mean trust –, mean value –." in network


def test_network_shares_are_whole_percentages(northshire: dict[str, Any]) -> None:
    outcome = copy.deepcopy(northshire)
    outcome["network"] |= {"density": 0.4251, "reciprocity": 0.5}
    network = _section(render_html(outcome), "network")
    assert "Density 43% of possible ties; reciprocity 50%;" in network


def test_each_organisation_lists_its_scores_by_scale_name(northshire: dict[str, Any]) -> None:
    units = _section(render_html(northshire), "units")
    names = re.findall(r'<span class="unit-scores__name">([^<]*)</span>', units)
    assert names and all(name.strip("*") for name in names)
    assert "Strain*" in names and "Case for collaboration" in names


def test_the_report_rounds_a_figure_as_its_charts_do(northshire: dict[str, Any]) -> None:
    outcome = copy.deepcopy(northshire)
    outcome["partnership"]["momentum"] = 66.5  # half-way: people (and charts) round up
    summary = _section(render_html(outcome), "summary")
    assert '<span class="key-figure__value">67</span>' in summary


def test_the_trend_names_the_positions_in_words() -> None:
    outcome = partnership()
    position = outcome["trend"]["partnership"]["position"]
    trend = _section(render_html(outcome), "trend")
    assert f"Then: {POSITIONS[position['previous']]}." in trend
    assert f"Now: {POSITIONS[position['current']]}." in trend
