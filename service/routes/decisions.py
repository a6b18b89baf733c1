"""Review decisions: accept, reject or edit what govgraph extracted, list them, undo them.

A decision is recorded and applied to its target in one transaction (graph_schema.decisions);
the graph version changes with it, so every cached answer (gaps, metrics) is recomputed
without the rejected facts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from analysis.model import Finding
from govgraph.errors import NotFound
from graph_schema.decisions import (
    MAX_NAME,
    Action,
    InvalidDecision,
    TargetKind,
    get_decision,
    list_decisions,
    record_decision,
)
from graph_schema.model import ActorLevel, ActorType
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView

from ..actor_splits import split_actor, undo_any_decision
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
from ..gap_review import evidence_basis
from ..problems import ProblemException
from ..query_params import single_valued_query
from .actor_merge_bodies import ActorMergeIn, ActorSplitIn
from .decision_bodies import Verdict as _Verdict
from .gaps import gap_findings, gap_question

router = APIRouter(tags=["review"], dependencies=[Depends(single_valued_query)])

# One body model per target kind, each naming exactly the actions (and for an edit, the
# values) that kind takes: the OpenAPI document then says what is valid, and every body it
# allows is one the route accepts. An actor's merge and split are in actor_merge_bodies.


class ActorEdit(BaseModel):
    """The properties an edit sets: at least one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    name: (
        SkipJsonSchema[None]
        | Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=r"\S")]
    ) = None
    type: SkipJsonSchema[None] | ActorType = None
    level: SkipJsonSchema[None] | ActorLevel = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        # The schema has no nulls and at least one property: refuse what it does not allow.
        if isinstance(data, dict) and (not data or any(v is None for v in data.values())):
            raise ValueError("give one or more of name, type, level, none of them null")
        return data


class ActorVerdictIn(_Verdict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "reject", "reason": "a project, not a body"}]},
    )

    action: Literal[Action.accept, Action.reject]


class ActorEditIn(_Verdict):
    action: Literal[Action.edit]
    value: ActorEdit

    def edits(self) -> dict[str, Any] | None:
        return self.value.model_dump(mode="json", exclude_none=True)


ActorDecisionIn = Annotated[
    ActorVerdictIn | ActorEditIn | ActorMergeIn | ActorSplitIn, Field(discriminator="action")
]


class RelationDecisionIn(_Verdict):
    """Accept or reject (the workbench's buttons post these)."""

    action: Literal[Action.accept, Action.reject]


# = relation_decisions.ACTOR_TIE_KINDS, spelled out so the schema lists them (a test compares).
TieKind = Literal[
    "coordinates",
    "funding",
    "mandate_overlap",
    "member_of",
    "mou",
    "negative_coordination",
    "partnership",
]


class RelationKindChange(BaseModel):
    """The kind the relation is, in the analyst's reading: another tie between actors."""

    model_config = ConfigDict(extra="forbid")

    kind: TieKind


class RelationChangeKindIn(_Verdict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "action": "change_kind",
                    "value": {"kind": "funding"},
                    "reason": "the quote says it pays for the patrols",
                }
            ]
        },
    )

    action: Literal[Action.change_kind]
    value: RelationKindChange

    def edits(self) -> dict[str, Any] | None:
        return self.value.model_dump(mode="json")


class RelationReverseIn(_Verdict):
    action: Literal[Action.reverse]


RelationDecisionBody = Annotated[
    RelationDecisionIn | RelationChangeKindIn | RelationReverseIn, Field(discriminator="action")
]


class GapDecisionIn(_Verdict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "validated", "note": "seen in the workshop"}]},
    )

    action: Literal[Action.validated, Action.disputed, Action.needs_evidence]


DecisionId = Annotated[str, Path(max_length=100, description="Decision id, e.g. decision-3f2a…")]

_CREATED = {
    "status_code": status.HTTP_201_CREATED,
    "responses": {
        400: {"description": "The body is not JSON"},
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
    body: _Verdict,
    action: Action,
    basis: list[str] | None = None,
) -> dict[str, Any]:
    try:
        decision = record_decision(
            store,
            kind,
            target_id,
            action,
            author=_author(key),
            value=body.edits(),
            reason=body.reason,
            note=body.note,
            evidence_ids=body.evidence_ids,
            basis=basis or (),
        )
    except InvalidDecision as exc:
        raise ProblemException(422, "Invalid request", str(exc)) from exc
    graph_changed(request)  # the analytic view reads what changed
    return {"decision": decision}


@router.post(
    # ``:path``: an id containing "/" is that id (see routes/catalog).
    "/actors/{actor_id:path}/decisions",
    summary="Decide on an actor: accept, reject (not an actor), edit its name/type/level, "
    "merge it into another, or split names off it",
    description='`merge_into` (`{"into": id}`): the actor is read as that one everywhere '
    "(422 for itself, a missing or rejected actor, or a chain: merges are one hop). `split` "
    '(`{"names": [...]}`): aliases the resolver merged into it become their own actor, '
    "their documents extracted again (422 for a name it does not have, or all of them).",
    **_CREATED,  # type: ignore[arg-type]
)
def post_actor_decision(
    actor_id: str, body: ActorDecisionIn, request: Request, key: WriteKey, store: StoreDep
) -> dict[str, Any]:
    if isinstance(body, ActorSplitIn):
        try:
            decision = split_actor(
                store,
                actor_id,
                body.value.names,
                author=_author(key),
                reason=body.reason,
                note=body.note,
                evidence_ids=body.evidence_ids,
            )
        except InvalidDecision as exc:
            raise ProblemException(422, "Invalid request", str(exc)) from exc
        graph_changed(request)
        return {"decision": decision}
    return _decide(request, store, key, TargetKind.actor, actor_id, body, Action(body.action))


@router.post(
    "/relations/{relation_key:path}/decisions",
    summary="Decide on a relation: accept, reject, change its kind or reverse it",
    description="The key is the relation's `key` as /actors/{id} lists it, URL-encoded. "
    "`change_kind` and `reverse` take ties between two actors only (422 otherwise, and for "
    "a kind it already has or a symmetric tie reversed); the key stays the extracted one.",
    **_CREATED,  # type: ignore[arg-type]
)
def post_relation_decision(
    relation_key: str,
    body: RelationDecisionBody,
    request: Request,
    key: WriteKey,
    store: StoreDep,
) -> dict[str, Any]:
    return _decide(
        request, store, key, TargetKind.relation, relation_key, body, Action(body.action)
    )


def _known_gaps(
    view: AnalyticView, cache: AnswerCache, subgraphs: AnswerCache
) -> dict[str, Finding]:
    """Every finding of the current graph, at any score: what GET /gaps/{id} finds (the
    same question, so the same cached answer)."""
    flt, filters = gap_question(min_score=0.0)
    return {f.id: f for f in gap_findings(view.current(), cache, subgraphs, flt, filters)}


@router.post(
    "/gaps/{gap_id:path}/decisions",
    summary="Decide on a gap finding: validated, disputed or needs_evidence, with a note",
    **_CREATED,  # type: ignore[arg-type]
)
def post_gap_decision(
    gap_id: str,
    body: GapDecisionIn,
    request: Request,
    key: WriteKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
) -> dict[str, Any]:
    finding = _known_gaps(view, cache, subgraphs).get(gap_id)
    if finding is None:
        raise NotFound(f"No gap finding with id {gap_id} in the current graph.")
    # The evidence it is decided on: GET /gaps flags it evidence_changed when that goes.
    basis = evidence_basis(finding)
    return _decide(request, store, key, TargetKind.gap, gap_id, body, Action(body.action), basis)


IncludeUndone = Annotated[bool, Query(description="Also list undone decisions")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]


def _page(store: GraphStore, limit: int, offset: int, **filters: Any) -> dict[str, Any]:
    items, total = list_decisions(store, skip=offset, limit=limit, **filters)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# One entity's audit list, next to the POST that adds to it. These are registered before
# GET /actors/{id} and GET /gaps/{id} (service/app.py): an id ending in "/decisions" is read
# as this list, as "/undo" is for merges.


@router.get("/actors/{actor_id:path}/decisions", summary="An actor's decisions, newest first")
def get_actor_decisions(
    actor_id: str,
    _: ReadKey,
    store: StoreDep,
    include_undone: IncludeUndone = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    kind = TargetKind.actor
    return _page(
        store, limit, offset, target_kind=kind, target_id=actor_id, include_undone=include_undone
    )


@router.get(
    "/relations/{relation_key:path}/decisions", summary="A relation's decisions, newest first"
)
def get_relation_decisions(
    relation_key: str,
    _: ReadKey,
    store: StoreDep,
    include_undone: IncludeUndone = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    kind = TargetKind.relation
    return _page(
        store,
        limit,
        offset,
        target_kind=kind,
        target_id=relation_key,
        include_undone=include_undone,
    )


@router.get("/gaps/{gap_id:path}/decisions", summary="A gap finding's decisions, newest first")
def get_gap_decisions(
    gap_id: str,
    _: ReadKey,
    store: StoreDep,
    include_undone: IncludeUndone = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    kind = TargetKind.gap
    return _page(
        store, limit, offset, target_kind=kind, target_id=gap_id, include_undone=include_undone
    )


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
    include_undone: IncludeUndone = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    return _page(
        store,
        limit,
        offset,
        target_kind=target_kind,
        target_id=target_id,
        author=author,
        include_undone=include_undone,
    )


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
    "id, 409 when already undone. Undoing a split re-joins the names (their documents are "
    "extracted again).",
    responses={409: {"description": "The decision was already undone"}},
)
def delete_decision(
    decision_id: DecisionId, request: Request, _: WriteKey, store: StoreDep
) -> dict[str, Any]:
    decision = undo_any_decision(store, decision_id)
    graph_changed(request)
    return {"decision": decision}
