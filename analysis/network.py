"""Subgraph -> networkx. The only place that decides what counts as a tie between actors.

The graphs are built from a subgraph's plain data (graph_schema/plain.py): a validated
``Subgraph`` is turned into it first, so tie edges always hold plain relations.
Two graphs come out of a Subgraph:

* ``build_graph``: everything, as a ``MultiDiGraph`` (actors, policies, themes; one edge per
  stored relation, keyed by the relation key, with kind, confidence and evidence). For
  exports and for callers that want the raw structure.
* ``tie_graph``: the undirected actor-to-actor graph of *positive* ties that the gap rules
  and metrics reason on. People are folded into the organisation they belong to: an
  inspector who visits the market every week is the police command's tie to the market.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

import networkx as nx

from graph_schema.model import POSITIVE_RELATIONS, ActorView, RelationKind, Subgraph
from graph_schema.plain import (
    PlainActor,
    PlainEvidence,
    PlainRelation,
    PlainSubgraph,
    plain_subgraph,
)

__all__ = [
    "TIE_KINDS",
    "affiliations",
    "build_graph",
    "directed_tie_graph",
    "filter_subgraph",
    "is_organisation",
    "negative_relations",
    "node_id_map",
    "tie_graph",
]

# Between two actors, a mandate (one body tasks another) and an implements edge (a unit
# carries out another's work) are formal links as real as a partnership.
TIE_KINDS = frozenset(POSITIVE_RELATIONS | {RelationKind.mandate, RelationKind.implements})


def is_organisation(actor: ActorView | PlainActor) -> bool:
    return actor.label != "Person"


def filter_subgraph(
    subgraph: Subgraph | PlainSubgraph,
    *,
    min_confidence: float = 0.0,
    document_ids: frozenset[str] | None = None,
) -> PlainSubgraph:
    """Drop relations and evidence below ``min_confidence`` or outside ``document_ids``.

    A relation survives the document filter when one of its passages (or, lacking stored
    passages, one of its ``doc_ids``) is in the set; it then keeps only those passages, so
    every finding built on it cites the selected documents only.
    """
    subgraph = plain_subgraph(subgraph)
    if min_confidence <= 0.0 and document_ids is None:
        # Confidences are never negative (the write contract checks them): nothing to drop,
        # and a theme's 25k relations need no copy. A new holder all the same: contexts
        # (analysis/_context_cache.py) keep what this returns, and must not keep the
        # caller's subgraph alive, whose end is what drops them.
        return replace(subgraph)

    def keep_evidence(ev: PlainEvidence) -> bool:
        if ev.confidence < min_confidence:
            return False
        return document_ids is None or ev.document_id in document_ids

    relations: list[PlainRelation] = []
    for rel in subgraph.relations:
        if rel.confidence < min_confidence:
            continue
        evidence = tuple(ev for ev in rel.evidence if keep_evidence(ev))
        if document_ids is not None:
            doc_ids = tuple(d for d in rel.doc_ids if d in document_ids)
            if not evidence and not doc_ids:
                continue
            rel = rel._replace(evidence=evidence, doc_ids=doc_ids)
        elif len(evidence) != len(rel.evidence):
            rel = rel._replace(evidence=evidence)
        relations.append(rel)

    if document_ids is None:
        return replace(subgraph, relations=tuple(relations))
    docs = tuple(d for d in subgraph.documents if d.id in document_ids)
    actors = tuple(
        a._replace(doc_ids=tuple(d for d in a.doc_ids if d in document_ids))
        for a in subgraph.actors
    )
    policies = tuple(
        p._replace(doc_ids=tuple(d for d in p.doc_ids if d in document_ids))
        for p in subgraph.policies
    )
    return PlainSubgraph(
        documents=docs, actors=actors, policies=policies, relations=tuple(relations)
    )


def build_graph(subgraph: Subgraph | PlainSubgraph) -> nx.MultiDiGraph:
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


def affiliations(subgraph: Subgraph | PlainSubgraph) -> dict[str, str]:
    """Person id -> the one organisation they are a member of (ambiguous people stay apart)."""
    subgraph = plain_subgraph(subgraph)
    orgs = {a.id for a in subgraph.actors if is_organisation(a)}
    people = {a.id for a in subgraph.actors if not is_organisation(a)}
    found: dict[str, set[str]] = defaultdict(set)
    for rel in subgraph.relations:
        if rel.kind == RelationKind.member_of and rel.source in people and rel.target in orgs:
            found[rel.source].add(rel.target)
    return {p: next(iter(o)) for p, o in found.items() if len(o) == 1}


def node_id_map(subgraph: Subgraph | PlainSubgraph) -> dict[str, str]:
    """Actor id -> the node that represents it in the tie graph (people fold into orgs)."""
    fold = affiliations(subgraph)
    return {a.id: fold.get(a.id, a.id) for a in subgraph.actors}


def _actor_pairs(
    subgraph: PlainSubgraph, kinds: Iterable[RelationKind], nodes: dict[str, str] | None = None
) -> Iterable[tuple[str, str, PlainRelation]]:
    wanted = frozenset(kinds)
    nodes = node_id_map(subgraph) if nodes is None else nodes
    for rel in subgraph.relations:
        if rel.kind not in wanted:
            continue
        u, v = nodes.get(rel.source), nodes.get(rel.target)
        if u is None or v is None or u == v:
            continue
        yield u, v, rel


# One shared ``kinds`` set per relation kind for the ties resting on one relation (most):
# frozensets are immutable, so sharing one is the same value as building one per tie.
_ONE_KIND = {kind: frozenset((kind,)) for kind in RelationKind}


def tie_graph(
    subgraph: Subgraph | PlainSubgraph, *, nodes: dict[str, str] | None = None
) -> nx.Graph:
    """Undirected graph of positive actor-actor ties, one edge per pair.

    Edge attributes: ``kinds`` (frozenset of RelationKind), ``relations`` (the views, for
    evidence) and ``confidence`` (the best one). Every organisation is a node, tie or not.
    ``nodes`` is ``node_id_map(subgraph)`` when the caller has it already.
    """
    subgraph = plain_subgraph(subgraph)
    g = nx.Graph()
    nodes = node_id_map(subgraph) if nodes is None else nodes
    # Filled in the graph's own node and adjacency dicts: what add_nodes_from and
    # add_edges_from do, less their per-item checks (add_nodes_from tries each (id, attrs)
    # pair as a node first and catches the TypeError: 12 ms for a 3,000-actor theme) and
    # attribute-dict merging. Both ends of a tie are nodes (node_id_map's values are actors
    # added here), and a tie is created at its first relation, so the adjacency order is
    # the one add_edges_from gave the pairs in first-relation order.
    node, adj = g._node, g._adj
    for a in subgraph.actors:
        if nodes[a.id] == a.id:
            attrs = {"name": a.name, "type": a.type, "level": a.level, "label": a.label}
            if a.id in node:
                node[a.id].update(attrs)
            else:
                adj[a.id] = {}
                node[a.id] = attrs
    node_of = nodes.get
    one_kind = _ONE_KIND
    for rel in subgraph.relations:  # _actor_pairs inlined: a generator step per relation
        if rel.kind not in TIE_KINDS:
            continue
        u, v = node_of(rel.source), node_of(rel.target)
        if u is None or v is None or u == v:
            continue
        if u not in adj or v not in adj:
            g.add_edge(u, v, kinds=one_kind[rel.kind], relations=(rel,), confidence=rel.confidence)
            continue
        data = adj[u].get(v)
        if data is None:  # most ties rest on one relation
            data = {"kinds": one_kind[rel.kind], "relations": (rel,), "confidence": rel.confidence}
            adj[u][v] = data
            adj[v][u] = data
        else:
            data["kinds"] = data["kinds"] | one_kind[rel.kind]
            data["relations"] = (*data["relations"], rel)
            data["confidence"] = max(data["confidence"], rel.confidence)
    nx._clear_cache(g)
    return g


def directed_tie_graph(subgraph: Subgraph | PlainSubgraph) -> nx.DiGraph:
    """Positive ties as stated (source -> target), for directed brokerage."""
    subgraph = plain_subgraph(subgraph)
    g = nx.DiGraph()
    nodes = node_id_map(subgraph)
    g.add_nodes_from(a.id for a in subgraph.actors if nodes[a.id] == a.id)
    g.add_edges_from((u, v) for u, v, _rel in _actor_pairs(subgraph, TIE_KINDS, nodes))
    return g


def negative_relations(
    subgraph: Subgraph | PlainSubgraph, *, nodes: dict[str, str] | None = None
) -> dict[frozenset[str], tuple[PlainRelation, ...]]:
    """Unordered actor pair -> the explicit non-coordination statements about it."""
    subgraph = plain_subgraph(subgraph)
    found: dict[frozenset[str], list[PlainRelation]] = defaultdict(list)
    for u, v, rel in _actor_pairs(subgraph, (RelationKind.negative_coordination,), nodes):
        found[frozenset((u, v))].append(rel)
    return {pair: tuple(rels) for pair, rels in found.items()}
