"""Catalog reads behind the API: the actor detail of GET /actors/{id}.

Runs against the real embedded store. The shape asserted here is what API clients rely on.
"""

from __future__ import annotations

from typing import Any

from graph_fixtures import actor, batch_for, make_document

from graph_schema.catalog import actor_detail
from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    Label,
    RelationFact,
    RelationKind,
)
from graph_schema.store import GraphStore
from graph_schema.writer import write_document

EVIDENCE_FIELDS = {
    "document_id",
    "document_title",
    "document_kind",
    "passage_id",
    "page",
    "turn",
    "speaker",
    "quote",
    "char_start",
    "char_end",
    "confidence",
    "cue",
}
RELATION_FIELDS = {
    "key",
    "kind",
    "extracted_kind",  # = kind until a review decision changes it
    "reversed",
    "source",
    "target",
    "other_id",
    "other_name",
    "other_label",
    "confidence",
    "review",
    "doc_ids",
    "direction",
    "evidence",
    "evidence_count",
}


def _fact(
    doc: Any, kind: RelationKind, source: str, target: str, passages: list[int], **kw: Any
) -> RelationFact:
    return RelationFact(
        kind=kind,
        source_label=Label.Actor,
        source_id=source,
        target_label=kw.get("target_label", Label.Actor),
        target_id=target,
        confidence=0.7,
        evidence=tuple(
            EvidenceRecord(
                passage_id=doc.passages[i].id,
                quote=doc.passages[i].text,
                char_start=0,
                char_end=len(doc.passages[i].text),
                confidence=0.5 + i / 100,
                cue=f"cue {i}",
            )
            for i in passages
        ),
    )


def _write_graph(store: GraphStore) -> Any:
    text = "\n\n".join(f"Sentence number {i} about the Council." for i in range(12))
    doc = make_document(text, source_path="minutes.md")
    council = actor("a:council", "City Council")
    trust = actor("a:trust", "Youth Trust", "non_state", "ngo")
    ministry = actor("a:ministry", "Ministry of Justice", "national")
    theme = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
    write_document(
        store,
        batch_for(
            doc,
            [council, trust, ministry, theme],
            [
                _fact(doc, RelationKind.partnership, "a:council", "a:trust", [0, 1]),
                _fact(doc, RelationKind.funding, "a:ministry", "a:council", list(range(2, 12))),
                _fact(
                    doc,
                    RelationKind.works_on,
                    "a:council",
                    "youth_violence",
                    [3],
                    target_label=Label.Theme,
                ),
            ],
        ),
    )
    return doc


def test_graph_schema_catalog_actor_detail_shape(store: GraphStore) -> None:
    doc = _write_graph(store)
    detail = actor_detail(store, "a:council")
    assert detail is not None
    assert detail["id"] == "a:council" and detail["name"] == "City Council"
    assert detail["level"] == "local" and detail["aliases"] == ["City Council"]
    assert detail["doc_ids"] == [doc.id] and "supports" not in detail
    assert detail["review"] is None
    rels = detail["relations"]
    # Ordered by kind, then the other actor's name.
    assert [(r["kind"], r["other_id"], r["direction"]) for r in rels] == [
        ("funding", "a:ministry", "in"),
        ("partnership", "a:trust", "out"),
        ("works_on", "youth_violence", "out"),
    ]
    for r in rels:
        assert set(r) == RELATION_FIELDS, set(r) ^ RELATION_FIELDS
        assert r["doc_ids"] == [doc.id] and r["confidence"] == 0.7
        assert r["review"] is None  # nobody has decided on it
        assert r["extracted_kind"] == r["kind"] and r["reversed"] is False  # nor corrected it
        assert all(set(e) == EVIDENCE_FIELDS for e in r["evidence"])
    funding, partnership, works_on = rels
    assert (funding["source"], funding["target"]) == ("a:ministry", "a:council")
    assert (funding["other_name"], funding["other_label"]) == ("Ministry of Justice", "Actor")
    assert works_on["other_label"] == "Theme" and works_on["other_name"] == "youth violence"
    assert partnership["key"] == "partnership:a:council->a:trust"
    # Every evidence field, as stored.
    best = partnership["evidence"][0]
    assert best == {
        "document_id": doc.id,
        "document_title": "minutes.md",
        "document_kind": "plan",
        "passage_id": doc.passages[1].id,
        "page": 1,
        "turn": None,
        "speaker": None,
        "quote": "Sentence number 1 about the Council.",
        "char_start": 0,
        "char_end": len(doc.passages[1].text),
        "confidence": 0.51,
        "cue": "cue 1",
    }
    assert partnership["evidence_count"] == 2 and len(partnership["evidence"]) == 2


def test_graph_schema_catalog_actor_detail_bounds_evidence_per_relation(
    store: GraphStore,
) -> None:
    doc = _write_graph(store)
    detail = actor_detail(store, "a:council", max_evidence=3)
    assert detail is not None
    funding = next(r for r in detail["relations"] if r["kind"] == "funding")
    # Ten passages support the funding; the three most confident are shown, the count says 10.
    assert funding["evidence_count"] == 10
    assert [e["passage_id"] for e in funding["evidence"]] == [
        doc.passages[i].id for i in (11, 10, 9)
    ]
    unbounded = actor_detail(store, "a:council", max_evidence=100)
    assert unbounded is not None
    assert len(next(r for r in unbounded["relations"] if r["kind"] == "funding")["evidence"]) == 10


def test_graph_schema_catalog_actor_detail_without_relations_and_unknown(
    store: GraphStore,
) -> None:
    doc = make_document("The Lonely Office exists.", source_path="a.md")
    write_document(store, batch_for(doc, [actor("a:lonely", "Lonely Office")]))
    detail = actor_detail(store, "a:lonely")
    assert detail is not None and detail["relations"] == [] and detail["name"] == "Lonely Office"
    assert actor_detail(store, "a:nobody") is None
    # A theme or policy id is not an actor.
    assert actor_detail(store, "youth_violence") is None
