"""Structural gaps on a theme: level_disconnect and single_point_of_failure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx

from graph_schema.plain import PlainEvidence, PlainRelation

from ._context import (
    GapContext,
    corroborate,
    evidence_strength,
    level_group,
    sector,
    theme_text,
)
from ._level_counts import LevelCodes
from ._paths import hop_distance
from .model import ActorRef, Finding, GapKind, finding_id, new_finding
from .network import TIE_KINDS

__all__ = [
    "level_disconnect_findings",
    "person_single_point_findings",
    "single_point_findings",
    "theme_graph",
]

_EVIDENCE_PER_ACTOR = 2
# The pairs of sides a disconnect is looked for between: the two levels of government, and
# each level of government against the non-state actors on the theme ("government with no
# non-state actor" is level-specific: a city that funds the NGOs does not connect the
# national ministry to them).
_DIVIDES = (("local", "national"), ("local", "non_state"), ("national", "non_state"))
_LABEL = {"local": "local government", "national": "national government", "non_state": "non-state"}


def _rank_side(ctx: GapContext, side: list[str], other: list[str], theme: str) -> list[str]:
    """Principal actor first: the side's convener (tied to most of the side's other actors:
    a link between the two conveners joins both sides), then an actor named in a
    cross-side statement about the theme, then formal responsibility, then evidence."""
    members = set(side)

    def key(x: str) -> tuple[int, bool, bool, float, str]:
        convenes = len(ctx.neighbours[x] & members)
        said = any(
            frozenset((x, y)) in ctx.negatives and ctx.pair_theme(x, y) == theme for y in other
        )
        act = ctx.activity[x][theme]
        return (-convenes, not said, not act.formal, -act.strength * ctx.prominence(x), x)

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
            distance = hop_distance(ctx.neighbours, side_a, side_b)
            separation = 1.0 - 1.0 / distance if distance != float("inf") else 1.0
            score = (best_a * best_b) ** 0.5 * separation
            # A statement confirms the disconnect on the theme its pair most shares (what it
            # is about), not every theme the two touch.
            negatives: list[PlainRelation] = [
                r
                for x in side_a
                for y in side_b
                if frozenset((x, y)) in ctx.negatives and ctx.pair_theme(x, y) == theme
                for r in ctx.negatives[frozenset((x, y))]
            ]
            score = corroborate(score, negatives)
            ranked_a = _rank_side(ctx, side_a, side_b, theme)
            ranked_b = _rank_side(ctx, side_b, side_a, theme)
            # One principal per side: naming several actors of one side together would
            # read as a gap *between* them, and they may well work together.
            named = [ranked_a[0], ranked_b[0]]
            context = ranked_a[1:] + ranked_b[1:]
            evidence: list[PlainEvidence] = [e for r in negatives for e in r.evidence]
            for x in named:
                evidence.extend(ctx.activity[x][theme].evidence[:_EVIDENCE_PER_ACTOR])
            names_a = ", ".join(ctx.name(x) for x in ranked_a)
            names_b = ", ".join(ctx.name(x) for x in ranked_b)
            findings.append(
                new_finding(
                    id=finding_id(GapKind.level_disconnect, named, theme),
                    kind=GapKind.level_disconnect,
                    actors=tuple(ctx.ref(x) for x in named),
                    theme=theme,
                    score=round(min(score, 1.0), 4),
                    explanation=(
                        f"On {theme_text(theme)}, no tie links {_LABEL[group_a]} actors "
                        f"({names_a}) with {_LABEL[group_b]} actors ({names_b})."
                    ),
                    evidence=ctx.cited(evidence),
                    context_actors=tuple(ctx.ref(x) for x in context),
                )
            )
    return findings


def theme_graph(ctx: GapContext, theme: str) -> nx.Graph:
    """Ties with at least one end active on the theme: theme actors and who relies on them."""
    active = ctx.on_theme(theme)
    g = nx.Graph()
    # From the active actors' neighbour sets: the theme's ties, not a scan of all ties.
    g.add_edges_from((u, v) for u in active for v in ctx.neighbours[u])
    return g


def _theme_adjacency(ctx: GapContext, theme: str) -> dict[str, set[str]]:
    """theme_graph as plain neighbour sets: the same nodes and ties, no networkx graph
    (the single-point rule only walks it)."""
    adj: dict[str, set[str]] = {}
    for u in ctx.on_theme(theme):
        for v in ctx.neighbours[u]:
            adj.setdefault(u, set()).add(v)
            adj.setdefault(v, set()).add(u)
    return adj


def _components(adj: Mapping[str, Iterable[str]], nodes: Iterable[str]) -> list[set[str]]:
    """Connected components of the graph ``adj`` induced on ``nodes``."""
    inside = set(nodes)
    seen: set[str] = set()
    out: list[set[str]] = []
    for start in inside:
        if start in seen:
            continue
        seen.add(start)
        comp, todo = {start}, [start]
        while todo:
            for w in adj[todo.pop()]:
                if w in inside and w not in seen:
                    seen.add(w)
                    comp.add(w)
                    todo.append(w)
        out.append(comp)
    return out


@dataclass
class _CutTree:
    """One depth-first pass over a graph: for every vertex x, the DFS subtrees that become
    their own component when x is removed (Tarjan: child c with low[c] >= disc[x]), as
    level counts (``counts``) and as their roots (``roots``); a subtree's nodes are the
    slice ``preorder[disc[c] : disc[c] + size[c]]``."""

    counts: dict[str, list[int]]  # packed level counts (analysis/_level_counts.py)
    roots: dict[str, list[str]]
    preorder: list[str]
    disc: dict[str, int]
    size: dict[str, int]

    def subtree(self, c: str) -> list[str]:
        return self.preorder[self.disc[c] : self.disc[c] + self.size[c]]


def _separated_counts(g: Mapping[str, Iterable[str]], unit: dict[str, int]) -> _CutTree:
    """The cut tree of ``g`` (see _CutTree): one pass instead of a search per vertex."""
    disc: dict[str, int] = {}
    preorder: list[str] = []
    size: dict[str, int] = {}
    roots: dict[str, list[str]] = defaultdict(list)
    low: dict[str, int] = {}
    sub: dict[str, int] = {}  # packed level counts of the DFS subtree (unit: one actor)
    out: dict[str, list[int]] = defaultdict(list)
    clock = 0
    for root in g:
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        preorder.append(root)
        size[root] = 1
        sub[root] = unit.get(root, 0)
        stack: list[tuple[str, str | None, Iterator[str]]] = [(root, None, iter(g[root]))]
        while stack:
            v, parent, children = stack[-1]
            advanced = False
            for w in children:
                if w == v:
                    continue
                if w not in disc:
                    disc[w] = low[w] = clock
                    clock += 1
                    preorder.append(w)
                    size[w] = 1
                    sub[w] = unit.get(w, 0)
                    stack.append((w, v, iter(g[w])))
                    advanced = True
                    break
                if w != parent:
                    low[v] = min(low[v], disc[w])
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[v])
                sub[parent] += sub[v]
                size[parent] += size[v]
                if low[v] >= disc[parent]:
                    out[parent].append(sub[v])
                    roots[parent].append(v)
    # The root separates a child subtree only when it has two or more children; the DFS
    # above records one part per child, so a root with one child keeps a single part that
    # equals its whole component and cuts nothing (kept == total in the caller).
    return _CutTree(counts=out, roots=roots, preorder=preorder, disc=disc, size=size)


def _stranded(parts: list[list[str]], level: dict[str, str]) -> list[str]:
    """Actors cut off from some actor of another level they reached via the cut point: n
    in part i is stranded when the other parts hold an actor whose level is not n's.
    Counted per part (levels outside it = all levels minus its own), not by comparing
    every actor with every actor of the other parts."""
    per_part = [Counter(level[n] for n in p) for p in parts]
    total: Counter[str] = Counter()
    for counts in per_part:
        total.update(counts)
    out: list[str] = []
    for p, counts in zip(parts, per_part, strict=True):
        elsewhere = {lv: total[lv] - counts[lv] for lv in total}
        others = sum(elsewhere.values())
        out.extend(n for n in p if others - elsewhere[level[n]] > 0)
    return sorted(out)


def single_point_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """x is the only path, within the theme's ties, between partners of different levels."""
    best: dict[str, Finding] = {}
    for theme in ctx.themes():
        if themes is not None and theme not in themes:
            continue
        g = _theme_adjacency(ctx, theme)
        active = [n for n in ctx.on_theme(theme) if n in g]
        level = {n: str(ctx.actors[n].level) for n in active}
        codes = LevelCodes(level.values())
        unit = {n: codes.unit(lv) for n, lv in level.items()}
        cross = codes.cross_pairs
        # Pairs are counted, not enumerated: the number of cross-level pairs among a set of
        # actors follows from how many sit at each level. Only an articulation point can
        # cut anything, and only inside its own component (linear-time per candidate,
        # instead of a path search per pair per actor).
        components = _components(g, g)
        component_of = {n: i for i, comp in enumerate(components) for n in comp}
        counts_by_component: dict[int, int] = defaultdict(int)
        for n in active:
            counts_by_component[component_of[n]] += unit[n]
        all_cross = sum(cross(c) for c in counts_by_component.values())
        tree = _separated_counts(g, unit)
        separated = tree.counts
        for x in sorted(set(separated) & set(active)):
            # Only actors with their own stake in the theme count: a pendant partner hangs
            # on whoever it is tied to, which makes every hub a "single point" and says
            # nothing about the theme's coordination.
            whole = counts_by_component[component_of[x]]
            own = whole - unit[x]  # x's component without x
            cross_n = all_cross - cross(whole) + cross(own)
            if cross_n == 0:
                continue
            # The parts x holds together: the DFS subtrees it separates, and the rest (the
            # subtrees are disjoint parts of x's component without x: no count goes negative).
            split = separated[x]
            rest_counts = own - sum(split)
            kept = sum(cross(c) for c in (*split, rest_counts))
            cut_n = cross(own) - kept
            if cut_n <= 0:
                continue
            # Names are needed only for actual findings: the parts as node lists, read off
            # the DFS (the separated subtrees, and the rest of x's component, which stays
            # connected through x's parent) instead of a component search per candidate.
            parts = [[n for n in tree.subtree(c) if n in level] for c in tree.roots[x]]
            cut = {n for p in parts for n in p}
            parts.append(
                [n for n in components[component_of[x]] if n in level and n != x and n not in cut]
            )
            parts = [p for p in parts if p]
            stranded = _stranded(parts, level)
            score = ctx.activity[x][theme].strength * (cut_n / cross_n) ** 0.5
            levels = sorted({str(ctx.actors[n].level) for n in stranded})
            evidence = list(ctx.activity[x][theme].evidence[:_EVIDENCE_PER_ACTOR])
            for n in stranded:
                if ctx.ties.has_edge(x, n):
                    for r in ctx.ties.edges[x, n]["relations"]:
                        evidence.extend(r.evidence[:1])
            f = new_finding(
                id=finding_id(GapKind.single_point_of_failure, (x,), theme),
                kind=GapKind.single_point_of_failure,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"On {theme_text(theme)}, {ctx.name(x)} is the only link between "
                    f"{', '.join(ctx.name(n) for n in stranded)} "
                    f"({' / '.join(levels)}): if it fails, they are cut apart."
                ),
                evidence=ctx.cited(evidence),
                context_actors=tuple(ctx.ref(n) for n in stranded),
            )
            if x not in best or f.score > best[x].score:
                best[x] = f
    return list(best.values())


def _side(ctx: GapContext, node: str) -> str:
    """Level of government or sector: the groups a bridge is between."""
    actor = ctx.actors[node]
    return level_group(actor) or sector(actor)


def person_single_point_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """A person who alone carries their organisation's ties to another level or sector.

    People are folded into their organisation, so a structural cut never shows them: the
    sergeant *is* the police command's tie to the shelter. When every relation behind a tie
    of organisation X to a partner Y of another side names the same member P, the tie rests
    on P: if P leaves, X has no link to Y. Score on theme T: the strength of P's passages to
    those partners times sqrt(share of X's partners on T that rest on P), confirmed by
    statements that X itself does not work with them, about T ("apart from her, the
    division never calls us").
    """
    people = {a.id: a for a in ctx.subgraph.actors if ctx.nodes.get(a.id, a.id) != a.id}
    if not people:
        return []
    held: dict[str, dict[str, list[PlainRelation]]] = defaultdict(lambda: defaultdict(list))
    for rel in ctx.subgraph.relations:
        if rel.kind not in TIE_KINDS:
            continue
        for person, other in ((rel.source, rel.target), (rel.target, rel.source)):
            if person in people and ctx.nodes.get(other, other) in ctx.actors:
                org, partner = ctx.nodes[person], ctx.nodes.get(other, other)
                if partner != org:
                    held[person][partner].append(rel)
    findings: list[Finding] = []
    for person in sorted(held):
        org = ctx.nodes[person]
        resting = sorted(
            y
            for y in held[person]
            if ctx.ties.has_edge(org, y)
            and _side(ctx, y) != _side(ctx, org)
            and all(person in (r.source, r.target) for r in ctx.ties.edges[org, y]["relations"])
        )
        if not resting:
            continue
        best: Finding | None = None
        # Rarer themes first, so an equal score keeps the more telling theme.
        for theme in sorted(ctx.activity.get(org, {}), key=lambda t: (ctx.theme_size[t], t)):
            if themes is not None and theme not in themes:
                continue
            partners = [n for n in ctx.neighbours[org] if theme in ctx.activity.get(n, {})]
            on_theme = [y for y in resting if theme in ctx.activity.get(y, {})]
            if not on_theme:
                continue
            ties = [r for y in on_theme for r in held[person][y]]
            presence = evidence_strength(len({e.passage_id for r in ties for e in r.evidence}))
            statements = [
                r
                for y in on_theme
                if ctx.pair_theme(org, y) == theme
                for r in ctx.negatives.get(frozenset((org, y)), ())
            ]
            score = corroborate(presence * (len(on_theme) / len(partners)) ** 0.5, statements)
            if best is not None and score <= best.score:
                continue
            p = people[person]
            names = ", ".join(ctx.name(y) for y in on_theme)
            best = new_finding(
                id=finding_id(GapKind.single_point_of_failure, (person,), theme),
                kind=GapKind.single_point_of_failure,
                actors=(ActorRef(id=p.id, name=p.name, type=p.type, level=p.level),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"On {theme_text(theme)}, {p.name} is {ctx.name(org)}'s only link to {names}: "
                    f"if {p.name} leaves, {ctx.name(org)} has no tie to them."
                ),
                evidence=ctx.cited(
                    [e for r in statements for e in r.evidence]
                    + [e for r in ties for e in r.evidence[:1]]
                ),
                context_actors=tuple(ctx.ref(x) for x in (org, *on_theme)),
            )
        if best is not None:
            findings.append(best)
    return findings
