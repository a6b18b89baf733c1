"""Below-threshold actor candidates on the stored graph: written with their document, never
an actor until promoted, promoted with their mentions and ties, promoted again when their
document is written again, demoted by undo, gone with their document."""

from __future__ import annotations

import pytest
from graph_fixtures import actor, batch_for, make_document, relation

from govgraph.errors import Conflict, NotFound, WriteError
from graph_schema.candidate_decisions import promote_candidate
from graph_schema.candidates import list_candidates
from graph_schema.decisions import (
    Action,
    TargetKind,
    list_decisions,
    record_decision,
    undo_decision,
)
from graph_schema.model import CandidateFact, GraphBatch, Label, Mention, RelationKind
from graph_schema.reader import read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import delete_document, write_document

TEXT = "The City Council funds Youth Aid.\n\nThe City Council funds the Harbour Forum."
HARBOUR = "a:harbour"


def _batch(text: str = TEXT) -> GraphBatch:
    doc = make_document(text)
    base = batch_for(
        doc,
        [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state", "ngo")],
        [relation(doc, RelationKind.funding, "a:council", "a:youth")],
    )
    second = doc.passages[1]
    start = second.text.index("Harbour Forum")
    candidate = CandidateFact(
        entity_id=HARBOUR,
        name="Harbour Forum",
        aliases=("Harbour Forum",),
        score=0.31,
        threshold=0.58,
        properties={"type": "community_group", "level": "non_state", "type_confidence": 0.4},
        mentions=(
            Mention(
                passage_id=second.id,
                label=Label.Actor,
                entity_id=HARBOUR,
                text="Harbour Forum",
                char_start=start,
                char_end=start + len("Harbour Forum"),
            ),
        ),
        ties=(
            relation(doc, RelationKind.funding, "a:council", HARBOUR, passage=1),
            # Its other end is nowhere in the graph: a promotion cannot write it.
            relation(doc, RelationKind.partnership, HARBOUR, "a:ghost", passage=1),
        ),
    )
    return base.model_copy(update={"candidates": (candidate,)})


def _actor_ids(store: GraphStore) -> set[str]:
    return {a.id for a in read_subgraph(store).actors}


def _relation_keys(store: GraphStore) -> set[str]:
    return {r.key for r in read_subgraph(store).relations}


def _count(store: GraphStore, label: str) -> int:
    return int(store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"])


def _promoted_tie() -> str:
    return f"funding:a:council->{HARBOUR}"


def test_candidates_are_kept_with_their_score_and_are_not_actors(store: GraphStore) -> None:
    batch = _batch()
    result = write_document(store, batch)

    items, total = list_candidates(store)
    assert result.counts["candidates"] == 1 and total == 1
    (item,) = items
    assert item["entity_id"] == HARBOUR and item["score"] == pytest.approx(0.31)
    assert item["threshold"] == pytest.approx(0.58) and item["type"] == "community_group"
    assert item["document_id"] == batch.document.id and item["document_title"] == "plan.md"
    assert item["quotes"] and "Harbour Forum" in item["quotes"][0]
    assert item["review"] is None and item["ties"] == 2
    assert HARBOUR not in _actor_ids(store)
    assert _promoted_tie() not in _relation_keys(store)
    assert _count(store, "Actor") == 2
    assert list_candidates(store, min_score=0.5)[1] == 0
    assert list_candidates(store, document="nope")[1] == 0


def test_candidates_promote_survives_rewrite_and_undo_demotes(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    (item,), _ = list_candidates(store)

    decision = promote_candidate(store, item["id"], author="curator", reason="a real forum")

    assert decision["target_kind"] == "candidate" and decision["target_id"] == HARBOUR
    assert decision["basis"] == [item["id"]] and decision["author"] == "curator"
    assert HARBOUR in _actor_ids(store)
    sub = read_subgraph(store)
    assert _promoted_tie() in {r.key for r in sub.relations}
    assert not any("a:ghost" in r.key for r in sub.relations)
    tie = next(r for r in sub.relations if r.key == _promoted_tie())
    assert tie.evidence and tie.evidence[0].passage_id == batch.document.passages[1].id
    mentioned = store.read(
        "MATCH (:Passage)-[m:MENTIONS]->(:Actor {id: $id}) RETURN count(m) AS n", {"id": HARBOUR}
    )
    assert mentioned[0]["n"] == 1
    assert list_candidates(store)[0][0]["review"] == "promoted"
    with pytest.raises(Conflict):
        promote_candidate(store, item["id"], author="curator")

    # The same document extracted again, and a new version of it: promoted again.
    write_document(store, batch, rewrite=True)
    assert HARBOUR in _actor_ids(store) and _promoted_tie() in _relation_keys(store)
    newer = _batch(TEXT + "\n\nYouth Aid runs a club.")
    write_document(store, newer)
    assert HARBOUR in _actor_ids(store) and _promoted_tie() in _relation_keys(store)
    assert {c["document_id"] for c in list_candidates(store)[0]} == {newer.document.id}
    assert _count(store, "Evidence") == 2  # no copy of the promoted tie's evidence

    undo_decision(store, decision["id"])

    assert HARBOUR not in _actor_ids(store)
    assert _promoted_tie() not in _relation_keys(store)
    assert _count(store, "Evidence") == 1 and _count(store, "Actor") == 2
    assert list_candidates(store)[0][0]["review"] is None
    audit, _ = list_decisions(
        store, target_kind=TargetKind.candidate, target_id=HARBOUR, include_undone=True
    )
    assert [d["undone_at"] is not None for d in audit] == [True]
    # Undone stays undone when the document is written again.
    write_document(store, newer, rewrite=True)
    assert HARBOUR not in _actor_ids(store)


def test_candidates_go_with_their_document_promoted_or_not(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    (item,), _ = list_candidates(store)
    promote_candidate(store, item["id"], author="curator")

    assert delete_document(store, batch.document.id) is True

    assert _count(store, "Candidate") == 0 and _count(store, "Actor") == 0
    assert _count(store, "Evidence") == 0
    with pytest.raises(NotFound):
        promote_candidate(store, item["id"], author="curator")


def test_candidates_inconsistent_batch_is_refused(store: GraphStore) -> None:
    batch = _batch()
    (candidate,) = batch.candidates
    as_actor = candidate.model_copy(update={"entity_id": "a:council"})
    elsewhere = candidate.model_copy(
        update={"mentions": (candidate.mentions[0].model_copy(update={"passage_id": "p:x"}),)}
    )
    for wrong, message in ((as_actor, "also one of the document's actors"), (elsewhere, "p:x")):
        with pytest.raises(WriteError, match=message):
            write_document(store, batch.model_copy(update={"candidates": (wrong,)}))
    assert _count(store, "Document") == 0


def test_candidates_promoted_actor_keeps_its_own_decisions_on_rewrite(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    (item,), _ = list_candidates(store)
    promote_candidate(store, item["id"], author="curator")
    record_decision(
        store, TargetKind.actor, HARBOUR, Action.edit, author="curator", value={"level": "local"}
    )

    write_document(store, batch, rewrite=True)

    (forum,) = [a for a in read_subgraph(store).actors if a.id == HARBOUR]
    assert forum.level == "local" and forum.name == "Harbour Forum"
