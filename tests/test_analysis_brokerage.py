"""The sparse-product brokerage counts equal the pre-issue-14 set walk (the reference copy)
on random graphs: directed with mutual arcs and self-loops, undirected, several groups,
isolated actors - every subtraction (a == c, closed two-paths) is exercised."""

from __future__ import annotations

import random

import analysis_reference as reference
import networkx as nx
import pytest

from analysis.metrics import brokerage_roles


def _random_graph(seed: int, directed: bool) -> tuple[nx.Graph, dict[str, str]]:
    rng = random.Random(seed)
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    nodes = [f"n{i}" for i in range(rng.randint(5, 40))]
    g.add_nodes_from(nodes)
    for _ in range(rng.randint(0, 4 * len(nodes))):
        u, v = rng.choice(nodes), rng.choice(nodes)
        g.add_edge(u, v)  # self-loops included: no contact, in both versions
        if directed and rng.random() < 0.3:
            g.add_edge(v, u)
    groups = [f"g{k}" for k in range(rng.randint(1, 5))]
    return g, {x: rng.choice(groups) for x in nodes}


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_brokerage_counts_equal_the_set_walk(seed: int, directed: bool) -> None:
    g, of = _random_graph(seed, directed)
    assert brokerage_roles(g, of.__getitem__) == reference.brokerage_roles(g, of.__getitem__)
