"""Builders for fictional Subgraphs (Port Meridian) shared by the analysis tests; no tests."""

from __future__ import annotations

from graph_schema.model import (
    ActorView,
    DocumentView,
    EvidenceView,
    PolicyView,
    RelationKind,
    RelationView,
    Subgraph,
    relation_key,
)

DOCS = {
    "plan": "plan",
    "law": "law",
    "kii1": "kii",
    "kii2": "kii",
    "fgd1": "fgd",
}


def doc(doc_id: str) -> DocumentView:
    return DocumentView(
        id=doc_id,
        title=doc_id.upper(),
        kind=DOCS[doc_id],
        language="en",
        source_path=f"{doc_id}.txt",
    )


def ev(doc_id: str, n: int, quote: str = "", conf: float = 1.0) -> EvidenceView:
    return EvidenceView(
        document_id=doc_id,
        document_title=doc_id.upper(),
        document_kind=DOCS[doc_id],
        passage_id=f"{doc_id}:{n}",
        page=None,
        turn=n,
        speaker=None,
        quote=quote or f"{doc_id} passage {n}",
        char_start=0,
        char_end=10,
        confidence=conf,
        cue="test",
    )


def actor(
    actor_id: str, level: str, type_: str, docs: tuple[str, ...] = ("plan",), label: str = "Actor"
) -> ActorView:
    return ActorView(
        id=actor_id,
        name=actor_id.replace("_", " ").title(),
        label=label,
        type=type_,
        level=level,
        doc_ids=docs,
    )


def rel(
    kind: RelationKind, source: str, target: str, *evidence: EvidenceView, conf: float = 1.0
) -> RelationView:
    return RelationView(
        key=relation_key(kind, source, target),
        kind=kind,
        source=source,
        target=target,
        confidence=conf,
        doc_ids=tuple(sorted({e.document_id for e in evidence})),
        evidence=evidence,
    )


def works(
    actor_id: str, theme: str, *passages: tuple[str, int], kind: RelationKind = RelationKind.mandate
) -> RelationView:
    return rel(kind, actor_id, theme, *(ev(d, n) for d, n in passages))


def policy(
    pid: str, themes: tuple[str, ...], label: str = "Programme", docs: tuple[str, ...] = ("plan",)
) -> PolicyView:
    return PolicyView(
        id=pid, name=pid.replace("_", " ").title(), label=label, themes=themes, doc_ids=docs
    )


def subgraph(
    actors: list[ActorView],
    relations: list[RelationView],
    policies: list[PolicyView] | None = None,
    docs: tuple[str, ...] = ("plan", "law", "kii1", "kii2", "fgd1"),
) -> Subgraph:
    return Subgraph(
        documents=tuple(doc(d) for d in docs),
        actors=tuple(actors),
        policies=tuple(policies or ()),
        relations=tuple(relations),
    )
