"""Hop counts by BFS equal networkx's multi-source Dijkstra on unweighted ties (what the
isolation and level-disconnect rules used), on random graphs with several components."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from analysis._paths import hop_distance, hop_distances


@pytest.mark.parametrize("seed", range(20))
def test_hop_distances_equal_dijkstra(seed: int) -> None:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(rng.randint(2, 60), rng.randint(0, 90), seed=seed)
    neighbours = {x: frozenset(g[x]) for x in g}
    nodes = list(g)
    sources = set(rng.sample(nodes, rng.randint(1, max(1, len(nodes) // 5))))
    expected = nx.multi_source_dijkstra_path_length(g, sources)
    assert hop_distances(neighbours, sources) == expected
    targets = [x for x in rng.sample(nodes, rng.randint(1, len(nodes))) if x not in sources]
    found = [expected[t] for t in targets if t in expected]
    assert hop_distance(neighbours, sources, targets) == (
        float(min(found)) if found else float("inf")
    )
