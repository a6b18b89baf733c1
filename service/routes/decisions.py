"""Review decisions: accept, reject or edit what govgraph extracted, list them, undo them.

A decision is recorded and applied to its target in one transaction (graph_schema.decisions);
the graph version changes with it, so every cached answer (gaps, metrics) is recomputed
without the rejected facts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from govgraph.errors import NotFound
from graph_schema.decisions import (
    Action,
    InvalidDecision,
    TargetKind,
    check_decision,
    get_decision,
    list_decisions,
    record_decision,
    undo_decision,
)
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView

from ..auth import ApiKey
from ..deps import (
    DEV_KEY,
    AnswerCache,
    CacheDep,
    ReadKey,
    StoreDep,
    SubgraphsDep,
    ViewDep,
    WriteKey,
    graph_changed,
)
from ..problems import ProblemException
from ..query_params import single_valued_query
from .gaps import gap_findings, gap_question

router = APIRouter(tags=["review"], dependencies=[Depends(single_valued_query)])

Text = Annotated[str, StringConstraints(max_length=4000)]
EvidenceId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class DecisionIn(BaseModel):
    """One verdict. ``value`` only with ``edit``: any of name, type, level."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "reject", "reason": "a project, not a body"}]},
    )

    action: Action
    value: dict[str, str] | None = Field(
        None, description="For edit: {name?, type?, level?}", max_length=3
    )
    reason: Text = ""
    note: Text = ""
    evidence_ids: list[EvidenceId] = Field(
        default_factory=list, max_length=100, description="Evidence the decision was made on"
    )


DecisionId = Annotated[str, Path(max_length=100, description="Decision id, e.g. decision-3f2a…")]

_CREATED = {
    "status_code": status.HTTP_201_CREATED,
    "responses": {
        404: {"description": "No such target"},
        422: {"description": "The action or value does not fit the target"},
    },
}


def _author(key: ApiKey) -> str:
    # With authentication off there is no key name worth recording.
    return "dev" if key == DEV_KEY else key.name


def _decide(
    request: Request,
    store: GraphStore,
    key: ApiKey,
    kind: TargetKind,
    target_id: str,
    body: DecisionIn,
) -> dict[str, Any]:
    try:
        check_decision(kind, body.action, body.value)
        decision = record_decision(
            store,
            kind,
            target_id,
            body.action,
            author=_author(key),
            value=body.value,
            reason=body.reason,
            note=body.note,
            evidence_ids=body.evidence_ids,
        )
    except InvalidDecision as exc:
        raise ProblemException(422, "Invalid request", str(exc)) from exc
    graph_changed(request)  # the warm answers of the old version are moot
    return {"decision": decision}


@router.post(
    # ``:path``: an id containing "/" is that id (see routes/catalog).
    "/actors/{actor_id:path}/decisions",
    summary="Decide on an actor: accept, reject (not an actor), or edit its name/type/level",
    **_CREATED,  # type: ignore[arg-type]
)
def post_actor_decision(
    actor_id: str, body: DecisionIn, request: Request, key: WriteKey, store: StoreDep
) -> dict[str, Any]:
    return _decide(request, store, key, TargetKind.actor, actor_id, body)


@router.post(
    "/relations/{relation_key:path}/decisions",
    summary="Decide on a relation: accept or reject it",
    description="The key is the relation's `key` as /actors/{id} lists it, URL-encoded.",
    **_CREATED,  # type: ignore[arg-type]
)
def post_relation_decision(
    relation_key: str, body: DecisionIn, request: Request, key: WriteKey, store: StoreDep
) -> dict[str, Any]:
    return _decide(request, store, key, TargetKind.relation, relation_key, body)


def _known_gap_ids(view: AnalyticView, cache: AnswerCache, subgraphs: AnswerCache) -> set[str]:
    """Every finding id of the current graph, at any score: what GET /gaps/{id} finds (the
    same question, so the same cached answer)."""
    flt, filters = gap_question(min_score=0.0)
    return {f.id for f in gap_findings(view.current(), cache, subgraphs, flt, filters)}


@router.post(
    "/gaps/{gap_id:path}/decisions",
    summary="Decide on a gap finding: validated, disputed or needs_evidence, with a note",
    **_CREATED,  # type: ignore[arg-type]
)
def post_gap_decision(
    gap_id: str,
    body: DecisionIn,
    request: Request,
    key: WriteKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
) -> dict[str, Any]:
    try:  # a misfit action is a 422 whether or not the finding exists
        check_decision(TargetKind.gap, body.action, body.value)
    except InvalidDecision as exc:
        raise ProblemException(422, "Invalid request", str(exc)) from exc
    if gap_id not in _known_gap_ids(view, cache, subgraphs):
        raise NotFound(f"No gap finding with id {gap_id} in the current graph.")
    return _decide(request, store, key, TargetKind.gap, gap_id, body)


@router.get("/decisions", summary="Review decisions, newest first: the audit list")
def get_decisions(
    _: ReadKey,
    store: StoreDep,
    target_kind: Annotated[TargetKind | None, Query(description="Only this kind")] = None,
    target_id: Annotated[
        str | None, Query(min_length=1, max_length=300, description="Only on this target")
    ] = None,
    author: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Only by this author")
    ] = None,
    include_undone: Annotated[bool, Query(description="Also list undone decisions")] = False,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")] = 0,
) -> dict[str, Any]:
    items, total = list_decisions(
        store,
        target_kind=target_kind,
        target_id=target_id,
        author=author,
        include_undone=include_undone,
        skip=offset,
        limit=limit,
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/decisions/{decision_id}", summary="One decision")
def get_one_decision(decision_id: DecisionId, _: ReadKey, store: StoreDep) -> dict[str, Any]:
    decision = get_decision(store, decision_id)
    if decision is None:
        raise NotFound(f"No decision with id {decision_id}.")
    return {"decision": decision}


@router.delete(
    "/decisions/{decision_id}",
    summary="Undo a decision: its target gets back the state the other decisions leave",
    description="The decision stays in the audit list, with `undone_at`. 404 for an unknown "
    "id, 409 when already undone.",
    responses={409: {"description": "The decision was already undone"}},
)
def delete_decision(
    decision_id: DecisionId, request: Request, _: WriteKey, store: StoreDep
) -> dict[str, Any]:
    decision = undo_decision(store, decision_id)
    graph_changed(request)
    return {"decision": decision}
