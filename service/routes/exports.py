"""Graph exports: GraphML and GEXF (Gephi, yEd), Kumu CSV (zip) and JSON.

CSV is one endpoint returning a zip with nodes.csv (Kumu elements: Label, Type, Description,
Tags, ...) and edges.csv (Kumu connections: From, To, Type, ...), so a slice of the graph
always travels as a consistent pair.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from graph_schema.catalog import list_themes
from graph_schema.model import ActorLevel
from graph_schema.reader import SubgraphFilter, read_subgraph
from reporting.exports import EXPORT_EXTENSIONS, EXPORT_MEDIA_TYPES, ExportFormat, export_graph
from reporting.gather import resolve_theme

from ..deps import ReadKey, StoreDep
from ..query_params import single_valued_query
from .gaps import Theme
from .reports import attachment

__all__ = ["router"]

router = APIRouter(tags=["graph"], dependencies=[Depends(single_valued_query)])


@router.get(
    "/exports/{format}",
    summary="Export the graph: graphml, gexf, csv (Kumu, zip of nodes.csv + edges.csv), json",
    description="Actors, people, policies, programmes and themes with their fact relations, "
    "filtered like the other queries (theme: its actors and policies plus direct neighbours; "
    "level: actors at these levels). JSON carries every relation's evidence passages.",
    response_class=Response,
    responses={
        200: {
            "content": {m: {} for m in EXPORT_MEDIA_TYPES.values()},
            "description": "The export file",
        }
    },
)
def get_export(
    format: ExportFormat,
    _: ReadKey,
    store: StoreDep,
    # The same closed vocabulary as /gaps: an unknown theme is a 422 listing the valid ids,
    # never an empty export or a report "covering" a theme nobody has (issue 12).
    theme: Theme = None,
    level: Annotated[
        list[ActorLevel] | None, Query(description="Keep only actors at these levels")
    ] = None,
) -> Response:
    theme_id = resolve_theme(store, theme)[0] if theme else None
    sub = read_subgraph(
        store,
        SubgraphFilter(
            theme=theme_id, levels=frozenset(lv.value for lv in level) if level else None
        ),
    )
    names = {str(r["id"]): str(r.get("name") or r["id"]) for r in list_themes(store)}
    body = export_graph(sub, format, theme_names=names)
    stem = f"govgraph-{theme_id}" if theme_id else "govgraph"
    return Response(
        content=body,
        media_type=EXPORT_MEDIA_TYPES[format],
        headers=attachment(stem, EXPORT_EXTENSIONS[format]),
    )
