"""Indexes only the gap rules read, built from a context's facts on first use.

The rules ask them per pair or per actor (a policy's relations would be a scan of all
relations each time), so they are indexes; but network metrics never read them, and a
cold /network/metrics paid a third of its context for them. GapContext exposes each as a
cached property built by a function here, so only an analysis that asks builds one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import networkx as nx

from graph_schema.model import RelationKind
from graph_schema.plain import PlainPolicy, PlainRelation

from .network import TIE_KINDS

__all__ = [
    "body_partners",
    "negative_pairs_of",
    "policy_relations",
    "programmes_of",
    "relations_citing",
    "relations_of",
]

# Body kinds that make a tie (both are positive relations, so tie kinds).
_BODY_KINDS = frozenset({RelationKind.coordinates, RelationKind.member_of}) & TIE_KINDS


def relations_of(
    relations: tuple[PlainRelation, ...], nodes: Mapping[str, str]
) -> dict[str, tuple[PlainRelation, ...]]:
    """Tie-graph node -> the relations with it at an end, in subgraph order (a relation
    between a person and their organisation counts twice for it, once per end)."""
    out: dict[str, list[PlainRelation]] = defaultdict(list)
    node_of = nodes.get
    for rel in relations:
        who, other = node_of(rel.source), node_of(rel.target)
        if who is not None:
            out[who].append(rel)
        if other is not None and rel.target != rel.source:
            out[other].append(rel)
    return {k: tuple(v) for k, v in out.items()}


def programmes_of(
    programme_implementers: Mapping[str, frozenset[str]],
) -> dict[str, frozenset[str]]:
    """Actor -> the programmes it implements."""
    programmes: dict[str, set[str]] = defaultdict(set)
    for pid, who in programme_implementers.items():
        for x in who:
            programmes[x].add(pid)
    return {x: frozenset(p) for x, p in programmes.items()}


def body_partners(
    ties: nx.Graph,
    neighbours: Mapping[str, frozenset[str]],
    negatives: Mapping[frozenset[str], tuple[PlainRelation, ...]],
    relations: tuple[PlainRelation, ...],
    nodes: Mapping[str, str],
) -> dict[str, frozenset[str]]:
    """Partners an actor shares a body with: a coordinates / member_of tie nobody contests.

    Read off the body relations themselves (a few of a cut's relations) instead of every
    tie's kinds: a tie has a body kind exactly when one of its relations has it, and the
    tie must still stand (a contested one is dropped from ``ties``)."""
    body: dict[str, set[str]] = defaultdict(set)
    for rel in relations:
        if rel.kind not in _BODY_KINDS:
            continue
        u, v = nodes.get(rel.source), nodes.get(rel.target)
        if u is None or v is None or u == v or v in body[u]:
            continue
        if ties.has_edge(u, v) and frozenset((u, v)) not in negatives:
            body[u].add(v)
            body[v].add(u)
    return {x: frozenset(body.get(x, ())) for x in neighbours}


def negative_pairs_of(
    negatives: Mapping[frozenset[str], tuple[PlainRelation, ...]],
) -> dict[str, tuple[frozenset[str], ...]]:
    """Actor -> the negatives' pairs naming it, in ``negatives`` order (evidence order)."""
    out: dict[str, list[frozenset[str]]] = defaultdict(list)
    for pair in negatives:
        for x in pair:
            out[x].append(pair)
    return {x: tuple(p) for x, p in out.items()}


def policy_relations(
    relations: tuple[PlainRelation, ...], policies: Mapping[str, PlainPolicy]
) -> dict[str, tuple[PlainRelation, ...]]:
    """Policy id -> relations with the policy at one end, in subgraph order."""
    out: dict[str, list[PlainRelation]] = defaultdict(list)
    for rel in relations:
        if rel.source in policies or rel.target in policies:
            for end in {rel.source, rel.target}:
                if end in policies:
                    out[end].append(rel)
    return {p: tuple(r) for p, r in out.items()}


def relations_citing(
    relations: tuple[PlainRelation, ...],
    by_policy: Mapping[str, tuple[PlainRelation, ...]],
    policy_doc_kinds: frozenset[str],
) -> dict[str, tuple[int, ...]]:
    """Passage id -> positions (in ``relations``) of the relations citing it, for the
    passages of policy documents that state a policy: only those can name its parties
    (_actors._owners)."""
    stating = {
        e.passage_id
        for rels in by_policy.values()
        for r in rels
        for e in r.evidence
        if e.document_kind in policy_doc_kinds
    }
    citing: dict[str, list[int]] = defaultdict(list)
    for i, rel in enumerate(relations if stating else ()):
        hits = [e.passage_id for e in rel.evidence if e.passage_id in stating]
        if hits:  # few relations cite a stating passage: the set only for those
            for passage in dict.fromkeys(hits):
                citing[passage].append(i)
    return {p: tuple(i) for p, i in citing.items()}
