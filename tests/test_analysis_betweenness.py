"""The betweenness kernels give networkx's values: sampled (igraph from networkx's own
sampled sources) and exact (rustworkx), on random graphs with isolated actors and several
components, so a wrong rescaling, source draw or halving shows."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from analysis._betweenness import exact_betweenness, sampled_betweenness


def _graph(seed: int, n: int, m: int) -> tuple[list[str], list[tuple[int, int]], nx.Graph]:
    g = nx.gnm_random_graph(n, m, seed=seed)
    # A second component and two isolated actors beside the random one.
    g.add_edges_from([(n, n + 1), (n + 1, n + 2), (n + 2, n + 3), (n + 1, n + 3)])
    g.add_nodes_from([n + 4, n + 5])
    nodes = [f"a{i}" for i in g]
    position = {x: i for i, x in enumerate(g)}
    edges = [(position[u], position[v]) for u, v in g.edges()]
    return nodes, edges, nx.relabel_nodes(g, dict(zip(g, nodes, strict=True)))


@pytest.mark.parametrize(
    ("seed", "n", "m", "k"), [(0, 30, 45, 5), (1, 80, 200, 17), (2, 120, 300, 60), (3, 40, 60, 46)]
)
def test_sampled_betweenness_is_networkx_estimate(seed: int, n: int, m: int, k: int) -> None:
    nodes, edges, g = _graph(seed, n, m)
    expected = nx.betweenness_centrality(g, k=k, seed=seed)
    got = sampled_betweenness(nodes, edges, k, seed=seed)
    for x, value in zip(nodes, got, strict=True):
        assert math.isclose(value, expected[x], rel_tol=0.0, abs_tol=1e-12), x


@pytest.mark.parametrize("seed", range(3))
def test_exact_betweenness_is_networkx(seed: int) -> None:
    nodes, edges, g = _graph(seed, 50, 90)
    expected = nx.betweenness_centrality(g)
    got = exact_betweenness(nodes, edges)
    for x, value in zip(nodes, got, strict=True):
        assert math.isclose(value, expected[x], rel_tol=0.0, abs_tol=1e-12), x
