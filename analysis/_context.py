"""What every gap rule needs, computed once per analysis: ties, negatives, theme activity.

Theme activity is the evidence that an actor works on a theme. Its strength ``weight`` is
an effective passage count: each passage of a direct ``works_on`` / ``mandate`` -> theme
counts 1; a passage tying the actor to a policy counts ``1 / (number of themes the policy
addresses)``, because implementing a four-theme city plan says much less about any one
theme than a passage about that theme does. ``strength = 1 - 0.5 ** weight``: each
independent passage halves the remaining doubt (docs/gaps.md).

The context is built from the subgraph's plain data (graph_schema/plain.py), and the rules
read that; only the evidence a finding cites becomes a pydantic view (``cited``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

import networkx as nx

from graph_schema.model import DocumentView, EvidenceView, RelationKind, Subgraph
from graph_schema.plain import (
    PlainActor,
    PlainEvidence,
    PlainPolicy,
    PlainRelation,
    PlainSubgraph,
    built,
    evidence_view,
    plain_subgraph,
)

from . import _rule_indexes as indexes
from .model import ActorRef
from .network import (
    TIE_KINDS,
    is_organisation,
    negative_relations,
    node_id_map,
    tie_graph,
)

__all__ = [
    "FORMALITY",
    "INTERVIEW_KINDS",
    "POLICY_DOC_KINDS",
    "Activity",
    "GapContext",
    "build_context",
    "corroborate",
    "evidence_strength",
    "level_group",
    "sector",
    "statement_strength",
    "theme_fit",
    "theme_text",
    "top_theme",
]

INTERVIEW_KINDS = frozenset({"kii", "fgd", "hearing", "meeting"})
POLICY_DOC_KINDS = frozenset({"policy", "plan", "law", "report"})
# A relation stored without passages still says something, but less than one quote.
_UNQUOTED_WEIGHT = 0.5
_FORMAL_KINDS = frozenset({RelationKind.mandate, RelationKind.implements})
# An actor -> theme relation of these kinds is activity on the theme.
_THEME_KINDS = frozenset({RelationKind.works_on, RelationKind.mandate})


def evidence_strength(weight: float) -> float:
    return float(1.0 - 0.5 ** max(weight, 0.0))


def statement_strength(statements: Iterable[PlainRelation]) -> float:
    """How sure explicit non-coordination statements make a gap on their own: the best
    confidence times the strength of their distinct passages, the statement counting once
    more for being explicit (one passage at full confidence: 0.75)."""
    rels = list(statements)
    if not rels:
        return 0.0
    passages = len({e.passage_id for r in rels for e in r.evidence}) or _UNQUOTED_WEIGHT
    return max(r.confidence for r in rels) * evidence_strength(passages + 1.0)


def corroborate(score: float, statements: Iterable[PlainRelation]) -> float:
    """An absence score and statements of non-coordination are independent evidence of one
    gap: each removes its share of the remaining doubt (1 - (1 - S)(1 - N)). A finding that
    absorbs a statement therefore never ranks below the statement alone."""
    return score + (1.0 - score) * statement_strength(statements)


_STATE_TYPES = frozenset({"government", "police_justice"})
_NON_STATE_TYPES = frozenset(
    {"ngo", "community_group", "faith_group", "private_sector", "academia"}
)


def sector(actor: PlainActor | ActorRef) -> str:
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


def level_group(actor: PlainActor | ActorRef) -> str | None:
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
    # Every passage as gathered; ``evidence`` is it deduplicated and ranked, computed on
    # first use: most activities are scored, few are quoted in a finding.
    gathered: tuple[PlainEvidence, ...] = field(default=(), repr=False)

    @cached_property
    def evidence(self) -> tuple[PlainEvidence, ...]:
        return _dedup(self.gathered)

    @property
    def strength(self) -> float:
        return evidence_strength(self.weight)


# By how many of a pair are formally responsible: none, one, both (a tuple, not a dict
# built per call: the pair search asks it per candidate).
FORMALITY = (0.5, 0.75, 1.0)


def theme_fit(act_a: Activity, act_b: Activity) -> float:
    """How clearly two actors share a theme: their evidence (geometric mean of strengths)
    times formality (1 both formally responsible, 0.75 one, 0.5 none)."""
    formality = FORMALITY[int(act_a.formal) + int(act_b.formal)]
    return float((act_a.strength * act_b.strength) ** 0.5 * formality)


@cache
def theme_text(theme: str) -> str:
    """A theme as an explanation names it: its label ("Gender-based violence"), never the
    raw id; read from the theme vocabulary's data (nlp.lexicon, no spaCy). Memoised: the
    vocabulary is read once per process anyway, and a theme's findings name it thousands
    of times (a scan of the vocabulary each)."""
    from nlp.lexicon import theme_name

    return theme_name(theme)


@dataclass(frozen=True)
class GapContext:
    subgraph: PlainSubgraph
    actors: dict[str, PlainActor]  # tie-graph nodes only (people folded into orgs dropped)
    policies: dict[str, PlainPolicy]
    documents: dict[str, DocumentView]
    ties: nx.Graph
    negatives: dict[frozenset[str], tuple[PlainRelation, ...]]
    activity: dict[str, dict[str, Activity]]  # actor -> theme -> activity
    programme_implementers: dict[str, frozenset[str]]
    nodes: dict[str, str] = field(default_factory=dict)  # actor id -> tie-graph node
    max_degree: int = 0  # of the tie graph, computed once (prominence is called per pair)
    theme_size: dict[str, int] = field(default_factory=dict)  # organisations active on it
    # Built once, because the rules ask it per pair or per actor: a networkx neighbour view
    # costs a dict walk on every call. The rules' other indexes are cached properties below.
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)  # tie-graph node ->
    refs: dict[str, ActorRef] = field(default_factory=dict, repr=False, compare=False)
    # id of a plain evidence -> its view: findings cite the same passages many times over.
    # By id: every plain evidence a rule cites is the subgraph's own, alive with the context.
    views: dict[int, EvidenceView] = field(default_factory=dict, repr=False, compare=False)

    # The gap rules' indexes, built on first use (analysis/_rule_indexes.py): network
    # metrics read none of them.
    @cached_property
    def relations_of(self) -> dict[str, tuple[PlainRelation, ...]]:
        return indexes.relations_of(self.subgraph.relations, self.nodes)

    @cached_property
    def programmes_of(self) -> dict[str, frozenset[str]]:
        return indexes.programmes_of(self.programme_implementers)

    @cached_property
    def body_partners(self) -> dict[str, frozenset[str]]:
        return indexes.body_partners(
            self.ties, self.neighbours, self.negatives, self.subgraph.relations, self.nodes
        )

    @cached_property
    def negative_pairs_of(self) -> dict[str, tuple[frozenset[str], ...]]:
        return indexes.negative_pairs_of(self.negatives)

    @cached_property
    def policy_relations(self) -> dict[str, tuple[PlainRelation, ...]]:
        return indexes.policy_relations(self.subgraph.relations, self.policies)

    @cached_property
    def relations_citing(self) -> dict[str, tuple[int, ...]]:
        return indexes.relations_citing(
            self.subgraph.relations, self.policy_relations, POLICY_DOC_KINDS
        )

    def cited(self, evidence: Iterable[PlainEvidence]) -> tuple[EvidenceView, ...]:
        """A finding's evidence as the views it returns (the subgraph stays plain data)."""
        views = self.views
        out = []
        for e in evidence:
            view = views.get(id(e))
            if view is None:
                view = views[id(e)] = evidence_view(e)
            out.append(view)
        return tuple(out)

    def ref(self, actor_id: str) -> ActorRef:
        # Frozen, so one per actor serves every finding that names it; built without
        # validation (the plain actor's fields already have ActorRef's types).
        found = self.refs.get(actor_id)
        if found is None:
            a = self.actors[actor_id]
            found = self.refs[actor_id] = built(
                ActorRef, {"id": a.id, "name": a.name, "type": a.type, "level": a.level}
            )
        return found

    def name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    def organisations(self) -> list[str]:
        return sorted(i for i, a in self.actors.items() if is_organisation(a))

    def prominence(self, actor_id: str) -> float:
        """0.5 .. 1 by degree: a gap between hubs matters more, a leaf's still counts."""
        top = self.max_degree
        if top == 0:
            return 0.5
        return 0.5 + 0.5 * float(len(self.neighbours[actor_id])) / top

    def linked(self, a: str, b: str) -> bool:
        return b in self.neighbours.get(a, ())

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
        return list(self._themes)

    def on_theme(self, theme: str) -> list[str]:
        """The organisations active on the theme, sorted (a new list each call)."""
        return list(self._on_theme.get(theme, ()))

    # Both asked per theme by several rules and the metrics: one pass over the activity.
    @cached_property
    def _themes(self) -> tuple[str, ...]:
        return tuple(sorted({t for acts in self.activity.values() for t in acts}))

    @cached_property
    def _on_theme(self) -> dict[str, tuple[str, ...]]:
        members: dict[str, list[str]] = defaultdict(list)
        for a, acts in self.activity.items():
            if is_organisation(self.actors[a]):
                for theme in acts:
                    members[theme].append(a)
        return {theme: tuple(sorted(m)) for theme, m in members.items()}


def _activity(weight: float, formal: bool, gathered: tuple[PlainEvidence, ...]) -> Activity:
    """= Activity(weight, formal, gathered), without the frozen dataclass's __init__ (an
    object.__setattr__ call per field): a theme's context makes ~3,000 of them."""
    act = object.__new__(Activity)
    act.__dict__.update(weight=weight, formal=formal, gathered=gathered)
    return act


def _dedup(evidence: Iterable[PlainEvidence]) -> tuple[PlainEvidence, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[PlainEvidence] = []
    for ev in sorted(evidence, key=lambda e: (-e.confidence, e.document_id, e.passage_id)):
        key = (ev.passage_id, ev.quote)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return tuple(out)


def _policy_themes(subgraph: PlainSubgraph) -> dict[str, frozenset[str]]:
    themes: dict[str, set[str]] = {p.id: set(p.themes) for p in subgraph.policies}
    for rel in subgraph.relations:
        if rel.kind == RelationKind.addresses and rel.source in themes:
            themes[rel.source].add(rel.target)
    return {p: frozenset(t) for p, t in themes.items()}


def _passage_weight(rel: PlainRelation) -> float:
    """Distinct passages behind a relation (an unquoted one counts half a passage)."""
    return float(len({e.passage_id for e in rel.evidence})) or _UNQUOTED_WEIGHT


def build_context(subgraph: Subgraph | PlainSubgraph) -> GapContext:
    subgraph = plain_subgraph(subgraph)
    nodes = node_id_map(subgraph)
    policies = {p.id: p for p in subgraph.policies}
    policy_themes = _policy_themes(subgraph)

    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    formal: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, dict[str, list[PlainEvidence]]] = defaultdict(lambda: defaultdict(list))
    implementers: dict[str, set[str]] = defaultdict(set)

    # One pass over the relations, with the node of each end looked up once (None: no
    # actor) and the kinds bound to locals: the loop runs once per relation of the cut.
    node_of = nodes.get
    implements, mandate = RelationKind.implements, RelationKind.mandate
    for rel in subgraph.relations:
        source, target, kind = rel.source, rel.target, rel.kind
        who, other = node_of(source), node_of(target)
        if who is None:
            continue
        if target in policies:
            if kind == implements:
                implementers[target].add(who)
            if kind not in TIE_KINDS:
                continue
            themes = policy_themes.get(target, frozenset())
            amount = _passage_weight(rel)
            for theme in themes:
                weights[who][theme] += amount / len(themes)
                evidence[who][theme].extend(rel.evidence)
                if kind in _FORMAL_KINDS:
                    formal[who].add(theme)
        elif other is None and kind in _THEME_KINDS:
            weights[who][target] += _passage_weight(rel)
            evidence[who][target].extend(rel.evidence)
            if kind == mandate:
                formal[who].add(target)

    activity: dict[str, dict[str, Activity]] = {}
    for who, per_theme in weights.items():
        formal_of, gathered = formal.get(who, ()), evidence[who]
        activity[who] = {
            theme: _activity(w, theme in formal_of, tuple(gathered[theme]))
            for theme, w in per_theme.items()
        }
    ties = tie_graph(subgraph, nodes=nodes)
    negatives = negative_relations(subgraph, nodes=nodes)
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
    neighbours = {x: frozenset(adj) for x, adj in ties.adjacency()}
    return GapContext(
        subgraph=subgraph,
        neighbours=neighbours,
        theme_size=dict(theme_size),
        actors=actors,
        policies=policies,
        documents={d.id: d for d in subgraph.documents},
        ties=ties,
        negatives=negatives,
        max_degree=max((len(n) for n in neighbours.values()), default=0),
        activity=activity,
        programme_implementers={
            p: frozenset(a) for p, a in implementers.items() if policies[p].label == "Programme"
        },
        nodes=nodes,
    )


def top_theme(ctx: GapContext, actor: str, themes: frozenset[str] | None) -> str | None:
    """The theme an actor is most clearly responsible for (formal first, then weight)."""
    acts = {t: a for t, a in ctx.activity.get(actor, {}).items() if themes is None or t in themes}
    if not acts:
        return None
    return max(sorted(acts), key=lambda t: (acts[t].formal, acts[t].weight))
