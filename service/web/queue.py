"""The review queue page (/web/): what most needs a look, actors and relations, each with the
reasons it is there and the passages to judge it on, a page at a time, accept / reject in
place.

It asks ``get_review_queue``, the function behind GET /review/queue, so the page and the API
rank, explain and page the queue identically.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..deps import CacheDep, StoreDep, SubgraphsDep, ViewDep
from ..review_queue import QueueKind
from ..routes.review import get_review_queue
from .pages import ACTOR_ACTIONS, RELATION_ACTIONS
from .render import Blank, render
from .session import WebKey

__all__ = ["PAGE_SIZE", "router"]

router = APIRouter(prefix="/web", include_in_schema=False)

PAGE_SIZE = 20  # the API's default page: a screenful of items with their quotes


def _page_url(kind: QueueKind | None, min_score: float, offset: int) -> str:
    params: dict[str, str | int | float] = {"offset": offset}
    if kind is not None:
        params["kind"] = kind.value
    if min_score:
        params["min_score"] = min_score
    return "/web/?" + urlencode(params)


@router.get("/", response_class=HTMLResponse)
def queue_page(
    request: Request,
    key: WebKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
    kind: Annotated[QueueKind | None, Blank, Query()] = None,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    queue = get_review_queue(
        key,
        store,
        view,
        cache,
        subgraphs,
        kind=kind,
        min_score=min_score,
        limit=PAGE_SIZE,
        offset=offset,
    )
    previous = max(0, offset - PAGE_SIZE) if offset > 0 else None
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < queue.total else None
    return render(
        request,
        "queue.html",
        key,
        page="queue",
        queue=queue,
        first=offset + 1 if queue.items else 0,
        last=offset + len(queue.items),
        previous_url=None if previous is None else _page_url(kind, min_score, previous),
        next_url=None if following is None else _page_url(kind, min_score, following),
        filters={"kind": kind.value if kind else "", "min_score": min_score},
        kinds=[k.value for k in QueueKind],
        actor_actions=ACTOR_ACTIONS,
        relation_actions=RELATION_ACTIONS,
    )
