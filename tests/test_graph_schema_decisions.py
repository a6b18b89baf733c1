"""Review decisions on the stored graph: recorded, applied, honoured by the reader, undone,
and applied again when their document is written again."""

from __future__ import annotations

import pytest
from graph_fixtures import actor, batch_for, make_document, relation

from govgraph.errors import Conflict, NotFound
from graph_schema import decisions as cypher
from graph_schema.decisions import (
    ACTOR_LABELS,
    Action,
    InvalidDecision,
    TargetKind,
    check_decision,
    list_decisions,
    record_decision,
    undo_decision,
)
from graph_schema.model import REL_TYPE_OF, GraphBatch, Label, RelationKind, relation_key
from graph_schema.reader import graph_version, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import delete_document, write_document

TEXT = "The City Council funds Youth Aid.\n\nYouth Aid works with the Night Watch."
FUNDING = relation_key(RelationKind.funding, "a:council", "a:youth")


def _batch(text: str = TEXT) -> GraphBatch:
    doc = make_document(text)
    return batch_for(
        doc,
        [
            actor("a:council", "City Council"),
            actor("a:youth", "Youth Aid", "non_state", "ngo"),
            actor("a:watch", "Night Watch", "non_state", "community_group"),
        ],
        [
            relation(doc, RelationKind.funding, "a:council", "a:youth"),
            relation(doc, RelationKind.partnership, "a:youth", "a:watch", passage=1),
        ],
    )


def _actor(store: GraphStore, actor_id: str) -> dict:  # type: ignore[type-arg]
    rows = store.read("MATCH (a:Actor {id: $id}) RETURN a {.*} AS a", {"id": actor_id})
    return dict(rows[0]["a"])


@pytest.mark.parametrize(
    ("kind", "action", "value"),
    [
        (TargetKind.relation, Action.edit, {"type": "ngo"}),
        (TargetKind.gap, Action.reject, None),
        (TargetKind.actor, Action.validated, None),
        (TargetKind.actor, Action.reject, {"type": "ngo"}),
        (TargetKind.actor, Action.edit, None),
        (TargetKind.actor, Action.edit, {"colour": "red"}),
        (TargetKind.actor, Action.edit, {"type": "church"}),
        (TargetKind.actor, Action.edit, {"level": "galactic"}),
        (TargetKind.actor, Action.edit, {"name": "  "}),
    ],
)
def test_decisions_refuse_what_the_target_does_not_take(
    kind: TargetKind,
    action: Action,
    value: dict | None,  # type: ignore[type-arg]
) -> None:
    with pytest.raises(InvalidDecision):
        check_decision(kind, action, value)


def test_decisions_rejected_actor_leaves_the_subgraph_until_undone(store: GraphStore) -> None:
    write_document(store, _batch())
    before = graph_version(store)

    made = record_decision(
        store, TargetKind.actor, "a:youth", Action.reject, author="curator", reason="a project"
    )

    assert made["author"] == "curator" and made["undone_at"] is None
    sub = read_subgraph(store)
    assert {a.id for a in sub.actors} == {"a:council", "a:watch"}
    assert sub.relations == ()  # both relations touch the rejected actor
    rejected = graph_version(store)
    assert rejected != before

    undone = undo_decision(store, made["id"])

    assert undone["undone_at"] is not None
    assert {a.id for a in read_subgraph(store).actors} == {"a:council", "a:youth", "a:watch"}
    assert "review" not in _actor(store, "a:youth")
    assert graph_version(store) not in {before, rejected}
    with pytest.raises(Conflict):
        undo_decision(store, made["id"])
    with pytest.raises(NotFound):
        undo_decision(store, "decision-nope")
    with pytest.raises(NotFound):
        record_decision(store, TargetKind.actor, "a:nobody", Action.reject, author="curator")


def test_decisions_on_a_relation_survive_rewriting_and_reingesting(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    made = record_decision(store, TargetKind.relation, FUNDING, Action.reject, author="curator")
    accepted = record_decision(store, TargetKind.actor, "a:watch", Action.accept, author="curator")
    assert FUNDING not in {r.key for r in read_subgraph(store).relations}

    write_document(store, batch, rewrite=True)  # its extraction changed, not its bytes
    assert FUNDING not in {r.key for r in read_subgraph(store).relations}
    delete_document(store, batch.document.id)
    assert read_subgraph(store).relations == ()
    write_document(store, batch)  # the same document, ingested again
    assert FUNDING not in {r.key for r in read_subgraph(store).relations}
    assert _actor(store, "a:watch")["review"] == "accepted"
    # A new version of the source (same path, new text) keeps the decisions too.
    write_document(store, _batch(TEXT + "\n\nThe Night Watch patrols."))
    assert FUNDING not in {r.key for r in read_subgraph(store).relations}

    undo_decision(store, made["id"])
    undo_decision(store, accepted["id"])
    assert FUNDING in {r.key for r in read_subgraph(store).relations}
    # An undone decision is not applied again.
    write_document(store, batch)
    assert FUNDING in {r.key for r in read_subgraph(store).relations}
    assert "review" not in _actor(store, "a:watch")
    with pytest.raises(NotFound):
        record_decision(store, TargetKind.relation, "funding:x->y", Action.reject, author="c")


def test_decisions_edits_apply_survive_and_undo_to_the_extracted_value(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    first = record_decision(
        store, TargetKind.actor, "a:council", Action.edit, author="a", value={"type": "ngo"}
    )
    second = record_decision(
        store,
        TargetKind.actor,
        "a:council",
        Action.edit,
        author="b",
        value={"type": "academia", "level": "national", "name": " Council of Valdora "},
    )
    assert first["previous"] == {"type": "government"}
    council = _actor(store, "a:council")
    assert (council["type"], council["level"], council["name"]) == (
        "academia",
        "national",
        "Council of Valdora",
    )

    write_document(store, batch, rewrite=True)  # the extraction says government / local again
    view = next(a for a in read_subgraph(store).actors if a.id == "a:council")
    assert (view.type, view.level, view.name) == ("academia", "national", "Council of Valdora")

    undo_decision(store, second["id"])  # the first edit is in force again
    council = _actor(store, "a:council")
    assert (council["type"], council["level"], council["name"]) == ("ngo", "local", "City Council")
    undo_decision(store, first["id"])  # none left: what the extraction said
    assert _actor(store, "a:council")["type"] == "government"


def test_decisions_list_filters_and_pages(store: GraphStore) -> None:
    write_document(store, _batch())
    a = record_decision(store, TargetKind.actor, "a:youth", Action.accept, author="ann")
    record_decision(store, TargetKind.actor, "a:watch", Action.reject, author="bob")
    record_decision(store, TargetKind.relation, FUNDING, Action.accept, author="ann")
    undo_decision(store, a["id"])

    items, total = list_decisions(store)
    assert total == 2 and [d["author"] for d in items] == ["ann", "bob"]  # newest first
    assert list_decisions(store, include_undone=True)[1] == 3
    assert list_decisions(store, author="bob")[0][0]["target_id"] == "a:watch"
    assert list_decisions(store, target_kind=TargetKind.relation)[0][0]["target_id"] == FUNDING
    audit, n = list_decisions(store, target_id="a:youth", include_undone=True)
    assert n == 1 and audit[0]["id"] == a["id"]
    page, total = list_decisions(store, include_undone=True, skip=1, limit=1)
    assert len(page) == 1 and total == 3


_PARAMS = {
    "id": "decision-x",
    "ids": ["a:x"],
    "key": "funding:a:x->a:y",
    "source_id": "a:x",
    "target_id": "a:y",
    "target_kind": "actor",
    "author": None,
    "include_undone": True,
    "now": "2026-01-01T00:00:00+00:00",
    "props": {"id": "decision-x"},
    "rows": [
        {
            "id": "a:x",
            "key": "k",
            "source_id": "a:x",
            "target_id": "a:y",
            "review": None,
            "props": {"type": "ngo"},
        }
    ],
    "skip": 0,
    "limit": 5,
}


def _decision_statements() -> list[tuple[str, str]]:
    out = [
        (n, getattr(cypher, n))
        for n in dir(cypher)
        if n.isupper() and not n.startswith("_") and isinstance(getattr(cypher, n), str)
    ]
    for label in ACTOR_LABELS:
        out += [
            (f"entity_review_fields({label})", cypher.entity_review_fields(label)),
            (f"set_entity_review({label})", cypher.set_entity_review(label)),
        ]
    for rel in REL_TYPE_OF.values():
        out += [
            (f"relation_review({rel})", cypher.relation_review(rel, Label.Actor, Label.Actor)),
            (
                f"set_relation_review({rel})",
                cypher.set_relation_review(rel, Label.Actor, Label.Actor),
            ),
        ]
    return [(n, s) for n, s in out if s.split(" ", 1)[0] in {"MATCH", "CREATE", "UNWIND"}]


@pytest.mark.parametrize(
    ("name", "statement"), _decision_statements(), ids=[n for n, _ in _decision_statements()]
)
def test_decisions_cypher_runs_on_the_store(store: GraphStore, name: str, statement: str) -> None:
    # As tests/test_graph_schema_queries_compat.py does for queries.py: in a rolled-back tx.
    params = {k: v for k, v in _PARAMS.items() if f"${k}" in statement}
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(statement, params).consume()
        finally:
            tx.rollback()
