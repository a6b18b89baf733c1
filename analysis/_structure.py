"""Structural gaps on a theme: level_disconnect and single_point_of_failure."""

from __future__ import annotations

from itertools import combinations

import networkx as nx

from graph_schema.model import EvidenceView, RelationView

from ._context import GapContext, level_group
from .model import Finding, GapKind, finding_id

__all__ = ["level_disconnect_findings", "single_point_findings", "theme_graph"]

_EVIDENCE_PER_ACTOR = 2
# The pairs of sides a disconnect is looked for between: the two levels of government, and
# each level of government against the non-state actors on the theme ("government with no
# non-state actor" is level-specific: a city that funds the NGOs does not connect the
# national ministry to them).
_DIVIDES = (("local", "national"), ("local", "non_state"), ("national", "non_state"))
_LABEL = {"local": "local government", "national": "national government",
          "non_state": "non-state"}


def _side_distance(ties: nx.Graph, side_a: list[str], side_b: list[str]) -> float:
    lengths = nx.multi_source_dijkstra_path_length(ties, set(side_a))
    found = [lengths[b] for b in side_b if b in lengths]
    return float(min(found)) if found else float("inf")


def _rank_side(ctx: GapContext, side: list[str], other: list[str], theme: str) -> list[str]:
    """Principal actor first: named in a cross-side statement, then formal, then evidence."""
    def key(x: str) -> tuple[bool, bool, float, str]:
        said = any(frozenset((x, y)) in ctx.negatives for y in other)
        act = ctx.activity[x][theme]
        return (not said, not act.formal, -act.strength * ctx.prominence(x), x)
    return sorted(side, key=key)


def level_disconnect_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    findings: list[Finding] = []
    for theme in ctx.themes():
        if themes is not None and theme not in themes:
            continue
        active = ctx.on_theme(theme)
        for group_a, group_b in _DIVIDES:
            side_a = [x for x in active if level_group(ctx.actors[x]) == group_a]
            side_b = [x for x in active if level_group(ctx.actors[x]) == group_b]
            if len(side_a) < 2 or len(side_b) < 2:
                # With one actor on a side the disconnect is that actor's pair gaps, which
                # the pair rules report with their own evidence; a group finding would
                # tell the same story again.
                continue
            if any(ctx.linked(x, y) for x in side_a for y in side_b):
                continue
            best_a = max(ctx.activity[x][theme].strength for x in side_a)
            best_b = max(ctx.activity[x][theme].strength for x in side_b)
            # Sides two steps apart share a broker: less of a disconnect than none at all.
            distance = _side_distance(ctx.ties, side_a, side_b)
            separation = 1.0 - 1.0 / distance if distance != float("inf") else 1.0
            score = (best_a * best_b) ** 0.5 * separation
            negatives: list[RelationView] = [
                r for x in side_a for y in side_b
                for r in ctx.negatives.get(frozenset((x, y)), ())
            ]
            if negatives:
                score += (1.0 - score) * 0.5 * max(r.confidence for r in negatives)
            ranked_a = _rank_side(ctx, side_a, side_b, theme)
            ranked_b = _rank_side(ctx, side_b, side_a, theme)
            # One principal per side: naming several actors of one side together would
            # read as a gap *between* them, and they may well work together.
            named = [ranked_a[0], ranked_b[0]]
            context = ranked_a[1:] + ranked_b[1:]
            evidence: list[EvidenceView] = [e for r in negatives for e in r.evidence]
            for x in named:
                evidence.extend(ctx.activity[x][theme].evidence[:_EVIDENCE_PER_ACTOR])
            names_a = ", ".join(ctx.name(x) for x in ranked_a)
            names_b = ", ".join(ctx.name(x) for x in ranked_b)
            findings.append(Finding(
                id=finding_id(GapKind.level_disconnect, named, theme),
                kind=GapKind.level_disconnect,
                actors=tuple(ctx.ref(x) for x in named),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(f"On {theme}, no tie links {_LABEL[group_a]} actors "
                             f"({names_a}) with {_LABEL[group_b]} actors ({names_b})."),
                evidence=tuple(evidence),
                context_actors=tuple(ctx.ref(x) for x in context),
            ))
    return findings


def theme_graph(ctx: GapContext, theme: str) -> nx.Graph:
    """Ties with at least one end active on the theme: theme actors and who relies on them."""
    active = set(ctx.on_theme(theme))
    g = nx.Graph()
    g.add_edges_from((u, v) for u, v in ctx.ties.edges() if u in active or v in active)
    return g


def single_point_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """x is the only path, within the theme's ties, between partners of different levels."""
    best: dict[str, Finding] = {}
    for theme in ctx.themes():
        if themes is not None and theme not in themes:
            continue
        g = theme_graph(ctx, theme)
        active = ctx.on_theme(theme)
        for x in active:
            if x not in g or g.degree(x) < 2:
                continue
            # Only actors with their own stake in the theme count: a pendant partner hangs
            # on whoever it is tied to, which makes every hub a "single point" and says
            # nothing about the theme's coordination.
            others = [n for n in active if n != x and n in g]
            cross = [(u, v) for u, v in combinations(others, 2)
                     if ctx.actors[u].level != ctx.actors[v].level
                     and nx.has_path(g, u, v)]
            if not cross:
                continue
            rest = g.copy()
            rest.remove_node(x)
            component = {n: i for i, comp in enumerate(nx.connected_components(rest))
                         for n in comp}
            cut = [(u, v) for u, v in cross if component[u] != component[v]]
            if not cut:
                continue
            score = ctx.activity[x][theme].strength * (len(cut) / len(cross)) ** 0.5
            stranded = sorted({n for pair in cut for n in pair})
            levels = sorted({str(ctx.actors[n].level) for n in stranded})
            evidence = list(ctx.activity[x][theme].evidence[:_EVIDENCE_PER_ACTOR])
            for n in stranded:
                if ctx.ties.has_edge(x, n):
                    for r in ctx.ties.edges[x, n]["relations"]:
                        evidence.extend(r.evidence[:1])
            f = Finding(
                id=finding_id(GapKind.single_point_of_failure, (x,), theme),
                kind=GapKind.single_point_of_failure,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(f"On {theme}, {ctx.name(x)} is the only link between "
                             f"{', '.join(ctx.name(n) for n in stranded)} "
                             f"({' / '.join(levels)}): if it fails, they are cut apart."),
                evidence=tuple(evidence),
                context_actors=tuple(ctx.ref(n) for n in stranded),
            )
            if x not in best or f.score > best[x].score:
                best[x] = f
    return list(best.values())
