"""Betweenness centrality of the tie graph: exact (rustworkx) or from sampled sources (numpy).

Both give networkx's ``betweenness_centrality`` values (normalised, endpoints excluded,
unweighted, undirected): the exact one is Brandes' algorithm in Rust; the sampled one is
networkx's own estimator (Brandes & Pich 2007) - the same sources, drawn as networkx draws
them (``random.Random(seed).sample(list(nodes), k)``), the same rescaling - with the
per-source breadth-first searches run as sparse matrix products, all sources of a batch
at once, instead of one Python dict walk per source.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import rustworkx as rx
from scipy import sparse

__all__ = ["adjacency", "exact_betweenness", "sampled_betweenness"]

# Sources per batch of the sampled BFS: bounds memory (a few n x batch arrays) at 50k actors.
_BATCH = 64


def exact_betweenness(nodes: Sequence[str], edges: Sequence[tuple[int, int]]) -> list[float]:
    """Normalised betweenness of every node (by position in ``nodes``); ``edges`` are
    pairs of positions."""
    g = rx.PyGraph()
    g.add_nodes_from(range(len(nodes)))
    g.add_edges_from_no_data(list(edges))
    values = rx.graph_betweenness_centrality(g, normalized=True, endpoints=False)
    return [float(values[i]) for i in range(len(nodes))]


def adjacency(n: int, edges: Sequence[tuple[int, int]]) -> sparse.csr_matrix:
    if not edges:
        return sparse.csr_matrix((n, n))
    u, v = np.array(edges, dtype=np.int64).T
    rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    a.data[:] = 1.0  # an edge listed twice is still one tie
    return a


def _dependencies(a: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Brandes' dependency delta_s(v) for every node v (rows) and source s (columns),
    zero at the source itself: level-synchronous BFS counting shortest paths (sigma),
    then accumulation from the deepest level back, both as products with ``a``."""
    n, k = a.shape[0], len(sources)
    cols = np.arange(k)
    dist = np.full((n, k), -1, dtype=np.int32)
    sigma = np.zeros((n, k))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    frontier = np.zeros((n, k))
    frontier[sources, cols] = 1.0
    rows = np.unique(sources)
    level = 0
    while rows.size:
        # Paths into each node from the frontier: the sum of its frontier neighbours' sigma.
        reached = a[rows].T @ frontier[rows]
        new = (dist == -1) & (reached > 0)
        level += 1
        sigma[new] = reached[new]
        dist[new] = level
        frontier = np.where(new, sigma, 0.0)
        rows = np.flatnonzero(new.any(axis=1))
    delta = np.zeros((n, k))
    for depth in range(level, 0, -1):
        at = dist == depth
        rows = np.flatnonzero(at.any(axis=1))
        if not rows.size:
            continue
        coeff = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        pulled = a[rows].T @ coeff[rows]
        delta += np.where(dist == depth - 1, sigma * pulled, 0.0)
    delta[sources, cols] = 0.0
    return delta


def sampled_betweenness(
    nodes: Sequence[str], edges: Sequence[tuple[int, int]], k: int, seed: int
) -> list[float]:
    """networkx's ``betweenness_centrality(G, k=k, seed=seed)`` for the graph whose node
    order is ``nodes``: an unbiased estimate from k source actors.

    Error bound: each sampled source contributes n * delta_s(v) / ((n-1)(n-2)) in [0, ~1]
    to the estimate of v's normalised betweenness, so by Hoeffding's inequality (which
    holds for sampling without replacement) |estimate - exact| <= sqrt(ln(2/alpha) / 2k)
    with probability 1 - alpha, per actor: 0.079 at k = 300, alpha = 0.05. That is the
    worst case; on community graphs the observed error is far smaller (the estimate
    ranks brokers, it does not measure them to three decimals).
    """
    n = len(nodes)
    chosen = random.Random(seed).sample(list(range(n)), k)
    a = adjacency(n, edges)
    total = np.zeros(n)
    for start in range(0, k, _BATCH):
        batch = np.array(chosen[start : start + _BATCH], dtype=np.int64)
        total += _dependencies(a, batch).sum(axis=1)
    # networkx's rescaling for sampled sources without endpoints (nx >= 3.5): a source
    # cannot lie on its own paths, so it is averaged over the k - 1 other sources.
    pairs = n - 1
    if pairs < 2:
        return [0.0] * n
    scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else float("nan")
    scale_other = 1 / (k * (pairs - 1))
    is_source = np.zeros(n, dtype=bool)
    is_source[chosen] = True
    return [float(total[i] * (scale_source if is_source[i] else scale_other)) for i in range(n)]
