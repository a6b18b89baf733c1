"""The interactive network view: actors coloured by level, ties between them, coordination
gaps as dashed links; filters by theme, level, document kind and review state; at most
``max_actors`` actors drawn (the best connected), with a note of how many are hidden.

The graph is the subgraph GET /gaps and GET /network/metrics analyse (the analytic view's cut
for the same filter, from the same cache) and the gaps are GET /gaps's findings; the page
embeds both as Cytoscape.js elements, drawn in the browser.
"""

from __future__ import annotations

import json
from enum import StrEnum
from itertools import combinations
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import AfterValidator

from analysis import Finding
from graph_schema.decisions import TargetKind
from graph_schema.model import ActorLevel
from graph_schema.plain import PlainSubgraph
from graph_schema.reader import SubgraphFilter
from ingest.model import DocumentKind

from ..deps import CacheDep, StoreDep, SubgraphsDep, ViewDep
from ..routes.gaps import _known_theme, _subgraph, gap_findings, gap_question
from ..vocabulary import theme_labels
from .render import Blank, actor_url, gap_url, level_colours, render
from .review_state import latest_status
from .session import WebKey

__all__ = ["DEFAULT_MAX_ACTORS", "ReviewedFilter", "network_elements", "router"]

router = APIRouter(prefix="/web", include_in_schema=False)

_GAP_LINKS_PER_FINDING = 6  # a level disconnect names many counterparts: a few are enough
# Cytoscape's layout and a reader's eye both give out past a few hundred nodes: the view
# draws the best connected actors within the filters and says how many it leaves out.
DEFAULT_MAX_ACTORS = 150
MAX_ACTORS = 2_000


class ReviewedFilter(StrEnum):
    all = "all"
    reviewed = "reviewed"  # accepted by an analyst (rejected actors are in no answer)
    unreviewed = "unreviewed"


def _gap_pairs(f: Finding) -> list[tuple[str, str]]:
    ids = [a.id for a in f.actors]
    if len(ids) >= 2:
        return list(combinations(ids, 2))[:_GAP_LINKS_PER_FINDING]
    context = [a.id for a in f.context_actors][:_GAP_LINKS_PER_FINDING]
    return [(ids[0], c) for c in context] if ids else []


def _best_connected(subgraph: PlainSubgraph, ids: set[str], cap: int) -> set[str]:
    """The ``cap`` actors of ``ids`` with the most ties among ``ids`` (ties broken by id, so
    the same graph always draws the same actors)."""
    if len(ids) <= cap:
        return ids
    degree = dict.fromkeys(ids, 0)
    for r in subgraph.relations:
        if r.source in ids and r.target in ids and r.source != r.target:
            degree[r.source] += 1
            degree[r.target] += 1
    return set(sorted(ids, key=lambda i: (-degree[i], i))[:cap])


def network_elements(
    subgraph: PlainSubgraph,
    findings: list[Finding],
    reviews: dict[str, str],
    reviewed: ReviewedFilter,
    max_actors: int = DEFAULT_MAX_ACTORS,
) -> tuple[list[dict[str, Any]], int]:
    """Cytoscape.js elements: a node per actor kept (the ``max_actors`` best connected of
    those the filters keep), an edge per tie between two of them, a dashed edge per gap
    finding's pair of them; and how many actors the filters kept in all."""
    colours = level_colours()
    matching = {
        a.id: a
        for a in subgraph.actors
        if reviewed is ReviewedFilter.all
        or (reviews.get(a.id) == "accepted") == (reviewed is ReviewedFilter.reviewed)
    }
    drawn = _best_connected(subgraph, set(matching), max_actors)
    keep = {i: a for i, a in matching.items() if i in drawn}
    elements: list[dict[str, Any]] = [
        {
            "group": "nodes",
            "data": {
                "id": a.id,
                "label": a.name,
                "level": a.level or "unknown",
                "colour": colours.get(a.level or "unknown", colours["unknown"]),
                "review": reviews.get(a.id, "unreviewed"),
                "href": actor_url(a.id),
            },
        }
        for a in sorted(keep.values(), key=lambda a: a.id)
    ]
    for r in subgraph.relations:
        if r.source in keep and r.target in keep and r.source != r.target:
            elements.append(
                {
                    "group": "edges",
                    "data": {
                        "id": f"tie:{r.key}",
                        "source": r.source,
                        "target": r.target,
                        "kind": str(r.kind),
                        "negative": str(r.kind) == "negative_coordination",
                    },
                }
            )
    for f in findings:
        for i, (a, b) in enumerate(_gap_pairs(f)):
            if a in keep and b in keep and a != b:
                elements.append(
                    {
                        "group": "edges",
                        "data": {
                            "id": f"gap:{f.id}:{i}",
                            "source": a,
                            "target": b,
                            "kind": str(f.kind),
                            "gap": True,
                            "href": gap_url(f.id),
                            "title": f.explanation,
                        },
                    }
                )
    return elements, len(matching)


def _show_all_url(request: Request, matching: int) -> str | None:
    # Everyone the filters keep, when that is within what the view will draw.
    if matching > MAX_ACTORS:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "max_actors"}
    return "/web/network?" + urlencode({**params, "max_actors": matching})


# No max_length: the vocabulary check bounds it (and a length check would see the None).
Theme = Annotated[str | None, Blank, AfterValidator(_known_theme), Query()]


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    key: WebKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
    theme: Theme = None,
    level: Annotated[ActorLevel | None, Blank, Query()] = None,
    document_kind: Annotated[DocumentKind | None, Blank, Query()] = None,
    reviewed: Annotated[ReviewedFilter, Query()] = ReviewedFilter.all,
    max_actors: Annotated[int, Query(ge=1, le=MAX_ACTORS)] = DEFAULT_MAX_ACTORS,
) -> HTMLResponse:
    state = view.current()
    # Findings are asked for the theme and document kind only: a gap between two levels
    # must still show when the view keeps one level (it is then simply not drawn).
    flt, filters = gap_question(
        theme=theme, document_kind=[document_kind] if document_kind else None
    )
    findings = gap_findings(state, cache, subgraphs, flt, filters)
    shown = SubgraphFilter(
        theme=theme,
        levels=frozenset({level.value}) if level else None,
        document_kinds=flt.document_kinds,
    )
    subgraph = _subgraph(state, subgraphs, shown)
    reviews = {k: d["status"] for k, d in latest_status(store, TargetKind.actor).items()}
    elements, matching = network_elements(subgraph, findings, reviews, reviewed, max_actors)
    node_count = sum(1 for e in elements if e["group"] == "nodes")
    return render(
        request,
        "network.html",
        key,
        page="network",
        # </script> cannot occur in it: "<" is escaped, the JSON stays the same
        elements_json=json.dumps(elements).replace("<", "\\u003c"),
        node_count=node_count,
        hidden=matching - node_count,
        show_all_url=_show_all_url(request, matching) if matching > node_count else None,
        filters={
            "theme": theme or "",
            "level": level.value if level else "",
            "document_kind": document_kind.value if document_kind else "",
            "reviewed": reviewed.value,
            "max_actors": max_actors,
        },
        themes=theme_labels(),
        levels=[lv.value for lv in ActorLevel],
        document_kinds=[k.value for k in DocumentKind],
        reviewed_options=[r.value for r in ReviewedFilter],
    )
