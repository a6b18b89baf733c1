"""Documents through the API: what a delete leaves behind, and ids that contain "/"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# MEMO names the first body of PLAN by a short form: the resolver merges it as an alias.
from test_service_merges import MEMO, PLAN

from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key
from service.pipeline import ingest_documents


@pytest.fixture(autouse=True)
def _without_fitted_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests are about what a delete leaves, not about which bodies the fitted actor
    # decision accepts from two sentences (conftest's candidate-layer modules do the same).
    monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")


@pytest.fixture
def keys(store: GraphStore) -> dict[str, str]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "curator", {Scope.write})
    return {"read": {"X-API-Key": read}, "write": {"X-API-Key": write}}  # type: ignore[dict-item]


def _found(api: TestClient, headers: dict[str, str], q: str) -> set[str]:
    page = api.get("/actors", params={"q": q, "limit": 500}, headers=headers)
    assert page.status_code == 200, page.text
    return {a["id"] for a in page.json()["items"]}


def test_service_documents_delete_drops_the_aliases_only_it_used(
    api: TestClient, keys: dict[str, dict[str, str]], store: GraphStore
) -> None:
    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    (police,) = _found(api, keys["read"], "harrowgate metropolitan police")
    assert police in _found(api, keys["read"], "harrowgate police service")  # the memo's alias

    gone = api.delete(f"/documents/{MEMO.id}", headers=keys["write"])
    assert gone.status_code == 204

    assert police not in _found(api, keys["read"], "harrowgate police service")
    assert _found(api, keys["read"], "harrowgate metropolitan police") == {police}
    detail = api.get(f"/actors/{police}", headers=keys["read"]).json()
    assert "Harrowgate Police Service" not in detail.get("aliases", [])
    assert all(MEMO.id not in r["doc_ids"] for r in detail["relations"])
    assert not _found(api, keys["read"], "eastfield youth trust")  # only the memo had it


@pytest.mark.parametrize("route", ["/documents", "/actors"])
@pytest.mark.parametrize("suffix", ["%2F", "%2Fother", "/"])
def test_service_documents_ids_with_a_slash_are_never_redirected(
    api: TestClient, keys: dict[str, dict[str, str]], store: GraphStore, route: str, suffix: str
) -> None:
    """An id that contains "/" (URL-encoded or not) is that id: answered 404 problem+json,
    never redirected to the id without it (issue 16.9)."""
    ingest_documents(store, [("plan.txt", PLAN)])
    existing = PLAN.id if route == "/documents" else _found(api, keys["read"], "harrowgate")
    ident = existing if isinstance(existing, str) else sorted(existing)[0]
    r = api.get(f"{route}/{ident}{suffix}", headers=keys["read"], follow_redirects=False)
    assert r.status_code == 404, (r.status_code, r.headers.get("location"))
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404
    if route == "/documents":
        d = api.delete(f"{route}/{ident}{suffix}", headers=keys["write"], follow_redirects=False)
        assert d.status_code == 404
        assert api.get(f"{route}/{ident}", headers=keys["read"]).status_code == 200


@pytest.mark.parametrize("path", ["/merges/merge-x%2F", "/jobs/job-x%2F", "/merges/a%2Fb"])
def test_service_documents_other_ids_with_a_slash_are_not_redirected(
    api: TestClient, keys: dict[str, dict[str, str]], path: str
) -> None:
    r = api.get(path, headers=keys["read"], follow_redirects=False)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
