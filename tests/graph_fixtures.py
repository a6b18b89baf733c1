"""Builders for small, valid GraphBatches used by the graph-layer tests."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    GraphBatch,
    Label,
    Mention,
    RelationFact,
    RelationKind,
)
from ingest.model import Document, DocumentKind, Passage


def make_document(
    text: str, *, source_path: str = "plan.md", kind: DocumentKind = DocumentKind.plan
) -> Document:
    doc_id = hashlib.sha256(f"{source_path}|{text}".encode()).hexdigest()
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    passages = tuple(
        Passage(
            id=f"{doc_id}:{i}",
            index=i,
            text=p,
            page=1,
            char_start=0,
            char_end=len(p),
        )
        for i, p in enumerate(paragraphs)
    )
    return Document(
        id=doc_id,
        title=source_path,
        kind=kind,
        language="en",
        source_path=source_path,
        media_type="text/markdown",
        passages=passages,
    )


def actor(ident: str, name: str, level: str = "local", type_: str = "government") -> EntityNode:
    return EntityNode(
        label=Label.Actor,
        id=ident,
        name=name,
        aliases=(name,),
        properties={"type": type_, "level": level, "type_confidence": 0.9},
    )


def relation(
    doc: Document,
    kind: RelationKind,
    source: str,
    target: str,
    *,
    passage: int = 0,
    target_label: Label = Label.Actor,
) -> RelationFact:
    p = doc.passages[passage]
    return RelationFact(
        kind=kind,
        source_label=Label.Actor,
        source_id=source,
        target_label=target_label,
        target_id=target,
        confidence=0.8,
        evidence=(
            EvidenceRecord(
                passage_id=p.id,
                quote=p.text,
                char_start=0,
                char_end=len(p.text),
                confidence=0.8,
                cue="test",
            ),
        ),
    )


def batch_for(
    doc: Document,
    entities: list[EntityNode],
    relations: list[RelationFact] = (),  # type: ignore[assignment]
    *,
    mentioned_in: Mapping[str, int] | None = None,
) -> GraphBatch:
    """Every entity mentioned in the first passage, or in the passage ``mentioned_in`` gives
    for its id (where a test reads the passage an entity is named in)."""
    where = mentioned_in or {}
    mentions = tuple(
        Mention(
            passage_id=doc.passages[where.get(e.id, 0)].id,
            label=e.label,
            entity_id=e.id,
            text=e.name,
            char_start=0,
            char_end=len(e.name),
        )
        for e in entities
    )
    return GraphBatch(
        document=doc, entities=tuple(entities), mentions=mentions, relations=tuple(relations)
    )


# A strategy's three paragraphs, shared by the review and decision tests: two governments
# active on youth violence without a tie between them (a shared-mandate gap), and two
# non-state partners no government works with.
STRATEGY_DOC = make_document(
    "The Riverton City Council runs youth violence prevention.\n\n"
    "The Ministry of Justice funds youth violence prevention.\n\n"
    "The Riverton Youth Trust works with the Eastfield Women's Network on youth violence.",
    source_path="strategy.md",
)
YOUTH_VIOLENCE = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
STRATEGY_BATCH = batch_for(
    STRATEGY_DOC,
    [
        actor("a:council", "Riverton City Council"),
        actor("a:ministry", "Ministry of Justice", "national"),
        actor("a:trust", "Riverton Youth Trust", "non_state", "ngo"),
        actor("a:network", "Eastfield Women's Network", "non_state", "ngo"),
        YOUTH_VIOLENCE,
    ],
    [
        relation(
            STRATEGY_DOC,
            RelationKind.works_on,
            source,
            YOUTH_VIOLENCE.id,
            passage=i,
            target_label=Label.Theme,
        )
        for i, source in ((0, "a:council"), (1, "a:ministry"), (2, "a:trust"), (2, "a:network"))
    ]
    + [relation(STRATEGY_DOC, RelationKind.partnership, "a:trust", "a:network", passage=2)],
)
