"""Read helpers behind the API's listings: actors, policies, programmes, themes, documents."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from neo4j import ManagedTransaction

from . import queries as q
from .actor_merge_reads import merged_into_them, targets_named, with_merged
from .model import EvidenceView, Label
from .relation_decisions import decided_fields
from .store import GraphStore, as_dicts

__all__ = [
    "Page",
    "actor_answer",
    "actor_detail",
    "document_detail",
    "evidence_for",
    "evidence_views",
    "list_actors",
    "list_named",
    "list_themes",
]

Page = tuple[list[dict[str, Any]], int]  # the items and the total count


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in {"supports"}}


def _reviewed(node: dict[str, Any]) -> dict[str, Any]:
    """An actor as listed: ``review`` always present (null: nobody has looked at it yet), so
    a client can tell unreviewed from accepted without knowing the property may be absent."""
    return {**_clean(node), "review": node.get("review")}


def list_actors(
    store: GraphStore,
    *,
    type: str | None = None,
    level: str | None = None,
    theme: str | None = None,
    q_text: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> Page:
    text = q_text.lower() if q_text else None
    params = {
        "type": type,
        "level": level,
        "theme": theme,
        "q": text,
        # A merged actor is not listed; its names find the actor it was merged into.
        "named": targets_named(store, text) if text else [],
    }
    items = store.read(q.LIST_ACTORS, {**params, "skip": skip, "limit": limit})
    total = store.read(q.COUNT_ACTORS, params)[0]["n"]
    merged = merged_into_them(store, [r["node"]["id"] for r in items])
    actors = [with_merged(_reviewed(r["node"]), merged.get(r["node"]["id"], [])) for r in items]
    return actors, int(total)


def list_named(
    store: GraphStore, label: Label, *, q_text: str | None = None, skip: int = 0, limit: int = 50
) -> Page:
    params = {"q": q_text.lower() if q_text else None}
    items = store.read(q.list_named(label), {**params, "skip": skip, "limit": limit})
    total = store.read(q.count_named(label), params)[0]["n"]
    return [_clean(r["node"]) for r in items], int(total)


def list_themes(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.THEMES_WITH_COUNTS)


Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


def _runner(tx: ManagedTransaction) -> Run:
    return lambda query, params: as_dicts(tx.run(query, params))


def _evidence(run: Run, keys: list[str]) -> dict[str, list[EvidenceView]]:
    rows = [e for chunk in q.batched(keys) for e in run(q.EVIDENCE_FOR_KEYS, {"keys": chunk})]
    return evidence_views(run, rows)


def evidence_views(run: Run, rows: list[dict[str, Any]]) -> dict[str, list[EvidenceView]]:
    """Evidence rows (``queries._EVIDENCE_FIELDS``) as views by relation key, completed with
    their passage and document, each looked up once. Evidence whose passage or document is
    gone is left out. Each key's list is in one fixed order (document, passage, span, cue),
    so that every read of the same facts hands the analysis the same input."""
    passage_ids = sorted({str(e["passage_id"]) for e in rows})
    passages = {
        p["id"]: p
        for chunk in q.batched(passage_ids)
        for p in run(q.PASSAGES_BY_IDS, {"ids": chunk})
    }
    doc_ids = sorted({str(e["document_id"]) for e in rows})
    docs = {
        d["id"]: d for chunk in q.batched(doc_ids) for d in run(q.DOCUMENTS_BY_IDS, {"ids": chunk})
    }
    found: dict[str, list[EvidenceView]] = defaultdict(list)
    rows = sorted(
        rows,
        key=lambda e: (
            e["document_id"],
            e["passage_id"],
            e["char_start"],
            e["char_end"],
            e["cue"] or "",
            e["quote"] or "",
        ),
    )
    for e in rows:
        doc = docs.get(e["document_id"])
        passage = passages.get(e["passage_id"])
        if doc is None or passage is None:  # gone: same as the former inner join
            continue
        # Validated by the database's own types; model_construct skips re-validating 50k
        # views per theme (same fields and values as the validating constructor).
        found[e["key"]].append(
            EvidenceView.model_construct(
                document_id=e["document_id"],
                document_title=doc["title"] or "",
                document_kind=doc["kind"] or "other",
                passage_id=e["passage_id"],
                page=passage["page"],
                turn=passage["turn"],
                speaker=passage["speaker"],
                quote=e["quote"] or "",
                char_start=int(e["char_start"]),
                char_end=int(e["char_end"]),
                confidence=float(e["confidence"]),
                cue=e["cue"] or "",
            )
        )
    return found


def evidence_for(store: GraphStore, keys: list[str]) -> dict[str, list[EvidenceView]]:
    """Evidence of the given relation keys, read in one transaction (a consistent view)."""
    return store.execute_read(
        lambda tx: _evidence(_runner(tx), keys), action="Reading relation evidence"
    )


_RELATION_FIELDS = (
    "key",
    "kind",
    "source",
    "target",
    "other_id",
    "other_name",
    "other_label",
    "confidence",
    "review",  # accepted / rejected by a decision, null when unreviewed
    "extracted_kind",  # the kind extracted, when a decision changed it (= kind otherwise)
    "reversed",  # a decision turned the relation around: source and target are as decided
    "doc_ids",
)


def _evidence_item(e: dict[str, Any]) -> dict[str, Any]:
    """One evidence map of ACTOR_DETAIL as EvidenceView.model_dump() gives it (same fields,
    same defaults), built directly: this is the API's hottest path."""
    return {
        "document_id": e["document_id"],
        "document_title": e["document_title"] or "",
        "document_kind": e["document_kind"] or "other",
        "passage_id": e["passage_id"],
        "page": e["page"],
        "turn": e["turn"],
        "speaker": e["speaker"],
        "quote": e["quote"] or "",
        "char_start": int(e["char_start"]),
        "char_end": int(e["char_end"]),
        "confidence": float(e["confidence"]),
        "cue": e["cue"] or "",
    }


def actor_detail(
    store: GraphStore, actor_id: str, *, max_relations: int = 500, max_evidence: int = 5
) -> dict[str, Any] | None:
    """An actor with its aliases and fact relationships (ordered by kind, then the other
    end's name; at most ``max_relations``), each with its ``max_evidence`` most confident
    evidence passages and ``evidence_count``, the number it has in all.

    One statement, one round trip: this is the API's hot path (/actors/{id}).
    """
    rows = store.query(
        q.ACTOR_DETAIL, {"id": actor_id, "limit": max_relations, "max_evidence": max_evidence}
    )
    if not rows:
        return None
    return actor_answer(actor_id, rows[0]["node"], rows[0]["relations"])


def actor_answer(
    actor_id: str, node: dict[str, Any], relation_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """The /actors/{id} answer from ACTOR_DETAIL's columns: the actor's node and its relation
    maps (with their evidence maps). Shared with the analytic view's answer
    (graph_schema/view_actors), which builds the same rows from memory."""
    actor = _reviewed(node)
    relations = [_as_reviewed(r) for r in relation_rows if r.get("key") is not None]
    relations.sort(key=lambda r: (r["kind"] or "", r["other_name"] or "", r["key"]))
    actor["relations"] = [
        {
            **{f: r[f] for f in _RELATION_FIELDS},
            "direction": "out" if r["source"] == actor_id else "in",
            "evidence": [
                _evidence_item(e) for e in r["evidence"] if e.get("passage_id") is not None
            ],
            "evidence_count": int(r["evidence_count"]),
        }
        for r in relations
    ]
    return actor


def _as_reviewed(r: dict[str, Any]) -> dict[str, Any]:
    """A relation as its review left it: the corrected kind and direction, with the
    extracted kind beside them (``extracted_kind``) and ``reversed``."""
    kind, source, target = decided_fields(r)
    return {
        **r,
        "kind": kind,
        "source": source,
        "target": target,
        "extracted_kind": r["kind"],
        "reversed": bool(r.get("reversed")),
    }


def document_detail(store: GraphStore, document_id: str) -> dict[str, Any] | None:
    rows = store.read(q.DOCUMENT_BY_ID, {"id": document_id})
    if not rows:
        return None
    doc = dict(rows[0]["document"])
    for key in ("metadata", "respondents"):
        if isinstance(doc.get(key), str):
            doc[key] = json.loads(doc[key])
    supports = doc.pop("supports", None) or []
    counts: dict[str, int] = defaultdict(int)
    for ref in supports:
        counts[str(ref).partition("|")[0]] += 1
    doc["entity_counts"] = dict(counts)
    return doc
