"""GET /review/queue: what most needs an analyst's look (service/review_queue.py ranks it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from ..deps import CacheDep, ReadKey, StoreDep, SubgraphsDep, ViewDep
from ..query_params import single_valued_query
from ..review_queue import TOP_FINDINGS, QueueItem, QueueKind, queue_page
from .gaps import gap_findings, gap_question

router = APIRouter(tags=["review"], dependencies=[Depends(single_valued_query)])


class QueuePage(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[QueueItem]
    total: int
    limit: int
    offset: int
    top_findings: int  # how many of the top gap findings count for high_impact


@router.get(
    "/review/queue",
    summary="What most needs a look: unreviewed actors and relations, highest score first",
    description="Each item's `score` is the sum of its `reasons` (low_confidence, "
    "weak_type_cue, weak_level_cue, conflicting_evidence, thin_evidence, high_impact), with "
    "the passages to judge it on. An accept or reject decision takes an item off the queue.",
    response_model=QueuePage,
)
def get_review_queue(
    _: ReadKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
    kind: Annotated[QueueKind | None, Query(description="Only actors or relations")] = None,
    min_score: Annotated[
        float, Query(ge=0.0, le=1.0, description="Leave out items scored below this")
    ] = 0.0,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")] = 0,
) -> QueuePage:
    state = view.current()
    # The findings GET /gaps answers by default (the same question, so the same cache entry).
    flt, filters = gap_question()
    findings = gap_findings(state, cache, subgraphs, flt, filters)
    items, total = queue_page(
        store, state, findings, kind=kind, min_score=min_score, limit=limit, offset=offset
    )
    return QueuePage(
        items=items, total=total, limit=limit, offset=offset, top_findings=TOP_FINDINGS
    )
