"""Below-threshold candidates through the HTTP API, on the real store and the real
extraction: listed with their score and never an actor, promoted into /actors with the tie
they lost, promoted again when their document is re-ingested, demoted by undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import make_document

from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key
from service.pipeline import ingest_documents

TEXT = (
    "The Riverside City Council and the Youth Outreach Network signed a partnership to "
    "reduce youth violence.\n\nThe Riverside City Council funds the Harbour Community Forum "
    "to reduce youth violence."
)
# The actor decision, reduced to one feature so the test does not move with each refit of
# the shipped weights: a candidate with no level cue (the forum) falls below the threshold.
NO_LEVEL_CUE = {"features": ["level:none"], "coef": [-4.0], "intercept": 2.0, "threshold": 0.5}
FORUM = "actor:harbour-community-forum"
COUNCIL = "actor:riverside-city-council"
TIE = f"funding:{COUNCIL}->{FORUM}"


@pytest.fixture
def keys(store: GraphStore) -> dict[str, dict[str, str]]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "curator", {Scope.write})
    return {"read": {"X-API-Key": read}, "write": {"X-API-Key": write}}


@pytest.fixture(autouse=True)
def _weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "actor_decision.json"
    path.write_text(json.dumps(NO_LEVEL_CUE), encoding="utf-8")
    monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", str(path))
    monkeypatch.setenv("GOVGRAPH_RELATION_WEIGHTS", "off")


def _ingest(store: GraphStore, text: str) -> str:
    doc = make_document(text, source_path="strategy.md")
    (outcome,) = ingest_documents(store, [("strategy.md", doc)])
    assert outcome.status in {"written", "replaced"}, outcome
    return doc.id


def _actor_ids(api: TestClient, key: dict[str, str]) -> set[str]:
    r = api.get("/actors", headers=key, params={"limit": 500})
    assert r.status_code == 200, r.text
    return {a["id"] for a in r.json()["items"]}


def _in_gaps(api: TestClient, key: dict[str, str], actor_id: str) -> bool:
    r = api.get("/gaps", headers=key, params={"min_score": 0, "limit": 500})
    assert r.status_code == 200, r.text
    return any(actor_id in {a["id"] for a in f["actors"]} for f in r.json()["items"])


def _forum(api: TestClient, key: dict[str, str]) -> dict:  # type: ignore[type-arg]
    r = api.get("/candidates", headers=key)
    assert r.status_code == 200, r.text
    (item,) = [c for c in r.json()["items"] if c["entity_id"] == FORUM]
    return item  # type: ignore[no-any-return]


def _elsewhere(api: TestClient, key: dict[str, str], actor_id: str) -> set[str]:
    """The exports and metrics whose answer names the actor."""
    named = set()
    for path in ("/exports/json", "/exports/graphml", "/network/metrics"):
        r = api.get(path, headers=key)
        assert r.status_code == 200, (path, r.text)
        if actor_id in r.text:
            named.add(path)
    return named


def _tie_keys(api: TestClient, key: dict[str, str], actor_id: str) -> set[str]:
    r = api.get(f"/actors/{actor_id}", headers=key)
    assert r.status_code == 200, r.text
    return {rel["key"] for rel in r.json()["relations"]}


def test_service_candidate_listed_promoted_reingested_and_undone(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    doc_id = _ingest(store, TEXT)
    read, write = keys["read"], keys["write"]

    item = _forum(api, read)
    assert item["score"] < item["threshold"] == 0.5
    assert item["document_id"] == doc_id and item["name"] == "Harbour Community Forum"
    assert any("Harbour Community Forum" in q for q in item["quotes"])
    assert FORUM not in _actor_ids(api, read) and COUNCIL in _actor_ids(api, read)
    assert not _in_gaps(api, read, FORUM)
    assert TIE not in _tie_keys(api, read, COUNCIL)
    assert not _elsewhere(api, read, FORUM)
    assert api.get(f"/candidates/{item['id']}", headers=read).json()["id"] == item["id"]
    by_doc = api.get("/candidates", headers=read, params={"document": doc_id, "min_score": 0})
    assert FORUM in {c["entity_id"] for c in by_doc.json()["items"]}
    assert api.get("/candidates", headers=read, params={"min_score": 0.99}).json()["total"] == 0

    r = api.post(
        f"/candidates/{item['id']}/decisions",
        headers=write,
        json={"action": "promote", "reason": "the city's youth forum"},
    )
    assert r.status_code == 201, r.text
    decision = r.json()["decision"]
    assert decision["author"] == "curator" and decision["target_id"] == FORUM

    assert FORUM in _actor_ids(api, read)
    assert TIE in _tie_keys(api, read, COUNCIL)
    assert _forum(api, read)["review"] == "promoted"
    assert _elsewhere(api, read, FORUM) == {"/exports/json", "/exports/graphml", "/network/metrics"}
    audit = api.get(
        "/decisions", headers=read, params={"target_kind": "candidate", "target_id": FORUM}
    )
    assert [d["id"] for d in audit.json()["items"]] == [decision["id"]]

    # A new version of the document, extracted again: the forum is a candidate again, and
    # promoted again.
    newer = _ingest(store, TEXT + "\n\nThe Youth Outreach Network runs a club.")
    assert newer != doc_id
    assert FORUM in _actor_ids(api, read) and TIE in _tie_keys(api, read, COUNCIL)
    assert _forum(api, read)["document_id"] == newer

    r = api.delete(f"/decisions/{decision['id']}", headers=write)
    assert r.status_code == 200, r.text
    assert FORUM not in _actor_ids(api, read)
    assert TIE not in _tie_keys(api, read, COUNCIL)
    assert _forum(api, read)["review"] is None
    assert not _in_gaps(api, read, FORUM)
    assert not _elsewhere(api, read, FORUM)


def test_service_candidates_refuse_what_is_wrong(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    _ingest(store, TEXT)
    read, write = keys["read"], keys["write"]
    item = _forum(api, read)
    url = f"/candidates/{item['id']}/decisions"

    cases = [
        (api.get("/candidates", headers=read, params={"min_score": 2}), 422),
        (api.get("/candidates", headers=read, params={"limit": 0}), 422),
        (api.get("/candidates/candidate-nope", headers=read), 404),
        (
            api.post(
                "/candidates/candidate-nope/decisions", headers=write, json={"action": "promote"}
            ),
            404,
        ),
        (api.post(url, headers=write, json={"action": "reject"}), 422),
        (api.post(url, headers=read, json={"action": "promote"}), 403),
        (api.get("/candidates"), 401),
    ]
    for response, expected in cases:
        assert response.status_code == expected, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert api.post(url, headers=write, json={"action": "promote"}).status_code == 201
    again = api.post(url, headers=write, json={"action": "promote"})
    assert again.status_code == 409, again.text
    assert "/candidates" in api.get("/openapi.json").json()["paths"]
