"""Coordination gaps and network metrics: the questions the assessment exists for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator, StringConstraints

from analysis import Finding, GapFilters, GapKind, NetworkMetrics, find_gaps, network_metrics
from govgraph.errors import NotFound
from graph_schema.locations import actors_located_in, list_locations
from graph_schema.model import ActorLevel
from graph_schema.plain import PlainSubgraph
from graph_schema.reader import SubgraphFilter
from graph_schema.view import ViewState
from ingest.model import DocumentKind

from ..deps import AnswerCache, CacheDep, ReadKey, StoreDep, SubgraphsDep, ViewDep
from ..gap_review import review_marks
from ..problems import ProblemException
from ..query_params import single_valued_query
from ..responses import json_response
from ..view import with_quotes

router = APIRouter(tags=["analysis"], dependencies=[Depends(single_valued_query)])

DEFAULT_MIN_SCORE = 0.3


def _theme_ids() -> list[str]:
    from ..vocabulary import theme_ids

    return theme_ids()


def _known_theme(value: str | None) -> str | None:
    # A ValueError here is a 422 problem whose message lists the valid themes.
    from ..vocabulary import UnknownValue, check_theme

    if value is None:
        return None
    try:
        return check_theme(value)
    except UnknownValue as exc:
        raise ValueError(exc.message) from exc


Theme = Annotated[
    str | None,
    AfterValidator(_known_theme),
    Query(
        max_length=100,
        description="Theme id, e.g. gender_based_violence",
        examples=["drug_prevention"],
        # The spec lists the valid ids, so clients (and schemathesis) know the vocabulary.
        json_schema_extra={"enum": _theme_ids()},
    ),
]
MinConfidence = Annotated[
    float, Query(ge=0.0, le=1.0, description="Ignore relations and evidence below this confidence")
]


def gap_question(
    *,
    theme: str | None = None,
    kinds: list[GapKind] | None = None,
    level_pair: list[ActorLevel] | None = None,
    document_kind: list[DocumentKind] | None = None,
    document_id: list[str] | None = None,
    min_confidence: float = 0.0,
    min_score: float = DEFAULT_MIN_SCORE,
) -> tuple[SubgraphFilter, GapFilters]:
    """What a /gaps request asks: the subgraph to read and the filters of the analysis.
    Both are frozen and hashable: with the graph version, they are the answer's cache key."""
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
    return flt, filters


def _subgraph(state: ViewState, subgraphs: AnswerCache, flt: SubgraphFilter) -> PlainSubgraph:
    # Cut from the analytic view in memory, as plain data (no pydantic model per fact: only
    # the answer's findings and metrics are models); the gaps and the metrics of one theme
    # are usually asked together: one cut serves both.
    return subgraphs.get_or_compute((state.version, flt), lambda: state.facts(flt))


def gap_findings(
    state: ViewState,
    cache: AnswerCache,
    subgraphs: AnswerCache,
    flt: SubgraphFilter,
    filters: GapFilters,
) -> list[Finding]:
    """Findings are a pure function of the facts and the filters; the view's graph version
    is in the key, so any document write makes old entries moot. Their evidence carries
    quote digests (``service.view.with_quotes`` fills the quotes of a page)."""
    key = ("gaps", state.version, flt, filters)
    return cache.get_or_compute(
        key, lambda: find_gaps(_subgraph(state, subgraphs, flt), filters=filters)
    )


def metrics_question(
    *, theme: str | None = None, group_by: str = "level", min_confidence: float = 0.0
) -> tuple[SubgraphFilter, str, float]:
    return SubgraphFilter(theme=theme, min_confidence=min_confidence), group_by, min_confidence


def metrics_json(
    state: ViewState,
    cache: AnswerCache,
    subgraphs: AnswerCache,
    question: tuple[SubgraphFilter, str, float],
) -> bytes:
    """Network metrics as the JSON the route sends, cached as bytes: a theme's metrics are
    ~1.5 MB of JSON for 3,000 actors, and validating and serialising them again on every
    hit cost more than the rest of the request."""
    flt, group_by, min_confidence = question
    key = ("metrics", state.version, flt, group_by)
    return cache.get_or_compute(
        key,
        lambda: (
            network_metrics(
                _subgraph(state, subgraphs, flt),
                group_by=group_by,
                min_confidence=min_confidence,
            )
            .model_dump_json()
            .encode()
        ),
    )


def _findings(
    state: ViewState, cache: AnswerCache, subgraphs: AnswerCache, **question: Any
) -> list[Finding]:
    flt, filters = gap_question(**question)
    return gap_findings(state, cache, subgraphs, flt, filters)


@router.get(
    "/gaps",
    summary="Coordination gaps, ranked",
    description="Findings of the seven gap kinds (see docs/gaps.md), best-evidenced first. "
    "Each has actors, theme, score, a one-sentence explanation and evidence passages.",
    responses={404: {"description": "No location with that name (the hint lists some)"}},
)
def get_gaps(
    _: ReadKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
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
        list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None,
        Query(description="Evidence only from these documents (ids, not empty)"),
    ] = None,
    location: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Only findings about actors located in this place (id, name or alias; "
            "see GET /locations)",
            examples=["Valdora"],
        ),
    ] = None,
    min_confidence: MinConfidence = 0.0,
    min_score: Annotated[
        float, Query(ge=0.0, le=1.0, description="Hide findings scoring below this")
    ] = DEFAULT_MIN_SCORE,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    state = view.current()
    findings = _findings(
        state,
        cache,
        subgraphs,
        theme=theme,
        kinds=kind,
        level_pair=level_pair,
        document_kind=document_kind,
        document_id=document_id,
        min_confidence=min_confidence,
        min_score=min_score,
    )
    if location is not None:
        # The whole theme is analysed (a local actor's missing national counterpart is not
        # in the place); the place then keeps the findings about its actors.
        here = actors_located_in(store, location, min_confidence=min_confidence)
        findings = [f for f in findings if here.intersection(f.actor_ids)]
    page = findings[offset : offset + limit]
    marks = review_marks(store, page)  # on the view's digests, before the quotes replace them
    return {
        "items": [
            {**f.model_dump(mode="json"), **marks[f.id]} for f in with_quotes(view, state, page)
        ],
        "total": len(findings),
        "limit": limit,
        "offset": offset,
    }


@router.get("/locations", summary="Places actors are located in, with how many actors each")
def get_locations(_: ReadKey, store: StoreDep) -> dict[str, Any]:
    return {"items": list_locations(store)}


# ``:path``: an id containing "/" is that id, never redirected (see routes/documents).
@router.get("/gaps/{gap_id:path}", summary="One gap finding, with its evidence")
def get_gap(
    gap_id: str,
    _: ReadKey,
    store: StoreDep,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
) -> dict[str, Any]:
    state = view.current()
    findings = _findings(
        state,
        cache,
        subgraphs,
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
            marks = review_marks(store, [f])[f.id]
            return {**with_quotes(view, state, [f])[0].model_dump(mode="json"), **marks}
    raise NotFound(f"No gap finding with id {gap_id} in the current graph.")


@router.get(
    "/network/metrics",
    summary="Centrality, brokerage and articulation points",
    response_model=NetworkMetrics,
)
def get_network_metrics(
    _: ReadKey,
    view: ViewDep,
    cache: CacheDep,
    subgraphs: SubgraphsDep,
    theme: Theme = None,
    group_by: Annotated[
        Literal["level", "type", "sector"], Query(description="Group attribute for brokerage roles")
    ] = "level",
    min_confidence: MinConfidence = 0.0,
) -> Response:
    question = metrics_question(theme=theme, group_by=group_by, min_confidence=min_confidence)
    return json_response(body=metrics_json(view.current(), cache, subgraphs, question))
