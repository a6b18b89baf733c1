"""Network metrics on the positive-tie graph: centrality, structural holes, brokerage.

Brokerage (Gould & Fernandez 1989) is counted on open two-paths a -> ego -> c (a != c and
no tie a -> c), classified by the groups of a, ego and c:

==============  ==========================================
coordinator     a, ego, c in one group
itinerant       a and c in one group, ego in another (consultant)
representative  ego in a's group, c in another
gatekeeper      ego in c's group, a in another
liaison         three different groups
==============  ==========================================

Undirected ties (the default: most relations in assessments are symmetric in practice) are
read as mutual directed ties, the convention of statnet's ``brokerage``: each open pair
{a, c} around ego is counted in both orientations, so representative and gatekeeper counts
are equal and every count is twice the number of unordered open pairs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import rustworkx as rx

from graph_schema.model import Subgraph
from graph_schema.plain import PlainSubgraph, built

from ._betweenness import adjacency, exact_betweenness, sampled_betweenness
from ._brokerage import ROLES, role_counts
from ._context import GapContext, sector
from ._context_cache import context_for, contexts_released
from ._gc import collector_paused
from ._holes import structural_holes
from .model import ActorMetrics, ActorRef, BrokerageCounts, NetworkMetrics, ThemeArticulation
from .network import directed_tie_graph

__all__ = ["brokerage_roles", "network_metrics"]


def brokerage_roles(
    graph: nx.Graph | nx.DiGraph,
    group: Callable[[str], str],
) -> dict[str, BrokerageCounts]:
    """Gould–Fernandez role counts for every node of ``graph``.

    Counted, not enumerated: around ego, the two-paths a -> ego -> c with a in group x
    and c in group y number |pred_x| * |succ_y|, less those with a == c and those closed
    by a tie a -> c (each tie a -> c closes the two-paths through every ego in
    succ(a) & pred(c)). The role depends only on (x, group(ego), y). The counts are
    sparse products over the whole graph (analysis/_brokerage.py), no directed copy of an
    undirected graph.
    """
    order = list(graph)
    position = {x: i for i, x in enumerate(order)}
    arcs = [(position[u], position[v]) for u, v in graph.edges()]
    return _brokerage_by_node(order, arcs, [group(x) for x in order], graph.is_directed())


def _brokerage_by_node(
    order: list[str], arcs: list[tuple[int, int]], labels: list[str], directed: bool
) -> dict[str, BrokerageCounts]:
    names = sorted(set(labels))
    index = {g: i for i, g in enumerate(names)}
    counts = role_counts(
        len(order), arcs, [index[g] for g in labels], len(names), directed=directed
    )
    return {
        x: built(BrokerageCounts, dict(zip(ROLES, row, strict=True)))
        for x, row in zip(order, counts.tolist(), strict=True)
    }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


BETWEENNESS_EXACT_LIMIT = 1000
BETWEENNESS_SAMPLE = 300


def effective_size(g: nx.Graph) -> dict[str, float]:
    """Burt's effective size, by Borgatti's formula for undirected unweighted ties:
    n - 2t/n, with n the actor's contacts and t the ties among them. Same values as
    networkx's ``effective_size``, without its per-actor copy of the whole graph."""
    out: dict[str, float] = {}
    for v in g:
        contacts = set(g[v]) - {v}
        if not contacts:
            out[v] = float("nan")  # undefined for an actor without ties, as in networkx
            continue
        ties_among = sum(1 for u in contacts for w in g[u] if w in contacts) / 2
        out[v] = len(contacts) - 2 * ties_among / len(contacts)
    return out


def burt_constraint(g: nx.Graph) -> dict[str, float]:
    """Burt's constraint for undirected unweighted ties, where p_ij = 1/deg(i):
    c_i = sum over contacts j of (p_ij + sum over shared contacts q of p_iq * p_qj)^2.
    Same values as networkx's ``constraint``, in O(sum of deg^2) set operations instead of
    a normalised-weight lookup per contact pair."""
    out: dict[str, float] = {}
    nbrs = {v: set(g[v]) - {v} for v in g}
    for i, contacts in nbrs.items():
        if not contacts:
            out[i] = float("nan")
            continue
        p_i = 1.0 / len(contacts)
        total = 0.0
        for j in contacts:
            indirect = sum(p_i / len(nbrs[q]) for q in contacts & nbrs[j])
            total += (p_i + indirect) ** 2
        out[i] = total
    return out


def _cut_points(order: list[str], edges: list[tuple[int, int]]) -> set[str]:
    g = rx.PyGraph()
    g.add_nodes_from(range(len(order)))
    g.add_edges_from_no_data(edges)
    return {order[i] for i in rx.articulation_points(g)}


def _theme_cut_points(
    ctx: GapContext, theme: str, order: list[str], position: dict[str, int], ties: np.ndarray
) -> set[str]:
    """Articulation points of theme_graph(ctx, theme): the ties (position pairs, one row
    each) with an end active on the theme, selected by a mask instead of a neighbour walk.
    The graph keeps every actor as a node: an isolated node is no cut point."""
    active = np.zeros(len(order), dtype=bool)
    active[[position[x] for x in ctx.on_theme(theme)]] = True
    chosen = ties[active[ties[:, 0]] | active[ties[:, 1]]]
    return _cut_points(order, list(map(tuple, chosen.tolist())))


def network_metrics(
    subgraph: Subgraph | PlainSubgraph,
    *,
    group_by: str = "level",
    directed: bool = False,
    min_confidence: float = 0.0,
) -> NetworkMetrics:
    """Per-actor metrics and articulation points; ``group_by`` is level, type or sector."""
    with collector_paused(), contexts_released():
        return _network_metrics(subgraph, group_by, directed, min_confidence)


def _network_metrics(
    subgraph: Subgraph | PlainSubgraph, group_by: str, directed: bool, min_confidence: float
) -> NetworkMetrics:
    if group_by not in ("level", "type", "sector"):
        raise ValueError(f"group_by must be level, type or sector, not {group_by!r}")
    ctx = context_for(subgraph, min_confidence=min_confidence)
    filtered = ctx.subgraph
    ties = ctx.ties

    def group(x: str) -> str:
        a = ctx.actors[x]
        if group_by == "sector":
            return sector(a)
        return str(getattr(a, group_by) or "unknown")

    def ref(x: str) -> ActorRef:
        return ctx.ref(x)

    # The structural measures need no evidence: they run on positions and neighbour sets
    # (networkx would copy the evidence-laden tie graph, and walks dicts per step).
    order = list(ties)
    position = {x: i for i, x in enumerate(order)}
    edges = [(position[u], position[v]) for u, v in ties.edges()]
    n = len(order)
    # As networkx's degree_centrality: degree * (1 / (n - 1)), zero for a single actor.
    step = 1.0 / (n - 1.0) if n > 1 else 0.0
    degree_c = {x: len(ctx.neighbours[x]) * step for x in order}
    # Exact betweenness is O(n*m); above BETWEENNESS_EXACT_LIMIT actors it is estimated
    # from a fixed, seeded sample of source actors (Brandes & Pich 2007), so repeated
    # requests agree; the error bound is in _betweenness.sampled_betweenness.
    if n > BETWEENNESS_EXACT_LIMIT:
        values = sampled_betweenness(order, edges, BETWEENNESS_SAMPLE, seed=0)
    else:
        values = exact_betweenness(order, edges)
    between = dict(zip(order, values, strict=True))
    constraint_of, size_of = structural_holes(adjacency(n, edges))
    constraint = dict(zip(order, constraint_of.tolist(), strict=True))
    eff_size = dict(zip(order, size_of.tolist(), strict=True))
    # the directed graph of the same filtered facts: built from the unfiltered ones, it
    # folded people the filter had unfolded, and the groups no longer covered its nodes
    if directed:
        brokerage = brokerage_roles(directed_tie_graph(filtered), group)
    else:
        brokerage = _brokerage_by_node(order, edges, [group(x) for x in order], False)

    # Built without validation (graph_schema.plain.built): every value already has its
    # field's type (str, int, float or None, the refs and counts models), and validating
    # 3,000 actors' metrics cost more than computing most of them.
    no_brokerage = BrokerageCounts()
    actors = tuple(
        built(
            ActorMetrics,
            {
                "actor": ref(x),
                "group": group(x),
                "degree": len(ctx.neighbours[x]),
                "degree_centrality": float(degree_c[x]),
                "betweenness": float(between[x]),
                "constraint": _finite(constraint[x]),
                "effective_size": _finite(eff_size[x]),
                "brokerage": brokerage.get(x, no_brokerage),
            },
        )
        for x in sorted(ties.nodes)
    )

    tie_array = np.array(edges, dtype=np.int64).reshape(-1, 2)
    by_theme = tuple(
        ThemeArticulation(
            theme=theme,
            articulation_points=tuple(
                ref(x) for x in sorted(_theme_cut_points(ctx, theme, order, position, tie_array))
            ),
        )
        for theme in ctx.themes()
    )
    return NetworkMetrics(
        group_by=group_by,
        directed=directed,
        actors=actors,
        articulation_points=tuple(ref(x) for x in sorted(_cut_points(order, edges))),
        by_theme=by_theme,
    )
