"""API robustness: auth edge cases, and regression tests for what schemathesis found.

Runs against the real embedded store, like test_service_api.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govgraph.settings import Settings
from graph_schema.records import revoke_api_key
from graph_schema.store import GraphStore
from service.app import create_app
from service.auth import Scope, create_api_key

PROBLEM = "application/problem+json"


@pytest.fixture
def api(settings: Settings, store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    cfg = settings.model_copy(update={"data_dir": tmp_path, "max_upload_bytes": 64 * 1024})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def keys(store: GraphStore) -> dict[str, str]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "uploader", {Scope.write})
    return {"read": read, "write": write}


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


# --- auth edge cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "presented",
    [
        "",
        " ",
        "ggk",
        "ggk_",
        "ggk__",
        "not-a-key",
        "ggk_deadbeef",  # no secret part
        "ggk_dead_secret",  # prefix too short
        "ggk_deadbeef0_secret",  # prefix too long
        "xxx_deadbeef_secret",  # wrong scheme prefix
        "ggk_DEADBEEF_" + "A" * 43,  # well-formed, unknown
        "ggk_') RETURN 1 //_x",  # quotes travel as parameters, never as Cypher
        "ggk_deadbeef_" + "x" * 20_000,  # very long secret: hashed, not a 500
    ],
)
def test_service_auth_malformed_keys_are_401(
    api: TestClient, keys: dict[str, str], presented: str
) -> None:
    r = api.get("/themes", headers=_h(presented))
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["www-authenticate"] == "ApiKey"


def test_service_auth_right_prefix_wrong_secret_is_401(
    api: TestClient, keys: dict[str, str]
) -> None:
    prefix = keys["read"].split("_")[1]
    assert api.get("/themes", headers=_h(f"ggk_{prefix}_wrong")).status_code == 401
    # A valid key with one character changed in its secret.
    tampered = keys["read"][:-1] + ("A" if keys["read"][-1] != "A" else "B")
    assert api.get("/themes", headers=_h(tampered)).status_code == 401


def test_service_auth_key_with_surrounding_whitespace_is_accepted(
    api: TestClient, keys: dict[str, str]
) -> None:
    # Copy-pasted keys often carry a trailing newline or space; the key itself is still valid.
    assert api.get("/themes", headers=_h(f" {keys['read']}\t")).status_code == 200


def test_service_auth_bearer_and_header(api: TestClient, keys: dict[str, str]) -> None:
    bearer = {"Authorization": f"Bearer {keys['read']}"}
    assert api.get("/themes", headers=bearer).status_code == 200
    assert (
        api.get("/themes", headers={"Authorization": f"bearer {keys['read']}"}).status_code == 200
    )
    # Only the Bearer scheme carries a key; Basic credentials are not a key.
    assert api.get("/themes", headers={"Authorization": f"Basic {keys['read']}"}).status_code == 401
    assert api.get("/themes", headers={"Authorization": "Bearer"}).status_code == 401
    assert api.get("/themes", headers={"Authorization": "Bearer "}).status_code == 401
    # Both sent: the X-API-Key header is the one checked, whatever the bearer says.
    both_bad_header = {**_h("ggk_deadbeef_nope"), **bearer}
    assert api.get("/themes", headers=both_bad_header).status_code == 401
    both_good_header = {**_h(keys["read"]), "Authorization": "Bearer ggk_deadbeef_nope"}
    assert api.get("/themes", headers=both_good_header).status_code == 200
    # A write key as bearer reaches a write route.
    r = api.delete("/documents/" + "0" * 64, headers={"Authorization": f"Bearer {keys['write']}"})
    assert r.status_code == 404


def test_service_auth_write_key_reads(api: TestClient, keys: dict[str, str]) -> None:
    for path in ("/documents", "/actors", "/policies", "/programmes", "/themes", "/gaps"):
        assert api.get(path, headers=_h(keys["write"])).status_code == 200, path
    assert api.get("/network/metrics", headers=_h(keys["write"])).status_code == 200


def test_service_auth_read_key_cannot_retry_jobs(api: TestClient, keys: dict[str, str]) -> None:
    r = api.post("/jobs/some-job/retry", headers=_h(keys["read"]))
    assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
    assert api.post("/jobs/some-job/retry", headers=_h(keys["write"])).status_code == 404


def test_service_auth_revoked_write_key_cannot_read_or_write(
    api: TestClient, store: GraphStore
) -> None:
    secret, key = create_api_key(store, "temp-writer", {Scope.write})
    assert api.get("/themes", headers=_h(secret)).status_code == 200
    revoke_api_key(store, key.id)
    assert api.get("/themes", headers=_h(secret)).status_code == 401
    assert api.delete("/documents/" + "0" * 64, headers=_h(secret)).status_code == 401


def test_service_auth_health_needs_no_key(api: TestClient) -> None:
    # Probes from an orchestrator carry no key.
    assert api.get("/healthz").status_code == 200
    assert api.get("/readyz").status_code == 200


# --- regressions found by schemathesis ---------------------------------------------------------


def test_service_robustness_405_lists_every_allowed_method(
    api: TestClient, keys: dict[str, str]
) -> None:
    # Starlette answered 405 with the methods of the first route matching the path only
    # (Allow: POST for /documents, which also has GET), and the problem handler then dropped
    # the Allow header altogether.
    r = api.request("PUT", "/documents", headers=_h(keys["read"]))
    assert r.status_code == 405 and r.headers["content-type"].startswith(PROBLEM)
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}
    r = api.request("PATCH", "/documents/abc", headers=_h(keys["read"]))
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "DELETE"}
    r = api.request("TRACE", "/healthz")
    assert r.status_code == 405 and "GET" in r.headers["allow"]


def test_service_robustness_level_pair_needs_two_levels(
    api: TestClient, keys: dict[str, str]
) -> None:
    # The schema allowed a one-level list that the route then refused: the constraint is now
    # part of the documented schema, and still a 422 problem.
    spec = api.get("/openapi.json").json()
    (param,) = [p for p in spec["paths"]["/gaps"]["get"]["parameters"] if p["name"] == "level_pair"]
    array = next(s for s in param["schema"]["anyOf"] if s.get("type") == "array")
    assert array["minItems"] == 2 and array["maxItems"] == 2
    for pair in (["local"], ["local", "national", "international"]):
        r = api.get("/gaps", headers=_h(keys["read"]), params={"level_pair": pair})
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    r = api.get("/gaps", headers=_h(keys["read"]), params={"level_pair": ["local", "national"]})
    assert r.status_code == 200


def test_service_robustness_openapi_documents_problem_responses(api: TestClient) -> None:
    # Errors are application/problem+json with 401/403/404 where they can happen; the OpenAPI
    # document said application/json HTTPValidationError and omitted the rest.
    spec = api.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    actor = spec["paths"]["/actors/{actor_id}"]["get"]["responses"]
    assert {"401", "403", "404", "422"} <= set(actor)
    for code in ("401", "404", "422"):
        assert list(actor[code]["content"]) == [PROBLEM]
    assert "401" not in spec["paths"]["/healthz"]["get"]["responses"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/actors", {"q": "\x00"}),
        ("/actors", {"theme": "\x00"}),
        ("/actors", {"q": "%", "offset": 1_000_000}),
        ("/actors/%00", {}),
        ("/actors/" + "é" * 300, {}),
        ("/gaps", {"theme": "\x00", "document_id": ["\x00", ""]}),
        ("/gaps", {"theme": "ünïcode ✓", "min_confidence": 1.0, "offset": 100_000}),
        ("/gaps/%00", {}),
        ("/network/metrics", {"theme": "\x00", "group_by": "sector"}),
        ("/policies", {"q": "'\"\\"}),
        ("/documents/%00", {}),
        ("/jobs/%00", {}),
    ],
)
def test_service_robustness_odd_inputs_never_500(
    api: TestClient, keys: dict[str, str], path: str, params: dict[str, object]
) -> None:
    r = api.get(path, headers=_h(keys["read"]), params=params)
    assert r.status_code < 500, r.text
