"""Write a document's GraphBatch in ONE managed transaction: all of it or none of it.

- The same bytes again (same sha256 id) is a no-op, unless asked to re-write it (after a
  merge is undone, its documents are extracted again and replace themselves).
- A new version (same ``source_path``, new id) replaces the old one's facts in the same
  transaction, without touching facts other documents also support.
- Deleting a document removes its passages and evidence, and every fact only it supported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from neo4j import ManagedTransaction

from govgraph.errors import WriteError

from . import queries as q
from .alias_support import WEAK, claims_after_write, used_aliases
from .candidates import (
    CANDIDATE_BY_ID,
    DELETE_CANDIDATES_OF_DOCUMENT,
    PROMOTED,
    add_supports,
    promoted_entities,
    promotion_batch,
    set_review,
    write_candidates,
)
from .decisions import reapply_decisions
from .model import REL_TYPE_OF, GraphBatch, Label, RelType, evidence_id
from .store import GraphStore, as_dicts
from .version import bump

__all__ = ["WriteResult", "WriteStatus", "delete_document", "write_document", "write_promotion"]


class WriteStatus(StrEnum):
    written = "written"
    unchanged = "unchanged"  # the same content was already in the graph
    replaced = "replaced"  # written, and an older version of the same source removed


@dataclass(frozen=True)
class WriteResult:
    document_id: str
    status: WriteStatus
    replaced: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def write_document(store: GraphStore, batch: GraphBatch, *, rewrite: bool = False) -> WriteResult:
    """Write one document and everything extracted from it, atomically.

    ``rewrite`` replaces what the same document (same id) contributed before, instead of
    treating it as unchanged: used when its extraction changed, not its bytes.
    """
    _validate(batch)
    return store.execute_write(
        lambda tx: _write(tx, batch, rewrite=rewrite),
        action=f"Writing document {batch.document.source_path}",
    )


def delete_document(store: GraphStore, document_id: str) -> bool:
    """Delete a document and the facts only it supported. False if it was not there."""

    def work(tx: ManagedTransaction) -> bool:
        if tx.run(q.DOCUMENT_BY_ID, id=document_id).single() is None:
            return False
        _release(tx, document_id)
        bump(tx)
        return True

    return store.execute_write(work, action=f"Deleting document {document_id}")


# --- internals ------------------------------------------------------------------------------


def _validate(batch: GraphBatch) -> None:
    """Refuse inconsistent batches before touching the store; the messages name the culprit."""
    passage_ids = {p.id for p in batch.document.passages}
    entity_keys = {(e.label, e.id) for e in batch.entities}
    problems: list[str] = []
    for m in batch.mentions:
        if m.passage_id not in passage_ids:
            problems.append(f"mention of {m.entity_id} cites unknown passage {m.passage_id}")
        if (m.label, m.entity_id) not in entity_keys:
            problems.append(f"mention of unknown entity {m.label}:{m.entity_id}")
    for r in batch.relations:
        # A relation's endpoints must be supported by the same document, so that deleting
        # the document can never leave a relationship hanging off a deleted node.
        for label, ident in ((r.source_label, r.source_id), (r.target_label, r.target_id)):
            if (label, ident) not in entity_keys:
                problems.append(f"relation {r.key} refers to unknown entity {label}:{ident}")
        for ev in r.evidence:
            if ev.passage_id not in passage_ids:
                problems.append(f"relation {r.key} cites unknown passage {ev.passage_id}")
    for mg in batch.merges:
        if (mg.label, mg.entity_id) not in entity_keys:
            problems.append(f"merge of {mg.alias!r} onto unknown entity {mg.label}:{mg.entity_id}")
    for c in batch.candidates:
        # A candidate is what the document did not make an actor (a promotion writes it).
        if (Label.Actor, c.entity_id) in entity_keys:
            problems.append(f"candidate {c.entity_id} is also one of the document's actors")
        cited = [m.passage_id for m in c.mentions]
        cited += [ev.passage_id for r in c.ties for ev in r.evidence]
        for passage_id in sorted(set(cited) - passage_ids):
            problems.append(f"candidate {c.entity_id} cites unknown passage {passage_id}")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        )
        raise WriteError(f"Inconsistent graph batch for {batch.document.source_path}: {shown}")


def _write(tx: ManagedTransaction, batch: GraphBatch, *, rewrite: bool = False) -> WriteResult:
    doc = batch.document
    old_versions: list[str] = []
    if tx.run(q.DOCUMENT_BY_ID, id=doc.id).single() is not None:
        if not rewrite:
            return WriteResult(doc.id, WriteStatus.unchanged)
        old_versions.append(doc.id)
    old_versions += [
        r["id"] for r in tx.run(q.DOCUMENT_VERSIONS, source_path=doc.source_path, id=doc.id)
    ]
    for old in old_versions:
        _release(tx, old)
    counts = {
        "passages": _write_document_and_passages(tx, batch),
        "entities": _write_entities(tx, batch),
        "mentions": _write_mentions(tx, batch),
        "relations": _write_relations(tx, batch),
        "evidence": _write_evidence(tx, batch),
        "merges": _write_merges(tx, batch),
        "candidates": write_candidates(tx, batch),
    }
    # Then the candidates a reviewer promoted become this document's actors again, and last,
    # in the same transaction, the analyst's decisions on all that was just written (a
    # rejected actor stays rejected however often its document is extracted again).
    promoted = _promoted_again(tx, batch)
    counts["promoted"] = len(promoted.entities)
    counts["decisions"] = reapply_decisions(
        tx,
        batch.model_copy(
            update={
                "entities": batch.entities + promoted.entities,
                "relations": batch.relations + promoted.relations,
            }
        ),
    )
    bump(tx)  # last: see version.bump
    status = WriteStatus.replaced if old_versions else WriteStatus.written
    return WriteResult(doc.id, status, tuple(old_versions), counts)


def _promoted_again(tx: ManagedTransaction, batch: GraphBatch) -> GraphBatch:
    """The batch's candidates whose entity a promotion in force names, written as actors."""
    promoted = promoted_entities(tx, [c.entity_id for c in batch.candidates])
    ids = [c.id_in(batch.document.id) for c in batch.candidates if c.entity_id in promoted]
    return write_promotion(tx, batch.document.id, ids)


def write_promotion(
    tx: ManagedTransaction, document_id: str, candidate_ids: Sequence[str]
) -> GraphBatch:
    """Write the facts promoting these stored candidates of one document adds, and mark them
    promoted. Returns those facts."""
    rows = [
        r["candidate"]
        for cid in candidate_ids
        for r in as_dicts(tx.run(CANDIDATE_BY_ID, id=cid))
        if r["candidate"].get("review") != PROMOTED
    ]
    facts = promotion_batch(tx, document_id, rows)
    if rows:
        _write_entities(tx, facts)
        _write_mentions(tx, facts)
        _write_relations(tx, facts)
        _write_evidence(tx, facts)
        add_supports(tx, document_id, facts.entities)
        for r in rows:
            set_review(tx, r["id"], PROMOTED)
    return facts


def _write_document_and_passages(tx: ManagedTransaction, batch: GraphBatch) -> int:
    doc = batch.document
    props: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind.value,
        "language": doc.language,
        "source_path": doc.source_path,
        "media_type": doc.media_type,
        "page_count": doc.page_count,
        "date": doc.date,
        "place": doc.place,
        # Maps are not property values; keep them as JSON text.
        "metadata": json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True),
        "respondents": json.dumps(
            [r.model_dump(exclude_none=True) for r in doc.respondents], ensure_ascii=False
        ),
        "warnings": list(doc.warnings),
        "passage_count": len(doc.passages),
        "word_count": doc.word_count,
        # Store UTC: the embedded server does not keep time zones.
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "supports": sorted({f"{e.label.value}|{e.id}" for e in batch.entities}),
    }
    tx.run(q.CREATE_DOCUMENT, props={k: v for k, v in props.items() if v is not None}).consume()
    rows = [
        {
            "id": p.id,
            "document_id": doc.id,
            "index": p.index,
            "text": p.text,
            "kind": p.kind.value,
            "page": p.page,
            "turn": p.turn,
            "char_start": p.char_start,
            "char_end": p.char_end,
            "speaker": p.speaker,
            "speaker_role": p.speaker_role.value if p.speaker_role else None,
            "section": p.section,
        }
        for p in doc.passages
    ]
    for chunk in q.batched(rows):
        chunk = [{k: v for k, v in r.items() if v is not None} for r in chunk]
        tx.run(q.CREATE_PASSAGES, document_id=doc.id, rows=chunk).consume()
    return len(rows)


def _confidence(props: dict[str, Any]) -> float:
    for key in ("confidence", "type_confidence"):
        value = props.get(key)
        if isinstance(value, int | float):
            return float(value)
    return 1.0


# Properties the writer owns: never taken from an entity's properties (a node read back
# from the graph and handed in again carries them).
_WRITER_OWNED = frozenset({"confidence", "alias_docs", "doc_ids", "aliases"})


def _write_entities(tx: ManagedTransaction, batch: GraphBatch) -> int:
    texts: dict[tuple[Label, str], list[str]] = defaultdict(list)
    for m in batch.mentions:
        texts[(m.label, m.entity_id)].append(m.text)
    for mg in batch.merges:
        texts[(mg.label, mg.entity_id)].append(mg.alias)
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for e in batch.entities:
        props = {k: v for k, v in e.properties.items() if v is not None and k not in _WRITER_OWNED}
        by_label[e.label].append(
            {
                "id": e.id,
                "name": e.name,
                "aliases": sorted(set(e.aliases)),
                "used": used_aliases(e.aliases, texts[(e.label, e.id)]),
                "confidence": _confidence(e.properties),
                "props": props,
            }
        )
    for label, rows in by_label.items():
        for chunk in q.batched(rows):
            existing = {
                r["id"]: r["alias_docs"] or []
                for r in tx.run(q.alias_docs_of(label), ids=[row["id"] for row in chunk])
            }
            for row in chunk:
                row["alias_docs"] = claims_after_write(
                    existing.get(row["id"], []), batch.document.id, row["aliases"], row.pop("used")
                )
            tx.run(q.merge_entities(label), rows=chunk, document_id=batch.document.id).consume()
    return len(batch.entities)


def _write_mentions(tx: ManagedTransaction, batch: GraphBatch) -> int:
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for m in batch.mentions:
        by_label[m.label].append(m.model_dump(mode="json", exclude={"label"}))
    for label, rows in by_label.items():
        for chunk in q.batched(rows):
            tx.run(q.create_mentions(label), rows=chunk).consume()
    return len(batch.mentions)


def _write_relations(tx: ManagedTransaction, batch: GraphBatch) -> int:
    groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for r in batch.relations:
        groups[(REL_TYPE_OF[r.kind], r.source_label, r.target_label)].append(
            {
                "key": r.key,
                "kind": r.kind.value,
                "source_id": r.source_id,
                "target_id": r.target_id,
                "confidence": r.confidence,
                "evidence_count": len(r.evidence),
            }
        )
    for (rel, source, target), rows in groups.items():
        for chunk in q.batched(rows):
            tx.run(
                q.merge_relations(rel, source, target), rows=chunk, document_id=batch.document.id
            ).consume()
    return len(batch.relations)


def _evidence_rows(batch: GraphBatch) -> Iterable[dict[str, Any]]:
    seen: set[str] = set()
    for r in batch.relations:
        for ev in r.evidence:
            eid = evidence_id(r.key, ev.passage_id, ev.char_start, ev.char_end)
            if eid in seen:
                continue
            seen.add(eid)
            yield {
                "id": eid,
                "key": r.key,
                "kind": r.kind.value,
                "rel_type": REL_TYPE_OF[r.kind].value,
                "source_label": r.source_label.value,
                "source_id": r.source_id,
                "target_label": r.target_label.value,
                "target_id": r.target_id,
                "document_id": batch.document.id,
                "passage_id": ev.passage_id,
                "quote": ev.quote,
                "char_start": ev.char_start,
                "char_end": ev.char_end,
                "confidence": ev.confidence,
                "cue": ev.cue,
            }


def _write_evidence(tx: ManagedTransaction, batch: GraphBatch) -> int:
    n = 0
    for chunk in q.batched(_evidence_rows(batch)):
        tx.run(q.CREATE_EVIDENCE, rows=chunk).consume()
        n += len(chunk)
    return n


def _write_merges(tx: ManagedTransaction, batch: GraphBatch) -> int:
    """The merge-ledger entries this document uses: created, or given this document's support."""
    rows = [
        {
            "id": m.id,
            "label": m.label.value,
            "entity_id": m.entity_id,
            "alias": m.alias,
            "alias_key": m.alias_key,
            "rule": m.rule,
            "score": m.score,
        }
        for m in {m.id: m for m in batch.merges}.values()
    ]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for chunk in q.batched(rows):
        tx.run(q.RECORD_ALIAS_MERGES, rows=chunk, document_id=batch.document.id, now=now).consume()
    return len(rows)


def _release(tx: ManagedTransaction, document_id: str) -> None:
    """Remove a document and withdraw its support from every fact, deleting orphans."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in tx.run(q.EVIDENCE_OF_DOCUMENT, id=document_id):
        groups[(row["rel_type"], row["source_label"], row["target_label"])].append(
            {"key": row["key"], "source_id": row["source_id"], "target_id": row["target_id"]}
        )
    for (rel, source, target), rows in groups.items():
        for chunk in q.batched(rows):
            tx.run(
                q.release_relations(RelType(rel), Label(source), Label(target)),
                rows=chunk,
                document_id=document_id,
            ).consume()
    tx.run(q.DELETE_EVIDENCE_OF_DOCUMENT, id=document_id).consume()
    for (rel, source, target), rows in groups.items():
        for chunk in q.batched(rows):
            tx.run(
                q.recount_relations(RelType(rel), Label(source), Label(target)), rows=chunk
            ).consume()
    tx.run(q.RELEASE_ALIAS_MERGES, document_id=document_id).consume()
    tx.run(q.DELETE_PASSAGES_OF_DOCUMENT, id=document_id).consume()
    tx.run(DELETE_CANDIDATES_OF_DOCUMENT, id=document_id).consume()
    record = tx.run(q.DOCUMENT_SUPPORT, id=document_id).single()
    ids_by_label: dict[str, list[str]] = defaultdict(list)
    for ref in record["supports"] if record and record["supports"] else []:
        label, _, ident = str(ref).partition("|")
        ids_by_label[label].append(ident)
    for label, ids in ids_by_label.items():
        for id_chunk in q.batched(ids):
            tx.run(
                q.release_entities(Label(label)), ids=id_chunk, document_id=document_id
            ).consume()
            tx.run(
                q.release_aliases(Label(label)),
                ids=id_chunk,
                prefixes=[f"{document_id}|", f"{WEAK}{document_id}|"],
            ).consume()
    tx.run(q.DELETE_DOCUMENT_NODE, id=document_id).consume()
