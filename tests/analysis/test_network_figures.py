"""Network figures on the existence graph, against networkx and hand-worked values (SPEC §4.5).

Density and reciprocity are checked against `nx.density` and
`nx.overall_reciprocity` on a DiGraph of the existing ties; degree
centralisation against Freeman's formula worked on the undirected graph;
betweenness against `nx.betweenness_centrality(undirected, normalized=True)`.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.analysis.network import betweenness
from tests.analysis.network_support import member, network, rated
from tests.factories import organisation, response

# A contact of 0 (or the label "Never") is the only answer that makes no tie.
CONTACTS = ("0", "Never", "", "DK", "1", "2", "3", "4")
NO_TIE = {"0", "Never"}


def freeman_centralisation(graph: nx.Graph) -> float | None:
    """Σ(max degree - degree) / ((N-1)(N-2)), worked from the degrees; None when N < 3."""
    n = graph.number_of_nodes()
    if n < 3:
        return None
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def org_name(index: int) -> str:
    return f"Org {index:02d}"


def partnership_rows(
    n: int, contacts: dict[tuple[int, int], list[str]], seed: int = 0
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]], nx.DiGraph]:
    """Rows where respondent j of organisation a gives row j of contacts[a, b], and the
    DiGraph of the ties those rows should make."""
    rng = np.random.default_rng(seed)
    per_org = max([len(rows) for rows in contacts.values()] + [1])
    responses = [
        response(f"{org_name(a)}-{j}", org_name(a)) for a in range(n) for j in range(per_org)
    ]
    relationships = []
    expected = nx.DiGraph()
    expected.add_nodes_from(org_name(a) for a in range(n))
    for (a, b), rows in contacts.items():
        for j, contact in enumerate(rows):
            trust = tuple(int(x) for x in rng.integers(1, 5, size=3))
            relationships.append(
                rated(f"{org_name(a)}-{j}", org_name(a), org_name(b), trust, trust, contact)
            )
        if any(contact not in NO_TIE for contact in rows):
            expected.add_edge(org_name(a), org_name(b))
    organisations = [organisation(org_name(a)) for a in range(n)]
    return responses, relationships, organisations, expected


def check_against_networkx(section: dict[str, Any], expected: nx.DiGraph) -> None:
    n = expected.number_of_nodes()
    assert sorted(section["organisations"]) == sorted(expected.nodes)
    ties = {(t["from"], t["to"]) for t in section["ties"]}
    assert ties == set(expected.edges)
    assert len(section["ties"]) == expected.number_of_edges()

    if n >= 2:
        assert section["density"] == pytest.approx(nx.density(expected))
    if expected.number_of_edges():
        assert section["reciprocity"] == pytest.approx(nx.overall_reciprocity(expected))
    else:
        assert section["reciprocity"] is None

    undirected = expected.to_undirected()
    want = freeman_centralisation(undirected)
    if want is None:
        assert section["centralisation"] is None
    else:
        assert section["centralisation"] == pytest.approx(want)

    reference = nx.betweenness_centrality(undirected, normalized=True)
    for name in expected.nodes:
        figures = member(section, name)
        assert figures["betweenness"] == pytest.approx(reference[name], abs=1e-12), name
        assert figures["degree"] == undirected.degree(name), name

    isolates = {f["organisation"] for f in section["flags"] if f["type"] == "isolate"}
    assert isolates == set(nx.isolates(undirected))


@st.composite
def partnerships(draw: st.DrawFn, max_orgs: int = 7) -> tuple[int, dict]:
    n = draw(st.integers(1, max_orgs))
    pairs = [(a, b) for a, b in itertools.product(range(n), repeat=2) if a != b]
    rows = draw(
        st.lists(
            st.lists(st.sampled_from(CONTACTS), max_size=2),
            min_size=len(pairs),
            max_size=len(pairs),
        )
    )
    return n, dict(zip(pairs, rows, strict=True))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partnerships())
def test_figures_match_networkx_on_random_partnerships(partnership):
    n, contacts = partnership
    responses, relationships, organisations, expected = partnership_rows(n, contacts)
    check_against_networkx(network(responses, relationships, organisations), expected)


@pytest.mark.parametrize("seed", range(12))
def test_figures_match_networkx_on_larger_seeded_partnerships(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 31))
    density = rng.uniform(0.02, 0.5)
    contacts = {
        (a, b): [str(c) for c in rng.choice(CONTACTS, size=int(rng.integers(1, 3)))]
        for a, b in itertools.product(range(n), repeat=2)
        if a != b and rng.random() < density
    }
    responses, relationships, organisations, expected = partnership_rows(n, contacts, seed)
    check_against_networkx(network(responses, relationships, organisations), expected)


# ---------------------------------------------------------- hand-worked cases


def ties_network(edges: list[tuple[str, str]], names: list[str]) -> dict[str, Any]:
    responses = [response(f"{name}-0", name) for name in names]
    relationships = [rated(f"{a}-0", a, b) for a, b in edges]
    return network(responses, relationships, [organisation(name) for name in names])


def test_density_and_reciprocity_by_hand():
    # Alder <-> Birch and Alder -> Cedar: 3 ties of 3 * 2 possible; 2 of 3 reciprocated.
    section = ties_network(
        [("Alder", "Birch"), ("Birch", "Alder"), ("Alder", "Cedar")], ["Alder", "Birch", "Cedar"]
    )
    assert section["density"] == pytest.approx(0.5)
    assert section["reciprocity"] == pytest.approx(2 / 3)


def test_star_by_hand():
    # Hub rates four spokes: undirected degrees 4, 1, 1, 1, 1.
    spokes = ["Birch", "Cedar", "Damson", "Elm"]
    section = ties_network([("Alder", s) for s in spokes], ["Alder", *spokes])
    # Σ(4 - d) = 4 * 3 = 12; (N-1)(N-2) = 12.
    assert section["centralisation"] == pytest.approx(1.0)
    assert section["density"] == pytest.approx(4 / 20)
    assert section["reciprocity"] == pytest.approx(0.0)
    # The hub lies on the one shortest path of each of the 6 spoke pairs.
    assert member(section, "Alder")["betweenness"] == pytest.approx(1.0)
    assert member(section, "Elm")["betweenness"] == pytest.approx(0.0)


def test_path_by_hand():
    # Alder - Birch - Cedar - Damson, ties in either direction.
    section = ties_network(
        [("Alder", "Birch"), ("Cedar", "Birch"), ("Cedar", "Damson")],
        ["Alder", "Birch", "Cedar", "Damson"],
    )
    # Degrees 1, 2, 2, 1: Σ(2 - d) = 2; (N-1)(N-2) = 6.
    assert section["centralisation"] == pytest.approx(1 / 3)
    # Birch is on Alder-Cedar and Alder-Damson: 2 of the 3 pairs without it.
    assert member(section, "Birch")["betweenness"] == pytest.approx(2 / 3)
    assert member(section, "Cedar")["betweenness"] == pytest.approx(2 / 3)
    assert member(section, "Alder")["betweenness"] == pytest.approx(0.0)


def test_complete_network_by_hand():
    names = ["Alder", "Birch", "Cedar", "Damson"]
    section = ties_network([(a, b) for a in names for b in names if a != b], names)
    assert section["density"] == pytest.approx(1.0)
    assert section["reciprocity"] == pytest.approx(1.0)
    assert section["centralisation"] == pytest.approx(0.0)
    assert all(member(section, name)["betweenness"] == 0.0 for name in names)


def test_centralisation_is_null_with_fewer_than_three_organisations():
    section = ties_network([("Alder", "Birch")], ["Alder", "Birch"])
    assert section["centralisation"] is None
    assert section["density"] == pytest.approx(0.5)


def test_reciprocity_is_null_without_ties():
    section = ties_network([], ["Alder", "Birch", "Cedar"])
    assert section["density"] == pytest.approx(0.0)
    assert section["reciprocity"] is None


# ------------------------------------------------- betweenness on a matrix


def reference_betweenness(adjacency: np.ndarray) -> np.ndarray:
    graph = nx.from_numpy_array(adjacency.astype(int))
    graph.add_nodes_from(range(adjacency.shape[0]))
    scores = nx.betweenness_centrality(graph, normalized=True)
    return np.array([scores[i] for i in range(adjacency.shape[0])])


def adjacency_of(graph: nx.Graph) -> np.ndarray:
    return nx.to_numpy_array(graph, nodelist=sorted(graph.nodes)) > 0


SHAPES = {
    "empty": nx.empty_graph(6),
    "single": nx.empty_graph(1),
    "pair": nx.path_graph(2),
    "star": nx.star_graph(9),
    "path": nx.path_graph(12),
    "complete": nx.complete_graph(8),
    "cycle": nx.cycle_graph(9),
    "wheel": nx.wheel_graph(7),
    "barbell": nx.barbell_graph(4, 3),
    "two components": nx.disjoint_union(nx.path_graph(5), nx.star_graph(4)),
    "with isolates": nx.disjoint_union(nx.cycle_graph(6), nx.empty_graph(3)),
    "grid": nx.convert_node_labels_to_integers(nx.grid_2d_graph(4, 5)),
    "tree": nx.balanced_tree(2, 4),
    "karate": nx.karate_club_graph(),
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_betweenness_matches_networkx_on_known_shapes(shape):
    adjacency = adjacency_of(SHAPES[shape])
    np.testing.assert_allclose(
        betweenness(adjacency), reference_betweenness(adjacency), rtol=1e-9, atol=1e-12
    )


def test_betweenness_of_a_star_and_a_path_by_hand():
    star = adjacency_of(nx.star_graph(5))
    np.testing.assert_allclose(betweenness(star), [1.0, 0, 0, 0, 0, 0], atol=1e-12)
    # Path 0-1-2-3-4: node 1 is on 3 of the 6 pairs without it, node 2 on 4.
    path = adjacency_of(nx.path_graph(5))
    np.testing.assert_allclose(betweenness(path), [0, 0.5, 4 / 6, 0.5, 0], atol=1e-12)


def test_betweenness_of_an_empty_matrix():
    assert betweenness(np.zeros((0, 0), dtype=bool)).shape == (0,)


def test_betweenness_matches_networkx_on_many_seeded_random_graphs():
    rng = np.random.default_rng(20240601)
    for _ in range(400):
        n = int(rng.integers(0, 40))
        p = rng.uniform(0.0, 0.6)
        upper = np.triu(rng.random((n, n)) < p, k=1)
        adjacency = upper | upper.T
        np.testing.assert_allclose(
            betweenness(adjacency), reference_betweenness(adjacency), rtol=1e-9, atol=1e-12
        )


def test_betweenness_matches_networkx_on_a_partnership_sized_graph():
    graph = nx.gnp_random_graph(200, 0.03, seed=7)  # sparse: several components, long paths
    adjacency = adjacency_of(graph)
    np.testing.assert_allclose(
        betweenness(adjacency), reference_betweenness(adjacency), rtol=1e-9, atol=1e-12
    )


@st.composite
def adjacency_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(0, 14))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    present = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    adjacency = np.zeros((n, n), dtype=bool)
    for (a, b), linked in zip(pairs, present, strict=True):
        adjacency[a, b] = adjacency[b, a] = linked
    return adjacency


@settings(max_examples=300, deadline=None)
@given(adjacency_matrices())
def test_betweenness_matches_networkx_on_any_graph(adjacency):
    np.testing.assert_allclose(
        betweenness(adjacency), reference_betweenness(adjacency), rtol=1e-9, atol=1e-12
    )
