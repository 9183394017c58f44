"""The GraphML export: the relationship network for Gephi, yEd or networkx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from joinedup.reports.exports import to_graphml
from tests.reports.test_exports import (
    COUNCIL,
    MERGED,
    NHS,
    SECTORS,
    SMALL,
    no_results,
    partnership,
)

FIGURES = ("trust_received", "trust_given", "value_received", "value_given", "betweenness")


def read_back(outcome: dict[str, Any], sectors: dict[str, str] | None = SECTORS) -> nx.DiGraph:
    buffer = io.BytesIO()
    to_graphml(outcome, buffer, sectors)
    buffer.seek(0)
    return nx.read_graphml(buffer)


def test_the_network_round_trips_with_every_organisation_and_tie() -> None:
    outcome = partnership()
    graph = read_back(outcome)
    assert graph.is_directed()
    assert sorted(graph.nodes) == sorted(outcome["network"]["organisations"])
    assert sorted(graph.edges) == sorted((t["from"], t["to"]) for t in outcome["network"]["ties"])


def test_nodes_carry_their_figures_and_sector_and_leave_out_nulls() -> None:
    outcome = partnership()
    graph = read_back(outcome)
    for member in outcome["network"]["members"]:
        node = graph.nodes[member["organisation"]]
        assert node["label"] == member["organisation"]
        assert node["degree"] == member["degree"] and isinstance(node["degree"], int)
        for key in FIGURES:
            if member[key] is None:
                assert key not in node
            else:
                assert node[key] == member[key]
    assert graph.nodes[COUNCIL]["sector"] == "local_government"
    assert "sector" not in graph.nodes[SMALL]  # no sector given for it
    assert "trust_received" not in graph.nodes[SMALL]  # nobody rates it


def test_shown_ties_carry_trust_and_value_and_hidden_ties_carry_neither() -> None:
    outcome = partnership()
    graph = read_back(outcome)
    hidden = 0
    for tie in outcome["network"]["ties"]:
        edge = graph.edges[tie["from"], tie["to"]]
        if tie["from"] in MERGED:  # exists, with no figure from the merged organisation
            assert "raters" not in edge
        else:
            assert edge["raters"] == tie["raters"]
        assert edge["shown"] is tie["shown"]
        if tie["shown"]:
            assert edge["trust"] == tie["trust"] and edge["value"] == tie["value"]
        else:
            hidden += 1
            assert "trust" not in edge and "value" not in edge
    assert hidden == 2
    assert graph.edges[COUNCIL, NHS]["trust"] == pytest.approx(500 / 6)


def test_a_hidden_tie_stays_bare_even_if_a_stored_result_gives_it_values() -> None:
    outcome = partnership()
    for tie in outcome["network"]["ties"]:
        if not tie["shown"]:
            tie["trust"], tie["value"] = 12.5, 87.5
    graph = read_back(outcome)
    for tie in outcome["network"]["ties"]:
        if not tie["shown"]:
            assert "trust" not in graph.edges[tie["from"], tie["to"]]


def test_the_graph_carries_the_network_figures() -> None:
    outcome = partnership()
    graph = read_back(outcome, None)
    assert graph.graph["density"] == outcome["network"]["density"]
    assert graph.graph["reciprocity"] == outcome["network"]["reciprocity"]
    assert graph.graph["round"] == "2025"
    assert all("sector" not in graph.nodes[n] for n in graph.nodes)


def test_it_writes_to_a_path_and_exports_a_result_with_no_results(tmp_path: Path) -> None:
    path = tmp_path / "network.graphml"
    to_graphml(no_results(), path)
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 1
