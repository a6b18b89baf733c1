"""The read contract as plain data: what a subgraph cut hands the analysis on the request path.

``Subgraph`` (graph_schema/model.py) is the validated, serialisable form. A theme's cut of
the analytic view holds ~25k relations and ~50k evidence passages; as pydantic models they
cost most of a cold /gaps (building them, then freeing them), though the analysis only
reads their fields and returns a few hundred of them. Here the same fields are named
tuples (one C-level allocation each, fields read by index), and the evidence tuples are
shared between cuts instead of built per request. Only what an answer returns becomes a
pydantic view again (``evidence_view``, at the API boundary).

Field names and order are the views' own, so code reading one reads the other, and the
conversions (``plain_subgraph``, ``subgraph_view``) are field-for-field: tests compare
whole subgraphs both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from .model import (
    ActorView,
    DocumentView,
    EvidenceView,
    PolicyView,
    RelationKind,
    RelationView,
    Subgraph,
)

__all__ = [
    "PlainActor",
    "PlainEvidence",
    "PlainPolicy",
    "PlainRelation",
    "PlainSubgraph",
    "built",
    "evidence_view",
    "plain_evidence",
    "plain_subgraph",
    "subgraph_view",
]


class PlainEvidence(NamedTuple):
    """= EvidenceView's fields, in its order."""

    document_id: str
    document_title: str
    document_kind: str
    passage_id: str
    page: int | None
    turn: int | None
    speaker: str | None
    quote: str  # the view's cuts carry a digest of it (graph_schema/view.quote_digest)
    char_start: int
    char_end: int
    confidence: float
    cue: str


class PlainActor(NamedTuple):
    """= ActorView's fields."""

    id: str
    name: str
    label: str  # Actor or Person
    type: str | None
    level: str | None
    aliases: tuple[str, ...]
    doc_ids: tuple[str, ...]
    themes: tuple[str, ...]


class PlainPolicy(NamedTuple):
    """= PolicyView's fields."""

    id: str
    name: str
    label: str  # Policy or Programme
    kind: str | None
    aliases: tuple[str, ...]
    doc_ids: tuple[str, ...]
    themes: tuple[str, ...]


class PlainRelation(NamedTuple):
    """= RelationView's fields."""

    key: str
    kind: RelationKind
    source: str
    target: str
    confidence: float
    doc_ids: tuple[str, ...]
    evidence: tuple[PlainEvidence, ...]


@dataclass(frozen=True, slots=True, weakref_slot=True)
class PlainSubgraph:
    """= Subgraph. Weakly referenceable: the analysis keys its shared contexts by the cut
    and drops them with it (analysis/_context_cache.py). Documents are the view's own
    (a few dozen, built once per view state)."""

    documents: tuple[DocumentView, ...] = ()
    actors: tuple[PlainActor, ...] = ()
    policies: tuple[PlainPolicy, ...] = ()
    relations: tuple[PlainRelation, ...] = ()


_Model = TypeVar("_Model", bound=BaseModel)
_set = object.__setattr__


def built(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """``cls(**values)`` without validation, for a complete set of fields whose values
    already have their fields' types (str, float, the enum member, tuples of views): what
    ``model_construct`` gives, in a quarter of its time, and equal to the validated model
    (tests compare whole subgraphs)."""
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def evidence_view(e: PlainEvidence) -> EvidenceView:
    """The pydantic view of one plain evidence (fields already of their types)."""
    return built(EvidenceView, e._asdict())


def plain_evidence(ev: EvidenceView) -> PlainEvidence:
    return PlainEvidence(
        ev.document_id,
        ev.document_title,
        ev.document_kind,
        ev.passage_id,
        ev.page,
        ev.turn,
        ev.speaker,
        ev.quote,
        ev.char_start,
        ev.char_end,
        ev.confidence,
        ev.cue,
    )


def plain_subgraph(sg: Subgraph | PlainSubgraph) -> PlainSubgraph:
    """The plain form of a validated subgraph (the analysis's adapter for callers that
    read one from the store, and for tests). Evidence views shared between relations stay
    shared."""
    if isinstance(sg, PlainSubgraph):
        return sg
    shared: dict[int, PlainEvidence] = {}

    def plain(ev: EvidenceView) -> PlainEvidence:
        found = shared.get(id(ev))
        if found is None:
            found = shared[id(ev)] = plain_evidence(ev)
        return found

    return PlainSubgraph(
        documents=sg.documents,
        actors=tuple(
            PlainActor(a.id, a.name, a.label, a.type, a.level, a.aliases, a.doc_ids, a.themes)
            for a in sg.actors
        ),
        policies=tuple(
            PlainPolicy(p.id, p.name, p.label, p.kind, p.aliases, p.doc_ids, p.themes)
            for p in sg.policies
        ),
        relations=tuple(
            PlainRelation(
                r.key,
                r.kind,
                r.source,
                r.target,
                r.confidence,
                r.doc_ids,
                tuple(plain(e) for e in r.evidence),
            )
            for r in sg.relations
        ),
    )


def subgraph_view(sg: PlainSubgraph) -> Subgraph:
    """The validated subgraph of a plain one (actors and policies validated, as the
    readers always built them; relations and evidence field-for-field)."""
    shared: dict[int, EvidenceView] = {}

    def view(e: PlainEvidence) -> EvidenceView:
        found = shared.get(id(e))
        if found is None:
            found = shared[id(e)] = evidence_view(e)
        return found

    return Subgraph(
        documents=sg.documents,
        actors=tuple(ActorView(**a._asdict()) for a in sg.actors),
        policies=tuple(PolicyView(**p._asdict()) for p in sg.policies),
        relations=tuple(
            built(
                RelationView,
                {
                    "key": r.key,
                    "kind": r.kind,
                    "source": r.source,
                    "target": r.target,
                    "confidence": r.confidence,
                    "doc_ids": r.doc_ids,
                    "evidence": tuple(view(e) for e in r.evidence),
                },
            )
            for r in sg.relations
        ),
    )
