"""Below-threshold actor candidates in the graph, and what promoting one writes.

A ``(:Candidate)`` node is one document's candidate (``CandidateFact``): its name, score and
the threshold it missed, the classifier's type/level guess, a quote or two, and, as JSON,
the mentions and ties a promotion turns into facts. It carries its document's id (indexed,
migration 6), and the writer deletes a document's candidates with its passages. Nothing
that reads actors, relations, the analytic view, gaps or exports matches this label.

A promotion is a ``(:Decision)`` on the candidate's *entity id* (its identity across runs:
a re-extracted document yields the same id), so it holds for that entity in every document
where it is a candidate, now and after re-ingestion. Its effect, per document, is the
candidate's facts written as that document's own (``promotion_batch``): the Actor node with
the document's support, its mentions, and the ties whose other end the document writes.
Deleting the document then removes them like any other fact; demoting withdraws them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from neo4j import ManagedTransaction

from ingest.model import Document, DocumentKind

from . import queries as q
from .alias_support import WEAK
from .decisions import TargetKind, _decisions_of, _review
from .model import (
    REL_TYPE_OF,
    CandidateFact,
    EntityNode,
    GraphBatch,
    Label,
    Mention,
    RelationFact,
    RelType,
)
from .store import GraphStore, as_dicts

__all__ = [
    "PROMOTED",
    "get_candidate",
    "list_candidates",
    "promoted_entities",
    "promotion_batch",
    "release_promotion",
    "write_candidates",
]

PROMOTED = "promoted"
_QUOTES = 2  # passages quoted on the node, for the reviewer
_QUOTE_CHARS = 300

WRITE_CANDIDATES = "UNWIND $rows AS row CREATE (c:Candidate) SET c = row"
DELETE_CANDIDATES_OF_DOCUMENT = "MATCH (c:Candidate {document_id: $id}) DETACH DELETE c"
CANDIDATES_OF_ENTITY = (
    "MATCH (c:Candidate {entity_id: $entity_id}) RETURN c {.*} AS candidate ORDER BY c.id"
)
CANDIDATE_BY_ID = "MATCH (c:Candidate {id: $id}) RETURN c {.*} AS candidate"
SET_CANDIDATE_REVIEW = "MATCH (c:Candidate {id: $id}) SET c.review = $review"
_FILTER = (
    "MATCH (c:Candidate) WHERE ($document IS NULL OR c.document_id = $document) "
    "AND c.score >= $min_score "
)
LIST_CANDIDATES = (
    _FILTER + "OPTIONAL MATCH (d:Document {id: c.document_id}) "
    "RETURN c {.*, document_title: d.title} AS candidate "
    "ORDER BY c.score DESC, c.id SKIP $skip LIMIT $limit"
)
COUNT_CANDIDATES = _FILTER + "RETURN count(c) AS n"
ADD_SUPPORTS = (
    "MATCH (d:Document {id: $id}) "
    "SET d.supports = coalesce(d.supports, []) + "
    "[x IN $refs WHERE NOT x IN coalesce(d.supports, [])]"
)
REMOVE_SUPPORTS = (
    "MATCH (d:Document {id: $id}) SET d.supports = [x IN d.supports WHERE NOT x IN $refs]"
)
DELETE_EVIDENCE_OF_KEYS = (
    "UNWIND $keys AS key MATCH (e:Evidence {key: key}) WHERE e.document_id = $document_id "
    "DETACH DELETE e"
)


def supported_by(label: Label) -> str:
    """Which of these entities the document supports (a tie may end only at one of them)."""
    return (
        f"UNWIND $ids AS id MATCH (n:{q._label(label)} {{id: id}}) "
        "WHERE $document_id IN n.doc_ids RETURN n.id AS id"
    )


def unmention(label: Label) -> str:
    return (
        f"MATCH (p:Passage {{document_id: $document_id}})-[m:MENTIONS]->"
        f"(:{q._label(label)} {{id: $entity_id}}) DELETE m"
    )


# --- writing a document's candidates ----------------------------------------------------------


def _quotes(batch: GraphBatch, c: CandidateFact) -> tuple[list[str], list[str]]:
    """Up to two passages that name the candidate, each cut to a window around the name."""
    texts = {p.id: p.text for p in batch.document.passages}
    passage_ids: list[str] = []
    quotes: list[str] = []
    for m in c.mentions:
        if m.passage_id in passage_ids or len(passage_ids) == _QUOTES:
            continue
        text = texts.get(m.passage_id, "")
        start = max(0, m.char_start - _QUOTE_CHARS // 3)
        passage_ids.append(m.passage_id)
        quotes.append(text[start : start + _QUOTE_CHARS].strip())
    return passage_ids, quotes


def write_candidates(tx: ManagedTransaction, batch: GraphBatch) -> int:
    rows = []
    for c in batch.candidates:
        passage_ids, quotes = _quotes(batch, c)
        rows.append(
            {
                "id": c.id_in(batch.document.id),
                "entity_id": c.entity_id,
                "document_id": batch.document.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "score": c.score,
                "threshold": c.threshold,
                "type": c.properties.get("type"),
                "level": c.properties.get("level"),
                "passage_ids": passage_ids,
                "quotes": quotes,
                # Maps and lists of maps are not property values: kept as JSON text.
                "properties": json.dumps(c.properties, ensure_ascii=False, sort_keys=True),
                "mentions": json.dumps(
                    [m.model_dump(mode="json") for m in c.mentions], ensure_ascii=False
                ),
                "ties": json.dumps([r.model_dump(mode="json") for r in c.ties], ensure_ascii=False),
            }
        )
    for chunk in q.batched(rows):
        chunk = [{k: v for k, v in r.items() if v is not None} for r in chunk]
        tx.run(WRITE_CANDIDATES, rows=chunk).consume()
    return len(rows)


# --- promotion: the candidate's facts as its document's own ------------------------------------


def promoted_entities(tx: ManagedTransaction, entity_ids: Sequence[str]) -> set[str]:
    """The entities among these that a promotion in force names."""
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for d in _decisions_of(tx, TargetKind.candidate, entity_ids):
        by_entity.setdefault(d["target_id"], []).append(d)
    return {e for e, ds in by_entity.items() if _review(ds) == PROMOTED}


def promotion_batch(
    tx: ManagedTransaction, document_id: str, candidates: Sequence[Mapping[str, Any]]
) -> GraphBatch:
    """The facts promoting these candidates (Candidate node rows, all of one document) adds:
    one Actor each, its mentions, and its ties whose other end the document supports or is
    promoted with it."""
    promoted = {c["entity_id"] for c in candidates}
    entities: list[EntityNode] = []
    mentions: list[Mention] = []
    ties: dict[str, RelationFact] = {}
    for c in candidates:
        entities.append(
            EntityNode(
                label=Label.Actor,
                id=c["entity_id"],
                name=c["name"],
                aliases=tuple(c.get("aliases") or ()),
                properties=json.loads(c.get("properties") or "{}"),
            )
        )
        mentions += [Mention(**m) for m in json.loads(c.get("mentions") or "[]")]
        for raw in json.loads(c.get("ties") or "[]"):
            tie = RelationFact(**raw)
            ties.setdefault(tie.key, tie)
    ends: dict[Label, set[str]] = {}
    for tie in ties.values():
        for label, ident in ((tie.source_label, tie.source_id), (tie.target_label, tie.target_id)):
            if ident not in promoted:
                ends.setdefault(label, set()).add(ident)
    present = set(promoted)
    for label, ids in ends.items():
        rows = as_dicts(tx.run(supported_by(label), ids=sorted(ids), document_id=document_id))
        present |= {r["id"] for r in rows}
    kept = tuple(t for t in ties.values() if {t.source_id, t.target_id} <= present)
    # A stand-in for the document: the writer's fact writers read only its id.
    stand_in = Document(
        id=document_id,
        title="",
        kind=DocumentKind.other,
        language="und",
        source_path="",
        media_type="",
    )
    return GraphBatch(
        document=stand_in, entities=tuple(entities), mentions=tuple(mentions), relations=kept
    )


def add_supports(tx: ManagedTransaction, document_id: str, entities: Iterable[EntityNode]) -> None:
    refs = sorted({f"{e.label.value}|{e.id}" for e in entities})
    if refs:
        tx.run(ADD_SUPPORTS, id=document_id, refs=refs).consume()


def release_promotion(tx: ManagedTransaction, candidate: Mapping[str, Any]) -> None:
    """Withdraw what promoting this candidate wrote in its document: its ties' support and
    evidence there (whichever promotion wrote them), its mentions, the Actor's support from
    the document (the node goes when no document supports it)."""
    document_id, entity_id = candidate["document_id"], candidate["entity_id"]
    ties = [RelationFact(**raw) for raw in json.loads(candidate.get("ties") or "[]")]
    groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = {}
    for t in ties:
        groups.setdefault((REL_TYPE_OF[t.kind], t.source_label, t.target_label), []).append(
            {"key": t.key, "source_id": t.source_id, "target_id": t.target_id}
        )
    for (rel, source, target), rows in groups.items():
        tx.run(
            q.release_relations(rel, source, target), rows=rows, document_id=document_id
        ).consume()
    tx.run(DELETE_EVIDENCE_OF_KEYS, keys=[t.key for t in ties], document_id=document_id).consume()
    for (rel, source, target), rows in groups.items():
        tx.run(q.recount_relations(rel, source, target), rows=rows).consume()
    tx.run(unmention(Label.Actor), document_id=document_id, entity_id=entity_id).consume()
    tx.run(
        q.release_aliases(Label.Actor),
        ids=[entity_id],
        prefixes=[f"{document_id}|", f"{WEAK}{document_id}|"],
    ).consume()
    tx.run(q.release_entities(Label.Actor), ids=[entity_id], document_id=document_id).consume()
    tx.run(REMOVE_SUPPORTS, id=document_id, refs=[f"{Label.Actor.value}|{entity_id}"]).consume()


def candidates_of_entity(tx: ManagedTransaction, entity_id: str) -> list[dict[str, Any]]:
    return [r["candidate"] for r in as_dicts(tx.run(CANDIDATES_OF_ENTITY, entity_id=entity_id))]


def set_review(tx: ManagedTransaction, candidate_id: str, review: str | None) -> None:
    tx.run(SET_CANDIDATE_REVIEW, id=candidate_id, review=review).consume()


# --- reading --------------------------------------------------------------------------------------


def view(node: Mapping[str, Any]) -> dict[str, Any]:
    """A candidate as the API and the CLI show it (no promotion internals)."""
    return {
        "id": node["id"],
        "entity_id": node["entity_id"],
        "name": node["name"],
        "aliases": list(node.get("aliases") or []),
        "score": node["score"],
        "threshold": node["threshold"],
        "type": node.get("type"),
        "level": node.get("level"),
        "document_id": node["document_id"],
        "document_title": node.get("document_title"),
        "passage_ids": list(node.get("passage_ids") or []),
        "quotes": list(node.get("quotes") or []),
        "ties": len(json.loads(node.get("ties") or "[]")),
        "review": node.get("review"),
    }


def get_candidate(store: GraphStore, candidate_id: str) -> dict[str, Any] | None:
    rows = store.query(CANDIDATE_BY_ID, {"id": candidate_id})
    return view(rows[0]["candidate"]) if rows else None


def list_candidates(
    store: GraphStore,
    *,
    document: str | None = None,
    min_score: float = 0.0,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of candidates, highest score first, and the total."""
    params = {"document": document, "min_score": min_score}
    rows = store.query(LIST_CANDIDATES, {**params, "skip": skip, "limit": limit})
    total = store.query(COUNT_CANDIDATES, params)[0]["n"]
    return [view(r["candidate"]) for r in rows], int(total)
