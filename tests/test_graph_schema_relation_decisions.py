"""Corrections of a relation by review (change_kind, reverse) on the stored graph: read as
corrected by the subgraph reader, the analytic view and the actor detail, kept across
re-ingestion, undone, and refused where they do not fit."""

from __future__ import annotations

import pytest
from graph_fixtures import actor, batch_for, make_document, relation

from graph_schema.catalog import actor_detail
from graph_schema.decisions import (
    Action,
    InvalidDecision,
    TargetKind,
    check_decision,
    record_decision,
    undo_decision,
)
from graph_schema.model import (
    EntityNode,
    GraphBatch,
    Label,
    RelationKind,
    Subgraph,
    relation_key,
)
from graph_schema.reader import read_snapshot, read_subgraph
from graph_schema.relation_decisions import correction_state
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView
from graph_schema.writer import delete_document, write_document

TEXT = "The City Council funds Youth Aid.\n\nYouth Aid works with the Night Watch on safety."
FUNDING = relation_key(RelationKind.funding, "a:council", "a:youth")
PARTNERS = relation_key(RelationKind.partnership, "a:youth", "a:watch")
THEME = EntityNode(label=Label.Theme, id="safety", name="safety")
WORKS_ON = relation_key(RelationKind.works_on, "a:watch", "safety")


def _batch(text: str = TEXT) -> GraphBatch:
    doc = make_document(text)
    return batch_for(
        doc,
        [
            actor("a:council", "City Council"),
            actor("a:youth", "Youth Aid", "non_state", "ngo"),
            actor("a:watch", "Night Watch", "non_state", "community_group"),
            THEME,
        ],
        [
            relation(doc, RelationKind.funding, "a:council", "a:youth"),
            relation(doc, RelationKind.partnership, "a:youth", "a:watch", passage=1),
            relation(
                doc, RelationKind.works_on, "a:watch", "safety", passage=1, target_label=Label.Theme
            ),
        ],
    )


def _read(store: GraphStore, key: str) -> tuple[str, str, str]:
    """(kind, source, target) of one relation as the subgraph reader gives it, after
    checking that the whole-graph snapshot and the analytic view give the same."""

    def ends(sub: Subgraph) -> dict[str, tuple[str, str, str]]:
        return {r.key: (r.kind.value, r.source, r.target) for r in sub.relations}

    read = ends(read_subgraph(store))
    assert ends(read_snapshot(store).subgraph()) == read
    # The view's quotes are digests: its relations are compared, not its evidence.
    assert ends(AnalyticView(store).load().subgraph()) == read
    return read[key]


def _decide(store: GraphStore, key: str, action: Action, value: dict | None = None) -> dict:  # type: ignore[type-arg]
    return record_decision(
        store, TargetKind.relation, key, action, author="curator", value=value, reason="the quote"
    )


def test_relation_decisions_change_kind_is_read_kept_and_undone(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)
    view = AnalyticView(store)
    view.load()

    made = _decide(store, PARTNERS, Action.change_kind, {"kind": "negative_coordination"})

    # A view loaded before reads the correction on its incremental refresh.
    refreshed = {r.key: r.kind.value for r in view.current().subgraph().relations}
    assert refreshed[PARTNERS] == "negative_coordination" and not view.last.full

    assert made["value"] == {"kind": "negative_coordination"}
    assert made["previous"] == {"kind": "partnership"}
    assert _read(store, PARTNERS) == ("negative_coordination", "a:youth", "a:watch")
    detail = actor_detail(store, "a:watch")
    assert detail is not None
    row = next(r for r in detail["relations"] if r["key"] == PARTNERS)
    assert (row["kind"], row["extracted_kind"], row["reversed"]) == (
        "negative_coordination",
        "partnership",
        False,
    )

    write_document(store, batch, rewrite=True)  # the extraction says partnership again
    assert _read(store, PARTNERS)[0] == "negative_coordination"
    delete_document(store, batch.document.id)
    write_document(store, batch)
    assert _read(store, PARTNERS)[0] == "negative_coordination"

    second = _decide(store, PARTNERS, Action.change_kind, {"kind": "coordinates"})
    assert second["previous"] == {"kind": "negative_coordination"}
    assert _read(store, PARTNERS)[0] == "coordinates"
    undo_decision(store, second["id"])  # the earlier change is in force again
    assert _read(store, PARTNERS)[0] == "negative_coordination"
    undo_decision(store, made["id"])  # none left: what the extraction said
    assert _read(store, PARTNERS)[0] == "partnership"
    write_document(store, batch, rewrite=True)
    assert _read(store, PARTNERS)[0] == "partnership"


def test_relation_decisions_reverse_swaps_the_ends_and_two_cancel(store: GraphStore) -> None:
    batch = _batch()
    write_document(store, batch)

    first = _decide(store, FUNDING, Action.reverse)

    assert _read(store, FUNDING) == ("funding", "a:youth", "a:council")
    detail = actor_detail(store, "a:council")
    assert detail is not None
    row = next(r for r in detail["relations"] if r["key"] == FUNDING)
    assert (row["source"], row["target"], row["direction"], row["reversed"]) == (
        "a:youth",
        "a:council",
        "in",
        True,
    )
    write_document(store, _batch(TEXT + "\n\nA new version of the plan."))  # replaced
    assert _read(store, FUNDING) == ("funding", "a:youth", "a:council")

    second = _decide(store, FUNDING, Action.reverse)
    assert _read(store, FUNDING) == ("funding", "a:council", "a:youth")
    undo_decision(store, first["id"])  # one reversal stands
    assert _read(store, FUNDING) == ("funding", "a:youth", "a:council")
    undo_decision(store, second["id"])
    assert _read(store, FUNDING) == ("funding", "a:council", "a:youth")
    # A changed kind and a reversal together, both read.
    _decide(store, FUNDING, Action.change_kind, {"kind": "member_of"})
    _decide(store, FUNDING, Action.reverse)
    assert _read(store, FUNDING) == ("member_of", "a:youth", "a:council")


def test_relation_decisions_refuse_what_does_not_fit(store: GraphStore) -> None:
    write_document(store, _batch())
    refused = [
        (PARTNERS, Action.reverse, None),  # a partnership has no direction
        (FUNDING, Action.change_kind, {"kind": "funding"}),  # already funding
        (WORKS_ON, Action.change_kind, {"kind": "partnership"}),  # a theme link
        (WORKS_ON, Action.reverse, None),
    ]
    for key, action, value in refused:
        with pytest.raises(InvalidDecision):
            _decide(store, key, action, value)
    assert _read(store, FUNDING) == ("funding", "a:council", "a:youth")
    for value in (None, {"kind": "works_on"}, {"kind": "funding", "why": "x"}, {"type": "ngo"}):
        with pytest.raises(InvalidDecision):
            check_decision(TargetKind.relation, Action.change_kind, value)
    with pytest.raises(InvalidDecision):
        check_decision(TargetKind.relation, Action.reverse, {"kind": "funding"})
    with pytest.raises(InvalidDecision):
        check_decision(TargetKind.actor, Action.reverse, None)


def test_relation_decisions_state_is_the_latest_kind_and_the_parity_of_reversals() -> None:
    def d(action: str, value: str = "{}") -> dict[str, str]:
        return {"action": action, "value": value}

    assert correction_state([]) == (None, False)
    assert correction_state([d("reverse"), d("accept"), d("reverse"), d("reverse")]) == (
        None,
        True,
    )
    changes = [d("change_kind", '{"kind": "mou"}'), d("change_kind", '{"kind": "funding"}')]
    assert correction_state(changes) == ("funding", False)
