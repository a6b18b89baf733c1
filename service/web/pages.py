"""The workbench's pages: the actor list, an actor, findings, one finding.

Each reads through the functions behind the JSON API (``list_actors`` and ``actor_detail``
of GET /actors, ``gap_findings`` and ``with_quotes`` of GET /gaps, ``list_decisions`` of
GET /decisions), so a page shows exactly what the API answers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govgraph.errors import NotFound
from graph_schema.catalog import actor_detail, document_detail, list_actors
from graph_schema.decisions import TargetKind, list_decisions
from graph_schema.model import ActorLevel, ActorType
from graph_schema.store import GraphStore

from ..deps import CacheDep, StoreDep, SubgraphsDep, ViewDep
from ..routes.gaps import gap_findings, gap_question
from ..view import with_quotes
from .corrections import tie_context
from .render import Blank, render
from .review_state import STATUS_OF_ACTION, decisions_in_force, latest_status
from .session import WebKey

__all__ = [
    "ACTORS_PER_PAGE",
    "ACTOR_ACTIONS",
    "GAP_ACTIONS",
    "RELATION_ACTIONS",
    "ReviewFilter",
    "router",
]

router = APIRouter(prefix="/web", include_in_schema=False)

ACTOR_ACTIONS = (("accept", "Accept"), ("reject", "Reject: not an actor"))
RELATION_ACTIONS = (("accept", "Accept"), ("reject", "Reject"))
GAP_ACTIONS = (
    ("validated", "Validate"),
    ("disputed", "Dispute"),
    ("needs_evidence", "Needs evidence"),
)
ACTORS_PER_PAGE = 50


class ReviewFilter(StrEnum):
    unreviewed = "unreviewed"
    accepted = "accepted"
    rejected = "rejected"
    all = "all"


def _least_certain_first(a: dict[str, Any]) -> tuple[float, float, str]:
    # The actor decision's confidence, then its weaker of type/level (as
    # catalog.LIST_ACTORS_BY_CONFIDENCE orders the listed actors in the database).
    return (
        float(a.get("confidence") or 0.0),
        min(float(a.get("type_confidence") or 0.0), float(a.get("level_confidence") or 0.0)),
        str(a.get("name") or ""),
    )


def _listed_actors(
    store: GraphStore,
    type: ActorType | None,
    level: ActorLevel | None,
    review: ReviewFilter,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of actors, least certain first, and how many match."""
    if review is not ReviewFilter.rejected:
        # Filtered, ordered and paged in the database: a page reads a page.
        return list_actors(
            store,
            type=type.value if type else None,
            level=level.value if level else None,
            review=None if review is ReviewFilter.all else review.value,  # type: ignore[arg-type]
            order="confidence",
            skip=offset,
            limit=ACTORS_PER_PAGE,
        )
    # GET /actors leaves rejected actors out; their decisions name them (few: each one an
    # analyst's click).
    rejected = latest_status(store, TargetKind.actor)
    found = [actor_detail(store, i, max_relations=1) for i, d in rejected.items()]
    actors = sorted(
        (
            a
            for a in found
            if a is not None
            and a.get("review") == "rejected"
            and (type is None or a.get("type") == type.value)
            and (level is None or a.get("level") == level.value)
        ),
        key=_least_certain_first,
    )
    return actors[offset : offset + ACTORS_PER_PAGE], len(actors)


def _page_url(filters: dict[str, str], offset: int) -> str:
    return "/web/actors?" + urlencode({**{k: v for k, v in filters.items() if v}, "offset": offset})


@router.get("/actors", response_class=HTMLResponse)
def actors_page(
    request: Request,
    key: WebKey,
    store: StoreDep,
    type: Annotated[ActorType | None, Blank, Query()] = None,
    level: Annotated[ActorLevel | None, Blank, Query()] = None,
    review: Annotated[ReviewFilter, Query()] = ReviewFilter.all,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    shown, total = _listed_actors(store, type, level, review, offset)
    filters = {
        "type": type.value if type else "",
        "level": level.value if level else "",
        "review": review.value,
    }
    return render(
        request,
        "actors.html",
        key,
        page="actors",
        actors=shown,
        total=total,
        first=offset + 1 if shown else 0,
        last=offset + len(shown),
        previous_url=_page_url(filters, max(0, offset - ACTORS_PER_PAGE)) if offset else None,
        next_url=_page_url(filters, offset + ACTORS_PER_PAGE)
        if offset + ACTORS_PER_PAGE < total
        else None,
        filters=filters,
        types=[t.value for t in ActorType],
        levels=[lv.value for lv in ActorLevel],
        reviews=[r.value for r in ReviewFilter],
        actor_actions=ACTOR_ACTIONS,
    )


def _decisions(store: GraphStore, kind: TargetKind, target_id: str) -> list[dict[str, Any]]:
    items, _ = list_decisions(
        store, target_kind=kind, target_id=target_id, include_undone=True, limit=100
    )
    return items


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str, key: WebKey, store: StoreDep) -> HTMLResponse:
    actor = actor_detail(store, actor_id)
    if actor is None:
        raise NotFound(f"No actor with id {actor_id}.")
    return render(
        request,
        "actor.html",
        key,
        page="actor",
        actor=actor,
        documents=[d for d in (document_detail(store, i) for i in actor.get("doc_ids") or []) if d],
        decisions=_decisions(store, TargetKind.actor, actor_id),
        actor_actions=ACTOR_ACTIONS,
        relation_actions=RELATION_ACTIONS,
        **tie_context(),
    )


@router.get("/gaps", response_class=HTMLResponse)
def gaps_page(
    request: Request,
    key: WebKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
) -> HTMLResponse:
    # The question GET /gaps asks by default (its minimum score): the same cached answer.
    flt, filters = gap_question()
    findings = gap_findings(view.current(), cache, subgraphs, flt, filters)
    status = {k: d["status"] for k, d in latest_status(store, TargetKind.gap).items()}
    return render(request, "gaps.html", key, page="gaps", findings=findings, status=status)


@router.get("/gaps/{gap_id:path}", response_class=HTMLResponse)
def gap_page(
    request: Request,
    gap_id: str,
    key: WebKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
) -> HTMLResponse:
    # GET /gaps/{id}'s question: every finding at any score.
    state = view.current()
    flt, filters = gap_question(min_score=0.0)
    found = [f for f in gap_findings(state, cache, subgraphs, flt, filters) if f.id == gap_id]
    if not found:
        decisions = _decisions(store, TargetKind.gap, gap_id)
        if not decisions:
            raise NotFound(f"No gap finding with id {gap_id} in the current graph.")
        # Reviewed, then gone (a replaced document changed its evidence, its theme or its
        # actors): its decisions are never lost, so the page shows them and says why.
        return render(
            request,
            "gap_gone.html",
            key,
            page="gap",
            gap_id=gap_id,
            status=_gap_status(store, gap_id),
            decisions=decisions,
        )
    finding = with_quotes(view, state, found)[0]
    return render(
        request,
        "gap.html",
        key,
        page="gap",
        finding=finding,
        status=_gap_status(store, gap_id),
        decisions=_decisions(store, TargetKind.gap, gap_id),
        gap_actions=GAP_ACTIONS,
    )


def _gap_status(store: GraphStore, gap_id: str) -> str | None:
    for d in decisions_in_force(store, TargetKind.gap, gap_id):
        status = STATUS_OF_ACTION.get(str(d.get("action")))
        if status is not None:
            return status
    return None
