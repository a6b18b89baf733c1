"""The graph's version: one stamp node, bumped by every change to the facts in that change's
own transaction.

Caches of derived answers (the analytic view, graph_schema/view.py, and the answers cut
from it) ask for the version on every request to see another process's writes. It used to
be a digest of every Document's (id, ingested_at) and of the merge-undo and decision
records: reading each Document record cost 27-41 ms at 50k actors (a record is read whole,
``supports`` included). Now it is one node, ``(:GraphVersion {id: 'graph'})``, holding
an ``epoch`` and a counter ``n``: one indexed lookup.

Every write path that changes what the view reads calls ``bump`` inside its transaction (a
document write, replacement or deletion, a review decision or its undo, a promotion, each
step of a merge undo and a re-join): the new version commits with the change or not at all.
What changed is still found by the view from the change stamps (view.CHANGE_STAMPS), read
only when the version moved.

The epoch is drawn when the node is created (migration 7, or the first bump on a store whose
node was deleted with everything else): a counter alone would repeat values after the graph
was emptied, and a view still holding "n = 5" would take the new fifth version for its own.
A store without the node (emptied, nothing written since) has the version ``"none"``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from neo4j import ManagedTransaction

from .store import GraphStore

__all__ = ["BUMP_VERSION", "CREATE_VERSION", "GRAPH_VERSION", "bump", "graph_version", "version_of"]

# Label and key of the one stamp node; the unique constraint (migration 7) keeps two
# concurrent first bumps from making two.
GRAPH_VERSION = "MATCH (v:GraphVersion) RETURN v.epoch AS epoch, v.n AS n"
# Migration 7: the stamp for a store written before it existed (statements take no
# parameters there, so the store draws the epoch).
CREATE_VERSION = (
    "MERGE (v:GraphVersion {id: 'graph'}) ON CREATE SET v.epoch = randomUUID(), v.n = 0"
)
BUMP_VERSION = (
    "MERGE (v:GraphVersion {id: 'graph'}) ON CREATE SET v.epoch = $epoch, v.n = 0 SET v.n = v.n + 1"
)


def bump(tx: ManagedTransaction) -> None:
    """Move the version on, in the caller's write transaction.

    Called last in each write: on Neo4j the node's write lock is held from here to the
    commit, so concurrent writers queue on it only for the end of their transactions."""
    tx.run(BUMP_VERSION, epoch=uuid.uuid4().hex).consume()


def version_of(rows: Iterable[Mapping[str, Any]]) -> str:
    """The version from GRAPH_VERSION's rows (``epoch``, ``n``)."""
    stamps = sorted(f"{r['epoch']}:{r['n']}" for r in rows)
    return ",".join(stamps) if stamps else "none"


def graph_version(store: GraphStore) -> str:
    """The store's current version: changes with every write of facts, and only then."""
    return version_of(store.query(GRAPH_VERSION))
