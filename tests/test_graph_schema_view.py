"""The analytic view (graph_schema/view.py) against the real store: it cuts the subgraphs the
store read returns (quotes as digests), a refresh after a write, a deletion and a merge undo
gives what a fresh load gives while reading only what changed, and quotes come back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_fixtures import actor, make_document, relation
from test_graph_schema_reader import THEMES, _filters, _random_graph

from graph_schema.ledger import begin_split, finish_split, get_merge, get_split
from graph_schema.model import (
    ActorLevel,
    AliasMerge,
    EntityNode,
    GraphBatch,
    Label,
    RelationKind,
    Subgraph,
)
from graph_schema.reader import SubgraphFilter, graph_version, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView, ViewState, quote_digest
from graph_schema.writer import delete_document, write_document
from ingest.model import DocumentKind


def _digested(sub: Subgraph) -> Subgraph:
    """What the view hands out for the store's subgraph: every quote as its digest."""
    return sub.model_copy(
        update={
            "relations": tuple(
                r.model_copy(
                    update={
                        "evidence": tuple(
                            e.model_copy(update={"quote": quote_digest(e.quote)})
                            for e in r.evidence
                        )
                    }
                )
                for r in sub.relations
            )
        }
    )


def _all_filters(doc_ids: list[str]) -> list[SubgraphFilter]:
    return _filters(doc_ids)


def _assert_same_as_fresh(store: GraphStore, state: ViewState, doc_ids: list[str]) -> None:
    fresh = AnalyticView(store).load()
    assert state.version == fresh.version == graph_version(store)
    for flt in _all_filters(doc_ids):
        assert state.subgraph(flt) == fresh.subgraph(flt) == _digested(read_subgraph(store, flt))
    assert state.relations == fresh.relations
    assert state.evidence == fresh.evidence
    assert state.nodes == fresh.nodes
    assert state.passages == fresh.passages
    assert state.citing == fresh.citing
    assert state.snapshot.whole == fresh.snapshot.whole  # the plain relations a cut reads
    assert _index_of(state) == _index_of(fresh)  # a refresh's cut index is a fresh build's


def _index_of(state: ViewState) -> dict[str, Any]:
    """The cut index's contents (graph_schema/cut_index.py), each node's list as a sorted
    one (a refresh appends what it re-read at the end)."""
    index = state.snapshot.cut_index
    lists = {
        name: {n: sorted(entries, key=repr) for n, entries in getattr(index, name).items()}
        for name in ("into", "out_of", "kept")
    }
    return {
        **lists,
        "documents": index.documents,
        "seed_label": index.seed_label,
        "actors": index.actors,
        "policies": index.policies,
        "persons": index.persons,
    }


def test_graph_schema_view_cuts_the_subgraphs_the_store_read_returns(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    view = AnalyticView(store)
    state = view.load()
    assert view.last.full and view.last.evidence > 0
    assert state.version == graph_version(store)
    for flt in _all_filters(doc_ids):
        assert state.subgraph(flt) == _digested(read_subgraph(store, flt)), flt
    themed = state.subgraph(SubgraphFilter(theme=THEMES[0]))
    assert themed.relations and all(r.evidence for r in themed.relations)  # not vacuous


def _extra_document(source_path: str = "extra.md") -> GraphBatch:
    doc = make_document(
        "The council funds the new youth trust.\n\nThe trust works on youth violence.",
        source_path=source_path,
    )
    council = actor("actor:1", "Actor 1", "national")  # already in the graph
    trust = actor("actor:new", "Youth Trust", "non_state", "ngo")
    theme = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
    return GraphBatch(
        document=doc,
        entities=(council, trust, theme),
        relations=(
            relation(doc, RelationKind.funding, "actor:1", "actor:new"),
            relation(
                doc,
                RelationKind.works_on,
                "actor:new",
                "youth_violence",
                passage=1,
                target_label=Label.Theme,
            ),
        ),
        merges=(
            AliasMerge(
                label=Label.Actor,
                entity_id="actor:new",
                alias="The Trust",
                alias_key="trust",
                rule="short_form",
                score=0.9,
            ),
        ),
    )


def test_graph_schema_view_refresh_reads_only_what_changed(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    view = AnalyticView(store)
    loaded = view.load()

    # One more document: only it is read (its two evidence rows, its three entities' nodes).
    extra = _extra_document()
    write_document(store, extra)
    state = view.refresh()
    assert not view.last.full
    # The plain relations it did not touch are the loaded state's own (not rebuilt).
    touched = {r.key for r in extra.relations}
    untouched = set(loaded.snapshot.whole) - touched
    assert untouched and all(state.snapshot.whole[k] is loaded.snapshot.whole[k] for k in untouched)
    assert all(state.snapshot.whole[k] is not loaded.snapshot.whole.get(k) for k in touched)
    assert view.last.documents == 1 and view.last.evidence == 2
    assert view.last.nodes == 2  # actor:1 and actor:new (themes are not view nodes)
    assert view.last.relations == 2
    assert "actor:new" in {
        a.id for a in state.subgraph(SubgraphFilter(theme="youth_violence")).actors
    }
    _assert_same_as_fresh(store, state, [*doc_ids, extra.document.id])

    # Deleting one: nothing of the store's evidence needs reading, its facts leave.
    assert delete_document(store, doc_ids[1])
    state = view.refresh()
    assert not view.last.full
    assert view.last.documents == 0 and view.last.evidence == 0
    assert doc_ids[1] not in {d.id for d in state.subgraph().documents}
    _assert_same_as_fresh(store, state, [doc_ids[0], doc_ids[2], extra.document.id])

    # A merge undo renames the entity without writing a document.
    merge = get_merge(store, extra.merges[0].id)
    assert merge is not None
    begin_split(store, merge)
    split = get_split(store, merge["id"])
    assert split is not None
    finish_split(store, split, name="Youth Trust of Valdora", aliases=[])
    state = view.refresh()
    assert not view.last.full and view.last.documents == 1  # the undo's document, re-read
    names = {a.id: a.name for a in state.subgraph().actors}
    assert names["actor:new"] == "Youth Trust of Valdora"
    _assert_same_as_fresh(store, state, [doc_ids[0], doc_ids[2], extra.document.id])

    # Nothing changed: nothing read.
    assert view.refresh() is state and view.current() is state


def test_graph_schema_view_refresh_follows_a_replaced_version(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    view = AnalyticView(store)
    view.load()
    write_document(store, _extra_document())
    view.refresh()
    # Same source, new content: the old version's facts go, the new one's arrive.
    doc = make_document(
        "The council funds the new youth trust.\n\nRevised.\n\nThe trust works on youth violence.",
        source_path="extra.md",
    )
    newer = _extra_document().model_copy(
        update={
            "document": doc,
            "relations": (
                relation(doc, RelationKind.funding, "actor:1", "actor:new"),
                relation(
                    doc,
                    RelationKind.works_on,
                    "actor:new",
                    "youth_violence",
                    passage=2,
                    target_label=Label.Theme,
                ),
            ),
        }
    )
    write_document(store, newer)
    state = view.refresh()
    assert not view.last.full and view.last.documents == 1
    _assert_same_as_fresh(store, state, [*doc_ids, doc.id])


def test_graph_schema_view_quotes_fetches_the_findings_quotes(store: GraphStore) -> None:
    _random_graph(store)
    view = AnalyticView(store)
    state = view.load()
    stored = read_subgraph(store, SubgraphFilter(theme="policing"))
    cut = state.subgraph(SubgraphFilter(theme="policing"))
    pairs = [
        (want, got)
        for r_want, r_got in zip(stored.relations, cut.relations, strict=True)
        for want, got in zip(r_want.evidence, r_got.evidence, strict=True)
    ]
    assert pairs
    keys = [state.evidence_key(got) for _, got in pairs]
    assert None not in keys
    quotes = view.quotes(k for k in keys if k is not None)
    for (want, _), key in zip(pairs, keys, strict=True):
        assert key is not None
        quote, passage_text = quotes[key]
        assert quote == want.quote
        assert want.quote in passage_text  # the fixtures quote whole passages
    assert view.quotes([]) == {}


def test_graph_schema_view_serves_the_answers_the_store_read_gives(
    settings: Any, store: GraphStore, tmp_path: Path
) -> None:
    """/gaps (quotes filled for the page), /gaps/{id} and /network/metrics from the view are
    what the analysis gives on the store's own read; a write by another process (straight
    to the store here) is picked up through the graph version."""
    from fastapi.testclient import TestClient

    from analysis import find_gaps, network_metrics
    from service.app import create_app
    from service.routes.gaps import gap_question

    doc_ids = _random_graph(store)
    questions: list[dict[str, Any]] = [
        {"min_score": 0},
        {"theme": "policing", "min_score": 0},
        {"theme": "youth_violence", "level_pair": ["local", "national"], "min_score": 0},
        {"document_kind": ["kii"], "min_confidence": 0.5, "min_score": 0},
        {"document_id": [doc_ids[0]], "limit": 3, "offset": 2, "min_score": 0},
    ]

    def expected(params: dict[str, Any]) -> dict[str, Any]:
        ask = {k: v for k, v in params.items() if k not in {"limit", "offset"}}
        flt, filters = gap_question(
            theme=ask.get("theme"),
            level_pair=[ActorLevel(x) for x in ask["level_pair"]] if "level_pair" in ask else None,
            document_kind=[DocumentKind(x) for x in ask.get("document_kind", [])] or None,
            document_id=ask.get("document_id"),
            min_confidence=ask.get("min_confidence", 0.0),
            min_score=ask["min_score"],
        )
        found = find_gaps(read_subgraph(store, flt), filters=filters)
        limit, offset = params.get("limit", 50), params.get("offset", 0)
        return {
            # nobody reviewed these findings: no status, nothing changed under one
            "items": [
                {**f.model_dump(mode="json"), "review": None, "evidence_changed": False}
                for f in found[offset : offset + limit]
            ],
            "total": len(found),
            "limit": limit,
            "offset": offset,
        }

    cfg = settings.model_copy(update={"data_dir": tmp_path, "auth_disabled": True})
    with TestClient(create_app(cfg, store=store)) as api:
        answers = [api.get("/gaps", params=params).json() for params in questions]
        for params, got in zip(questions, answers, strict=True):
            assert got == expected(params), params
        assert answers[0]["total"] and answers[1]["total"]  # not vacuous
        # /gaps/{id} asks the whole graph with min_score 0, as the first question.
        some = answers[0]["items"][0]
        assert some["evidence"] and all(e["quote"] for e in some["evidence"])
        one = api.get(f"/gaps/{some['id']}").json()
        assert one["evidence"] == some["evidence"]
        metrics = api.get("/network/metrics", params={"theme": "policing"}).json()
        flt = SubgraphFilter(theme="policing")
        assert metrics == network_metrics(read_subgraph(store, flt)).model_dump(mode="json")

        write_document(store, _extra_document())  # not through the API: by the version
        params = {"theme": "youth_violence", "min_score": 0}
        assert api.get("/gaps", params=params).json() == expected(params)
        view = api.app.state.view  # type: ignore[attr-defined]
        assert not view.last.full and view.last.documents == 1


def test_graph_schema_view_follows_a_deletion_through_the_api_at_once(
    settings: Any, store: GraphStore, tmp_path: Path
) -> None:
    # deps.graph_changed: the route that deleted applies it to the view before answering.
    from fastapi.testclient import TestClient

    from service.app import create_app

    doc_ids = _random_graph(store)
    cfg = settings.model_copy(update={"data_dir": tmp_path, "auth_disabled": True})
    with TestClient(create_app(cfg, store=store)) as api:
        view = api.app.state.view  # type: ignore[attr-defined]
        before = view.state()
        assert api.delete(f"/documents/{doc_ids[0]}").status_code in {200, 204}
        after = view.state()
        assert after is not before and after.version == graph_version(store)
        assert not view.last.full and doc_ids[0] not in after.documents


def test_graph_schema_view_refresh_applies_review_decisions(store: GraphStore) -> None:
    # A decision changes its target only: the view re-reads that actor or relation.
    from graph_schema.decisions import Action, TargetKind, record_decision, undo_decision

    doc_ids = _random_graph(store)
    view = AnalyticView(store)
    state = view.load()
    rel_key = next(k for k, r in state.relations.items() if r["kind"] == "partnership")
    made = [
        record_decision(store, TargetKind.actor, "actor:3", Action.reject, author="curator"),
        record_decision(store, TargetKind.relation, rel_key, Action.reject, author="curator"),
        record_decision(
            store, TargetKind.actor, "actor:5", Action.edit, author="curator", value={"name": "X"}
        ),
    ]
    state = view.refresh()
    assert not view.last.full and view.last.evidence == 0
    assert view.last.nodes == 2 and view.last.relations == 1
    whole = state.subgraph()
    assert "actor:3" not in {a.id for a in whole.actors}
    assert rel_key not in {r.key for r in whole.relations}
    assert {a.id: a.name for a in whole.actors}["actor:5"] == "X"
    _assert_same_as_fresh(store, state, doc_ids)

    undo_decision(store, made[0]["id"])
    state = view.refresh()
    assert not view.last.full and view.last.nodes == 1
    assert "actor:3" in {a.id for a in state.subgraph().actors}
    _assert_same_as_fresh(store, state, doc_ids)


def test_graph_schema_view_cuts_and_reads_without_collections(
    store: GraphStore, monkeypatch: Any
) -> None:
    """The view's tuples are what every cyclic collection walks: a cut or a read that lets
    the collector run spent most of its time there (60% of a 5k-actor theme's cut). With a
    threshold that collects on nearly every allocation, a cut and a load trigger a small
    fraction of the collections the same work triggers unpaused (the driver's plumbing
    around the read transaction, and entering the pause, still allocate)."""
    import contextlib
    import gc

    import graph_schema.view as view_module
    import graph_schema.view_state as view_state_module

    _random_graph(store)
    flt = SubgraphFilter(theme=THEMES[0])
    collections: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    def collections_of(work: Any) -> tuple[int, Any]:
        threshold = gc.get_threshold()
        gc.callbacks.append(count)
        gc.set_threshold(1)
        try:
            before = len(collections)
            result = work()
            return len(collections) - before, result
        finally:
            gc.set_threshold(*threshold)
            gc.callbacks.remove(count)

    paused_load, state = collections_of(AnalyticView(store).load)
    paused_cut, subgraph = collections_of(lambda: state.subgraph(flt))
    monkeypatch.setattr(view_module, "collector_paused", contextlib.nullcontext)  # the read
    monkeypatch.setattr(view_state_module, "collector_paused", contextlib.nullcontext)  # a cut
    free_load, free_state = collections_of(AnalyticView(store).load)
    free_cut, _ = collections_of(lambda: free_state.subgraph(flt))
    assert subgraph.relations  # not vacuous
    assert paused_cut * 20 < free_cut, (paused_cut, free_cut)
    assert paused_load * 5 < free_load, (paused_load, free_load)


def test_graph_schema_view_keeps_its_state_out_of_collections(store: GraphStore) -> None:
    """A published state is frozen out of the collector's walks (a full collection walked
    the whole view), and a replaced one is still freed, by reference counting alone: the
    state holds no reference cycle, or every refresh would leak the previous view."""
    import gc
    import weakref

    _random_graph(store)
    view = AnalyticView(store)
    first = view.load()
    tracked = {id(o) for o in gc.get_objects()}
    assert first.relations and id(first.relations) not in tracked
    assert not any(id(row) in tracked for row in first.relations.values())
    gone = weakref.ref(first)
    was_enabled = gc.isenabled()
    gc.disable()  # only reference counting may free it
    try:
        del first
        second = view.load()
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()
    assert second.subgraph(SubgraphFilter(theme=THEMES[0])).relations


def test_graph_schema_view_refresh_collects_once(store: GraphStore) -> None:
    """A refresh's new state is walked by one collection, the young generations' before it
    is frozen (freeze_long_lived), not also by an automatic one when the read's pause ends."""
    import gc

    _random_graph(store)
    view = AnalyticView(store)
    view.load()
    write_document(store, _extra_document())
    started: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    was_enabled = gc.isenabled()
    gc.enable()
    gc.callbacks.append(count)
    try:
        view.refresh()
        [[i] for i in range(100)]  # allocations right after: no collection owed
    finally:
        gc.callbacks.remove(count)
        if not was_enabled:
            gc.disable()
    assert not view.last.full and view.last.relations > 0  # an incremental refresh
    assert started == [1], started
