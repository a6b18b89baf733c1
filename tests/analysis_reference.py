"""The analysis layer as it was before the speed work (issue 14): the reference oracle.

A verbatim copy of analysis/network.py, _context.py, _pairs.py, _structure.py, _actors.py,
gaps.py and metrics.py at commit ebbad79, concatenated into one module (relative
imports dropped; _structure's _EVIDENCE_PER_ACTOR renamed, it differs from _pairs'). Only the
result models (analysis.model) are shared. tests/test_analysis_equivalence.py checks that
the fast implementation gives exactly what this one gives. Do not "fix" this file: it is the
definition of the expected results.
"""
# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
import networkx as nx
from graph_schema.model import (
    POSITIVE_RELATIONS,
    ActorView,
    EvidenceView,
    RelationKind,
    RelationView,
    Subgraph,
)
from dataclasses import dataclass, field
from graph_schema.model import (
    ActorView,
    DocumentView,
    EvidenceView,
    PolicyView,
    RelationKind,
    RelationView,
    Subgraph,
)
from analysis.model import ActorRef
from itertools import combinations
from graph_schema.model import EvidenceView, RelationKind, RelationView
from analysis.model import Finding, GapKind, finding_id
from collections import Counter, defaultdict
from collections.abc import Iterator
from graph_schema.model import EvidenceView, RelationView
from analysis.model import ActorRef, Finding, GapKind, finding_id
import re
from graph_schema.model import EvidenceView, RelationKind
from analysis.model import Finding, GapKind, PolicyRef, finding_id
from graph_schema.model import Subgraph
from analysis.model import Finding, GapFilters, GapKind
import math
from collections.abc import Callable
from analysis.model import (
    ActorMetrics,
    ActorRef,
    BrokerageCounts,
    NetworkMetrics,
    ThemeArticulation,
)


# ---- analysis/network.py ------------------------------------------------------------

# Between two actors, a mandate (one body tasks another) and an implements edge (a unit
# carries out another's work) are formal links as real as a partnership.
TIE_KINDS = frozenset(POSITIVE_RELATIONS | {RelationKind.mandate, RelationKind.implements})


def is_organisation(actor: ActorView) -> bool:
    return actor.label != "Person"


def filter_subgraph(
    subgraph: Subgraph,
    *,
    min_confidence: float = 0.0,
    document_ids: frozenset[str] | None = None,
) -> Subgraph:
    """Drop relations and evidence below ``min_confidence`` or outside ``document_ids``.

    A relation survives the document filter when one of its passages (or, lacking stored
    passages, one of its ``doc_ids``) is in the set; it then keeps only those passages, so
    every finding built on it cites the selected documents only.
    """

    def keep_evidence(ev: EvidenceView) -> bool:
        if ev.confidence < min_confidence:
            return False
        return document_ids is None or ev.document_id in document_ids

    relations: list[RelationView] = []
    for rel in subgraph.relations:
        if rel.confidence < min_confidence:
            continue
        evidence = tuple(ev for ev in rel.evidence if keep_evidence(ev))
        if document_ids is not None:
            doc_ids = tuple(d for d in rel.doc_ids if d in document_ids)
            if not evidence and not doc_ids:
                continue
            rel = rel.model_copy(update={"evidence": evidence, "doc_ids": doc_ids})
        elif len(evidence) != len(rel.evidence):
            rel = rel.model_copy(update={"evidence": evidence})
        relations.append(rel)

    if document_ids is None:
        return subgraph.model_copy(update={"relations": tuple(relations)})
    docs = tuple(d for d in subgraph.documents if d.id in document_ids)
    actors = tuple(
        a.model_copy(update={"doc_ids": tuple(d for d in a.doc_ids if d in document_ids)})
        for a in subgraph.actors
    )
    policies = tuple(
        p.model_copy(update={"doc_ids": tuple(d for d in p.doc_ids if d in document_ids)})
        for p in subgraph.policies
    )
    return Subgraph(documents=docs, actors=actors, policies=policies, relations=tuple(relations))


def build_graph(subgraph: Subgraph) -> nx.MultiDiGraph:
    """Every node and relation of the subgraph, evidence kept on the edges."""
    g = nx.MultiDiGraph()
    for a in subgraph.actors:
        g.add_node(
            a.id,
            node_kind="actor",
            label=a.label,
            name=a.name,
            type=a.type,
            level=a.level,
            themes=frozenset(a.themes),
            doc_ids=a.doc_ids,
        )
    for p in subgraph.policies:
        g.add_node(
            p.id,
            node_kind="policy",
            label=p.label,
            name=p.name,
            kind=p.kind,
            themes=frozenset(p.themes),
            doc_ids=p.doc_ids,
        )
    for rel in subgraph.relations:
        for end in (rel.source, rel.target):
            if end not in g:
                # Targets of works_on / mandate / addresses that are no actor or policy are
                # theme ids (plain strings in the contract).
                g.add_node(end, node_kind="theme", label="Theme", name=end)
        g.add_edge(
            rel.source,
            rel.target,
            key=rel.key,
            kind=rel.kind,
            confidence=rel.confidence,
            evidence=rel.evidence,
            doc_ids=rel.doc_ids,
        )
    return g


def affiliations(subgraph: Subgraph) -> dict[str, str]:
    """Person id -> the one organisation they are a member of (ambiguous people stay apart)."""
    orgs = {a.id for a in subgraph.actors if is_organisation(a)}
    people = {a.id for a in subgraph.actors if not is_organisation(a)}
    found: dict[str, set[str]] = defaultdict(set)
    for rel in subgraph.relations:
        if rel.kind == RelationKind.member_of and rel.source in people and rel.target in orgs:
            found[rel.source].add(rel.target)
    return {p: next(iter(o)) for p, o in found.items() if len(o) == 1}


def node_id_map(subgraph: Subgraph) -> dict[str, str]:
    """Actor id -> the node that represents it in the tie graph (people fold into orgs)."""
    fold = affiliations(subgraph)
    return {a.id: fold.get(a.id, a.id) for a in subgraph.actors}


def _actor_pairs(
    subgraph: Subgraph, kinds: Iterable[RelationKind]
) -> Iterable[tuple[str, str, RelationView]]:
    wanted = frozenset(kinds)
    nodes = node_id_map(subgraph)
    for rel in subgraph.relations:
        if rel.kind not in wanted:
            continue
        u, v = nodes.get(rel.source), nodes.get(rel.target)
        if u is None or v is None or u == v:
            continue
        yield u, v, rel


def tie_graph(subgraph: Subgraph) -> nx.Graph:
    """Undirected graph of positive actor-actor ties, one edge per pair.

    Edge attributes: ``kinds`` (frozenset of RelationKind), ``relations`` (the views, for
    evidence) and ``confidence`` (the best one). Every organisation is a node, tie or not.
    """
    g = nx.Graph()
    nodes = node_id_map(subgraph)
    for a in subgraph.actors:
        if nodes[a.id] == a.id:
            g.add_node(a.id, name=a.name, type=a.type, level=a.level, label=a.label)
    for u, v, rel in _actor_pairs(subgraph, TIE_KINDS):
        if g.has_edge(u, v):
            data = g.edges[u, v]
            data["kinds"] = data["kinds"] | {rel.kind}
            data["relations"] = (*data["relations"], rel)
            data["confidence"] = max(data["confidence"], rel.confidence)
        else:
            g.add_edge(
                u, v, kinds=frozenset({rel.kind}), relations=(rel,), confidence=rel.confidence
            )
    return g


def directed_tie_graph(subgraph: Subgraph) -> nx.DiGraph:
    """Positive ties as stated (source -> target), for directed brokerage."""
    g = nx.DiGraph()
    nodes = node_id_map(subgraph)
    for a in subgraph.actors:
        if nodes[a.id] == a.id:
            g.add_node(a.id)
    for u, v, _rel in _actor_pairs(subgraph, TIE_KINDS):
        g.add_edge(u, v)
    return g


def negative_relations(subgraph: Subgraph) -> dict[frozenset[str], tuple[RelationView, ...]]:
    """Unordered actor pair -> the explicit non-coordination statements about it."""
    found: dict[frozenset[str], list[RelationView]] = defaultdict(list)
    for u, v, rel in _actor_pairs(subgraph, (RelationKind.negative_coordination,)):
        found[frozenset((u, v))].append(rel)
    return {pair: tuple(rels) for pair, rels in found.items()}


# ---- analysis/_context.py ------------------------------------------------------------

INTERVIEW_KINDS = frozenset({"kii", "fgd", "hearing", "meeting"})


POLICY_DOC_KINDS = frozenset({"policy", "plan", "law", "report"})


# A relation stored without passages still says something, but less than one quote.
_UNQUOTED_WEIGHT = 0.5


_FORMAL_KINDS = frozenset({RelationKind.mandate, RelationKind.implements})


def evidence_strength(weight: float) -> float:
    return float(1.0 - 0.5 ** max(weight, 0.0))


def statement_strength(statements: Iterable[RelationView]) -> float:
    """How sure explicit non-coordination statements make a gap on their own: the best
    confidence times the strength of their distinct passages, the statement counting once
    more for being explicit (one passage at full confidence: 0.75)."""
    rels = list(statements)
    if not rels:
        return 0.0
    passages = len({e.passage_id for r in rels for e in r.evidence}) or _UNQUOTED_WEIGHT
    return max(r.confidence for r in rels) * evidence_strength(passages + 1.0)


def corroborate(score: float, statements: Iterable[RelationView]) -> float:
    """An absence score and statements of non-coordination are independent evidence of one
    gap: each removes its share of the remaining doubt (1 - (1 - S)(1 - N)). A finding that
    absorbs a statement therefore never ranks below the statement alone."""
    return score + (1.0 - score) * statement_strength(statements)


_STATE_TYPES = frozenset({"government", "police_justice"})


_NON_STATE_TYPES = frozenset(
    {"ngo", "community_group", "faith_group", "private_sector", "academia"}
)


def sector(actor: ActorView | ActorRef) -> str:
    """state / non_state / international: the coarse groups coordination is expected across.

    The actor's *type* decides first: a faith group or an NGO working in one city is
    non-state whatever its geographic ``level`` says (extraction often files such groups
    as ``local``, which is their scope, not their sector). Level decides only when the type
    is missing.
    """
    if actor.type in _NON_STATE_TYPES:
        return "non_state"
    if actor.type == "international_org":
        return "international"
    if actor.type in _STATE_TYPES:
        return "international" if actor.level == "international" else "state"
    if actor.level == "non_state":
        return "non_state"
    if actor.level == "international":
        return "international"
    if actor.level in ("local", "national"):
        return "state"
    return "unknown"


def level_group(actor: ActorView | ActorRef) -> str | None:
    """local / national (government) or non_state: the sides a level disconnect is between."""
    s = sector(actor)
    if s == "non_state":
        return "non_state"
    if s == "state" and actor.level in ("local", "national"):
        return actor.level
    return None


@dataclass(frozen=True)
class Activity:
    """One actor's evidence on one theme."""

    weight: float
    formal: bool  # holds a mandate or implements a policy on the theme
    evidence: tuple[EvidenceView, ...]

    @property
    def strength(self) -> float:
        return evidence_strength(self.weight)


def theme_fit(act_a: Activity, act_b: Activity) -> float:
    """How clearly two actors share a theme: their evidence (geometric mean of strengths)
    times formality (1 both formally responsible, 0.75 one, 0.5 none)."""
    formality = {2: 1.0, 1: 0.75, 0: 0.5}[int(act_a.formal) + int(act_b.formal)]
    return float((act_a.strength * act_b.strength) ** 0.5 * formality)


def theme_text(theme: str) -> str:
    """A theme as an explanation names it: its label ("Gender-based violence"), never the
    raw id; read from the theme vocabulary's data (nlp.lexicon, no spaCy)."""
    from nlp.lexicon import theme_name

    return theme_name(theme)


@dataclass(frozen=True)
class GapContext:
    subgraph: Subgraph
    actors: dict[str, ActorView]  # tie-graph nodes only (people folded into orgs dropped)
    policies: dict[str, PolicyView]
    documents: dict[str, DocumentView]
    ties: nx.Graph
    negatives: dict[frozenset[str], tuple[RelationView, ...]]
    activity: dict[str, dict[str, Activity]]  # actor -> theme -> activity
    programme_implementers: dict[str, frozenset[str]]
    relations_of: dict[str, tuple[RelationView, ...]] = field(default_factory=dict)
    nodes: dict[str, str] = field(default_factory=dict)  # actor id -> tie-graph node
    max_degree: int = 0  # of the tie graph, computed once (prominence is called per pair)
    theme_size: dict[str, int] = field(default_factory=dict)  # organisations active on it

    def ref(self, actor_id: str) -> ActorRef:
        a = self.actors[actor_id]
        return ActorRef(id=a.id, name=a.name, type=a.type, level=a.level)

    def name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    def organisations(self) -> list[str]:
        return sorted(i for i, a in self.actors.items() if is_organisation(a))

    def prominence(self, actor_id: str) -> float:
        """0.5 .. 1 by degree: a gap between hubs matters more, a leaf's still counts."""
        top = self.max_degree
        if top == 0:
            return 0.5
        return 0.5 + 0.5 * float(self.ties.degree(actor_id)) / top

    def linked(self, a: str, b: str) -> bool:
        return bool(self.ties.has_edge(a, b))

    def pair_theme(self, a: str, b: str) -> str | None:
        """The theme two actors most share (evidence and formality, as in the pair score):
        what a statement that they do not coordinate is about."""
        acts_a, acts_b = self.activity.get(a, {}), self.activity.get(b, {})
        shared = sorted(set(acts_a) & set(acts_b))
        if not shared:
            return None
        # Between equally shared themes, the one fewer organisations work on says more
        # about the pair (names decide only a tie of both).
        return max(
            shared, key=lambda t: (theme_fit(acts_a[t], acts_b[t]), -self.theme_size.get(t, 0))
        )

    def themes(self) -> list[str]:
        return sorted({t for acts in self.activity.values() for t in acts})

    def on_theme(self, theme: str) -> list[str]:
        return sorted(
            a
            for a, acts in self.activity.items()
            if theme in acts and is_organisation(self.actors[a])
        )


def _dedup(evidence: list[EvidenceView]) -> tuple[EvidenceView, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[EvidenceView] = []
    for ev in sorted(evidence, key=lambda e: (-e.confidence, e.document_id, e.passage_id)):
        key = (ev.passage_id, ev.quote)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return tuple(out)


def _policy_themes(subgraph: Subgraph) -> dict[str, frozenset[str]]:
    themes: dict[str, set[str]] = {p.id: set(p.themes) for p in subgraph.policies}
    for rel in subgraph.relations:
        if rel.kind == RelationKind.addresses and rel.source in themes:
            themes[rel.source].add(rel.target)
    return {p: frozenset(t) for p, t in themes.items()}


def build_context(subgraph: Subgraph) -> GapContext:
    nodes = node_id_map(subgraph)
    actor_ids = set(nodes)
    policies = {p.id: p for p in subgraph.policies}
    policy_themes = _policy_themes(subgraph)

    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    formal: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, dict[str, list[EvidenceView]]] = defaultdict(lambda: defaultdict(list))
    implementers: dict[str, set[str]] = defaultdict(set)
    relations_of: dict[str, list[RelationView]] = defaultdict(list)

    for rel in subgraph.relations:
        if rel.source in actor_ids:
            relations_of[nodes[rel.source]].append(rel)
        if rel.target in actor_ids and rel.target != rel.source:
            relations_of[nodes[rel.target]].append(rel)
        if rel.source not in actor_ids:
            continue
        who = nodes[rel.source]
        amount = float(len({e.passage_id for e in rel.evidence})) or _UNQUOTED_WEIGHT
        if rel.target in policies:
            if rel.kind == RelationKind.implements:
                implementers[rel.target].add(who)
            if rel.kind not in TIE_KINDS:
                continue
            themes = policy_themes.get(rel.target, frozenset())
            for theme in themes:
                weights[who][theme] += amount / len(themes)
                evidence[who][theme].extend(rel.evidence)
                if rel.kind in _FORMAL_KINDS:
                    formal[who].add(theme)
        elif rel.target not in actor_ids and rel.kind in (
            RelationKind.works_on,
            RelationKind.mandate,
        ):
            weights[who][rel.target] += amount
            evidence[who][rel.target].extend(rel.evidence)
            if rel.kind == RelationKind.mandate:
                formal[who].add(rel.target)

    activity = {
        who: {
            theme: Activity(
                weight=w, formal=theme in formal[who], evidence=_dedup(evidence[who][theme])
            )
            for theme, w in per_theme.items()
        }
        for who, per_theme in weights.items()
    }
    ties = tie_graph(subgraph)
    negatives = negative_relations(subgraph)
    for pair, statements in negatives.items():
        u, v = sorted(pair)
        if not ties.has_edge(u, v):
            continue
        # A contested tie: an explicit "we do not work with them" at least as confident as
        # the positive evidence for the pair outweighs it. Extracted positive ties are
        # often wishes or plans ("one meeting a month, that is all we ask"); a first-hand
        # statement of non-coordination is what the analyst needs to see. Clear positive
        # evidence (more confident than every such statement) still wins. A statement
        # contests only relations between the same two nodes it names: one about an
        # organisation leaves the tie one of its members holds ("apart from her, the
        # division never calls us"), the more specific fact.
        said: dict[frozenset[str], float] = defaultdict(float)
        for r in statements:
            ends = frozenset((r.source, r.target))
            said[ends] = max(said[ends], r.confidence)
        if all(
            r.confidence <= said.get(frozenset((r.source, r.target)), -1.0)
            for r in ties.edges[u, v]["relations"]
        ):
            ties.remove_edge(u, v)
    actors = {a.id: a for a in subgraph.actors if a.id in ties}
    theme_size: dict[str, int] = defaultdict(int)
    for who, acts in activity.items():
        if who in actors and is_organisation(actors[who]):
            for theme in acts:
                theme_size[theme] += 1
    return GapContext(
        subgraph=subgraph,
        theme_size=dict(theme_size),
        actors=actors,
        policies=policies,
        documents={d.id: d for d in subgraph.documents},
        ties=ties,
        negatives=negatives,
        max_degree=max((d for _, d in ties.degree()), default=0),
        activity=activity,
        programme_implementers={
            p: frozenset(a) for p, a in implementers.items() if policies[p].label == "Programme"
        },
        relations_of={k: tuple(v) for k, v in relations_of.items()},
        nodes=nodes,
    )


def top_theme(ctx: GapContext, actor: str, themes: frozenset[str] | None) -> str | None:
    """The theme an actor is most clearly responsible for (formal first, then weight)."""
    acts = {t: a for t, a in ctx.activity.get(actor, {}).items() if themes is None or t in themes}
    if not acts:
        return None
    return max(sorted(acts), key=lambda t: (acts[t].formal, acts[t].weight))


# ---- analysis/_pairs.py ------------------------------------------------------------

# Shared seats on a body (coordinates / member_of towards the same node) count as a link.
_BODY_KINDS = frozenset({RelationKind.coordinates, RelationKind.member_of})


_EVIDENCE_PER_ACTOR = 3


def _neg_evidence(negatives: tuple[RelationView, ...]) -> list[EvidenceView]:
    return [e for r in negatives for e in r.evidence]


def _shared_body(ctx: GapContext, a: str, b: str) -> str | None:
    for c in sorted(set(ctx.ties[a]) & set(ctx.ties[b])):
        if (
            ctx.ties.edges[a, c]["kinds"] & _BODY_KINDS
            and ctx.ties.edges[b, c]["kinds"] & _BODY_KINDS
            and frozenset((a, c)) not in ctx.negatives
            and frozenset((b, c)) not in ctx.negatives
        ):
            return str(c)
    return None


def _co_implement(ctx: GapContext, a: str, b: str) -> bool:
    """Running the same programme is working together; sharing a broad policy is not."""
    return any(a in who and b in who for who in ctx.programme_implementers.values())


def _overlap_score(ctx: GapContext, a: str, b: str, theme: str) -> float:
    fit = theme_fit(ctx.activity[a][theme], ctx.activity[b][theme])
    brokers = len(set(ctx.ties[a]) & set(ctx.ties[b]))
    indirect = 1.0 / (1.0 + 0.5 * brokers)
    prominence = (ctx.prominence(a) * ctx.prominence(b)) ** 0.5
    return float(fit * indirect * prominence)


def _activity_evidence(
    ctx: GapContext, actors: tuple[str, ...], theme: str | None
) -> list[EvidenceView]:
    if theme is None:
        return []
    out: list[EvidenceView] = []
    for x in actors:
        act = ctx.activity.get(x, {}).get(theme)
        if act is not None:
            out.extend(act.evidence[:_EVIDENCE_PER_ACTOR])
    return out


# Each actor's shared-mandate findings are limited to its strongest unlinked counterparts.
# Beyond a few, "A and B share a theme but are not linked" stops being a pair to act on and
# becomes "A is disconnected on the theme", which level_disconnect and isolated_actor say
# once instead of hundreds of times (docs/gaps.md, "How many pairs").
PAIRS_PER_ACTOR = 3


def _strongest_per_actor(
    candidates: dict[frozenset[str], tuple[float, str]], keep: set[frozenset[str]]
) -> dict[frozenset[str], tuple[float, str]]:
    """Keep a pair when it is among the PAIRS_PER_ACTOR best of either of its actors, or
    when a source speaks about it (``keep``)."""
    ranked = sorted(candidates.items(), key=lambda kv: (-kv[1][0], sorted(kv[0])))
    used: dict[str, int] = {}
    out: dict[frozenset[str], tuple[float, str]] = {}
    for pair, value in ranked:
        a, b = sorted(pair)
        if pair in keep or used.get(a, 0) < PAIRS_PER_ACTOR or used.get(b, 0) < PAIRS_PER_ACTOR:
            out[pair] = value
            used[a] = used.get(a, 0) + 1
            used[b] = used.get(b, 0) + 1
    return out


def pair_findings(
    ctx: GapContext, themes: frozenset[str] | None, min_score: float = 0.0
) -> list[Finding]:
    """Pair findings scoring at least ``min_score``. The floor is applied before a finding is
    built: a theme with hundreds of actors has tens of thousands of candidate pairs."""
    orgs = set(ctx.organisations())
    # Only actors active on a common theme can share a mandate: enumerate pairs per theme
    # (not all pairs of the subgraph, which a theme read's neighbours make large).
    by_theme: dict[str, list[str]] = defaultdict(list)
    for who, acts in ctx.activity.items():
        if who in orgs:
            for t in acts:
                if themes is None or t in themes:
                    by_theme[t].append(who)
    candidates: dict[frozenset[str], tuple[float, str]] = {}
    unlinked: dict[frozenset[str], bool] = {}
    # Rarer themes first: on a tie the pair keeps the theme fewer organisations work on (as
    # GapContext.pair_theme does).
    for t in sorted(by_theme, key=lambda t: (ctx.theme_size.get(t, 0), t)):
        for a, b in combinations(sorted(by_theme[t]), 2):
            pair = frozenset((a, b))
            if pair not in unlinked:
                unlinked[pair] = not (
                    ctx.linked(a, b) or _co_implement(ctx, a, b) or _shared_body(ctx, a, b)
                )
            if not unlinked[pair]:
                continue
            score = _overlap_score(ctx, a, b, t)
            if pair not in candidates or score > candidates[pair][0]:
                candidates[pair] = (score, t)
    candidates = _strongest_per_actor(candidates, keep=set(ctx.negatives))

    findings: list[Finding] = []
    for pair in sorted(set(candidates) | set(ctx.negatives), key=sorted):
        a, b = sorted(pair)
        if a not in ctx.actors or b not in ctx.actors or ctx.linked(a, b):
            # A positive tie wins over a negative statement: sources can disagree (a plan
            # invites, practice declines), and a pair that coordinates is never a gap.
            continue
        negatives = ctx.negatives.get(pair, ())
        theme: str | None = None
        both_formal = False
        overlap = 0.0
        if pair in candidates:
            overlap, theme = candidates[pair]
            both_formal = ctx.activity[a][theme].formal and ctx.activity[b][theme].formal
        if pair in candidates and (both_formal or not negatives):
            score = corroborate(overlap, negatives)
            if score < min_score:
                continue
            kind = GapKind.shared_mandate_no_link
            said = " and a source states they do not coordinate" if negatives else ""
            assert theme is not None  # a candidate pair always shares a theme
            text = (
                f"{ctx.name(a)} and {ctx.name(b)} both work on {theme_text(theme)} but no "
                f"partnership, agreement or shared body links them{said}."
            )
            evidence = _neg_evidence(negatives) + _activity_evidence(ctx, (a, b), theme)
        elif negatives:
            kind = GapKind.negative_evidence
            if pair in candidates:
                theme = candidates[pair][1]
            else:
                # The theme on which the actor spoken about was expected to show up.
                about = ctx.nodes.get(negatives[0].target, b)
                other = a if about == b else b
                theme = top_theme(ctx, about, themes) or top_theme(ctx, other, themes)
                if themes is not None and theme is None:
                    continue
            # The statement, and the shared theme when there is one (overlap is 0 without).
            score = corroborate(overlap, negatives)
            if score < min_score:
                continue
            where = f" on {theme_text(theme)}" if theme else ""
            text = f"A source states that {ctx.name(a)} and {ctx.name(b)} do not coordinate{where}."
            evidence = _neg_evidence(negatives) + _activity_evidence(ctx, (a, b), theme)
        else:
            continue
        findings.append(
            Finding(
                id=finding_id(kind, (a, b), theme),
                kind=kind,
                actors=(ctx.ref(a), ctx.ref(b)),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=text,
                evidence=tuple(evidence),
            )
        )
    return findings


# ---- analysis/_structure.py ------------------------------------------------------------

_STRUCTURE_EVIDENCE_PER_ACTOR = 2


# The pairs of sides a disconnect is looked for between: the two levels of government, and
# each level of government against the non-state actors on the theme ("government with no
# non-state actor" is level-specific: a city that funds the NGOs does not connect the
# national ministry to them).
_DIVIDES = (("local", "national"), ("local", "non_state"), ("national", "non_state"))


_LABEL = {"local": "local government", "national": "national government", "non_state": "non-state"}


def _side_distance(ties: nx.Graph, side_a: list[str], side_b: list[str]) -> float:
    lengths = nx.multi_source_dijkstra_path_length(ties, set(side_a))
    found = [lengths[b] for b in side_b if b in lengths]
    return float(min(found)) if found else float("inf")


def _rank_side(ctx: GapContext, side: list[str], other: list[str], theme: str) -> list[str]:
    """Principal actor first: the side's convener (tied to most of the side's other actors:
    a link between the two conveners joins both sides), then an actor named in a
    cross-side statement about the theme, then formal responsibility, then evidence."""
    members = set(side)

    def key(x: str) -> tuple[int, bool, bool, float, str]:
        convenes = sum(1 for n in ctx.ties[x] if n in members)
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
            distance = _side_distance(ctx.ties, side_a, side_b)
            separation = 1.0 - 1.0 / distance if distance != float("inf") else 1.0
            score = (best_a * best_b) ** 0.5 * separation
            # A statement confirms the disconnect on the theme its pair most shares (what it
            # is about), not every theme the two touch.
            negatives: list[RelationView] = [
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
            evidence: list[EvidenceView] = [e for r in negatives for e in r.evidence]
            for x in named:
                evidence.extend(ctx.activity[x][theme].evidence[:_STRUCTURE_EVIDENCE_PER_ACTOR])
            names_a = ", ".join(ctx.name(x) for x in ranked_a)
            names_b = ", ".join(ctx.name(x) for x in ranked_b)
            findings.append(
                Finding(
                    id=finding_id(GapKind.level_disconnect, named, theme),
                    kind=GapKind.level_disconnect,
                    actors=tuple(ctx.ref(x) for x in named),
                    theme=theme,
                    score=round(min(score, 1.0), 4),
                    explanation=(
                        f"On {theme_text(theme)}, no tie links {_LABEL[group_a]} actors "
                        f"({names_a}) with {_LABEL[group_b]} actors ({names_b})."
                    ),
                    evidence=tuple(evidence),
                    context_actors=tuple(ctx.ref(x) for x in context),
                )
            )
    return findings


def theme_graph(ctx: GapContext, theme: str) -> nx.Graph:
    """Ties with at least one end active on the theme: theme actors and who relies on them."""
    active = set(ctx.on_theme(theme))
    g = nx.Graph()
    g.add_edges_from((u, v) for u, v in ctx.ties.edges() if u in active or v in active)
    return g


def _cross_pairs(counts: Counter[str]) -> int:
    """How many unordered pairs of actors in different levels a level count allows."""
    n = sum(counts.values())
    return (n * n - sum(c * c for c in counts.values())) // 2


def _separated_counts(g: nx.Graph, level: dict[str, str]) -> dict[str, list[Counter[str]]]:
    """For every vertex x, the level counts (of actors in ``level``) of each DFS subtree that
    becomes its own component when x is removed (Tarjan: child c with low[c] >= disc[x]).
    One depth-first pass over the graph instead of a component search per vertex."""
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    sub: dict[str, Counter[str]] = {}
    out: dict[str, list[Counter[str]]] = defaultdict(list)
    clock = 0
    for root in g:
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        sub[root] = Counter({level[root]: 1}) if root in level else Counter()
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
                    sub[w] = Counter({level[w]: 1}) if w in level else Counter()
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
                if low[v] >= disc[parent]:
                    out[parent].append(sub[v])
    # The root separates a child subtree only when it has two or more children; the DFS
    # above records one part per child, so a root with one child keeps a single part that
    # equals its whole component and cuts nothing (kept == total in the caller).
    return out


def single_point_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """x is the only path, within the theme's ties, between partners of different levels."""
    best: dict[str, Finding] = {}
    for theme in ctx.themes():
        if themes is not None and theme not in themes:
            continue
        g = theme_graph(ctx, theme)
        active = [n for n in ctx.on_theme(theme) if n in g]
        level = {n: str(ctx.actors[n].level) for n in active}
        # Pairs are counted, not enumerated: the number of cross-level pairs among a set of
        # actors follows from how many sit at each level. Only an articulation point can
        # cut anything, and only inside its own component (linear-time per candidate,
        # instead of a path search per pair per actor).
        component_of = {n: i for i, comp in enumerate(nx.connected_components(g)) for n in comp}
        counts_by_component: dict[int, Counter[str]] = defaultdict(Counter)
        for n in active:
            counts_by_component[component_of[n]][level[n]] += 1
        all_cross = sum(_cross_pairs(c) for c in counts_by_component.values())
        separated = _separated_counts(g, level)
        for x in sorted(set(separated) & set(active)):
            # Only actors with their own stake in the theme count: a pendant partner hangs
            # on whoever it is tied to, which makes every hub a "single point" and says
            # nothing about the theme's coordination.
            own = counts_by_component[component_of[x]].copy()
            own[level[x]] -= 1
            cross_n = (
                all_cross - _cross_pairs(counts_by_component[component_of[x]]) + _cross_pairs(own)
            )
            if cross_n == 0:
                continue
            # The parts x holds together: the DFS subtrees it separates, and the rest.
            split = separated[x]
            rest_counts = own - sum(split, Counter())
            kept = sum(_cross_pairs(c) for c in (*split, rest_counts))
            cut_n = _cross_pairs(own) - kept
            if cut_n <= 0:
                continue
            # Names are needed only for actual findings: the parts as node lists.
            members = nx.node_connected_component(g, x) - {x}
            rest = g.subgraph(members)
            parts = [[n for n in comp if n in level] for comp in nx.connected_components(rest)]
            parts = [p for p in parts if p]
            # Stranded: an actor cut off from some actor of another level it reached via x.
            stranded = sorted(
                n
                for i, p in enumerate(parts)
                for n in p
                if any(level[m] != level[n] for j, q in enumerate(parts) if j != i for m in q)
            )
            score = ctx.activity[x][theme].strength * (cut_n / cross_n) ** 0.5
            levels = sorted({str(ctx.actors[n].level) for n in stranded})
            evidence = list(ctx.activity[x][theme].evidence[:_STRUCTURE_EVIDENCE_PER_ACTOR])
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
                explanation=(
                    f"On {theme_text(theme)}, {ctx.name(x)} is the only link between "
                    f"{', '.join(ctx.name(n) for n in stranded)} "
                    f"({' / '.join(levels)}): if it fails, they are cut apart."
                ),
                evidence=tuple(evidence),
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
    held: dict[str, dict[str, list[RelationView]]] = defaultdict(lambda: defaultdict(list))
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
            partners = [n for n in ctx.ties[org] if theme in ctx.activity.get(n, {})]
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
            best = Finding(
                id=finding_id(GapKind.single_point_of_failure, (person,), theme),
                kind=GapKind.single_point_of_failure,
                actors=(ActorRef(id=p.id, name=p.name, type=p.type, level=p.level),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"On {theme_text(theme)}, {p.name} is {ctx.name(org)}'s only link to {names}: "
                    f"if {p.name} leaves, {ctx.name(org)} has no tie to them."
                ),
                evidence=tuple(
                    [e for r in statements for e in r.evidence]
                    + [e for r in ties for e in r.evidence[:1]]
                ),
                context_actors=tuple(ctx.ref(x) for x in (org, *on_theme)),
            )
        if best is not None:
            findings.append(best)
    return findings


# ---- analysis/_actors.py ------------------------------------------------------------

_ACTIVE_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.implements,
        RelationKind.mandate,
        RelationKind.works_on,
    }
)


_MAX_EVIDENCE = 4


def _passages(
    ctx: GapContext, actor: str, kinds: frozenset[str] | None = None
) -> list[EvidenceView]:
    out: dict[str, EvidenceView] = {}
    for rel in ctx.relations_of.get(actor, ()):
        if rel.kind not in _ACTIVE_KINDS and rel.kind != RelationKind.negative_coordination:
            continue
        for e in rel.evidence:
            if kinds is None or e.document_kind in kinds:
                out.setdefault(e.passage_id, e)
    return sorted(out.values(), key=lambda e: (-e.confidence, e.document_id, e.passage_id))


def isolated_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    state = {x for x in ctx.organisations() if sector(ctx.actors[x]) == "state"}
    if not state:
        return []  # nothing to be isolated from
    lengths = nx.multi_source_dijkstra_path_length(ctx.ties, state)
    findings: list[Finding] = []
    for x in ctx.organisations():
        if sector(ctx.actors[x]) != "non_state" or any(n in state for n in ctx.ties[x]):
            continue
        if ctx.ties.degree(x) == 0:
            base, how = 1.0, "has no tie to any other actor"
        elif x not in lengths:
            base, how = 0.75, "is tied only to actors that never reach government"
        else:
            # Reached through d-1 intermediaries: each halves how isolated it is.
            base = 0.5 ** (lengths[x] - 1)
            how = "reaches government only through other non-state actors"
        seen = _passages(ctx, x)
        presence = evidence_strength(len(seen) + len(ctx.actors[x].doc_ids))
        score = base * presence
        refusals = [
            r
            for pair, rels in ctx.negatives.items()
            if x in pair
            for r in rels
            if next(iter(pair - {x})) in state
        ]
        score = corroborate(score, refusals)
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(
            Finding(
                id=finding_id(GapKind.isolated_actor, (x,), theme),
                kind=GapKind.isolated_actor,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=f"{ctx.name(x)} is a non-state actor that {how}"
                + (f" (active on {theme_text(theme)})." if theme else "."),
                evidence=tuple([e for r in refusals for e in r.evidence] + seen[:_MAX_EVIDENCE]),
            )
        )
    return findings


def absent_from_policy_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    policy_docs = {d for d, v in ctx.documents.items() if v.kind in POLICY_DOC_KINDS}
    if not policy_docs:
        return []  # absence from policy needs policy documents to be absent from
    findings: list[Finding] = []
    for x in ctx.organisations():
        actor = ctx.actors[x]
        if set(actor.doc_ids) & policy_docs:
            continue
        if any(e.document_id in policy_docs for e in _passages(ctx, x)):
            continue
        heard = _passages(ctx, x, INTERVIEW_KINDS)
        interview_docs = {
            d
            for d in actor.doc_ids
            if d in ctx.documents and ctx.documents[d].kind in INTERVIEW_KINDS
        }
        if not heard and len(interview_docs) < 2:
            # A mere mention is not activity; two separate respondents bringing the actor
            # up is (independent sources, as for every other count here).
            continue
        score = evidence_strength(len(heard) + 0.5 * len(interview_docs))
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(
            Finding(
                id=finding_id(GapKind.absent_from_policy, (x,), theme),
                kind=GapKind.absent_from_policy,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"{actor.name} is active in interviews"
                    + (f" on {theme_text(theme)}" if theme else "")
                    + " but no policy document names it."
                ),
                evidence=tuple(heard[:_MAX_EVIDENCE]),
            )
        )
    return findings


# Words that name a *kind* of document or commitment, not a particular one. A policy whose
# name is made only of these (plus years and numbers) - "Plan", "Policy Brief", "Act 2019",
# "Joint Programme Summary" - is a head word or a document title, not a commitment an
# analyst could look up.
_GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "for",
        "and",
        "to",
        "in",
        "city",
        "national",
        "municipal",
        "plan",
        "plans",
        "policy",
        "policies",
        "brief",
        "strategy",
        "strategies",
        "circular",
        "protocol",
        "pact",
        "act",
        "law",
        "laws",
        "code",
        "statute",
        "directive",
        "decree",
        "regulation",
        "regulations",
        "programme",
        "programmes",
        "program",
        "initiative",
        "framework",
        "agreement",
        "memorandum",
        "understanding",
        "summary",
        "joint",
        "document",
        "report",
        "annex",
        "article",
        "section",
        "chapter",
        "action",
        "matrix",
        "note",
    ]
)


# A passage that states the commitment names its parties; an inferred party is weaker than
# an explicit mandate (docs/gaps.md, policy_without_implementer).
_INFERRED_OWNER = 0.75


# A statute binds everyone and is cited everywhere: sitting in the same passage as an
# actor does not make it that actor's commitment, so a law needs a stated owner.
_STATUTE = re.compile(r"\b(act|code|law|statute|constitution)\b")


def _named_policy(name: str) -> bool:
    words = re.findall(r"[a-z][a-z'-]*", name.casefold())
    return any(w not in _GENERIC_WORDS for w in words)


def _owners(ctx: GapContext, pid: str) -> tuple[list[str], bool]:
    """Who the commitment belongs to, and whether that is stated (mandate) or inferred.

    Stated: an organisation holds a ``mandate`` over the policy. Inferred: the passages of a
    policy document that state the policy (its own relations' evidence) also tie named
    organisations to one another or to a theme - the parties the commitment is made by.
    A law that is only cited has neither, and is no commitment of the assessed actors.
    """
    stated = sorted(
        {
            ctx.nodes[r.source]
            for r in ctx.subgraph.relations
            if r.target == pid
            and r.kind == RelationKind.mandate
            and ctx.nodes.get(r.source) in ctx.actors
            and is_organisation(ctx.actors[ctx.nodes[r.source]])
        }
    )
    if stated:
        return stated, True
    if _STATUTE.search(ctx.policies[pid].name.casefold()):
        return [], False
    passages = {
        e.passage_id
        for r in ctx.subgraph.relations
        if pid in (r.source, r.target)
        for e in r.evidence
        if e.document_kind in POLICY_DOC_KINDS
    }
    if not passages:
        return [], False
    parties: set[str] = set()
    for r in ctx.subgraph.relations:
        if pid in (r.source, r.target) or r.kind == RelationKind.negative_coordination:
            continue
        if not any(e.passage_id in passages for e in r.evidence):
            continue
        for end in (r.source, r.target):
            node = ctx.nodes.get(end)
            if node in ctx.actors and is_organisation(ctx.actors[node]):
                parties.add(node)
    return sorted(parties), False


def unimplemented_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """A named commitment of an assessed actor that nobody carries out or pays for."""
    carried = {
        r.target
        for r in ctx.subgraph.relations
        if r.kind in (RelationKind.implements, RelationKind.funding)
    }
    findings: list[Finding] = []
    for pid, policy in sorted(ctx.policies.items()):
        if pid in carried or not _named_policy(policy.name):
            continue
        owners, stated = _owners(ctx, pid)
        if not owners:
            continue  # cited, not committed to by anyone in the assessment
        listed = list(policy.themes) or sorted(
            r.target
            for r in ctx.subgraph.relations
            if r.kind == RelationKind.addresses and r.source == pid
        )
        if themes is not None:
            listed = [t for t in listed if t in themes]
            if not listed:
                continue
        theme = listed[0] if listed else None  # the first listed theme is the primary one
        evidence = [
            e for r in ctx.subgraph.relations if pid in (r.source, r.target) for e in r.evidence
        ]
        # The more documents discuss a commitment nobody carries out, the surer the gap;
        # an owner read off the stating passage is less sure than a stated mandate.
        score = evidence_strength(1.0 + len(policy.doc_ids)) * (1.0 if stated else _INFERRED_OWNER)
        names = ", ".join(ctx.name(o) for o in owners)
        findings.append(
            Finding(
                id=finding_id(GapKind.policy_without_implementer, owners, theme, (pid,)),
                kind=GapKind.policy_without_implementer,
                actors=tuple(ctx.ref(o) for o in owners),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"{policy.name} is a commitment of {names}"
                    + (f" on {theme_text(theme)}" if theme else "")
                    + " with no programme or lead actor: no actor implements or funds it."
                ),
                evidence=tuple(evidence[:_MAX_EVIDENCE]),
                policies=(PolicyRef(id=pid, name=policy.name, label=policy.label),),
            )
        )
    return findings


# ---- analysis/gaps.py ------------------------------------------------------------


def selected_documents(subgraph: Subgraph, filters: GapFilters) -> frozenset[str] | None:
    """The document set the analysis may cite, or None for all of them."""
    if filters.document_ids is None and filters.document_kinds is None:
        return None
    chosen = {d.id for d in subgraph.documents}
    if filters.document_ids is not None:
        chosen &= filters.document_ids
    if filters.document_kinds is not None:
        chosen &= {d.id for d in subgraph.documents if d.kind in filters.document_kinds}
    return frozenset(chosen)


def _across(group: Finding, pair: Finding) -> bool:
    """Both actors of ``pair`` sit on opposite sides of the ``group`` disconnect."""
    members = {a.id: a for a in (*group.actors, *group.context_actors)}
    a, b = pair.actor_ids
    return a in members and b in members and level_group(members[a]) != level_group(members[b])


def _drop_repeated_stories(findings: list[Finding]) -> list[Finding]:
    """One story, one finding (docs/gaps.md, "Deduplication").

    * A pair across a level disconnect on the same theme is part of that disconnect, which
      cites its evidence; an explicit non-coordination statement across it too, when the
      statement is about that theme (the theme its pair most shares, which is the theme of
      the negative_evidence finding): the disconnect quotes it. A statement about another
      theme is not cited there, so it stays a finding of its own.
    * A statement that a government actor does not work with an isolated non-state actor
      is cited by the isolated_actor finding.
    * A disconnect between exactly the two actors of a non-coordination statement is that
      statement's story: the source says it outright, so the negative_evidence finding
      stands and the disconnect, which adds no one, goes.
    """
    stated = {frozenset(f.actor_ids) for f in findings if f.kind == GapKind.negative_evidence}
    groups = [
        f
        for f in findings
        if f.kind == GapKind.level_disconnect and frozenset(a.id for a in f.actors) not in stated
    ]
    isolated = {f.actor_ids[0] for f in findings if f.kind == GapKind.isolated_actor}
    kept: list[Finding] = []
    for f in findings:
        if f.kind == GapKind.level_disconnect and frozenset(a.id for a in f.actors) in stated:
            continue
        if f.kind == GapKind.shared_mandate_no_link and any(
            g.theme == f.theme and _across(g, f) for g in groups
        ):
            continue
        if f.kind == GapKind.negative_evidence and (
            any(g.theme == f.theme and _across(g, f) for g in groups) or set(f.actor_ids) & isolated
        ):
            continue
        kept.append(f)
    return kept


def _merge_absent_and_isolated(findings: list[Finding]) -> list[Finding]:
    """An actor both absent from policy and isolated is one story: absent_from_policy.

    Absence from policy is the more informative fact (only a comparison of interviews
    with the policy documents shows it, and it says where to act: the plans); isolation is
    added to its explanation, evidence and score (the larger of the two) instead of being
    a second finding about the same actor.
    """
    isolated = {f.actor_ids[0]: f for f in findings if f.kind == GapKind.isolated_actor}
    absent = {f.actor_ids[0] for f in findings if f.kind == GapKind.absent_from_policy}
    out: list[Finding] = []
    for f in findings:
        if f.kind == GapKind.isolated_actor and f.actor_ids[0] in absent:
            continue
        if f.kind == GapKind.absent_from_policy and f.actor_ids[0] in isolated:
            iso = isolated[f.actor_ids[0]]
            seen = {e.passage_id for e in f.evidence}
            f = f.model_copy(
                update={
                    "score": max(f.score, iso.score),
                    "theme": f.theme or iso.theme,
                    "explanation": f.explanation.rstrip(".") + ", and it has no tie to any "
                    "government actor.",
                    "evidence": f.evidence
                    + tuple(e for e in iso.evidence if e.passage_id not in seen),
                }
            )
        out.append(f)
    return out


_PAIR_KINDS = frozenset({GapKind.shared_mandate_no_link, GapKind.negative_evidence})


def _merge_pair_stories(ctx: GapContext, findings: list[Finding]) -> list[Finding]:
    """Pairs of one kind on one theme that share an actor X, and whose other actors are tied
    to each other, are one story: X and that group ("the recovery house has no link to the
    treatment service nor to the ministry that mandates it"). The strongest pair names it;
    the others' actors become its context and their evidence is cited."""
    ranked = sorted(findings, key=lambda x: (-x.score, x.kind.value, x.id))
    # (kind, theme, shared actor) -> [(index of the story in out, its group on the far side)]
    stories: dict[tuple[GapKind, str | None, str], list[tuple[int, set[str]]]] = defaultdict(list)
    out: list[Finding] = []
    for f in ranked:
        if f.kind not in _PAIR_KINDS or len(f.actors) != 2:
            out.append(f)
            continue
        a, b = f.actor_ids
        home = next(
            (
                (i, group)
                for x, y in ((a, b), (b, a))
                for i, group in stories.get((f.kind, f.theme, x), [])
                if any(ctx.linked(y, z) for z in group)
            ),
            None,
        )
        if home is None:
            stories[(f.kind, f.theme, a)].append((len(out), {b}))
            stories[(f.kind, f.theme, b)].append((len(out), {a}))
            out.append(f)
            continue
        i, group = home
        story = out[i]
        other = b if b not in story.actor_ids else a
        group.add(other)
        seen = {(e.passage_id, e.quote) for e in story.evidence}
        known = {x.id for x in (*story.actors, *story.context_actors)}
        out[i] = story.model_copy(
            update={
                "context_actors": story.context_actors
                + tuple(x for x in f.actors if x.id not in known),
                "evidence": story.evidence
                + tuple(e for e in f.evidence if (e.passage_id, e.quote) not in seen),
            }
        )
    return out


def _level_ok(finding: Finding, pair: tuple[str, str]) -> bool:
    levels = {a.level for a in finding.actors}
    if not levels:
        return True  # policy-centred finding without a named actor
    if len(finding.actors) == 1:
        return levels <= set(pair)
    return levels == set(pair)


def find_gaps(subgraph: Subgraph, *, filters: GapFilters | None = None) -> list[Finding]:
    """Ranked coordination-gap findings (best first) for a subgraph."""
    f = filters or GapFilters()
    ctx = build_context(
        filter_subgraph(
            subgraph,
            min_confidence=f.min_confidence,
            document_ids=selected_documents(subgraph, f),
        )
    )
    themes = f.themes
    findings = [
        *pair_findings(ctx, themes, f.min_score),
        *level_disconnect_findings(ctx, themes),
        *single_point_findings(ctx, themes),
        *person_single_point_findings(ctx, themes),
        *isolated_findings(ctx, themes),
        *absent_from_policy_findings(ctx, themes),
        *unimplemented_findings(ctx, themes),
    ]
    findings = _merge_absent_and_isolated(_drop_repeated_stories(findings))
    kept = [
        x
        for x in findings
        if x.score >= f.min_score
        and (f.kinds is None or x.kind in f.kinds)
        and (themes is None or x.theme in themes)
        and (f.level_pair is None or _level_ok(x, f.level_pair))
    ]
    # After the filters: a story only gathers pairs the analyst asked for.
    kept = _merge_pair_stories(ctx, kept)
    kept.sort(key=lambda x: (-x.score, x.kind.value, x.id))
    return kept[: f.limit] if f.limit is not None else kept


# ---- analysis/metrics.py ------------------------------------------------------------


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
    filtered = filter_subgraph(subgraph, min_confidence=min_confidence)
    ctx = build_context(filtered)
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
    # fixed in both (issue 14): the directed graph of the filtered facts
    brokerage = brokerage_roles(directed_tie_graph(filtered) if directed else ties, group)

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
