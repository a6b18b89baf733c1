"""Shortest hop counts on the tie graph, by breadth-first search over neighbour sets.

The ties are unweighted, so networkx's ``multi_source_dijkstra_path_length`` (a heap and
an edge-weight lookup per step, ~35 ms from a theme's government actors at 3,000 actors)
is a plain multi-source BFS: the same distances, as ints, for the same reached nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

__all__ = ["hop_distance", "hop_distances"]


def _levels(
    neighbours: Mapping[str, Iterable[str]], dist: dict[str, int]
) -> Iterator[tuple[int, list[str]]]:
    """Breadth-first from the nodes already in ``dist`` (at 0): each further level's depth
    and the nodes first reached there, recorded in ``dist`` as they are found."""
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
        if reached:
            yield depth, reached
        frontier = reached


def hop_distances(
    neighbours: Mapping[str, Iterable[str]], sources: Iterable[str]
) -> dict[str, int]:
    """Hops from the nearest source to every node it reaches (0 for the sources)."""
    dist = dict.fromkeys(sources, 0)
    for _ in _levels(neighbours, dist):
        pass
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
    for depth, reached in _levels(neighbours, dist):
        if not wanted.isdisjoint(reached):
            return float(depth)
    return float("inf")
