"""No chart shows a figure for an organisation merged into "Other organisations" (SPEC §3.5).

Only the network map may name them, with what other organisations' shown ties
give them (trust and value received), never their own view of a partner
(SPEC §4.4; see test_revision2_outputs.py).
"""

from __future__ import annotations

from joinedup.reports import all_charts, network_map
from tests.reports import support


def test_the_fixture_merges_three_organisations(small):
    combined = [u for u in small["units"] if u["combined"]]
    assert len(combined) == 1
    assert sorted(combined[0]["organisations"]) == sorted(support.MERGED)
    assert all(name not in [u["name"] for u in small["units"]] for name in support.MERGED)


def test_merged_organisations_appear_in_no_chart_but_the_network(small):
    sectors = {name: "other" for name in small["network"]["organisations"]}
    for chart in all_charts(small, previous=small, sectors=sectors):
        if chart.id == "network-map":
            continue
        seen = support.everything(chart)
        for name in support.MERGED:
            assert name not in seen, f"{name} appears in {chart.id}"
        assert (
            "Other organisations" in seen
            or chart.id == "scale-profile"
            or (chart.id == "perception-gaps")
        )


def test_merged_organisations_are_not_in_perception_gaps_even_if_the_result_lists_them(small):
    from joinedup.reports import perception_gaps

    tampered = dict(small)
    tampered["perception_gaps"] = [
        *small["perception_gaps"],
        {
            "organisation": "Gamma Police",
            "self_commit": 80.0,
            "value_received": 20.0,
            "gap": 60.0,
            "flagged": True,
        },
    ]
    chart = perception_gaps(tampered)
    assert "Gamma Police" not in support.everything(chart)


def test_the_network_names_every_organisation(small):
    chart = network_map(small)
    names = {row[0] for row in chart.table.rows}
    assert set(support.MERGED) <= names
    assert set(small["network"]["organisations"]) == names
