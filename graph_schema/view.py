"""One in-memory analytic view of the fact graph per process, kept current incrementally.

The analysis questions (/gaps, /network/metrics) need every fact of a theme, with its
evidence, but only the quotes of the findings they return. The view reads the facts once
(actors, persons, policies, programmes, fact relations, document kinds, and evidence as
light tuples: document, passage, span, confidence, cue and a digest of the quote, never the
quote text) and cuts any filter's subgraph in memory with ``GraphSnapshot.subgraph``, the
same code ``read_subgraph`` shares, so the two cannot drift. The quotes of the findings on a
page are then fetched in one query (``quotes``).

``refresh`` keeps it current: when the graph version (graph_schema/version.py, one stamp
every write moves on) is not the state's, the change stamps (each document's ingested_at,
the merge-undo and the decision records) are compared with the state's: they say which
documents were written, replaced or deleted and which undos and decisions happened; only the
facts those touch are read again. A reader gets
one consistent snapshot (``ViewState``): refreshes build a new state and swap it in.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from typing import Any, NamedTuple

from neo4j import ManagedTransaction

from govgraph.gc_pause import collector_paused, freeze_long_lived

from . import queries as q
from .model import REL_TYPE_OF, DocumentView, EvidenceView, Label, RelationKind, RelType, Subgraph
from .plain import PlainEvidence, PlainSubgraph
from .reader import (
    ACTOR_LABELS,
    POLICY_LABELS,
    GraphSnapshot,
    SubgraphFilter,
    Whole,
    document_view,
    whole_relations,
)
from .store import GraphStore, as_dicts
from .version import graph_version
from .view_stamps import Run, decided, read_stamps, read_version

__all__ = [
    "AnalyticView",
    "EvidenceKey",
    "RefreshStats",
    "ViewState",
    "quote_digest",
]

log = logging.getLogger(__name__)

ENTITY_LABELS = (*ACTOR_LABELS, *POLICY_LABELS)
# What _assemble reads of a node; the rest (alias_docs, confidences, cues) stays in the store.
# ``review``: an analyst's verdict (graph_schema/decisions), which _assemble may filter on;
# ``merged_into``: a review's merge, which _assemble folds (actor_merge_decisions).
_NODE_FIELDS = (
    "id",
    "name",
    "type",
    "level",
    "kind",
    "aliases",
    "doc_ids",
    "review",
    "merged_into",
)

# Which relation an evidence of a finding belongs to, and where it is: enough to find its
# Evidence node by the indexed key.
EvidenceKey = tuple[str, str, int, int]  # relation key, passage id, char_start, char_end

_CANDIDATE_DOCUMENTS = (
    "UNWIND $ids AS id MATCH (c:Candidate {entity_id: id}) RETURN DISTINCT c.document_id AS id"
)
_RELATION_SOURCES = (
    "UNWIND $keys AS k MATCH (e:Evidence {key: k}) "
    "RETURN DISTINCT k AS key, e.rel_type AS rel_type, e.source_label AS source_label, "
    "e.source_id AS source_id"
)
_DOCUMENTS_CHANGED = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.title AS title, "
    "d.kind AS kind, d.language AS language, d.source_path AS source_path, d.date AS date, "
    "d.page_count AS page_count, d.passage_count AS passage_count, d.supports AS supports"
)
_EVIDENCE_OF_DOCUMENTS = (
    "UNWIND $ids AS id MATCH (e:Evidence {document_id: id}) "
    "RETURN e.key AS key, e.document_id AS document_id, e.passage_id AS passage_id, "
    "e.quote AS quote, e.char_start AS char_start, e.char_end AS char_end, "
    "e.confidence AS confidence, e.cue AS cue, e.rel_type AS rel_type, "
    "e.source_label AS source_label, e.source_id AS source_id"
)
_QUOTES = (
    "UNWIND $rows AS row "
    "MATCH (e:Evidence {key: row.key})-[:CITES]->(p:Passage {id: row.passage_id}) "
    "WHERE e.char_start = row.char_start AND e.char_end = row.char_end "
    "RETURN row.key AS key, row.passage_id AS passage_id, row.char_start AS char_start, "
    "row.char_end AS char_end, e.quote AS quote, p.text AS passage_text"
)


def _relations_by_key(rel: RelType, source: Label) -> str:
    # Anchored on the source's id index: relationship properties have no index.
    return (
        f"UNWIND $rows AS row MATCH (a:{source.value} {{id: row.source_id}})"
        f"-[r:{rel.value} {{key: row.key}}]->(b) "
        "RETURN r.key AS key, r.kind AS kind, a.id AS source, b.id AS target, "
        "r.confidence AS confidence, r.doc_ids AS doc_ids, r.review AS review, "
        "r.decided_kind AS decided_kind, r.reversed AS reversed"
    )


def quote_digest(quote: str) -> str:
    """Stands in for a quote in the view: the analysis compares quotes only for equality
    (evidence is deduplicated by passage and quote), and 64 bits keep them apart."""
    return hashlib.blake2b(quote.encode(), digest_size=8).hexdigest()


class _Evidence(NamedTuple):
    document_id: str
    passage_id: str
    char_start: int
    char_end: int
    confidence: float
    cue: str
    quote_digest: str


class _Passage(NamedTuple):
    page: int | None
    turn: int | None
    speaker: str | None


def _evidence_order(e: _Evidence) -> tuple[str, str, int, int, str, str]:
    # = catalog.evidence_views' order (there the quote breaks ties: a relation's evidence
    # spans are unique, so the digest never decides).
    return (e.document_id, e.passage_id, e.char_start, e.char_end, e.cue, e.quote_digest)


_intern: Callable[[str], str] = sys.intern


def _evidence_row(r: Mapping[str, Any]) -> _Evidence:
    return _Evidence(
        _intern(str(r["document_id"])),
        _intern(str(r["passage_id"])),
        int(r["char_start"]),
        int(r["char_end"]),
        float(r["confidence"]),
        _intern(r["cue"] or ""),
        quote_digest(r["quote"] or ""),
    )


def _node_row(node: Mapping[str, Any]) -> dict[str, Any]:
    row = {k: node[k] for k in _NODE_FIELDS if node.get(k) is not None}
    row["id"] = _intern(str(row["id"]))
    if "doc_ids" in row:
        row["doc_ids"] = tuple(_intern(str(d)) for d in row["doc_ids"])
    if "aliases" in row:
        row["aliases"] = tuple(row["aliases"])
    return row


def _relation_row(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": r["key"],
        "kind": _intern(str(r["kind"])),
        "source": _intern(str(r["source"])),
        "target": _intern(str(r["target"])),
        "confidence": r["confidence"],
        "doc_ids": tuple(_intern(str(d)) for d in r.get("doc_ids") or ()),
        # Only when set: most relations have no verdict (and the key costs a dict slot).
        **({"review": r["review"]} if r.get("review") is not None else {}),
        # A review's correction, kept as stored: the refresh finds the relationship by its
        # stored kind and source, and _assemble applies it (relation_decisions).
        **({"decided_kind": r["decided_kind"]} if r.get("decided_kind") else {}),
        **({"reversed": True} if r.get("reversed") else {}),
    }


def _kept(r: Mapping[str, Any], labels: Mapping[str, Label]) -> bool:
    # Relations of an unknown kind, or leaving a theme or a location, never reach a
    # subgraph (_assemble drops them): the view does not keep them.
    return r["kind"] in RelationKind.__members__ and r["source"] in labels


class _EvidenceOf(dict[str, list[PlainEvidence]]):
    """The evidence mapping GraphSnapshot looks up (``key in m``, ``m[key]``), building a
    relation's plain evidence (graph_schema/plain.py) from the light tuples on lookup: only
    the relations a cut keeps get them, and only for as long as that cut lives."""

    def __init__(
        self,
        evidence: dict[str, tuple[_Evidence, ...]],
        documents: dict[str, DocumentView],
        passages: dict[str, _Passage],
    ) -> None:
        # The state's parts, not the state: no reference cycle, so a replaced state is
        # freed by reference counting (the collector never sees it: freeze_long_lived).
        super().__init__()
        self._evidence, self._documents, self._passages = evidence, documents, passages

    def __contains__(self, key: object) -> bool:
        return key in self._evidence

    def __getitem__(self, key: str) -> list[PlainEvidence]:
        documents, passages = self._documents, self._passages
        out = []
        for e in self._evidence[key]:
            doc = documents.get(e.document_id)
            passage = passages.get(e.passage_id)
            if doc is None or passage is None:  # gone: as evidence_views leaves it out
                continue
            out.append(
                PlainEvidence(
                    e.document_id,
                    doc.title,
                    doc.kind,
                    e.passage_id,
                    passage.page,
                    passage.turn,
                    passage.speaker,
                    e.quote_digest,
                    e.char_start,
                    e.char_end,
                    e.confidence,
                    e.cue,
                )
            )
        return out


def _kept_whole(
    state: ViewState,
    previous: ViewState | None,
    touched: Collection[str] | None,
    evidence: Mapping[str, Sequence[PlainEvidence]],
    docs: list[DocumentView],
) -> Whole:
    """The snapshot's plain relations (reader.whole_relations), built once per state, off
    the request path, and only for what changed since ``previous``. A refresh keeps the
    row and the evidence tuple of every relation it did not touch (the same objects), and
    re-reads every evidence of a written or deleted document (its title, kind and
    passages are in the plain evidence), so an entry whose row and evidence tuple are
    both the previous state's is still right.

    ``touched``: the relations whose row or evidence the refresh replaced or dropped (all
    the others are the previous state's objects): only those are looked at, where a walk
    over every relation cost ~0.5-3 s at 500k relations."""
    if previous is not None and touched is not None:
        whole = dict(previous.snapshot.whole)
        for key in touched:
            whole.pop(key, None)
        fresh_rows = [state.relations[k] for k in touched if k in state.relations]
        whole.update(whole_relations(fresh_rows, evidence, docs))
        return whole
    old = previous.snapshot.whole if previous is not None else {}
    old_evidence = previous.evidence if previous is not None else {}
    kept: Whole = {}
    fresh = []
    for key, row in state.relations.items():
        hit = old.get(key)
        if hit is not None and hit[0] is row and old_evidence.get(key) is state.evidence.get(key):
            kept[key] = hit
        else:
            fresh.append(row)
    kept.update(whole_relations(fresh, evidence, docs))
    return kept


@dataclass
class ViewState:
    """One consistent state of the graph's facts. Never changed once published: a refresh
    builds the next one from copies."""

    version: str
    document_stamps: dict[str, str]  # document id -> ingested_at
    split_stamps: dict[str, str]  # AliasSplit id -> created_at (+ '/pending')
    other_stamps: frozenset[tuple[str, str]]  # Decision id -> created_at (+ '/undone ...')
    documents: dict[str, DocumentView]
    labels: dict[str, Label]  # entity id -> its label
    nodes: dict[Label, dict[str, dict[str, Any]]]
    relations: dict[str, dict[str, Any]]  # relation key -> row (reader's relation fields)
    evidence: dict[str, tuple[_Evidence, ...]]  # relation key -> its evidence, in order
    passages: dict[str, _Passage]
    citing: dict[str, tuple[str, ...]]  # passage id -> keys of the relations citing it
    snapshot: GraphSnapshot = field(init=False, repr=False)
    # The state this one was refreshed from: its plain relations are kept where nothing
    # changed (not stored: a state must not keep the chain of its predecessors alive).
    previous: InitVar[ViewState | None] = None
    # The relation keys a refresh from ``previous`` replaced or dropped (None: compare all).
    touched: InitVar[Collection[str] | None] = None

    def __post_init__(self, previous: ViewState | None, touched: Collection[str] | None) -> None:
        docs = [self.documents[i] for i in sorted(self.documents)]  # = DOCUMENT_VIEWS' order
        evidence = _EvidenceOf(self.evidence, self.documents, self.passages)
        self.snapshot = GraphSnapshot(
            docs,
            self.nodes,
            list(self.relations.values()),
            evidence,
            _kept_whole(self, previous, touched, evidence, docs),
        )
        # The cut's indexes (graph_schema/cut_index.py), here rather than on the first
        # question: from the previous state's for a refresh, else built whole.
        if previous is not None and touched is not None:
            self.snapshot.index_from(previous.snapshot, previous.relations, self.relations, touched)
        _ = self.snapshot.cut_index

    def subgraph(self, flt: SubgraphFilter | None = None) -> Subgraph:
        """= read_subgraph(store, flt), each quote replaced by its ``quote_digest``."""
        with collector_paused():  # ~50k new views, each allocation walking the view's tuples
            return self.snapshot.subgraph(flt)

    def facts(self, flt: SubgraphFilter | None = None) -> PlainSubgraph:
        """``subgraph(flt)`` as plain data: the cut the analysis reads on the request path."""
        with collector_paused():  # ~75k new tuples
            return self.snapshot.facts(flt)

    def evidence_key(self, ev: EvidenceView) -> EvidenceKey | None:
        """The Evidence node behind one evidence view this state handed out."""
        for key in self.citing.get(ev.passage_id, ()):
            for e in self.evidence.get(key, ()):
                if (
                    e.passage_id == ev.passage_id
                    and e.char_start == ev.char_start
                    and e.char_end == ev.char_end
                    and e.quote_digest == ev.quote
                ):
                    return (key, e.passage_id, e.char_start, e.char_end)
        return None


@dataclass
class RefreshStats:
    """What the last load or refresh read (tests check a refresh reads only what changed)."""

    full: bool = False
    documents: int = 0
    nodes: int = 0
    relations: int = 0
    evidence: int = 0
    passages: int = 0


def _runner(tx: ManagedTransaction) -> Run:
    return lambda query, params: as_dicts(tx.run(query, params))


def _passages(run: Run, ids: Iterable[str]) -> dict[str, _Passage]:
    return {
        _intern(str(p["id"])): _Passage(p["page"], p["turn"], p["speaker"])
        for chunk in q.batched(sorted(set(ids)))
        for p in run(q.PASSAGES_BY_IDS, {"ids": chunk})
    }


def _citing(evidence: Mapping[str, Iterable[_Evidence]]) -> dict[str, tuple[str, ...]]:
    citing: dict[str, set[str]] = defaultdict(set)
    for key, rows in evidence.items():
        for e in rows:
            citing[e.passage_id].add(key)
    return {p: tuple(sorted(keys)) for p, keys in citing.items()}


def _load(run: Run, stats: RefreshStats) -> ViewState:
    stamps = read_stamps(run, read_version(run))
    documents = {
        d.id: d
        for d in (
            document_view({k: v for k, v in r.items() if v is not None})
            for r in run(q.DOCUMENT_VIEWS, {})
        )
    }
    nodes: dict[Label, dict[str, dict[str, Any]]] = {}
    labels: dict[str, Label] = {}
    for label in ENTITY_LABELS:
        nodes[label] = {}
        for r in run(q.all_entities(label), {}):
            row = _node_row(r["node"])
            nodes[label][row["id"]] = row
            labels[row["id"]] = label
    # Relations leaving other nodes (themes, locations) never reach a subgraph: _assemble
    # keeps a relation only when its source is an actor or a policy.
    relations = {
        r["key"]: _relation_row(r)
        for r in run(q.ALL_RELATIONS, {"min_confidence": 0.0})
        if _kept(r, labels)
    }
    grouped: dict[str, list[_Evidence]] = defaultdict(list)
    for r in run(q.ALL_EVIDENCE, {}):
        if r["key"] in relations:
            grouped[r["key"]].append(_evidence_row(r))
            stats.evidence += 1
    evidence = {k: tuple(sorted(v, key=_evidence_order)) for k, v in grouped.items()}
    passages = _passages(run, (e.passage_id for rows in evidence.values() for e in rows))
    stats.full = True
    stats.documents, stats.nodes = len(documents), len(labels)
    stats.relations, stats.passages = len(relations), len(passages)
    return ViewState(
        version=stamps.version,
        document_stamps=stamps.documents,
        split_stamps=stamps.splits,
        other_stamps=stamps.others,
        documents=documents,
        labels=labels,
        nodes=nodes,
        relations=relations,
        evidence=evidence,
        passages=passages,
        citing=_citing(evidence),
    )


def _refreshed(run: Run, old: ViewState, stats: RefreshStats, max_share: float) -> ViewState:
    """The next state from ``old``: only what the changed documents and undos touch is read
    again. Falls back to a full load when most documents changed."""
    version = read_version(run)
    if version == old.version:
        return old
    stamps = read_stamps(run, version)
    doc_stamps = stamps.documents
    found = decided(run, old.other_stamps, stamps.others)
    if found is None:  # a stamp the view cannot place: read it all again
        return _load(run, stats)
    decided_actors, decided_relations, promoted = found
    vanished = set(old.document_stamps) - set(doc_stamps)
    changed = {d for d, stamp in doc_stamps.items() if old.document_stamps.get(d) != stamp}
    # A promotion or its undo writes or withdraws facts in its candidate's documents
    # (graph_schema/candidates): those are read again like written ones.
    if promoted:
        rows = run(_CANDIDATE_DOCUMENTS, {"ids": sorted(promoted)})
        changed |= {str(r["id"]) for r in rows} & set(doc_stamps)
    undone_entities: set[tuple[str, str]] = set()
    for s in stamps.split_rows:
        if old.split_stamps.get(str(s["id"])) != str(s["ingested_at"]):
            # An undo renames the entity (no document changes for that) and re-extracts
            # its documents: re-read them even when their ingested_at kept its second.
            undone_entities.add((str(s["label"]), str(s["entity_id"])))
            changed |= {str(d) for d in s["doc_ids"] or () if str(d) in doc_stamps}
    if len(changed) + len(vanished) > max(4, max_share * len(doc_stamps)):
        return _load(run, stats)
    gone = vanished | changed  # whose former contributions are withdrawn

    # Facts the old state has from those documents, and the decisions' targets.
    touched_nodes: dict[str, Label] = {
        i: label
        for label, by_id in old.nodes.items()
        for i, n in by_id.items()
        # isdisjoint: no new set per node (an intersection each cost ~25 ms at 5k)
        if not gone.isdisjoint(n.get("doc_ids") or ())
    }
    for ident in decided_actors:
        touched_nodes[ident] = old.labels.get(ident, Label.Actor)
    touched_relations: dict[str, tuple[str, str, str]] = {
        k: (REL_TYPE_OF[RelationKind(r["kind"])].value, old.labels[r["source"]].value, r["source"])
        for k, r in old.relations.items()
        if not gone.isdisjoint(r["doc_ids"]) or k in decided_relations
    }
    for r in run(_RELATION_SOURCES, {"keys": sorted(decided_relations - set(touched_relations))}):
        if r["rel_type"] is not None:
            touched_relations[r["key"]] = (
                str(r["rel_type"]),
                str(r["source_label"]),
                str(r["source_id"]),
            )
    # Facts the store now has from the written ones (their supports and evidence).
    documents = dict(old.documents)
    for d in vanished | changed:
        documents.pop(d, None)
    for r in run(_DOCUMENTS_CHANGED, {"ids": sorted(changed)}):
        stats.documents += 1
        for ref in r.pop("supports", None) or ():
            label, _, ident = str(ref).partition("|")
            if label in Label.__members__ and Label(label) in ENTITY_LABELS:
                touched_nodes[ident] = Label(label)
        view = document_view({k: v for k, v in r.items() if v is not None})
        documents[view.id] = view
    for label, ident in undone_entities:
        if label in Label.__members__ and Label(label) in ENTITY_LABELS:
            touched_nodes[ident] = Label(label)
    new_evidence: dict[str, list[_Evidence]] = defaultdict(list)
    for r in run(_EVIDENCE_OF_DOCUMENTS, {"ids": sorted(changed)}):
        stats.evidence += 1
        new_evidence[r["key"]].append(_evidence_row(r))
        touched_relations[r["key"]] = (str(r["rel_type"]), str(r["source_label"]), r["source_id"])

    # Nodes: read again by id; a missing one was deleted with its last document.
    nodes = {label: dict(by_id) for label, by_id in old.nodes.items()}
    labels = dict(old.labels)
    by_label: dict[Label, list[str]] = defaultdict(list)
    for ident, label in touched_nodes.items():
        by_label[label].append(ident)
        nodes[label].pop(ident, None)
        labels.pop(ident, None)
    for label, ids in by_label.items():
        for chunk in q.batched(sorted(ids)):
            for r in run(q.entities_by_ids(label), {"ids": chunk}):
                row = _node_row(r["node"])
                nodes[label][row["id"]] = row
                labels[row["id"]] = label
                stats.nodes += 1

    # Relations: read again by key from their source; a missing one was deleted.
    relations = dict(old.relations)
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for key, (rel, source_label, source_id) in touched_relations.items():
        relations.pop(key, None)
        if source_label in Label.__members__ and Label(source_label) in ENTITY_LABELS:
            groups[(rel, source_label)].append({"key": key, "source_id": source_id})
    for (rel, source_label), rows in groups.items():
        for batch in q.batched(rows):
            for r in run(_relations_by_key(RelType(rel), Label(source_label)), {"rows": batch}):
                if _kept(r, labels):
                    relations[r["key"]] = _relation_row(r)
                    stats.relations += 1

    # Evidence: the gone documents' rows leave, the written documents' rows arrive.
    evidence = dict(old.evidence)
    # Only the passages the touched relations cite (before or now) change their citing keys:
    # those are rebuilt, the others keep the old state's tuples (a copy of every passage's
    # keys cost ~0.5 s at 1M evidence).
    recited: dict[str, set[str]] = {}

    def citing_of(passage_id: str) -> set[str]:
        keys = recited.get(passage_id)
        if keys is None:
            keys = recited[passage_id] = set(old.citing.get(passage_id, ()))
        return keys

    for key in touched_relations:
        before = evidence.pop(key, ())
        for e in before:
            citing_of(e.passage_id).discard(key)
        if key not in relations:
            continue
        kept = [e for e in before if e.document_id not in gone] + new_evidence.get(key, [])
        if kept:
            evidence[key] = tuple(sorted(kept, key=_evidence_order))
            for e in kept:
                citing_of(e.passage_id).add(key)
    citing = dict(old.citing)
    for passage_id, keys in recited.items():
        if keys:
            citing[passage_id] = tuple(sorted(keys))
        else:
            citing.pop(passage_id, None)
    passages = {p: v for p, v in old.passages.items() if p in citing}  # cited by some still
    fresh = {e.passage_id for rows in new_evidence.values() for e in rows} - set(passages)
    read = _passages(run, fresh)
    stats.passages = len(read)
    passages.update(read)
    return ViewState(
        previous=old,
        touched=touched_relations.keys(),
        version=version,
        document_stamps=doc_stamps,
        split_stamps=stamps.splits,
        other_stamps=stamps.others,
        documents=documents,
        labels=labels,
        nodes=nodes,
        relations=relations,
        evidence=evidence,
        passages=passages,
        citing=citing,
    )


class AnalyticView:
    """The process's view of the facts. ``state()`` waits for the first load; ``refresh()``
    applies what changed since (this process's writes, or anyone's, by the graph version).

    ``max_share``: a refresh touching more than this share of the documents reloads all
    (one scan is then cheaper than thousands of lookups by id).
    """

    def __init__(self, store: GraphStore, *, max_share: float = 0.5) -> None:
        self.store = store
        self.max_share = max_share
        self.last = RefreshStats()
        self._state: ViewState | None = None
        self._lock = threading.Lock()  # guards _state
        self._work = threading.Lock()  # one load or refresh at a time
        self._loader: threading.Thread | None = None

    # -- loading ------------------------------------------------------------------------

    def load(self) -> ViewState:
        """Read everything, now (also the fallback when a refresh cannot be applied)."""
        with self._work:
            return self._publish(self._read(lambda run, stats: _load(run, stats)))

    def start_loading(self) -> None:
        """Load in the background (server start-up); requests meanwhile wait for it."""

        def work() -> None:
            try:
                self.load()
            except Exception:  # the first request loads it again, and reports the error
                log.exception("loading the analytic view failed")

        self._loader = threading.Thread(target=work, name="govgraph-view-load", daemon=True)
        self._loader.start()

    def close(self, timeout: float = 60.0) -> None:
        """Wait for a background load still running (server shutdown): the store must not
        be closed under its transaction, which would leave the driver's session unclosed."""
        loader = self._loader
        if loader is not None and loader.is_alive():
            loader.join(timeout)

    def state(self) -> ViewState:
        """The current state, loaded first if need be."""
        loader = self._loader
        if loader is not None and loader.is_alive():
            loader.join()
        with self._lock:
            state = self._state
        return state if state is not None else self.load()

    # -- keeping current ----------------------------------------------------------------

    def refresh(self) -> ViewState:
        """Apply the changes since the state was read: an incremental read of the documents
        whose ingested_at changed or that vanished, and of merge undos."""
        old = self.state()
        with self._work:
            with self._lock:
                old = self._state or old
            try:
                return self._publish(
                    self._read(lambda run, stats: _refreshed(run, old, stats, self.max_share))
                )
            except Exception:
                log.exception("refreshing the analytic view failed; reading it again")
                return self._publish(self._read(lambda run, stats: _load(run, stats)))

    def current(self) -> ViewState:
        """The state for the store's current graph version (one cheap query): picks up
        changes made by other processes (a CLI ingest) before answering."""
        state = self.state()
        if graph_version(self.store) == state.version:
            return state
        return self.refresh()

    def quotes(self, keys: Iterable[EvidenceKey]) -> dict[EvidenceKey, tuple[str, str]]:
        """Quote and passage text of the given evidence, in one query."""
        rows = [
            {"key": k, "passage_id": p, "char_start": s, "char_end": e}
            for k, p, s, e in dict.fromkeys(keys)
        ]
        if not rows:
            return {}
        return {
            (r["key"], r["passage_id"], int(r["char_start"]), int(r["char_end"])): (
                r["quote"] or "",
                r["passage_text"] or "",
            )
            for r in self.store.query(_QUOTES, {"rows": rows})
        }

    # -- internals ----------------------------------------------------------------------

    def _read(
        self, build: Callable[[Run, RefreshStats], ViewState]
    ) -> tuple[ViewState, RefreshStats]:
        def work(tx: ManagedTransaction) -> tuple[ViewState, RefreshStats]:
            stats = RefreshStats()  # per attempt: a retried transaction counts once
            with collector_paused():  # millions of tuples read, none of them cyclic garbage
                return build(_runner(tx), stats), stats

        return self.store.execute_read(work, action="Reading the analytic view")

    def _publish(self, result: tuple[ViewState, RefreshStats]) -> ViewState:
        state, stats = result
        with self._lock:
            self._state = state
            self.last = stats
        freeze_long_lived()
        log.info(
            "analytic view at %s (%s: %d documents, %d nodes, %d relations, %d evidence read)",
            state.version,
            "full load" if stats.full else "incremental",
            stats.documents,
            stats.nodes,
            stats.relations,
            stats.evidence,
        )
        return state
