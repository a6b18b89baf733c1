"""Read helpers behind the API's listings: actors, policies, programmes, themes, documents."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from neo4j import ManagedTransaction

from . import queries as q
from .model import EvidenceView, Label
from .store import GraphStore

__all__ = ["Page", "actor_detail", "document_detail", "list_actors", "list_named", "list_themes"]

Page = tuple[list[dict[str, Any]], int]  # the items and the total count


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in {"supports"}}


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
    params = {
        "type": type,
        "level": level,
        "theme": theme,
        "q": q_text.lower() if q_text else None,
    }
    items = store.read(q.LIST_ACTORS, {**params, "skip": skip, "limit": limit})
    total = store.read(q.COUNT_ACTORS, params)[0]["n"]
    return [_clean(r["node"]) for r in items], int(total)


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
    return lambda query, params: tx.run(query, params).data()


def _evidence(run: Run, keys: list[str]) -> dict[str, list[EvidenceView]]:
    rows = [e for chunk in q.batched(keys) for e in run(q.EVIDENCE_FOR_KEYS, {"keys": chunk})]
    doc_ids = sorted({str(e["document_id"]) for e in rows})
    docs = {
        d["id"]: d for chunk in q.batched(doc_ids) for d in run(q.DOCUMENTS_BY_IDS, {"ids": chunk})
    }
    found: dict[str, list[EvidenceView]] = defaultdict(list)
    for e in rows:
        doc = docs.get(e["document_id"])
        if doc is None:  # the passage's document is gone: same as the former inner join
            continue
        found[e["key"]].append(
            EvidenceView(
                document_id=e["document_id"],
                document_title=doc["title"] or "",
                document_kind=doc["kind"] or "other",
                passage_id=e["passage_id"],
                page=e["page"],
                turn=e["turn"],
                speaker=e["speaker"],
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


def actor_detail(
    store: GraphStore, actor_id: str, *, max_relations: int = 500
) -> dict[str, Any] | None:
    """An actor with its aliases and every fact relationship, each with its evidence.

    All reads share one transaction: a session and transaction per query cost more round
    trips than the queries themselves on this hot path (the API's /actors/{id}).
    """

    def work(tx: ManagedTransaction) -> dict[str, Any] | None:
        run = _runner(tx)
        rows = run(q.ACTOR_BY_ID, {"id": actor_id})
        if not rows:
            return None
        actor = _clean(rows[0]["node"])
        relations = run(q.ACTOR_RELATIONS, {"id": actor_id, "limit": max_relations})
        evidence = _evidence(run, sorted({r["key"] for r in relations}))
        actor["relations"] = [
            {
                **r,
                "direction": "out" if r["source"] == actor_id else "in",
                "evidence": [e.model_dump() for e in evidence.get(r["key"], [])],
            }
            for r in relations
        ]
        return actor

    return store.execute_read(work, action=f"Reading actor {actor_id}")


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
