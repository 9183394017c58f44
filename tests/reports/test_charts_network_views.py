"""The network's narrower views: strongest ties and flagged pairs, and one organisation's own."""

from __future__ import annotations

import html
import re
from typing import Any

from joinedup.reports import network_map
from joinedup.reports.charts.network import strongest_ties
from tests.reports.support import MERGED, OWN

LINE = re.compile(r"<line\b")


def shown_ties(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in result["network"]["ties"] if t["shown"] and t["trust"] is not None]


def tie_rows(chart: Any) -> set[str]:
    table = next((t for t in chart.extra_tables if t.caption.startswith("Each tie")), None)
    return {row[0] for row in table.rows} if table else set()


def test_the_strongest_view_keeps_each_organisations_top_ties_and_every_flagged_pair(
    small: dict[str, Any],
) -> None:
    chart = network_map(small, strongest=1)
    network = small["network"]
    chosen = strongest_ties(network["ties"], network["flags"], 1)
    kept = {f"{t['from']} → {t['to']}" for t in chosen}
    by_rater: dict[str, list[dict[str, Any]]] = {}
    for tie in shown_ties(small):
        by_rater.setdefault(tie["from"], []).append(tie)
    for rater, ties in by_rater.items():
        best = max(ties, key=lambda t: (t["trust"], [-ord(c) for c in t["to"].casefold()]))
        assert f"{rater} → {best['to']}" in kept
    flagged = [f for f in small["network"]["flags"] if f["type"] != "isolate"]
    for flag in flagged:
        assert f"{flag['a']} → {flag['b']}" in kept or f"{flag['b']} → {flag['a']}" in kept
    full = network_map(small)
    assert len(kept) < len(tie_rows(full))
    assert chart.title == "The strongest ties, and the pairs to look at"
    assert chart.description.startswith(f"This view keeps {len(kept)} ties of")


def test_at_forty_organisations_the_strongest_view_draws_a_tenth_of_the_lines(
    forty: dict[str, Any],
) -> None:
    full = network_map(forty)
    strongest = network_map(forty, strongest=3)
    assert len(LINE.findall(strongest.svg)) * 5 < len(LINE.findall(full.svg))


def test_the_focus_view_draws_only_one_organisations_own_ties(small: dict[str, Any]) -> None:
    focus = OWN[0]
    chart = network_map(small, focus=f"  {focus.upper()} ")
    assert chart.title.startswith(f"{focus}:")
    for row in tie_rows(chart):
        rater, rated = row.split(" → ")
        assert focus in (rater, rated)
    partners = {t["to"] for t in small["network"]["ties"] if t["from"] == focus}
    partners |= {t["from"] for t in small["network"]["ties"] if t["to"] == focus}
    assert {row[0] for row in chart.table.rows} == partners | {focus}


def test_focus_on_a_merged_organisation_still_never_shows_its_view_of_partners(
    small: dict[str, Any],
) -> None:
    # A partner lead of a merged organisation opens its own view: the lines
    # from it exist, but its trust and value given are never shown.
    chart = network_map(small, focus=MERGED[0])
    for row in chart.table.rows:
        if row[0] == MERGED[0]:
            assert row[3] == "–" and row[5] == "–"  # trust given, value given
    for tie in tie_rows(chart):
        assert tie.startswith(MERGED[0]) or MERGED[0] in tie
    own_view = next(t for t in chart.extra_tables if t.caption.startswith("Each tie"))
    for label, trust, value in own_view.rows:
        if label.startswith(f"{MERGED[0]} →"):
            assert (trust, value) == ("not shown", "not shown")


def test_an_unknown_organisation_gets_a_chart_that_says_so(small: dict[str, Any]) -> None:
    chart = network_map(small, focus="Nobody Trust")
    assert "no organisation called Nobody Trust is in the network" in chart.description


def test_names_are_shown_in_full_on_a_forty_organisation_map(forty: dict[str, Any]) -> None:
    chart = network_map(forty)
    for name in forty["network"]["organisations"]:
        drawn = html.unescape(chart.svg)
        assert f">{name}<" in drawn, name
    assert "…" not in chart.svg


def test_betweenness_is_a_percentage_that_is_not_zero_for_everyone(forty: dict[str, Any]) -> None:
    chart = network_map(forty)
    column = chart.table.headers.index("Betweenness (% of shortest paths through it)")
    values = [row[column] for row in chart.table.rows]
    assert all(v.endswith("%") for v in values)
    assert len({v for v in values if v not in {"0%", "–"}}) > 5
