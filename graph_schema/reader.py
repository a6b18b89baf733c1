"""Read helpers: subgraphs by filter (theme, level, document set) for the analysis layer.

A theme filter pulls only the actors and policies linked to that theme, their direct
neighbours (a bridge to the theme's actors may not itself work on the theme), and the
relations among them, never the whole graph.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from neo4j import ManagedTransaction

from . import queries as q
from . import version
from .actor_merge_decisions import fold, merge_targets, with_merge_partners
from .catalog import evidence_for, evidence_views
from .cut_index import CutIndex
from .decisions import REJECTED
from .model import (
    DocumentView,
    Label,
    RelationKind,
    Subgraph,
)
from .plain import (
    PlainActor,
    PlainEvidence,
    PlainPolicy,
    PlainRelation,
    PlainSubgraph,
    plain_evidence,
    subgraph_view,
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
    """The graph's version for caches of derived answers (graph_schema/version.py): one
    stamp every write of facts moves on in its own transaction."""
    return version.graph_version(store)


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
    return subgraph_view(_assemble(flt, docs, nodes, raw_relations, _store_evidence(store)))


def _store_evidence(
    store: GraphStore,
) -> Callable[[list[str]], Mapping[str, Sequence[PlainEvidence]]]:
    def load(keys: list[str]) -> dict[str, list[PlainEvidence]]:
        return {k: [plain_evidence(e) for e in v] for k, v in evidence_for(store, keys).items()}

    return load


# Every relation row's plain form with all of the graph's documents allowed, by key, with
# the row it was built from: what a cut without a document filter hands out, built once
# per snapshot instead of once per cut (a theme's cut keeps ~25k relations and their ~50k
# passages). A row a cut changed (a merge's fold renames its ends) is built again.
Whole = dict[str, tuple[dict[str, Any], PlainRelation]]


def whole_relations(
    relations: Iterable[dict[str, Any]],
    evidence: Mapping[str, Sequence[PlainEvidence]],
    documents: Iterable[DocumentView],
) -> Whole:
    """The ``Whole`` entries of these rows (those of a kind this version knows)."""
    every = {d.id for d in documents}
    out: Whole = {}
    for r in relations:
        key = r["key"]
        if r["kind"] in _KIND_OF:
            # ``in`` and ``[]``, not ``get``: the view's mapping builds its values on lookup.
            found = evidence[key] if key in evidence else ()  # noqa: SIM401
            out[key] = (r, _plain_relation(r, found, every))
    return out


class GraphSnapshot:
    """Every fact of the graph read once, from which any filter's subgraph is cut in memory.

    ``snapshot.subgraph(flt) == read_subgraph(store, flt)`` for the graph it was read from
    (tests check it), at a fraction of the cost when many filters are asked at once: the
    service's analytic view (graph_schema/view.py) cuts every question's subgraph from one
    (one full read of a 5k-actor graph instead of a read per question). Node ids are
    assumed unique across labels, as the store's reads by id already do.

    ``whole``: ``whole_relations`` of these relations, when the caller has it (the view
    keeps the entries of the relations a refresh did not touch); built here otherwise.
    """

    def __init__(
        self,
        documents: list[DocumentView],
        nodes: dict[Label, dict[str, dict[str, Any]]],
        relations: list[dict[str, Any]],
        evidence: Mapping[str, Sequence[PlainEvidence]],
        whole: Whole | None = None,
    ) -> None:
        self.documents = documents
        self.nodes = nodes
        self.relations = relations
        self.whole = whole_relations(relations, evidence, documents) if whole is None else whole

    def subgraph(self, flt: SubgraphFilter | None = None) -> Subgraph:
        return subgraph_view(self.facts(flt))

    def facts(self, flt: SubgraphFilter | None = None) -> PlainSubgraph:
        """= ``subgraph(flt)`` as plain data (graph_schema/plain.py): what the analysis
        reads on the request path, with no pydantic model per actor, relation or passage."""
        flt = flt or SubgraphFilter()
        if flt.document_ids is None and flt.document_kinds is None and not self.merges:
            # Every document allowed and nothing merged (the usual question): cut from the
            # per-snapshot indexes, not the rows (graph_schema/cut_index.py).
            cuts, least = self.cut_index, flt.min_confidence
            if flt.theme is None:
                return cuts.cut(None, least, flt.levels)
            wanted = cuts.neighbourhood(cuts.seed(flt.theme, least), least)
            return cuts.cut(wanted, least, flt.levels)
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
            merges = self.merges
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
        whole = self.whole
        # A relation's evidence, restricted to the graph's documents: the whole entry's.
        return _assemble(
            flt,
            self.documents,
            nodes,
            rels,
            lambda keys: {k: whole[k][1].evidence for k in keys if k in whole},
            whole,
        )

    @cached_property
    def merges(self) -> dict[str, str]:
        """= queries.MERGED_ACTORS: every stored merge_into (merged actor id -> target id),
        whether or not its target is still there (fold checks that)."""
        return {
            i: str(n["merged_into"])
            for label in ACTOR_LABELS
            for i, n in self.nodes.get(label, {}).items()
            if n.get("merged_into")
        }

    @cached_property
    def cut_index(self) -> CutIndex:
        """Built on the first cut that uses it (the snapshot never changes), unless
        ``index_from`` derived it from the previous snapshot's."""
        return CutIndex(self.documents, self.nodes, self.relations, self.whole, self._plain_of)

    def index_from(
        self,
        previous: GraphSnapshot,
        old_relations: Mapping[str, Mapping[str, Any]],
        relations: Mapping[str, Mapping[str, Any]],
        touched: Iterable[str],
    ) -> None:
        """This snapshot's cut index from ``previous``'s (CutIndex.refreshed), when that
        one was built: ``touched`` are the relation keys replaced or dropped since."""
        old = previous.__dict__.get("cut_index")
        if old is not None:
            self.__dict__["cut_index"] = CutIndex.refreshed(
                old,
                self.documents,
                previous.nodes,
                self.nodes,
                old_relations,
                relations,
                touched,
                self.whole,
                self._plain_of,
            )

    def _plain_of(self, r: Mapping[str, Any]) -> PlainRelation:
        # A row whose whole entry is another row's (= _whole_fact).
        every = {d.id for d in self.documents}
        return _plain_relation(dict(r), self.whole[r["key"]][1].evidence, every)

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
        plain = {k: [plain_evidence(e) for e in v] for k, v in evidence.items()}
        return GraphSnapshot(docs, nodes, relations, plain)

    return store.execute_read(work, action="Reading the whole graph")


def _assemble(
    flt: SubgraphFilter,
    docs: list[DocumentView],
    nodes: dict[Label, dict[str, dict[str, Any]]],
    raw_relations: list[dict[str, Any]],
    load_evidence: Callable[[list[str]], Mapping[str, Sequence[PlainEvidence]]],
    whole: Whole | None = None,
) -> PlainSubgraph:
    """The document and level filters and evidence, as plain data: shared by both readers
    (``subgraph_view`` makes the validated Subgraph of it)."""
    allowed_docs = {
        d.id
        for d in docs
        if (flt.document_ids is None or d.id in flt.document_ids)
        and (flt.document_kinds is None or d.kind in flt.document_kinds)
    }
    all_docs, docs = docs, [d for d in docs if d.id in allowed_docs]
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

    themes: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        if _KIND_OF[r["kind"]] in THEME_KINDS and r["target"] not in present:
            themes[r["source"]].add(r["target"])

    def doc_ids(n: dict[str, Any]) -> tuple[str, ...]:
        return tuple(sorted(set(n.get("doc_ids") or ()) & allowed_docs))

    actors = tuple(
        PlainActor(
            i,
            n.get("name", i),
            Label.Person.value if i in nodes.get(Label.Person, {}) else Label.Actor.value,
            n.get("type"),
            n.get("level"),
            tuple(n.get("aliases") or ()),
            doc_ids(n),
            tuple(sorted(themes.get(i, ()))),
        )
        for i, n in sorted(actor_rows.items())
    )
    policies = tuple(
        PlainPolicy(
            i,
            n.get("name", i),
            label.value,
            n.get("kind"),
            tuple(n.get("aliases") or ()),
            doc_ids(n),
            tuple(sorted(themes.get(i, ()))),
        )
        for i, (label, n) in sorted(policy_rows.items())
    )

    ordered = sorted(relations, key=lambda r: r["key"])
    if whole is not None and len(allowed_docs) == len(all_docs):
        # Every document allowed: each relation is its whole entry, built once.
        relation_facts = tuple(_whole_fact(whole, r, allowed_docs) for r in ordered)
    else:
        evidence = load_evidence(sorted({r["key"] for r in ordered}))
        relation_facts = tuple(
            _plain_relation(r, evidence.get(r["key"], ()), allowed_docs) for r in ordered
        )
    return PlainSubgraph(
        documents=tuple(docs), actors=actors, policies=policies, relations=relation_facts
    )


def _as_reviewed(r: dict[str, Any]) -> tuple[RelationKind, str, str]:
    # A review's change of kind or direction is applied here, after the cuts: they walk
    # the stored ends, and both ends of a corrected tie (actors) must be present anyway.
    if "decided_kind" not in r and "reversed" not in r:
        return _KIND_OF[r["kind"]], r["source"], r["target"]
    kind, source, target = decided_fields(r)
    return _KIND_OF.get(kind, _KIND_OF[r["kind"]]), source, target


def _plain_relation(
    r: dict[str, Any], evidence: Iterable[PlainEvidence], allowed_docs: Set[str]
) -> PlainRelation:
    """One relation row as a cut hands it out: reviewed kind and ends, its documents and
    evidence restricted to the allowed documents."""
    kind, source, target = _as_reviewed(r)
    return PlainRelation(
        str(r["key"]),
        kind,
        str(source),
        str(target),
        float(r["confidence"]),
        tuple(sorted(set(r.get("doc_ids") or ()) & allowed_docs)),
        tuple(e for e in evidence if e.document_id in allowed_docs),
    )


def _whole_fact(whole: Whole, r: dict[str, Any], every: Set[str]) -> PlainRelation:
    """A relation of a cut allowing ``every`` document: its whole entry, or, for a row
    folded by a merge (other ends), built again from the row, with the same evidence."""
    row, fact = whole[r["key"]]
    return fact if row is r else _plain_relation(r, fact.evidence, every)


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
