"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from govgraph.errors import StoreError
from graph_schema.migrations import migration_status

from ..deps import StoreDep
from ..problems import ProblemException

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the graph store answers and the schema is migrated",
    responses={503: {"description": "Store unreachable or schema not migrated"}},
)
def readyz(store: StoreDep) -> dict[str, Any]:
    try:
        store.read("RETURN 1 AS ok")
        states = migration_status(store)
    except StoreError as exc:
        raise ProblemException(503, "Service Unavailable", exc.message) from exc
    pending = [s.version for s in states if not s.applied_at]
    if pending:
        raise ProblemException(503, "Service Unavailable", f"Migrations pending: {pending}")
    return {"status": "ready", "store": "embedded" if store.embedded else "neo4j"}
