"""The merge ledger in the graph: which alias was resolved onto which entity, by which rule,
in which documents; and the merges an analyst undid (splits), which must never be made again.

Undoing a merge is a service-level operation (it re-extracts documents); this module only
reads and writes the ledger's own nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from . import queries as q
from .model import AliasMerge, Label
from .store import GraphStore
from .version import bump

__all__ = [
    "begin_split",
    "finish_split",
    "get_merge",
    "get_split",
    "ledger",
    "list_merges",
    "rejoin_splits",
    "splits",
]


def list_merges(
    store: GraphStore, *, entity_id: str | None = None, skip: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int]:
    """One page of ledger entries (optionally for one entity), and the total."""
    params = {"entity_id": entity_id}
    rows = store.read(q.LIST_ALIAS_MERGES, {**params, "skip": skip, "limit": limit})
    total = store.read(q.COUNT_ALIAS_MERGES, params)[0]["n"]
    return [_view(r["merge"]) for r in rows], int(total)


def get_merge(store: GraphStore, merge_id: str) -> dict[str, Any] | None:
    rows = store.read(q.ALIAS_MERGE_BY_ID, {"id": merge_id})
    return _view(rows[0]["merge"]) if rows else None


def ledger(store: GraphStore) -> list[AliasMerge]:
    """Every entry, as the extraction contract (for a new run to report the merges it uses)."""
    rows = store.read(q.LIST_ALIAS_MERGES, {"entity_id": None, "skip": 0, "limit": 10_000_000})
    return [
        AliasMerge(
            label=Label(m["label"]),
            entity_id=m["entity_id"],
            alias=m["alias"],
            alias_key=m["alias_key"],
            rule=m["rule"],
            score=float(m["score"]),
        )
        for m in (r["merge"] for r in rows)
    ]


def splits(store: GraphStore) -> list[dict[str, Any]]:
    """Undone merges: (alias_key, entity_id) pairs the resolver must keep apart."""
    return [dict(r["split"]) for r in store.read(q.LIST_ALIAS_SPLITS)]


def get_split(store: GraphStore, merge_id: str) -> dict[str, Any] | None:
    rows = store.read(q.ALIAS_SPLIT_BY_ID, {"id": merge_id})
    return _view(rows[0]["split"]) if rows else None


def begin_split(store: GraphStore, merge: dict[str, Any]) -> None:
    """First step of an undo: from now on the resolver keeps the alias apart."""
    params = {k: merge[k] for k in ("id", "label", "entity_id", "alias", "alias_key", "rule")}

    def work(tx: ManagedTransaction) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        tx.run(q.BEGIN_ALIAS_SPLIT, **params, doc_ids=merge["doc_ids"], now=now).consume()
        bump(tx)  # the split's pending record is one of the view's change stamps

    store.execute_write(work, action=f"Undoing merge {merge['id']}")


def finish_split(
    store: GraphStore, split: dict[str, Any], *, name: str, aliases: Sequence[str]
) -> None:
    """Last step of an undo, in one transaction: the ledger entry goes, the entity loses the
    alias (and its display name, when that was the alias), the split is no longer pending."""
    label = Label(split["label"])

    def work(tx: ManagedTransaction) -> None:
        tx.run(q.DELETE_ALIAS_MERGE, id=split["id"]).consume()
        tx.run(
            q.set_entity_names(label), id=split["entity_id"], name=name, aliases=list(aliases)
        ).consume()
        tx.run(q.FINISH_ALIAS_SPLIT, id=split["id"]).consume()
        bump(tx)

    store.execute_write(work, action=f"Undoing merge {split['id']}")


def rejoin_splits(store: GraphStore, split_ids: Sequence[str], doc_ids: Sequence[str]) -> None:
    """Undoing a review's split (service/actor_splits): the resolver may make these merges
    again. The records stay (marked ``rejoined_at``): a split is never lost, only lifted."""

    def work(tx: ManagedTransaction) -> None:
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        tx.run(q.REJOIN_ALIAS_SPLITS, ids=list(split_ids), doc_ids=list(doc_ids), now=now).consume()
        bump(tx)

    store.execute_write(work, action="Re-joining split aliases")


def _view(node: Any) -> dict[str, Any]:
    m = dict(node)
    m["doc_ids"] = list(m.get("doc_ids") or [])
    return m
