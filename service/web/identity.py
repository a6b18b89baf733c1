"""The actor page's merge and split forms: each records the decision through the API's own
route function (POST /actors/{id}/decisions ``merge_into`` / ``split``), so a submit is
exactly an API call with the logged-in key, and answers the block it replaces with what the
decision did (htmx swaps it in). Errors are the API's problem+json (the page's script shows
their detail)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ..deps import StoreDep
from ..routes.actor_merge_bodies import ActorMergeIn, ActorSplitIn
from ..routes.decisions import post_actor_decision
from .forms import action_body, swap_target
from .render import render
from .session import WebWriteKey

__all__ = ["router"]

router = APIRouter(prefix="/web/actions", include_in_schema=False)

Id = Annotated[str, Form(min_length=1, max_length=300)]
Reason = Annotated[str, Form(max_length=4000)]


@router.post("/actor-merge", response_class=HTMLResponse)
def merge_actor(
    request: Request, key: WebWriteKey, store: StoreDep, actor_id: Id, into: Id, reason: Reason = ""
) -> HTMLResponse:
    block = swap_target(request, "identity block")
    fields = {"action": "merge_into", "value": {"into": into.strip()}, "reason": reason}
    body = action_body(ActorMergeIn, ["merge_into"], fields)
    decision = post_actor_decision(actor_id, body, request, key, store)["decision"]
    return render(request, "identity_fragment.html", key, id=block, decision=decision)


@router.post("/actor-split", response_class=HTMLResponse)
def split_actor(
    request: Request, key: WebWriteKey, store: StoreDep, actor_id: Id, name: Id, reason: Reason = ""
) -> HTMLResponse:
    block = swap_target(request, "identity block")
    fields = {"action": "split", "value": {"names": [name]}, "reason": reason}
    body = action_body(ActorSplitIn, ["split"], fields)
    decision = post_actor_decision(actor_id, body, request, key, store)["decision"]
    return render(request, "identity_fragment.html", key, id=block, decision=decision)
