"""The actor page's relation corrections: "change kind" (one of the seven ties between
actors) and "reverse". Each calls the API's own route function, POST
/relations/{key}/decisions with ``change_kind`` / ``reverse``, so a click is exactly that API
call with the logged-in key (its refusals are the API's 422 problems), and answers the
relation's heading as the graph now reads it (htmx swaps it in).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from govgraph.errors import NotFound
from graph_schema.catalog import actor_detail
from graph_schema.model import SYMMETRIC_KINDS
from graph_schema.relation_decisions import ACTOR_TIE_KINDS

from ..deps import StoreDep
from ..routes.decisions import RelationDecisionBody, post_relation_decision
from .forms import action_body, swap_target
from .render import render
from .session import WebWriteKey

__all__ = ["TIE_KINDS", "correctable", "router", "tie_context"]

router = APIRouter(prefix="/web/actions", include_in_schema=False)

# The select's options, in a stable order; the API's body model is what enforces them.
TIE_KINDS = tuple(sorted(k.value for k in ACTOR_TIE_KINDS))
_SYMMETRIC = frozenset(k.value for k in SYMMETRIC_KINDS)
_ACTOR_ENDS = {"Actor", "Person"}
_ACTIONS = ("change_kind", "reverse")


def correctable(relation: dict[str, Any]) -> bool:
    """A tie between two actors (what change_kind and reverse take; the rest are refused)."""
    return relation.get("other_label") in _ACTOR_ENDS and relation.get("extracted_kind") in set(
        TIE_KINDS
    )


def tie_context() -> dict[str, Any]:
    """What the actor page's templates need to draw the corrections."""
    return {"tie_kinds": TIE_KINDS, "symmetric_kinds": _SYMMETRIC, "correctable": correctable}


def _body(action: str, kind: str) -> Any:
    fields: dict[str, Any] = {"action": action}
    if action == "change_kind":
        fields["value"] = {"kind": kind}
    return action_body(RelationDecisionBody, _ACTIONS, fields)


@router.post("/relation-correction", response_class=HTMLResponse)
def correct_relation(
    request: Request,
    key: WebWriteKey,
    store: StoreDep,
    relation_key: Annotated[str, Form(alias="key", min_length=1, max_length=600)],
    actor_id: Annotated[str, Form(min_length=1, max_length=300)],
    action: Annotated[str, Form(min_length=1, max_length=40)],
    kind: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    block = swap_target(request, "relation block")
    post_relation_decision(relation_key, _body(action, kind), request, key, store)
    # Read back as the actor page reads it: the corrected kind and direction.
    actor = actor_detail(store, actor_id)
    found = [r for r in (actor or {}).get("relations", []) if r["key"] == relation_key]
    if not found:
        raise NotFound(f"Actor {actor_id} has no relation with key {relation_key}.")
    return render(
        request,
        "tie_fragment.html",
        key,
        id=block,
        r=found[0],
        actor_id=actor_id,
        **tie_context(),
    )
