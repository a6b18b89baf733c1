"""The review through the HTTP API (issue 15): the review state every actor listing and
actor page shows, and GET /review/queue, on the real store.

Facts are written directly (not extracted): the tests are about the review, not about what
the extraction makes of a paragraph.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import (
    STRATEGY_BATCH,
    STRATEGY_DOC,
    YOUTH_VIOLENCE,
    actor,
    batch_for,
    make_document,
    relation,
)

from graph_schema.decisions import Action, TargetKind, record_decision
from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.auth import Scope, create_api_key

# The strategy the decision tests share (tests/graph_fixtures.py).
DOC, THEME, BATCH = STRATEGY_DOC, YOUTH_VIOLENCE, STRATEGY_BATCH
PARTNERSHIP = "partnership:a:trust->a:network"


@pytest.fixture
def ingested(store: GraphStore) -> GraphStore:
    write_document(store, BATCH)
    return store


@pytest.fixture
def client(api: TestClient, store: GraphStore) -> TestClient:
    """The API with a read key sent on every request."""
    key, _ = create_api_key(store, "analyst", {Scope.read})
    api.headers["X-API-Key"] = key
    return api


def test_service_review_state_in_actor_lists_and_actor_relations(
    client: TestClient, ingested: GraphStore
) -> None:
    api = client

    def listed() -> dict[str, str | None]:
        page = api.get("/actors", params={"limit": 500}).json()
        return {a["id"]: a["review"] for a in page["items"]}

    def relations_of(actor_id: str) -> dict[str, str | None]:
        r = api.get(f"/actors/{quote(actor_id, safe='')}")
        assert r.status_code == 200, r.text
        return {rel["key"]: rel["review"] for rel in r.json()["relations"]}

    assert set(listed().values()) == {None}  # nobody has looked yet: present, and null
    assert relations_of("a:trust")[PARTNERSHIP] is None
    record_decision(ingested, TargetKind.actor, "a:council", Action.accept, author="t")
    record_decision(ingested, TargetKind.relation, PARTNERSHIP, Action.reject, author="t")
    assert listed()["a:council"] == "accepted" and listed()["a:ministry"] is None
    assert api.get("/actors/a:council").json()["review"] == "accepted"
    # The actor page still shows a rejected relation, marked: that is where it is undone.
    assert relations_of("a:trust")[PARTNERSHIP] == "rejected"
    assert relations_of("a:network")[PARTNERSHIP] == "rejected"
    assert relations_of("a:trust")[f"works_on:a:trust->{THEME.id}"] is None


def test_service_review_openapi_tag_groups_the_decision_routes(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    assert "review" in {t["name"] for t in spec["tags"]}
    for path in (
        "/decisions",
        "/actors/{actor_id}/decisions",
        "/gaps/{gap_id}/decisions",
        "/review/queue",
    ):
        operations = spec["paths"][path].values()
        assert all(op["tags"] == ["review"] for op in operations), path


# --- GET /review/queue ------------------------------------------------------------------------
# A second document: an unsure "actor" (weak cues, low confidence), a source saying the two
# partners do not coordinate (a contradiction), and an unsure funding tie.
MEMO = make_document(
    "The Riverton Youth Trust does not coordinate with the Eastfield Women's Network.\n\n"
    "Night Football Saturdays funds the Riverton City Council, some say.",
    source_path="memo.md",
)
UNSURE = EntityNode(
    label=Label.Actor,
    id="a:football",
    name="Night Football Saturdays",
    aliases=("Night Football Saturdays",),
    properties={
        "type": "government",
        "level": "local",
        "confidence": 0.35,
        "type_confidence": 0.3,
        "type_cue": "default: unclassified organisation",
        "level_confidence": 0.9,
        "level_cue": "local word",
    },
)
MEMO_BATCH = batch_for(
    MEMO,
    [
        actor("a:trust", "Riverton Youth Trust", "non_state", "ngo"),
        actor("a:network", "Eastfield Women's Network", "non_state", "ngo"),
        actor("a:council", "Riverton City Council"),
        UNSURE,
    ],
    [
        relation(MEMO, RelationKind.negative_coordination, "a:trust", "a:network"),
        relation(MEMO, RelationKind.funding, "a:football", "a:council", passage=1).model_copy(
            update={"confidence": 0.4}
        ),
    ],
    mentioned_in={UNSURE.id: 1},  # the unsure actor is named in the second passage
)
NEGATIVE = "negative_coordination:a:trust->a:network"
FUNDING = "funding:a:football->a:council"


@pytest.fixture
def queued(ingested: GraphStore) -> GraphStore:
    write_document(ingested, MEMO_BATCH)
    return ingested


def _queue(api: TestClient, **params: object) -> dict:  # type: ignore[type-arg]
    r = api.get("/review/queue", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _by_id(page: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {i["target_id"]: i for i in page["items"]}


def _signals(item: dict) -> dict[str, float]:  # type: ignore[type-arg]
    return {r["signal"]: r["weight"] for r in item["reasons"]}


def test_service_review_queue_ranks_with_explained_scores(
    client: TestClient, queued: GraphStore
) -> None:
    page = _queue(client)
    items = page["items"]
    assert page["total"] == len(items) > 0
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    for item in items:  # the reasons are the whole score, and every item has one
        assert item["reasons"] and all(r["detail"] for r in item["reasons"])
        assert item["score"] == pytest.approx(min(1.0, sum(_signals(item).values())), abs=2e-3)
    by_id = _by_id(page)
    unsure, sure = by_id["a:football"], by_id.get("a:ministry")
    assert {"low_confidence", "weak_type_cue"} <= set(_signals(unsure))
    assert "weak_level_cue" not in _signals(unsure)  # its level cue is strong
    weak = next(r for r in unsure["reasons"] if r["signal"] == "weak_type_cue")
    assert "default: unclassified organisation" in weak["detail"]
    assert sure is None or sure["score"] < unsure["score"]
    # Saying they partner and saying they do not: both ties flagged as contradicting.
    for key in (PARTNERSHIP, NEGATIVE):
        assert _signals(by_id[key])["conflicting_evidence"] == 0.3, by_id[key]
    assert "conflicting_evidence" not in _signals(by_id[FUNDING])
    assert _signals(by_id[FUNDING])["low_confidence"] == pytest.approx(0.4 * 0.6, abs=1e-3)


def test_service_review_queue_high_impact_is_the_top_findings_actors(
    client: TestClient, queued: GraphStore
) -> None:
    gaps = client.get("/gaps", params={"limit": 500}).json()["items"]
    top = sorted(gaps, key=lambda f: -f["score"])[: _queue(client)["top_findings"]]
    in_top = {a["id"] for f in top for a in f["actors"]}
    assert in_top, "the fixture graph has gap findings"
    for item in _queue(client, kind="actor")["items"]:
        flagged = "high_impact" in _signals(item)
        assert flagged == (item["target_id"] in in_top), item
    for item in _queue(client, kind="relation")["items"]:
        flagged = "high_impact" in _signals(item)
        assert flagged == bool({item["source"], item["target"]} & in_top), item


def test_service_review_queue_shows_the_passages_and_drops_what_is_decided(
    client: TestClient, queued: GraphStore
) -> None:
    by_id = _by_id(_queue(client))
    (mention, *_) = by_id["a:football"]["evidence"]
    assert mention["quote"] == MEMO.passages[1].text  # a short passage: all of it
    assert mention["passage_id"] == MEMO.passages[1].id
    assert mention["document_title"] == "memo.md" and mention["page"] == 1
    (evidence,) = by_id[FUNDING]["evidence"]
    assert evidence["quote"] == MEMO.passages[1].text
    assert evidence["passage_id"] == MEMO.passages[1].id

    before = _queue(client)["total"]
    record_decision(queued, TargetKind.actor, "a:football", Action.accept, author="t")
    record_decision(queued, TargetKind.relation, PARTNERSHIP, Action.reject, author="t")
    after = _by_id(_queue(client))
    assert "a:football" not in after and PARTNERSHIP not in after
    # The rejected partnership no longer contradicts the negative tie.
    assert "conflicting_evidence" not in _signals(after[NEGATIVE])
    assert _queue(client)["total"] <= before - 2


def test_service_review_queue_pages_and_filters(client: TestClient, queued: GraphStore) -> None:
    whole = _queue(client)["items"]
    pages = [_queue(client, limit=3, offset=o)["items"] for o in range(0, len(whole), 3)]
    assert [i["target_id"] for p in pages for i in p] == [i["target_id"] for i in whole]
    actors = _queue(client, kind="actor")["items"]
    assert actors and {i["target_kind"] for i in actors} == {"actor"}
    floor = whole[len(whole) // 2]["score"]
    assert all(i["score"] >= floor for i in _queue(client, min_score=floor)["items"])


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"kind": "gap"}, {"min_score": 2}],
)
def test_service_review_queue_bad_params_are_problems(
    client: TestClient, params: dict[str, object]
) -> None:
    r = client.get("/review/queue", params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_service_review_queue_repeated_param_is_refused(client: TestClient) -> None:
    r = client.get("/review/queue?limit=5&limit=50")
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/problem+json")
