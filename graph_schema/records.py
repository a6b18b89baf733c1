"""Service records kept in the graph: ingestion jobs and hashed API keys.

They live beside the knowledge graph so that one store (embedded or Neo4j) holds all state:
a restarted API finds its queued jobs and its keys again.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from . import queries as q
from .store import GraphStore

__all__ = [
    "api_key_revision",
    "create_api_key_record",
    "create_job",
    "find_api_key",
    "get_job",
    "jobs_with_status",
    "list_api_keys",
    "revoke_api_key",
    "update_job",
    "utcnow",
]


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def create_job(store: GraphStore, props: dict[str, Any]) -> None:
    store.write(q.CREATE_JOB, {"props": {**props, "created_at": utcnow(), "updated_at": utcnow()}})


def update_job(store: GraphStore, job_id: str, **props: Any) -> dict[str, Any] | None:
    rows = store.write(q.UPDATE_JOB, {"id": job_id, "props": {**props, "updated_at": utcnow()}})
    return rows[0]["job"] if rows else None


def get_job(store: GraphStore, job_id: str) -> dict[str, Any] | None:
    rows = store.read(q.JOB_BY_ID, {"id": job_id})
    return rows[0]["job"] if rows else None


def jobs_with_status(store: GraphStore, statuses: list[str]) -> list[dict[str, Any]]:
    return [r["job"] for r in store.read(q.JOBS_BY_STATUS, {"statuses": statuses})]


def create_api_key_record(store: GraphStore, props: dict[str, Any]) -> None:
    store.write(q.CREATE_API_KEY, {"props": {**props, "created_at": utcnow()}})


def find_api_key(store: GraphStore, prefix: str) -> dict[str, Any] | None:
    rows = store.query(q.API_KEY_BY_PREFIX, {"prefix": prefix})
    return rows[0]["key"] if rows else None


def list_api_keys(store: GraphStore) -> list[dict[str, Any]]:
    return [r["key"] for r in store.read(q.LIST_API_KEYS)]


# Bumped by every revocation made in this process, so that caches of verified keys
# (service.auth.KeyCache) drop what they hold at once instead of at the end of their TTL.
_revision = 0
_revision_lock = threading.Lock()


def api_key_revision() -> int:
    return _revision


def revoke_api_key(store: GraphStore, key_id: str) -> dict[str, Any] | None:
    global _revision
    try:
        rows = store.write(q.REVOKE_API_KEY, {"id": key_id, "now": utcnow()})
    finally:  # even if the write failed after committing: a needless refresh is harmless
        with _revision_lock:
            _revision += 1
    return rows[0]["key"] if rows else None
