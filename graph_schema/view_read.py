"""Reading the analytic view's state from the store: the full load, and the incremental
refresh that reads again only what the changed documents, undos and decisions touch
(graph_schema/view.py's note says when each runs)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from neo4j import ManagedTransaction

from . import queries as q
from .model import REL_TYPE_OF, Label, RelationKind, RelType
from .reader import ACTOR_LABELS, POLICY_LABELS, document_view
from .store import as_dicts
from .view_stamps import Run, decided, read_stamps, read_version
from .view_state import RefreshStats, ViewState, _Evidence, _evidence_order, _Passage, quote_digest

__all__ = ["load_state", "refreshed_state", "runner"]

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
# Only those fields, not ``n {.*}``: a node's other properties are read, sent and decoded
# for nothing (150 actors by id took 40-63 ms of a one-document refresh at 5k).
_NODE_PROJECTION = ", ".join(f".{k}" for k in _NODE_FIELDS)


def _all_entities(label: Label) -> str:
    return f"MATCH (n:{label.value}) RETURN n {{{_NODE_PROJECTION}}} AS node"


def _entities_by_ids(label: Label) -> str:
    return f"UNWIND $ids AS id MATCH (n:{label.value} {{id: id}}) RETURN n {{{_NODE_PROJECTION}}} AS node"


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


def _relations_by_key(rel: RelType, source: Label) -> str:
    # Anchored on the source's id index: relationship properties have no index.
    return (
        f"UNWIND $rows AS row MATCH (a:{source.value} {{id: row.source_id}})"
        f"-[r:{rel.value} {{key: row.key}}]->(b) "
        "RETURN r.key AS key, r.kind AS kind, a.id AS source, b.id AS target, "
        "r.confidence AS confidence, r.doc_ids AS doc_ids, r.review AS review, "
        "r.decided_kind AS decided_kind, r.reversed AS reversed"
    )


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


def runner(tx: ManagedTransaction) -> Run:
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


def _named_documents(
    nodes: Iterable[Mapping[str, Mapping[str, Any]]], rows: Iterable[Mapping[str, Any]]
) -> frozenset[str]:
    """The document ids the node rows (by label, by id) and other rows name."""
    named: set[str] = set()
    for by_id in nodes:
        for n in by_id.values():
            named.update(n.get("doc_ids") or ())
    for r in rows:
        named.update(r.get("doc_ids") or ())
    return frozenset(named)


def load_state(run: Run, stats: RefreshStats) -> ViewState:
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
        for r in run(_all_entities(label), {}):
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
        named_documents=_named_documents(nodes.values(), relations.values()),
    )


def refreshed_state(run: Run, old: ViewState, stats: RefreshStats, max_share: float) -> ViewState:
    """The next state from ``old``: only what the changed documents and undos touch is read
    again. Falls back to a full load when most documents changed."""
    version = read_version(run)
    if version == old.version:
        return old
    stamps = read_stamps(run, version)
    doc_stamps = stamps.documents
    found = decided(run, old.other_stamps, stamps.others)
    if found is None:  # a stamp the view cannot place: read it all again
        return load_state(run, stats)
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
        return load_state(run, stats)
    gone = vanished | changed  # whose former contributions are withdrawn

    # Facts the old state has from those documents, and the decisions' targets. A new
    # document (the usual refresh) is named by none of them: no scan of every row.
    named = gone & old.named_documents
    touched_nodes: dict[str, Label] = {
        i: label
        for label, by_id in (old.nodes.items() if named else ())
        for i, n in by_id.items()
        # isdisjoint: no new set per node (an intersection each cost ~25 ms at 5k)
        if not named.isdisjoint(n.get("doc_ids") or ())
    }
    for ident in decided_actors:
        touched_nodes[ident] = old.labels.get(ident, Label.Actor)
    touched_keys = (
        [k for k, r in old.relations.items() if not named.isdisjoint(r["doc_ids"])] if named else []
    )
    touched_relations: dict[str, tuple[str, str, str]] = {
        k: (REL_TYPE_OF[RelationKind(r["kind"])].value, old.labels[r["source"]].value, r["source"])
        for k in (*touched_keys, *(k for k in decided_relations if k in old.relations))
        for r in (old.relations[k],)
    }
    undecided = sorted(decided_relations - set(touched_relations))
    for r in run(_RELATION_SOURCES, {"keys": undecided}) if undecided else ():
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
    reread: list[dict[str, Any]] = []  # the node and relation rows read again
    for label, ids in by_label.items():
        for chunk in q.batched(sorted(ids)):
            for r in run(_entities_by_ids(label), {"ids": chunk}):
                row = _node_row(r["node"])
                nodes[label][row["id"]] = row
                labels[row["id"]] = label
                stats.nodes += 1
                reread.append(row)

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
                    relations[r["key"]] = row = _relation_row(r)
                    stats.relations += 1
                    reread.append(row)

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
        named_documents=old.named_documents | _named_documents((), reread),
    )
