"""Actors, policies, programmes and themes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator

from govgraph.errors import NotFound
from graph_schema.catalog import list_actors, list_named, list_themes
from graph_schema.model import ActorLevel, ActorType, Label

from ..deps import ReadKey, StoreDep, ViewDep
from ..query_params import single_valued_query
from ..responses import json_response
from ..view import actor_page
from .gaps import _known_theme, _theme_ids

router = APIRouter(tags=["graph"], dependencies=[Depends(single_valued_query)])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
Search = Annotated[
    str | None, Query(min_length=1, max_length=200, description="Case-insensitive name search")
]


@router.get("/actors", summary="Actors, filtered and paginated")
def get_actors(
    _: ReadKey,
    store: StoreDep,
    type: Annotated[ActorType | None, Query(description="Actor type")] = None,
    level: Annotated[ActorLevel | None, Query(description="Actor level")] = None,
    theme: Annotated[
        str | None,
        AfterValidator(_known_theme),
        Query(
            max_length=100,
            description="Theme id, e.g. youth_violence",
            json_schema_extra={"enum": _theme_ids()},
        ),
    ] = None,
    q: Search = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    items, total = list_actors(
        store,
        type=type.value if type else None,
        level=level.value if level else None,
        theme=theme,
        q_text=q,
        skip=offset,
        limit=limit,
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get(
    # ``:path``: an id containing "/" is that id, never redirected (see routes/documents).
    "/actors/{actor_id:path}",
    summary="One actor: aliases and relations with evidence",
    description="Relations are ordered by kind, then the other end's name; each carries its "
    "most confident evidence passages (at most 5) and `evidence_count`, how many it has.",
    response_model=dict[str, Any],
)
def get_actor(actor_id: str, _: ReadKey, store: StoreDep, view: ViewDep) -> Response:
    # From the analytic view (graph_schema/view_actors): the store's query walked every
    # relation's evidence in the database on every request.
    actor = actor_page(view, store, actor_id)
    if actor is None:
        raise NotFound(f"No actor with id {actor_id}.")
    return json_response(actor)


def _named(label: Label):  # type: ignore[no-untyped-def]
    def route(
        _: ReadKey, store: StoreDep, q: Search = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        items, total = list_named(store, label, q_text=q, skip=offset, limit=limit)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    return route


router.add_api_route("/policies", _named(Label.Policy), methods=["GET"], summary="Policies")
router.add_api_route("/programmes", _named(Label.Programme), methods=["GET"], summary="Programmes")


@router.get("/themes", summary="Themes with the number of actors and policies linked")
def get_themes(_: ReadKey, store: StoreDep) -> dict[str, Any]:
    return {"items": list_themes(store)}
