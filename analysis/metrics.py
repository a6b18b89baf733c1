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

from graph_schema.model import Subgraph

from ._context import build_context, sector
from ._structure import theme_graph
from .model import ActorMetrics, ActorRef, BrokerageCounts, NetworkMetrics, ThemeArticulation
from .network import directed_tie_graph, filter_subgraph

__all__ = ["brokerage_roles", "network_metrics"]


def brokerage_roles(
    graph: nx.Graph | nx.DiGraph,
    group: Callable[[str], str],
) -> dict[str, BrokerageCounts]:
    """Gould–Fernandez role counts for every node of ``graph``."""
    g = graph if graph.is_directed() else graph.to_directed()
    out: dict[str, BrokerageCounts] = {}
    for ego in g.nodes:
        counts = {
            "coordinator": 0,
            "itinerant": 0,
            "representative": 0,
            "gatekeeper": 0,
            "liaison": 0,
        }
        ge = group(ego)
        for a in g.predecessors(ego):
            for c in g.successors(ego):
                if ego in (a, c) or a == c or g.has_edge(a, c):
                    continue
                ga, gc = group(a), group(c)
                if ga == ge == gc:
                    counts["coordinator"] += 1
                elif ga == gc:
                    counts["itinerant"] += 1
                elif ga == ge:
                    counts["representative"] += 1
                elif gc == ge:
                    counts["gatekeeper"] += 1
                else:
                    counts["liaison"] += 1
        out[ego] = BrokerageCounts(**counts)
    return out


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


def network_metrics(
    subgraph: Subgraph,
    *,
    group_by: str = "level",
    directed: bool = False,
    min_confidence: float = 0.0,
) -> NetworkMetrics:
    """Per-actor metrics and articulation points; ``group_by`` is level, type or sector."""
    if group_by not in ("level", "type", "sector"):
        raise ValueError(f"group_by must be level, type or sector, not {group_by!r}")
    ctx = build_context(filter_subgraph(subgraph, min_confidence=min_confidence))
    ties = ctx.ties

    def group(x: str) -> str:
        a = ctx.actors[x]
        if group_by == "sector":
            return sector(a)
        return str(getattr(a, group_by) or "unknown")

    def ref(x: str) -> ActorRef:
        return ctx.ref(x)

    # The tie graph carries evidence on its edges; the structural measures need none of it,
    # and networkx copies graphs internally, so they run on a bare copy.
    plain = nx.Graph()
    plain.add_nodes_from(ties)
    plain.add_edges_from(ties.edges())
    degree_c = nx.degree_centrality(plain) if len(plain) > 1 else dict.fromkeys(plain, 0.0)
    # Exact betweenness is O(n*m); above BETWEENNESS_EXACT_LIMIT actors it is estimated
    # from a fixed, seeded sample of source actors (Brandes & Pich 2007), so repeated
    # requests agree.
    sample = BETWEENNESS_SAMPLE if len(plain) > BETWEENNESS_EXACT_LIMIT else None
    between = nx.betweenness_centrality(plain, k=sample, seed=0 if sample else None)
    constraint = burt_constraint(plain)
    eff_size = effective_size(plain)
    brokerage = brokerage_roles(directed_tie_graph(subgraph) if directed else ties, group)

    actors = tuple(
        ActorMetrics(
            actor=ref(x),
            group=group(x),
            degree=int(ties.degree(x)),
            degree_centrality=float(degree_c[x]),
            betweenness=float(between[x]),
            constraint=_finite(constraint[x]),
            effective_size=_finite(eff_size[x]),
            brokerage=brokerage.get(x, BrokerageCounts()),
        )
        for x in sorted(ties.nodes)
    )
    by_theme = tuple(
        ThemeArticulation(
            theme=theme,
            articulation_points=tuple(
                ref(x) for x in sorted(nx.articulation_points(theme_graph(ctx, theme)))
            ),
        )
        for theme in ctx.themes()
    )
    return NetworkMetrics(
        group_by=group_by,
        directed=directed,
        actors=actors,
        articulation_points=tuple(ref(x) for x in sorted(nx.articulation_points(ties))),
        by_theme=by_theme,
    )
