"""The reader against the real embedded store: the whole-graph snapshot cuts exactly the
subgraphs the targeted reads return, for every kind of filter."""

from __future__ import annotations

import random

import pytest
from graph_fixtures import actor, make_document

from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    GraphBatch,
    Label,
    RelationFact,
    RelationKind,
)
from graph_schema.reader import SubgraphFilter, read_snapshot, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from ingest.model import DocumentKind

THEMES = ("youth_violence", "policing", "drug_prevention", "street_lighting")
LEVELS = ("local", "national", "international", "non_state")
ACTOR_KINDS = (
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.funding,
    RelationKind.negative_coordination,
    RelationKind.mandate_overlap,
)


def _random_graph(store: GraphStore, seed: int = 3) -> list[str]:
    """Three documents of different kinds over one set of actors, persons, policies and
    themes; relations with mixed confidences, some supported by two documents."""
    rng = random.Random(seed)
    actors = [
        actor(f"actor:{i}", f"Actor {i}", LEVELS[i % 4], "ngo" if i % 4 == 3 else "government")
        for i in range(30)
    ]
    persons = [
        EntityNode(label=Label.Person, id=f"person:{i}", name=f"Person {i}") for i in range(3)
    ]
    policies = [
        EntityNode(label=Label.Policy, id="policy:plan", name="Safety Plan"),
        EntityNode(label=Label.Programme, id="programme:lights", name="Lights On"),
    ]
    themes = [EntityNode(label=Label.Theme, id=t, name=t.replace("_", " ")) for t in THEMES]
    by_id = {e.id: e for e in (*actors, *persons, *policies, *themes)}
    facts: list[tuple[RelationKind, Label, str, Label, str]] = []
    for a in actors:
        for t in rng.sample(THEMES, rng.choice((0, 1, 1, 2))):
            kind = rng.choice((RelationKind.works_on, RelationKind.works_on, RelationKind.mandate))
            facts.append((kind, Label.Actor, a.id, Label.Theme, t))
    for _ in range(60):
        s, t = rng.sample(actors, 2)
        facts.append((rng.choice(ACTOR_KINDS), Label.Actor, s.id, Label.Actor, t.id))
    for p in persons:
        facts.append(
            (RelationKind.member_of, Label.Person, p.id, Label.Actor, rng.choice(actors).id)
        )
    facts += [
        (RelationKind.addresses, Label.Policy, "policy:plan", Label.Theme, "youth_violence"),
        (
            RelationKind.addresses,
            Label.Programme,
            "programme:lights",
            Label.Theme,
            "street_lighting",
        ),
        (RelationKind.implements, Label.Actor, "actor:1", Label.Programme, "programme:lights"),
        (RelationKind.mandate, Label.Actor, "actor:2", Label.Policy, "policy:plan"),
    ]
    facts = list(dict.fromkeys(facts))
    doc_ids = []
    for d, kind in enumerate((DocumentKind.plan, DocumentKind.kii, DocumentKind.report)):
        text = "\n\n".join(f"Passage {i} of document {d}." for i in range(8))
        doc = make_document(text, source_path=f"doc{d}.md", kind=kind)
        doc_ids.append(doc.id)
        mine = [f for i, f in enumerate(facts) if i % 3 == d or rng.random() < 0.2]
        relations = tuple(
            RelationFact(
                kind=k,
                source_label=sl,
                source_id=s,
                target_label=tl,
                target_id=t,
                confidence=rng.choice((0.3, 0.6, 0.9)),
                evidence=tuple(
                    EvidenceRecord(
                        passage_id=doc.passages[p].id,
                        quote=doc.passages[p].text,
                        char_start=0,
                        char_end=len(doc.passages[p].text),
                        confidence=rng.choice((0.4, 0.8)),
                        cue="test",
                    )
                    for p in rng.sample(range(8), rng.choice((1, 2)))
                ),
            )
            for k, sl, s, tl, t in mine
        )
        used = {r.source_id for r in relations} | {r.target_id for r in relations}
        write_document(
            store,
            GraphBatch(
                document=doc,
                entities=tuple(by_id[i] for i in sorted(used)),
                relations=relations,
            ),
        )
    return doc_ids


def _filters(doc_ids: list[str]) -> list[SubgraphFilter]:
    return [
        SubgraphFilter(),
        *(SubgraphFilter(theme=t) for t in (*THEMES, "no_such_theme")),
        SubgraphFilter(theme="youth_violence", min_confidence=0.5),
        SubgraphFilter(min_confidence=0.7),
        SubgraphFilter(levels=frozenset({"local", "national"})),
        SubgraphFilter(theme="policing", levels=frozenset({"non_state"})),
        SubgraphFilter(document_ids=frozenset(doc_ids[:1])),
        SubgraphFilter(theme="street_lighting", document_kinds=frozenset({"kii", "report"})),
        SubgraphFilter(document_kinds=frozenset({"plan"}), min_confidence=0.5),
    ]


def test_graph_schema_reader_snapshot_cuts_the_same_subgraphs(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    snapshot = read_snapshot(store)
    for flt in _filters(doc_ids):
        expected = read_subgraph(store, flt)
        got = snapshot.subgraph(flt)
        assert got == expected, flt
    themed = read_subgraph(store, SubgraphFilter(theme="youth_violence"))
    # Not vacuous: the filters cut real, different subgraphs with evidence.
    assert themed.relations and all(r.evidence for r in themed.relations)
    assert len(themed.actors) < len(read_subgraph(store).actors)


@pytest.mark.parametrize("seed", [11, 12])
def test_graph_schema_reader_evidence_order_is_fixed(store: GraphStore, seed: int) -> None:
    # Every read of the same facts gives the analysis the same input, evidence order included.
    _random_graph(store, seed)
    first = read_subgraph(store, SubgraphFilter(theme="policing"))
    assert read_subgraph(store, SubgraphFilter(theme="policing")) == first
    for r in first.relations:
        keys = [(e.document_id, e.passage_id, e.char_start, e.char_end) for e in r.evidence]
        assert keys == sorted(keys)
