"""/actors/{id} from the analytic view (graph_schema/view_actors.py) against the store's own
query (catalog.actor_detail), on the real store: every actor of the test graphs, with the
relation cap and the evidence bound, after review decisions and corrections, after a
document replacement and a deletion, and through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_fixtures import actor, batch_for, make_document, relation
from test_graph_schema_catalog import _write_graph
from test_graph_schema_reader import _random_graph

from graph_schema.catalog import actor_detail
from graph_schema.decisions import Action, TargetKind, record_decision, undo_decision
from graph_schema.model import EntityNode, GraphBatch, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView, ViewState
from graph_schema.view_actors import STALE, actor_detail_from_view
from graph_schema.writer import delete_document, write_document


def _placed(source_path: str = "placed.md", extra: str = "") -> GraphBatch:
    """Ties to a Location and a Theme (ends the view does not hold as nodes), and a second
    document's support for actor:1."""
    doc = make_document(
        "Actor 1 is based in Valdora." + extra + "\n\nActor 1 works with Actor 2 on safety.",
        source_path=source_path,
    )
    place = EntityNode(label=Label.Location, id="loc:valdora", name="Valdora")
    theme = EntityNode(label=Label.Theme, id="policing", name="policing")
    return batch_for(
        doc,
        [actor("actor:1", "Actor 1", "national"), actor("actor:2", "Actor 2"), place, theme],
        [
            relation(
                doc, RelationKind.located_in, "actor:1", "loc:valdora", target_label=Label.Location
            ),
            relation(doc, RelationKind.partnership, "actor:1", "actor:2", passage=1),
            relation(
                doc,
                RelationKind.works_on,
                "actor:2",
                "policing",
                passage=1,
                target_label=Label.Theme,
            ),
        ],
    )


def _ids(store: GraphStore) -> list[str]:
    ids = [str(r["id"]) for r in store.read("MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id")]
    return sorted({*ids, "actor:nobody"})


def _assert_equal(store: GraphStore, state: ViewState, **bounds: Any) -> int:
    """Every id in the graph (actors, persons, themes, documents, ...) answers as the store
    does; the number of actors with relations, so that a test can check it is not vacuous."""
    answered = 0
    for ident in _ids(store):
        want = actor_detail(store, ident, **bounds)
        got = actor_detail_from_view(store, state, ident, **bounds)
        assert got is not STALE, ident
        assert got == want, ident
        answered += bool(want and want["relations"])
    return answered


def test_view_actors_equal_the_store_answer(store: GraphStore) -> None:
    _random_graph(store)
    write_document(store, _placed())
    state = AnalyticView(store).load()
    assert _assert_equal(store, state) > 20
    ends = set()
    for ident in ("actor:1", "actor:2"):
        detail = actor_detail_from_view(store, state, ident)
        assert isinstance(detail, dict)
        ends |= {(r["other_label"], r["other_name"]) for r in detail["relations"]}
    assert ends >= {("Location", "Valdora"), ("Theme", "policing")}  # not vacuous
    # The relation cap follows the store's order (kind, then the other end's name).
    assert _assert_equal(store, state, max_relations=2, max_evidence=1) > 20


def test_view_actors_bound_the_evidence_as_the_store_does(store: GraphStore) -> None:
    _write_graph(store)  # ten passages of one relation, of distinct confidences
    state = AnalyticView(store).load()
    for bound in (1, 3, 100):
        _assert_equal(store, state, max_evidence=bound)
    detail = actor_detail_from_view(store, state, "a:council", max_evidence=3)
    assert isinstance(detail, dict)
    funding = next(r for r in detail["relations"] if r["kind"] == "funding")
    assert funding["evidence_count"] == 10 and len(funding["evidence"]) == 3
    assert all(e["quote"] for e in funding["evidence"])


def test_view_actors_follow_review_decisions_and_replacements(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    write_document(store, _placed())
    view = AnalyticView(store)
    state = view.load()
    keys = {r["kind"]: k for k, r in state.relations.items() if r["source"] == "actor:1"}
    funding_like = next(
        k for k, r in state.relations.items() if r["kind"] in {"funding", "coordinates"}
    )
    made = [
        record_decision(store, TargetKind.actor, "actor:3", Action.reject, author="curator"),
        record_decision(
            store, TargetKind.actor, "actor:2", Action.edit, author="curator", value={"name": "B"}
        ),
        record_decision(
            store, TargetKind.relation, keys["partnership"], Action.accept, author="curator"
        ),
        record_decision(store, TargetKind.relation, funding_like, Action.reverse, author="c"),
        record_decision(
            store,
            TargetKind.relation,
            keys["partnership"],
            Action.change_kind,
            author="curator",
            value={"kind": "negative_coordination"},
        ),
    ]
    state = view.refresh()
    assert not view.last.full
    _assert_equal(store, state)
    one = actor_detail_from_view(store, state, "actor:1")
    assert isinstance(one, dict)
    changed = next(r for r in one["relations"] if r["key"] == keys["partnership"])
    assert (changed["kind"], changed["extracted_kind"], changed["review"]) == (
        "negative_coordination",
        "partnership",
        "accepted",
    )
    assert any(r["other_name"] == "B" for r in one["relations"])  # the edited name

    undo_decision(store, made[0]["id"])
    # A new version of a document (same source, other passages): its old evidence goes.
    write_document(store, _placed(extra=" Since 2019."))
    state = view.refresh()
    assert not view.last.full
    _assert_equal(store, state)
    assert delete_document(store, doc_ids[0])
    _assert_equal(store, view.refresh())


def test_view_actors_say_stale_when_the_store_moved_on(store: GraphStore) -> None:
    # A state older than the store (by the version its own query returns): the caller
    # catches the view up, or asks the store.
    _random_graph(store)
    batch = _placed()
    state = AnalyticView(store).load()
    assert actor_detail_from_view(store, state, "actor:1") is not STALE
    assert actor_detail_from_view(store, state, "loc:valdora") is None  # not an actor
    write_document(store, batch)
    assert actor_detail_from_view(store, state, "actor:1") is STALE
    assert actor_detail_from_view(store, state, "actor:nobody") is STALE  # it might be now
    state = AnalyticView(store).load()
    assert delete_document(store, batch.document.id)
    assert actor_detail_from_view(store, state, "actor:1") is STALE


def test_view_actors_through_the_api(settings: Any, store: GraphStore, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from service.app import create_app

    _random_graph(store)
    cfg = settings.model_copy(update={"data_dir": tmp_path, "auth_disabled": True})
    with TestClient(create_app(cfg, store=store)) as api:
        view = api.app.state.view  # type: ignore[attr-defined]
        view.state()
        for ident in ("actor:1", "actor:7", "person:0"):
            got = api.get(f"/actors/{ident}")
            want = actor_detail(store, ident)
            assert (got.status_code, got.json() if want else None) == (
                200 if want else 404,
                want,
            ), ident
        # Another process's write (straight to the store): picked up by the graph version.
        write_document(store, _placed())
        assert api.get("/actors/actor:1").json() == actor_detail(store, "actor:1")
        assert not view.last.full


def test_view_actors_ask_theme_and_place_names_once_per_version(
    store: GraphStore, monkeypatch: Any
) -> None:
    _random_graph(store)
    write_document(store, _placed())
    view = AnalyticView(store)
    state = view.load()
    asked: list[list[str]] = []
    query = store.query

    def counting(q: str, params: Any = None) -> Any:
        asked.append(list((params or {}).get("ends", [])))
        return query(q, params)

    monkeypatch.setattr(store, "query", counting)
    first = actor_detail_from_view(store, state, "actor:1")
    again = actor_detail_from_view(store, state, "actor:1")
    monkeypatch.undo()
    assert "loc:valdora" in asked[0] and asked[1] == []  # the second answer reads no names
    assert again == first == actor_detail(store, "actor:1")

    # The place goes with its only document and comes back under another name with the
    # next one: the version moves, the name is read again.
    assert delete_document(store, _placed().document.id)
    renamed = _placed(source_path="renamed.md")
    renamed = renamed.model_copy(
        update={
            "entities": tuple(
                n.model_copy(update={"name": "Valdora City"}) if n.id == "loc:valdora" else n
                for n in renamed.entities
            )
        }
    )
    write_document(store, renamed)
    want = actor_detail(store, "actor:1")
    assert want is not None
    assert "Valdora City" in {r["other_name"] for r in want["relations"]}  # not vacuous
    assert actor_detail_from_view(store, state, "actor:1") is STALE  # the old state
    assert actor_detail_from_view(store, view.refresh(), "actor:1") == want
    _assert_equal(store, view.refresh())
