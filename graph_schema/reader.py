"""Read helpers: subgraphs by filter (theme, level, document set) for the analysis layer.

A theme filter pulls only the actors and policies linked to that theme, their direct
neighbours (a bridge to the theme's actors may not itself work on the theme), and the
relations among them, never the whole graph.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from neo4j import ManagedTransaction
from pydantic import BaseModel

from . import queries as q
from .actor_merge_decisions import fold, merge_targets, with_merge_partners
from .catalog import evidence_for, evidence_views
from .decisions import REJECTED
from .model import (
    ActorView,
    DocumentView,
    EvidenceView,
    Label,
    PolicyView,
    RelationKind,
    RelationView,
    Subgraph,
)
from .relation_decisions import decided_fields
from .store import GraphStore, as_dicts

__all__ = [
    "GraphSnapshot",
    "SubgraphFilter",
    "document_view",
    "graph_version",
    "list_documents",
    "read_snapshot",
    "read_subgraph",
]

ACTOR_LABELS = (Label.Actor, Label.Person)
POLICY_LABELS = (Label.Policy, Label.Programme)
THEME_KINDS = {RelationKind.works_on, RelationKind.mandate, RelationKind.addresses}


@dataclass(frozen=True)
class SubgraphFilter:
    theme: str | None = None
    levels: frozenset[str] | None = None  # keep actors of these levels (persons always kept)
    document_ids: frozenset[str] | None = None
    document_kinds: frozenset[str] | None = None
    min_confidence: float = 0.0


def document_view(props: dict[str, Any], passage_count: int | None = None) -> DocumentView:
    return DocumentView(
        id=props["id"],
        title=props.get("title", ""),
        kind=props.get("kind", "other"),
        language=props.get("language", "und"),
        source_path=props.get("source_path", ""),
        date=props.get("date"),
        page_count=props.get("page_count"),
        passage_count=passage_count if passage_count is not None else props.get("passage_count", 0),
    )


def list_documents(
    store: GraphStore, *, kinds: Collection[str] | None = None, skip: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int]:
    """Documents as stored (newest first) and the total count for pagination."""
    params = {"kinds": list(kinds) if kinds else None, "skip": skip, "limit": limit}
    rows = store.read(q.LIST_DOCUMENTS, params)
    total = store.read(q.COUNT_DOCUMENTS, {"kinds": params["kinds"]})[0]["n"]
    docs = []
    for r in rows:
        d = dict(r["document"])
        for key in ("metadata", "respondents"):
            if isinstance(d.get(key), str):
                d[key] = json.loads(d[key])
        d.pop("supports", None)
        docs.append(d)
    return docs, int(total)


def graph_version(store: GraphStore) -> str:
    """A cheap fingerprint of the graph's facts, for caches of derived answers.

    Facts change only through ``write_document`` and ``delete_document``, and every write,
    replacement or deletion changes the set of documents (ids are content hashes) or their
    ``ingested_at``. One indexed-label scan returning two short strings per document.
    Blind spot, accepted: deleting a document and writing the very same bytes again within
    one second (``ingested_at`` has second resolution) gives back the same version, and
    then the same facts, as the batch is the same.
    """
    rows = store.query(q.GRAPH_VERSION)
    digest = hashlib.sha256()
    for r in sorted((str(r["id"]), str(r["ingested_at"])) for r in rows):
        digest.update("|".join(r).encode())
        digest.update(b"\n")
    return f"{len(rows)}:{digest.hexdigest()[:32]}"


def _ids(rows: Iterable[dict[str, Any]]) -> set[str]:
    return {str(r["id"]) for r in rows}


def _documents(store: GraphStore) -> list[DocumentView]:
    return [
        document_view({k: v for k, v in r.items() if v is not None})
        for r in store.query(q.DOCUMENT_VIEWS)
    ]


def read_subgraph(store: GraphStore, flt: SubgraphFilter | None = None) -> Subgraph:
    """The subgraph a filter asks for, read from the store (only what the filter needs)."""
    flt = flt or SubgraphFilter()
    docs = _documents(store)
    conf = {"min_confidence": flt.min_confidence}

    # Which nodes: everything, or the theme's actors and policies plus direct neighbours.
    nodes: dict[Label, dict[str, dict[str, Any]]] = {}
    if flt.theme is None:
        for label in (*ACTOR_LABELS, *POLICY_LABELS):
            nodes[label] = {r["node"]["id"]: r["node"] for r in store.query(q.all_entities(label))}
        raw_relations = store.query(q.ALL_RELATIONS, conf)
    else:
        seed = _ids(store.query(q.ACTORS_ON_THEME, {"theme": flt.theme, **conf}))
        seed |= _ids(store.query(q.POLICIES_ON_THEME, {"theme": flt.theme, **conf}))
        # An actor merged into another (a review's merge_into) is that other one: the theme
        # of either is the theme of both, and a neighbour's merge target comes with it.
        merges = {str(r["id"]): str(r["into"]) for r in store.query(q.MERGED_ACTORS)}
        seed = with_merge_partners(seed, merges)
        raw_relations = _relations_touching(store, seed, flt.min_confidence)
        wanted = seed | {r["source"] for r in raw_relations} | {r["target"] for r in raw_relations}
        wanted |= {merges[i] for i in wanted if i in merges}
        for label in (*ACTOR_LABELS, *POLICY_LABELS):
            rows = store.query(q.entities_by_ids(label), {"ids": sorted(wanted)})
            nodes[label] = {r["node"]["id"]: r["node"] for r in rows}
        # Relations among the neighbours themselves matter too (two bridges that coordinate).
        # Only relations leaving a known node can pass the filter in _assemble (its source
        # must be present, and present nodes are known ones), so one direction, per label,
        # suffices.
        raw_relations = _relations_from(store, nodes, flt.min_confidence)
    return _assemble(flt, docs, nodes, raw_relations, lambda keys: evidence_for(store, keys))


class GraphSnapshot:
    """Every fact of the graph read once, from which any filter's subgraph is cut in memory.

    ``snapshot.subgraph(flt) == read_subgraph(store, flt)`` for the graph it was read from
    (tests check it), at a fraction of the cost when many filters are asked at once: the
    service's analytic view (graph_schema/view.py) cuts every question's subgraph from one
    (one full read of a 5k-actor graph instead of a read per question). Node ids are
    assumed unique across labels, as the store's reads by id already do.
    """

    def __init__(
        self,
        documents: list[DocumentView],
        nodes: dict[Label, dict[str, dict[str, Any]]],
        relations: list[dict[str, Any]],
        evidence: dict[str, list[EvidenceView]],
    ) -> None:
        self.documents = documents
        self.nodes = nodes
        self.relations = relations
        self.evidence = evidence

    def subgraph(self, flt: SubgraphFilter | None = None) -> Subgraph:
        flt = flt or SubgraphFilter()
        if flt.theme is None:
            nodes = self.nodes
            rels = [r for r in self.relations if r["confidence"] >= flt.min_confidence]
        else:
            # A theme is a few hops from its seed nodes: walked through the relations by
            # end (_touching) instead of three scans of every relation per question.
            least = flt.min_confidence
            into, out_of = self._touching
            # = ACTORS_ON_THEME and POLICIES_ON_THEME
            seed = {
                r["source"]
                for r in into.get(flt.theme, ())
                if r["confidence"] >= least
                and (
                    (
                        r["kind"] in _ACTOR_THEME_KINDS
                        and self._label_of(r["source"]) in ACTOR_LABELS
                    )
                    or (
                        r["kind"] == RelationKind.addresses.value
                        and self._label_of(r["source"]) in POLICY_LABELS
                    )
                )
            }
            # = the merge groups read_subgraph widens the seed with.
            merges = self._merges
            seed = with_merge_partners(seed, merges)
            # = _relations_touching: either end one of the seed nodes.
            wanted = set(seed)
            for x in seed:
                for index, far in ((out_of, "target"), (into, "source")):
                    for r in index.get(x, ()):
                        if r["confidence"] >= least:
                            wanted.add(r[far])
            wanted |= {merges[i] for i in wanted if i in merges}
            nodes = {
                label: {i: by_id[i] for i in wanted if i in by_id}
                for label, by_id in self.nodes.items()
            }
            # = _relations_from: relations leaving a node read above (in any order:
            # _assemble sorts what it keeps).
            rels = [
                r
                for by_id in nodes.values()
                for i in by_id
                for r in out_of.get(i, ())
                if r["confidence"] >= least
            ]
        return _assemble(
            flt,
            self.documents,
            nodes,
            rels,
            lambda keys: {k: self.evidence[k] for k in keys if k in self.evidence},
        )

    @cached_property
    def _merges(self) -> dict[str, str]:
        """= queries.MERGED_ACTORS: every stored merge_into, whether or not its target is
        still there (fold checks that)."""
        return {
            i: str(n["merged_into"])
            for label in ACTOR_LABELS
            for i, n in self.nodes.get(label, {}).items()
            if n.get("merged_into")
        }

    @cached_property
    def _touching(self) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
        """(target -> relations into it, source -> relations out of it), built on the first
        theme cut: the snapshot never changes (the view builds a new one per state)."""
        into: dict[str, list[dict[str, Any]]] = defaultdict(list)
        out_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.relations:
            into[r["target"]].append(r)
            out_of[r["source"]].append(r)
        return dict(into), dict(out_of)

    def _label_of(self, node_id: str) -> Label | None:
        for label, by_id in self.nodes.items():
            if node_id in by_id:
                return label
        return None


_ACTOR_THEME_KINDS = {RelationKind.works_on.value, RelationKind.mandate.value}
# A stored kind -> its member: a dict lookup per relation instead of an Enum call (a theme's
# cut looks up ~60k). Kinds not in it (unknown to this version) are dropped, as before.
_KIND_OF = {k.value: k for k in RelationKind}


def read_snapshot(store: GraphStore) -> GraphSnapshot:
    """Every document, actor, person, policy, programme, fact relation and evidence, in one
    read transaction (a consistent view)."""

    def work(tx: ManagedTransaction) -> GraphSnapshot:
        def run(query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            return as_dicts(tx.run(query, params or {}))

        docs = [
            document_view({k: v for k, v in r.items() if v is not None})
            for r in run(q.DOCUMENT_VIEWS)
        ]
        nodes = {
            label: {r["node"]["id"]: r["node"] for r in run(q.all_entities(label))}
            for label in (*ACTOR_LABELS, *POLICY_LABELS)
        }
        relations = run(q.ALL_RELATIONS, {"min_confidence": 0.0})
        evidence = evidence_views(run, run(q.ALL_EVIDENCE))
        return GraphSnapshot(docs, nodes, relations, dict(evidence))

    return store.execute_read(work, action="Reading the whole graph")


_Model = TypeVar("_Model", bound=BaseModel)
_set = object.__setattr__


def built(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """``cls(**values)`` without validation, for a complete set of fields whose values
    already have their fields' types (str, float, the enum member, tuples of views): what
    ``model_construct`` gives, in a quarter of its time, and equal to the validated model
    (tests compare whole subgraphs). A theme's cut builds ~25k relation and ~50k evidence
    views per request; validating them was a third of it."""
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def _assemble(
    flt: SubgraphFilter,
    docs: list[DocumentView],
    nodes: dict[Label, dict[str, dict[str, Any]]],
    raw_relations: list[dict[str, Any]],
    load_evidence: Callable[[list[str]], dict[str, list[EvidenceView]]],
) -> Subgraph:
    """The document and level filters, evidence, and the views: shared by both readers."""
    allowed_docs = {
        d.id
        for d in docs
        if (flt.document_ids is None or d.id in flt.document_ids)
        and (flt.document_kinds is None or d.kind in flt.document_kinds)
    }
    docs = [d for d in docs if d.id in allowed_docs]
    # A review's merges: each merged actor's names, documents and relations are its
    # target's from here on (the cuts above walked the stored ends, both ends in a cut).
    nodes, raw_relations = fold(nodes, raw_relations, merge_targets(nodes))

    def supported(doc_ids: Iterable[str] | None) -> bool:
        return not allowed_docs.isdisjoint(doc_ids or ())

    def kept(fact: dict[str, Any]) -> bool:
        # What the analyst rejected never reaches gaps, metrics, reports or exports, and
        # a relation touching a rejected actor goes with it (its end is not ``present``).
        return bool(supported(fact.get("doc_ids")) and fact.get("review") != REJECTED)

    actor_rows = {
        i: n
        for label in ACTOR_LABELS
        for i, n in nodes.get(label, {}).items()
        if kept(n) and (flt.levels is None or label is Label.Person or n.get("level") in flt.levels)
    }
    policy_rows = {
        i: (label, n)
        for label in POLICY_LABELS
        for i, n in nodes.get(label, {}).items()
        if supported(n.get("doc_ids"))
    }
    present = set(actor_rows) | set(policy_rows)
    relations = [
        r
        for r in raw_relations
        if r["kind"] in _KIND_OF
        and kept(r)
        and r["source"] in present
        and (r["target"] in present or _KIND_OF[r["kind"]] in THEME_KINDS)
    ]

    # Evidence for the relations kept, restricted to the allowed documents.
    evidence = {
        key: [e for e in views if e.document_id in allowed_docs]
        for key, views in load_evidence(sorted({r["key"] for r in relations})).items()
    }

    themes: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        if _KIND_OF[r["kind"]] in THEME_KINDS and r["target"] not in present:
            themes[r["source"]].add(r["target"])

    def doc_ids(n: dict[str, Any]) -> tuple[str, ...]:
        return tuple(sorted(set(n.get("doc_ids") or ()) & allowed_docs))

    actors = tuple(
        ActorView(
            id=i,
            name=n.get("name", i),
            label=Label.Person.value if i in nodes.get(Label.Person, {}) else Label.Actor.value,
            type=n.get("type"),
            level=n.get("level"),
            aliases=tuple(n.get("aliases") or ()),
            doc_ids=doc_ids(n),
            themes=tuple(sorted(themes.get(i, ()))),
        )
        for i, n in sorted(actor_rows.items())
    )
    policies = tuple(
        PolicyView(
            id=i,
            name=n.get("name", i),
            label=label.value,
            kind=n.get("kind"),
            aliases=tuple(n.get("aliases") or ()),
            doc_ids=doc_ids(n),
            themes=tuple(sorted(themes.get(i, ()))),
        )
        for i, (label, n) in sorted(policy_rows.items())
    )

    def as_reviewed(r: dict[str, Any]) -> tuple[RelationKind, str, str]:
        # A review's change of kind or direction is applied here, after the cuts: they walk
        # the stored ends, and both ends of a corrected tie (actors) must be present anyway.
        if "decided_kind" not in r and "reversed" not in r:
            return _KIND_OF[r["kind"]], r["source"], r["target"]
        kind, source, target = decided_fields(r)
        return _KIND_OF.get(kind, _KIND_OF[r["kind"]]), source, target

    relation_views = tuple(
        built(
            RelationView,
            {
                "key": str(r["key"]),
                "kind": kind,
                "source": str(source),
                "target": str(target),
                "confidence": float(r["confidence"]),
                "doc_ids": tuple(sorted(set(r.get("doc_ids") or ()) & allowed_docs)),
                "evidence": tuple(evidence.get(r["key"], ())),
            },
        )
        for r in sorted(relations, key=lambda r: r["key"])
        for kind, source, target in (as_reviewed(r),)
    )
    return Subgraph(
        documents=tuple(docs), actors=actors, policies=policies, relations=relation_views
    )


def _relations_from(
    store: GraphStore, nodes: dict[Label, dict[str, dict[str, Any]]], min_confidence: float
) -> list[dict[str, Any]]:
    """Relations leaving the given nodes, each looked up under its own label only."""
    rows: dict[str, dict[str, Any]] = {}
    for label, by_id in nodes.items():
        for chunk in q.batched(sorted(by_id)):
            for r in store.query(
                q.relations_from(label), {"ids": chunk, "min_confidence": min_confidence}
            ):
                rows[r["key"]] = r
    return list(rows.values())


def _relations_touching(
    store: GraphStore, ids: Collection[str], min_confidence: float
) -> list[dict[str, Any]]:
    """Relations whose source is one of ``ids`` (any target), or whose target is one of them."""
    rows: dict[str, dict[str, Any]] = {}
    for label in (*ACTOR_LABELS, *POLICY_LABELS):
        for chunk in q.batched(sorted(ids)):
            for r in store.query(
                q.relations_from(label), {"ids": chunk, "min_confidence": min_confidence}
            ):
                rows[r["key"]] = r
            for r in store.query(
                q.relations_to(label), {"ids": chunk, "min_confidence": min_confidence}
            ):
                rows[r["key"]] = r
    return list(rows.values())
