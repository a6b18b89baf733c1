"""The workbench's buttons: each records a review decision through the API's own route
function (POST /actors|relations|gaps/{id}/decisions), so a click is exactly an API call
with the logged-in key, and answers the status block it replaces (htmx swaps it in).

Errors are the API's problem+json (4xx); the page's script shows their detail.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ..deps import CacheDep, StoreDep, SubgraphsDep, ViewDep
from ..routes.decisions import (
    ActorVerdictIn,
    GapDecisionIn,
    RelationDecisionIn,
    post_actor_decision,
    post_gap_decision,
    post_relation_decision,
)
from .forms import action_body, swap_target
from .pages import ACTOR_ACTIONS, GAP_ACTIONS, RELATION_ACTIONS
from .render import render
from .review_state import STATUS_OF_ACTION
from .session import WebWriteKey

__all__ = ["router"]

router = APIRouter(prefix="/web/actions", include_in_schema=False)

Id = Annotated[str, Form(min_length=1, max_length=300)]
ActionField = Annotated[str, Form(min_length=1, max_length=40)]
Note = Annotated[str, Form(max_length=4000)]


def _body(model: type[Any], actions: tuple[tuple[str, str], ...], **fields: Any) -> Any:
    return action_body(model, [a for a, _ in actions], fields)


def _block(
    request: Request,
    key: Any,
    target: str,
    decision: dict[str, Any],
    actions: tuple[tuple[str, str], ...],
    post_url: str,
    vals: dict[str, str],
    note: bool = False,
) -> HTMLResponse:
    return render(
        request,
        "fragment.html",
        key,
        id=target,
        status=STATUS_OF_ACTION.get(str(decision["action"])),
        actions=actions,
        post_url=post_url,
        vals=vals,
        note=note,
    )


def _target(request: Request) -> str:
    return swap_target(request, "status block")


@router.post("/actor", response_class=HTMLResponse)
def decide_actor(
    request: Request, key: WebWriteKey, store: StoreDep, actor_id: Id, action: ActionField
) -> HTMLResponse:
    body = _body(ActorVerdictIn, ACTOR_ACTIONS, action=action)
    result = post_actor_decision(actor_id, body, request, key, store)
    return _block(
        request,
        key,
        _target(request),
        result["decision"],
        ACTOR_ACTIONS,
        "/web/actions/actor",
        {"actor_id": actor_id},
    )


@router.post("/relation", response_class=HTMLResponse)
def decide_relation(
    request: Request,
    key: WebWriteKey,
    store: StoreDep,
    relation_key: Annotated[str, Form(alias="key", min_length=1, max_length=600)],
    action: ActionField,
) -> HTMLResponse:
    body = _body(RelationDecisionIn, RELATION_ACTIONS, action=action)
    result = post_relation_decision(relation_key, body, request, key, store)
    return _block(
        request,
        key,
        _target(request),
        result["decision"],
        RELATION_ACTIONS,
        "/web/actions/relation",
        {"key": relation_key},
    )


@router.post("/gap", response_class=HTMLResponse)
def decide_gap(
    request: Request,
    key: WebWriteKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
    gap_id: Id,
    action: ActionField,
    note: Note = "",
) -> HTMLResponse:
    body = _body(GapDecisionIn, GAP_ACTIONS, action=action, note=note)
    result = post_gap_decision(gap_id, body, request, key, store, view, cache, subgraphs)
    return _block(
        request,
        key,
        _target(request),
        result["decision"],
        GAP_ACTIONS,
        "/web/actions/gap",
        {"gap_id": gap_id},
        note=True,
    )
