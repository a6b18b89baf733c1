"""Coordination gaps and network metrics: the questions the assessment exists for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from analysis import Finding, GapFilters, GapKind, NetworkMetrics, find_gaps, network_metrics
from govgraph.errors import NotFound
from graph_schema.model import ActorLevel
from graph_schema.reader import SubgraphFilter, graph_version, read_subgraph
from graph_schema.store import GraphStore
from ingest.model import DocumentKind

from ..deps import AnswerCache, CacheDep, ReadKey, StoreDep
from ..problems import ProblemException

router = APIRouter(tags=["analysis"])

Theme = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Theme id, e.g. gender_based_violence",
        examples=["drug_prevention"],
    ),
]
MinConfidence = Annotated[
    float, Query(ge=0.0, le=1.0, description="Ignore relations and evidence below this confidence")
]


def _findings(
    store: GraphStore,
    cache: AnswerCache,
    *,
    theme: str | None,
    kinds: list[GapKind] | None,
    level_pair: list[ActorLevel] | None,
    document_kind: list[DocumentKind] | None,
    document_id: list[str] | None,
    min_confidence: float,
    min_score: float,
) -> list[Finding]:
    if level_pair is not None and len(level_pair) != 2:
        raise ProblemException(
            422,
            "Invalid request",
            "level_pair takes exactly two levels, e.g. level_pair=local&level_pair=national.",
        )
    doc_kinds = frozenset(k.value for k in document_kind) if document_kind else None
    doc_ids = frozenset(document_id) if document_id else None
    flt = SubgraphFilter(
        theme=theme, document_ids=doc_ids, document_kinds=doc_kinds, min_confidence=min_confidence
    )
    filters = GapFilters(
        themes=frozenset({theme}) if theme else None,
        level_pair=(level_pair[0].value, level_pair[1].value) if level_pair else None,
        document_kinds=doc_kinds,
        document_ids=doc_ids,
        min_confidence=min_confidence,
        min_score=min_score,
        kinds=frozenset(kinds) if kinds else None,
    )
    # Findings are a pure function of the facts and the filters; the graph version (read
    # first, one cheap query) is in the key, so any document write makes old entries moot.
    # Only the subgraph the question needs is read from the store.
    key = ("gaps", graph_version(store), flt, filters)  # both frozen, hashable
    return cache.get_or_compute(key, lambda: find_gaps(read_subgraph(store, flt), filters=filters))


@router.get(
    "/gaps",
    summary="Coordination gaps, ranked",
    description="Findings of the seven gap kinds (see docs/gaps.md), best-evidenced first. "
    "Each has actors, theme, score, a one-sentence explanation and evidence passages.",
)
def get_gaps(
    _: ReadKey,
    store: StoreDep,
    cache: CacheDep,
    theme: Theme = None,
    kind: Annotated[list[GapKind] | None, Query(description="Only these gap kinds")] = None,
    level_pair: Annotated[
        list[ActorLevel] | None,
        # Declared in the schema (minItems/maxItems), so clients and fuzzers know one level
        # alone is invalid; the check in _findings stays for direct callers.
        Query(min_length=2, max_length=2, description="Two levels, e.g. local and national"),
    ] = None,
    document_kind: Annotated[
        list[DocumentKind] | None, Query(description="Evidence only from these document kinds")
    ] = None,
    document_id: Annotated[
        list[str] | None, Query(description="Evidence only from these documents")
    ] = None,
    min_confidence: MinConfidence = 0.0,
    min_score: Annotated[
        float, Query(ge=0.0, le=1.0, description="Hide findings scoring below this")
    ] = 0.3,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    findings = _findings(
        store,
        cache,
        theme=theme,
        kinds=kind,
        level_pair=level_pair,
        document_kind=document_kind,
        document_id=document_id,
        min_confidence=min_confidence,
        min_score=min_score,
    )
    page = findings[offset : offset + limit]
    return {
        "items": [f.model_dump(mode="json") for f in page],
        "total": len(findings),
        "limit": limit,
        "offset": offset,
    }


@router.get("/gaps/{gap_id}", summary="One gap finding, with its evidence")
def get_gap(gap_id: str, _: ReadKey, store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    findings = _findings(
        store,
        cache,
        theme=None,
        kinds=None,
        level_pair=None,
        document_kind=None,
        document_id=None,
        min_confidence=0.0,
        min_score=0.0,
    )
    for f in findings:
        if f.id == gap_id:
            return f.model_dump(mode="json")
    raise NotFound(f"No gap finding with id {gap_id} in the current graph.")


@router.get("/network/metrics", summary="Centrality, brokerage and articulation points")
def get_network_metrics(
    _: ReadKey,
    store: StoreDep,
    cache: CacheDep,
    theme: Theme = None,
    group_by: Annotated[
        Literal["level", "type", "sector"], Query(description="Group attribute for brokerage roles")
    ] = "level",
    min_confidence: MinConfidence = 0.0,
) -> NetworkMetrics:
    flt = SubgraphFilter(theme=theme, min_confidence=min_confidence)
    key = ("metrics", graph_version(store), flt, group_by)
    return cache.get_or_compute(
        key,
        lambda: network_metrics(
            read_subgraph(store, flt), group_by=group_by, min_confidence=min_confidence
        ),
    )
