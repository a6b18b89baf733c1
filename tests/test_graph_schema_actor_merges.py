"""A review's merge_into on the stored graph: the merged actor is read as its target in every
subgraph (store read and analytic view alike), survives re-ingestion, undoes exactly, and
refuses what would be ambiguous."""

from __future__ import annotations

import pytest
from graph_fixtures import YOUTH_VIOLENCE, actor, batch_for, make_document, relation

from govgraph.errors import NotFound
from graph_schema.decisions import (
    Action,
    InvalidDecision,
    TargetKind,
    check_decision,
    record_decision,
    undo_decision,
)
from graph_schema.model import GraphBatch, Label, RelationKind, relation_key
from graph_schema.reader import SubgraphFilter, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView
from graph_schema.writer import delete_document, write_document

PLAN = make_document(
    "The City Council funds Youth Aid.\n\nYouth Aid works with the Night Watch.",
    source_path="plan.md",
)
MEMO = make_document(
    "Riverton Council works with the Night Watch.\n\nRiverton Council works on youth violence.",
    source_path="memo.md",
)
PARTNERS = relation_key(RelationKind.partnership, "a:riverton", "a:watch")


def _plan() -> GraphBatch:
    return batch_for(
        PLAN,
        [
            actor("a:council", "City Council"),
            actor("a:youth", "Youth Aid", "non_state", "ngo"),
            actor("a:watch", "Night Watch", "non_state", "community_group"),
        ],
        [
            relation(PLAN, RelationKind.funding, "a:council", "a:youth"),
            relation(PLAN, RelationKind.partnership, "a:youth", "a:watch", passage=1),
        ],
    )


def _memo(doc=MEMO) -> GraphBatch:  # type: ignore[no-untyped-def]
    return batch_for(
        doc,
        [
            actor("a:riverton", "Riverton Council"),
            actor("a:watch", "Night Watch", "non_state", "community_group"),
            YOUTH_VIOLENCE,
        ],
        [
            relation(doc, RelationKind.partnership, "a:riverton", "a:watch"),
            relation(
                doc,
                RelationKind.works_on,
                "a:riverton",
                YOUTH_VIOLENCE.id,
                passage=1,
                target_label=Label.Theme,
            ),
        ],
    )


FILTERS = [
    SubgraphFilter(),
    SubgraphFilter(theme="youth_violence"),
    SubgraphFilter(levels=frozenset({"local"})),
    SubgraphFilter(document_ids=frozenset({MEMO.id})),
]


def _merge(store: GraphStore, source: str = "a:riverton", into: str = "a:council") -> dict:  # type: ignore[type-arg]
    return record_decision(
        store,
        TargetKind.actor,
        source,
        Action.merge_into,
        author="curator",
        value={"into": into},
        reason="the same council",
    )


def test_actor_merge_reads_the_merged_actor_as_its_target(store: GraphStore) -> None:
    write_document(store, _plan())
    write_document(store, _memo())
    view = AnalyticView(store)
    view.load()
    before = {f: read_subgraph(store, f) for f in FILTERS}
    assert "a:riverton" in {a.id for a in before[FILTERS[0]].actors}

    made = _merge(store)

    assert made["value"] == {"into": "a:council"} and made["action"] == "merge_into"
    merged = read_subgraph(store)
    assert {a.id for a in merged.actors} == {"a:council", "a:youth", "a:watch"}
    council = next(a for a in merged.actors if a.id == "a:council")
    assert "Riverton Council" in council.aliases
    assert set(council.doc_ids) == {PLAN.id, MEMO.id}
    assert council.themes == ("youth_violence",)
    partnership = next(r for r in merged.relations if r.key == PARTNERS)
    assert (partnership.source, partnership.target) == ("a:council", "a:watch")
    # The theme is the merged actor's: the cut takes the target with it, under its name.
    theme = read_subgraph(store, FILTERS[1])
    assert "a:council" in {a.id for a in theme.actors}
    assert "a:riverton" not in {a.id for a in theme.actors}
    # A document filter keeps the target when only the merged actor's document is in it.
    memo_only = read_subgraph(store, FILTERS[3])
    assert {a.id for a in memo_only.actors} == {"a:council", "a:watch"}
    # The analytic view (refreshed incrementally) cuts the same subgraphs as the store read.
    state = view.refresh()
    assert not view.last.full
    for flt in FILTERS:
        assert _without_quotes(state.subgraph(flt)) == _without_quotes(read_subgraph(store, flt))

    # Re-ingesting either document (rewritten or deleted and written again) keeps the merge.
    write_document(store, _memo(), rewrite=True)
    delete_document(store, PLAN.id)
    write_document(store, _plan())
    delete_document(store, MEMO.id)
    write_document(store, _memo())
    assert {a.id for a in read_subgraph(store).actors} == {"a:council", "a:youth", "a:watch"}
    new_memo = make_document(
        MEMO.passages[0].text + "\n\nRiverton Council works on youth violence again.",
        source_path="memo.md",
    )
    write_document(store, _memo(new_memo))  # a new version of the same source
    assert "a:riverton" not in {a.id for a in read_subgraph(store).actors}
    write_document(store, _memo(), rewrite=True)

    undo_decision(store, made["id"])

    assert {f: read_subgraph(store, f) for f in FILTERS} == before
    state = view.refresh()
    for flt in FILTERS:
        assert _without_quotes(state.subgraph(flt)) == _without_quotes(read_subgraph(store, flt))
    node = store.read("MATCH (a:Actor {id: 'a:riverton'}) RETURN a {.*} AS a")[0]["a"]
    assert "merged_into" not in node


def _without_quotes(sub):  # type: ignore[no-untyped-def]
    # The view hands out quote digests, not quotes; everything else must be equal.
    return sub.model_copy(
        update={
            "relations": tuple(
                r.model_copy(update={"evidence": tuple(e.char_start for e in r.evidence)})
                for r in sub.relations
            )
        }
    )


def test_actor_merge_refuses_what_would_be_ambiguous(store: GraphStore) -> None:
    write_document(store, _plan())
    write_document(store, _memo())

    def refused(source: str, into: str) -> str:
        with pytest.raises(InvalidDecision) as exc:
            _merge(store, source, into)
        return str(exc.value)

    assert "itself" in refused("a:council", "a:council")
    assert "No actor" in refused("a:council", "a:nobody")
    with pytest.raises(NotFound):
        _merge(store, "a:nobody", "a:council")
    rejected = record_decision(store, TargetKind.actor, "a:youth", Action.reject, author="c")
    assert "rejected" in refused("a:council", "a:youth")
    assert "rejected" in refused("a:youth", "a:council")
    undo_decision(store, rejected["id"])

    made = _merge(store, "a:riverton", "a:council")
    assert "cycle" in refused("a:council", "a:riverton")  # A -> B while B -> A
    assert "already merged" in refused("a:riverton", "a:youth")
    assert "merge into a:council instead" in refused("a:youth", "a:riverton")  # a chain
    assert "instead" in refused("a:council", "a:youth")  # its merged actor would chain
    undo_decision(store, made["id"])
    _merge(store, "a:council", "a:riverton")  # the other way round, once undone

    for value in (None, {}, {"into": ""}, {"into": "a:x", "why": 1}, {"into": 3}):
        with pytest.raises(InvalidDecision):
            check_decision(TargetKind.actor, Action.merge_into, value)  # type: ignore[arg-type]


def test_actor_merge_listings_show_the_target_with_the_merged_names(store: GraphStore) -> None:
    from graph_schema.catalog import list_actors
    from graph_schema.review_reads import unreviewed_actor_cues

    write_document(store, _plan())
    write_document(store, _memo())
    made = _merge(store)

    actors, total = list_actors(store, limit=50)
    assert total == 3 and {a["id"] for a in actors} == {"a:council", "a:youth", "a:watch"}
    council = next(a for a in actors if a["id"] == "a:council")
    assert council["merged"] == [{"id": "a:riverton", "name": "Riverton Council"}]
    assert "Riverton Council" in council["aliases"]
    assert set(council["doc_ids"]) == {PLAN.id, MEMO.id}
    assert "merged" not in next(a for a in actors if a["id"] == "a:watch")
    # A merged name finds the actor it is; the merged actor is reviewed, not in the queue.
    assert [a["id"] for a in list_actors(store, q_text="riverton")[0]] == ["a:council"]
    assert list_actors(store, q_text="riverton")[1] == 1
    assert "a:riverton" not in unreviewed_actor_cues(store)

    undo_decision(store, made["id"])
    assert [a["id"] for a in list_actors(store, q_text="riverton")[0]] == ["a:riverton"]
    assert "merged" not in next(a for a in list_actors(store)[0] if a["id"] == "a:council")
