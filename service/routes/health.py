"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from graph_schema.supervisor import StoreSupervisor

from ..deps import StoreDep
from ..problems import ProblemException

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the graph store answers and the schema is migrated",
    description="Answers at once from the store supervisor's last probe (every second), "
    "never waiting on an unreachable store.",
    responses={503: {"description": "Store unreachable or schema not migrated"}},
)
async def readyz(request: Request, store: StoreDep) -> dict[str, Any]:
    # async: the answer is in memory, no thread hand-off and no store round trip
    supervisor: StoreSupervisor = request.app.state.supervisor
    health = supervisor.health()
    if not health.ready:
        raise ProblemException(503, "Service Unavailable", health.detail)
    return {"status": "ready", "store": "embedded" if store.embedded else "neo4j"}
