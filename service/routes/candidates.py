"""Below-threshold actor candidates: listed with their score, promoted by a reviewer.

A candidate is not an actor: it is in no answer of /actors, /relations, /gaps, metrics,
reports or exports until promoted (graph_schema/candidates). Promoting one is a decision
like the others: in the audit list (GET /decisions?target_kind=candidate), undone with
DELETE /decisions/{id}.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, StringConstraints

from govgraph.errors import NotFound
from graph_schema.candidate_decisions import promote_candidate
from graph_schema.candidates import get_candidate, list_candidates
from graph_schema.decisions import Action

from ..auth import ApiKey
from ..deps import DEV_KEY, ReadKey, StoreDep, WriteKey, graph_changed
from ..query_params import single_valued_query

router = APIRouter(tags=["review"], dependencies=[Depends(single_valued_query)])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
CandidateId = Annotated[str, Path(max_length=100, description="Candidate id, e.g. candidate-3f2a…")]
Text = Annotated[str, StringConstraints(max_length=4000)]


class CandidateDecisionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"action": "promote", "reason": "the city's youth forum, a real body"}]
        },
    )

    action: Literal[Action.promote]
    reason: Text = ""
    note: Text = ""


def _author(key: ApiKey) -> str:
    return "dev" if key == DEV_KEY else key.name


@router.get("/candidates", summary="Actor candidates below their threshold, highest score first")
def get_candidates(
    _: ReadKey,
    store: StoreDep,
    document: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Only in this document")
    ] = None,
    min_score: Annotated[
        float, Query(ge=0.0, le=1.0, description="Only candidates scoring at least this")
    ] = 0.0,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    items, total = list_candidates(
        store, document=document, min_score=min_score, skip=offset, limit=limit
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/candidates/{candidate_id}", summary="One candidate")
def get_one_candidate(candidate_id: CandidateId, _: ReadKey, store: StoreDep) -> dict[str, Any]:
    candidate = get_candidate(store, candidate_id)
    if candidate is None:
        raise NotFound(f"No candidate with id {candidate_id}.")
    return candidate


@router.post(
    "/candidates/{candidate_id}/decisions",
    summary="Promote a candidate: it becomes an actor, with its mentions and lost ties",
    description="The promotion holds for the candidate's entity (`entity_id`) in every "
    "document where it is a candidate, and again after re-ingestion. 404 for an unknown "
    "candidate, 409 when its entity is already promoted. Undo with DELETE /decisions/{id}.",
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"description": "No such candidate"},
        409: {"description": "Already promoted"},
        422: {"description": "Not a decision a candidate takes"},
    },
)
def post_candidate_decision(
    candidate_id: CandidateId,
    body: CandidateDecisionIn,
    request: Request,
    key: WriteKey,
    store: StoreDep,
) -> dict[str, Any]:
    decision = promote_candidate(
        store, candidate_id, author=_author(key), reason=body.reason, note=body.note
    )
    graph_changed(request)  # the analytic view reads the new actor
    return {"decision": decision}
