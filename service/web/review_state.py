"""What the analysts decided so far, per target, as the pages show it.

An actor and a relation carry their status themselves (``review``, which GET /actors and
GET /actors/{id} return). A gap finding is not stored at all, and a rejected actor is in no
listing: those are read here from the decision records (``GET /decisions``), newest first,
the first decision in force that sets a status being the one that holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph_schema.decisions import TargetKind, list_decisions
from graph_schema.store import GraphStore

__all__ = ["STATUS_OF_ACTION", "decisions_in_force", "latest_status"]

# The status each action leaves (an actor's edit leaves none: it is not a verdict).
STATUS_OF_ACTION = {
    "accept": "accepted",
    "reject": "rejected",
    "validated": "validated",
    "disputed": "disputed",
    "needs_evidence": "needs_evidence",
}
_PAGE = 500


def decisions_in_force(
    store: GraphStore, kind: TargetKind, target_id: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every decision not undone on targets of ``kind`` (or on one target), newest first."""
    offset = 0
    while True:
        items, total = list_decisions(
            store, target_kind=kind, target_id=target_id, skip=offset, limit=_PAGE
        )
        yield from items
        offset += len(items)
        if not items or offset >= total:
            return


def latest_status(store: GraphStore, kind: TargetKind) -> dict[str, dict[str, Any]]:
    """Target id -> the decision that sets its status now (with ``status`` added)."""
    found: dict[str, dict[str, Any]] = {}
    for d in decisions_in_force(store, kind):
        status = STATUS_OF_ACTION.get(str(d.get("action")))
        if status is not None and d["target_id"] not in found:
            found[d["target_id"]] = {**d, "status": status}
    return found
