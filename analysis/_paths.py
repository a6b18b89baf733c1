"""Shortest hop counts on the tie graph, by breadth-first search over neighbour sets.

The ties are unweighted, so networkx's ``multi_source_dijkstra_path_length`` (a heap and
an edge-weight lookup per step, ~35 ms from a theme's government actors at 3,000 actors)
is a plain multi-source BFS: the same distances, as ints, for the same reached nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["hop_distance", "hop_distances"]


def hop_distances(
    neighbours: Mapping[str, Iterable[str]], sources: Iterable[str]
) -> dict[str, int]:
    """Hops from the nearest source to every node it reaches (0 for the sources)."""
    dist = dict.fromkeys(sources, 0)
    frontier = list(dist)
    depth = 0
    while frontier:
        depth += 1
        reached = []
        for u in frontier:
            for w in neighbours[u]:
                if w not in dist:
                    dist[w] = depth
                    reached.append(w)
        frontier = reached
    return dist


def hop_distance(
    neighbours: Mapping[str, Iterable[str]], sources: Iterable[str], targets: Iterable[str]
) -> float:
    """Hops between the nearest source and target (inf when none is reached): the search
    stops at the first level that holds a target."""
    wanted = set(targets)
    dist = dict.fromkeys(sources, 0)
    if wanted & dist.keys():
        return 0.0
    frontier = list(dist)
    depth = 0
    while frontier:
        depth += 1
        reached = []
        for u in frontier:
            for w in neighbours[u]:
                if w not in dist:
                    if w in wanted:
                        return float(depth)
                    dist[w] = depth
                    reached.append(w)
        frontier = reached
    return float("inf")
