"""The entity-merge ledger: which names were merged onto which entity, and undoing a merge."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from govgraph.errors import NotFound
from graph_schema.ledger import get_merge, list_merges

from ..deps import ReadKey, StoreDep, WriteKey, graph_changed
from ..merges import undo_merge
from ..query_params import single_valued_query

router = APIRouter(tags=["merges"], dependencies=[Depends(single_valued_query)])

MergeId = Annotated[str, Path(max_length=100, description="Ledger entry id, e.g. merge-3f2a…")]


@router.get(
    "/merges", summary="The merge ledger: aliases resolved onto entities, and by which rule"
)
def get_merges(
    _: ReadKey,
    store: StoreDep,
    entity_id: Annotated[
        str | None, Query(min_length=1, max_length=300, description="Only merges onto this entity")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")] = 0,
) -> dict[str, Any]:
    items, total = list_merges(store, entity_id=entity_id, skip=offset, limit=limit)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# Not ``:path``: merge ids never hold "/", and ``/merges/{id}/undo`` must stay the only
# match for its path (see get_job in routes/documents).
@router.get("/merges/{merge_id}", summary="One ledger entry")
def get_one_merge(merge_id: MergeId, _: ReadKey, store: StoreDep) -> dict[str, Any]:
    merge = get_merge(store, merge_id)
    if merge is None:
        raise NotFound(f"No merge with id {merge_id}.")
    return merge


@router.post(
    "/merges/{merge_id}/undo",
    summary="Undo a merge: the alias becomes its own entity, and stays apart from now on",
    description="Re-extracts the documents that used the alias from their stored passages "
    "(each in one transaction). 404 for an unknown id, 409 when already undone.",
    responses={409: {"description": "The merge was already undone"}},
)
def post_undo_merge(
    merge_id: MergeId, request: Request, _: WriteKey, store: StoreDep
) -> dict[str, Any]:
    result = undo_merge(store, merge_id)
    graph_changed(request)  # the analytic view reads what changed
    return {
        **asdict(result),
        "documents": list(result.documents),
        "now_resolved_to": list(result.now_resolved_to),
    }
