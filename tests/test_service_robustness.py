"""API robustness: auth edge cases, regression tests for what schemathesis found, and the
answer cache of the gap and metrics routes (hits, single flight, invalidation on writes).

Runs against the real embedded store, like test_service_api.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import actor, batch_for, make_document, relation

from analysis import GapFilters
from govgraph.settings import Settings
from graph_schema.model import EntityNode, GraphBatch, Label, RelationKind
from graph_schema.reader import SubgraphFilter, graph_version, read_subgraph
from graph_schema.records import revoke_api_key
from graph_schema.store import GraphStore
from graph_schema.writer import delete_document, write_document
from service.app import create_app
from service.auth import Scope, create_api_key
from service.deps import AnswerCache

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


@pytest.mark.parametrize(
    "query",
    ["limit=5&limit=500", "q=a&q=b", "min_score=0.1&min_score=0.9", "theme=policing&theme=x"],
)
def test_service_robustness_single_value_query_given_twice_is_422(
    api: TestClient, keys: dict[str, str], query: str
) -> None:
    # The spec says one value; FastAPI took the last one silently (schemathesis, issue 16.9).
    path = "/actors" if query.startswith(("q=", "limit")) else "/gaps"
    r = api.get(f"{path}?{query}", headers=_h(keys["read"]))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert f"`{query.split('=')[0]}`" in r.json()["detail"]
    listed = api.get("/gaps?kind=isolated_actor&kind=negative_evidence", headers=_h(keys["read"]))
    assert listed.status_code == 200  # list parameters repeat by design


def test_service_robustness_empty_document_id_is_422(api: TestClient, keys: dict[str, str]) -> None:
    assert api.get("/gaps?document_id=", headers=_h(keys["read"])).status_code == 422
    assert api.get("/merges?entity_id=", headers=_h(keys["read"])).status_code == 422


def test_service_robustness_upload_spec_matches_multipart(
    api: TestClient, keys: dict[str, str]
) -> None:
    spec = api.get("/openapi.json").json()
    upload = spec["paths"]["/documents"]["post"]
    body = spec["components"]["schemas"]["Body_upload_documents_documents_post"]["properties"]
    # A multipart field cannot be null: the schema must not offer null for kind or replace.
    assert "anyOf" not in body["kind"] and "anyOf" not in body["replace"]
    broken = api.post(
        "/documents",
        headers={**_h(keys["write"]), "content-type": "multipart/form-data"},  # no boundary
        content=b"--x\r\nContent-Disposition: form-data; name=files\r\n\r\ndata\r\n--x--\r\n",
    )
    assert broken.status_code == 400 and broken.headers["content-type"].startswith(PROBLEM)
    assert "400" in upload["responses"]


# --- cache of verified API keys --------------------------------------------------------------


def _counting_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import service.auth as auth

    lookups: list[str] = []
    real = auth.find_api_key

    def counting(store: GraphStore, prefix: str) -> Any:
        lookups.append(prefix)
        return real(store, prefix)

    monkeypatch.setattr(auth, "find_api_key", counting)
    return lookups


def test_service_auth_verified_key_is_cached(
    api: TestClient, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = _counting_lookups(monkeypatch)
    for _ in range(5):
        assert api.get("/themes", headers=_h(keys["read"])).status_code == 200
    assert len(lookups) == 1  # one store round trip for five requests
    # Unknown keys are never cached: each costs a lookup, none fills the cache.
    for _ in range(3):
        assert api.get("/themes", headers=_h("ggk_deadbeef_" + "x" * 43)).status_code == 401
    assert len(lookups) == 4


def test_service_auth_revoked_key_refused_even_when_cached(
    api: TestClient, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, key = create_api_key(store, "temp", {Scope.read})
    lookups = _counting_lookups(monkeypatch)
    assert api.get("/themes", headers=_h(secret)).status_code == 200
    assert api.get("/themes", headers=_h(secret)).status_code == 200
    assert len(lookups) == 1  # cached
    revoke_api_key(store, key.prefix)  # in this process: the cache is dropped at once
    assert api.get("/themes", headers=_h(secret)).status_code == 401


def test_service_auth_key_revoked_elsewhere_is_refused_after_the_ttl(store: GraphStore) -> None:
    from graph_schema import queries as q
    from service.auth import KeyCache

    now = [1000.0]
    cache = KeyCache(ttl=5.0, clock=lambda: now[0])
    secret, key = create_api_key(store, "temp", {Scope.read})
    assert cache.verify(store, secret) == key
    # Another process (govgraph keys revoke) revokes it: this process is not told.
    store.write(q.REVOKE_API_KEY, {"id": key.id, "now": "2026-01-01T00:00:00Z"})
    now[0] += 4.9
    assert cache.verify(store, secret) == key  # the bounded window the TTL allows
    now[0] += 0.2
    assert cache.verify(store, secret) is None
    assert cache.verify(store, secret) is None  # and it stays refused
    # ttl=0 turns the cache off: every verification asks the store.
    other, _ = create_api_key(store, "other", {Scope.read})
    off = KeyCache(ttl=0)
    assert off.verify(store, other) is not None
    store.write(q.REVOKE_API_KEY, {"id": other.split("_")[1], "now": "2026-01-01T00:00:00Z"})
    assert off.verify(store, other) is None


# --- answer cache ------------------------------------------------------------------------------


def test_service_cache_hits_misses_and_evicts() -> None:
    cache = AnswerCache(max_entries=2)
    calls: list[str] = []

    def compute(value: str) -> Callable[[], str]:
        return lambda: calls.append(value) or value  # type: ignore[func-returns-value]

    assert cache.get_or_compute("a", compute("a")) == "a"
    assert cache.get_or_compute("a", compute("a")) == "a"
    assert calls == ["a"] and (cache.hits, cache.misses) == (1, 1)
    cache.get_or_compute("b", compute("b"))
    cache.get_or_compute("c", compute("c"))  # evicts "a", the least recently used
    cache.get_or_compute("a", compute("a"))
    assert calls == ["a", "b", "c", "a"]


def test_service_cache_failed_compute_is_not_cached() -> None:
    cache = AnswerCache()

    def boom() -> str:
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", boom)
    assert cache.get_or_compute("k", lambda: "ok") == "ok"


def test_service_cache_computes_concurrent_identical_questions_once() -> None:
    cache = AnswerCache()
    started, release = threading.Event(), threading.Event()
    calls = 0

    def slow() -> int:
        nonlocal calls
        calls += 1
        started.set()
        release.wait(5)
        return 42

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(cache.get_or_compute, "k", slow) for _ in range(4)]
        assert started.wait(5)
        time.sleep(0.1)  # let the others queue up behind the first
        release.set()
        assert [f.result(5) for f in futures] == [42] * 4
    assert calls == 1


def _doc_with(text: str, path: str, entities: list[Any], relations: list[Any]) -> GraphBatch:
    doc = make_document(text, source_path=path)
    return batch_for(doc, entities, [r(doc) for r in relations])


def test_service_cache_is_invalidated_by_writes_and_deletes(
    api: TestClient, keys: dict[str, str], store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.routes.gaps as gaps_route

    computed: list[int] = []
    real_find_gaps = gaps_route.find_gaps

    def counting_find_gaps(*args: Any, **kwargs: Any) -> Any:
        computed.append(1)
        return real_find_gaps(*args, **kwargs)

    monkeypatch.setattr(gaps_route, "find_gaps", counting_find_gaps)
    council = actor("a:council", "Riverton City Council", "local", "government")
    trust = actor("a:trust", "Riverton Youth Trust", "non_state", "ngo")
    theme = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
    params = {"theme": "youth_violence", "min_score": 0}

    def works(x: str) -> Callable[[Any], Any]:
        return lambda d: relation(
            d, RelationKind.works_on, x, "youth_violence", target_label=Label.Theme
        )

    def gaps() -> list[str]:
        r = api.get("/gaps", headers=_h(keys["read"]), params=params)
        assert r.status_code == 200, r.text
        return sorted(
            f"{f['kind']}:{','.join(a['id'] for a in f['actors'])}" for f in r.json()["items"]
        )

    def fresh() -> list[str]:
        flt = SubgraphFilter(theme="youth_violence")
        found = real_find_gaps(
            read_subgraph(store, flt),
            filters=GapFilters(themes=frozenset({"youth_violence"}), min_score=0),
        )
        return sorted(f"{f.kind.value}:{','.join(a.id for a in f.actors)}" for f in found)

    first = _doc_with(
        "The Council works on youth violence.\n\nThe Trust works on youth violence too.",
        "plan.md",
        [council, trust, theme],
        [works("a:council"), works("a:trust")],
    )
    write_document(store, first)
    before = gaps()
    assert before == fresh() and any("shared_mandate_no_link" in f for f in before), before
    assert gaps() == before and len(computed) == 1  # the second identical question: cached

    # A second document links the two: the cached answer must not survive the write.
    link = _doc_with(
        "The Council coordinates with the Trust on youth violence.",
        "minutes.md",
        [council, trust],
        [lambda d: relation(d, RelationKind.coordinates, "a:council", "a:trust")],
    )
    write_document(store, link)
    after = gaps()
    assert len(computed) == 2 and after == fresh() and after != before

    # Deleting it brings the graph, hence its version, back to the first state: the answer
    # cached for that version is right again, and it matches a fresh computation.
    assert delete_document(store, link.document.id)
    assert gaps() == before == fresh()

    # Network metrics are cached the same way and follow the same writes.
    metrics = api.get("/network/metrics", headers=_h(keys["read"])).json()
    write_document(store, link)
    metrics_after = api.get("/network/metrics", headers=_h(keys["read"])).json()
    degree = {m["actor"]["id"]: m["degree"] for m in metrics_after["actors"]}
    assert metrics != metrics_after and degree["a:council"] == 1


def test_service_graph_version_changes_with_every_document_write(store: GraphStore) -> None:
    council = actor("a:council", "Riverton City Council")
    empty = graph_version(store)
    one = _doc_with("The Council acts.", "a.md", [council], [])
    write_document(store, one)
    v1 = graph_version(store)
    assert v1 != empty and graph_version(store) == v1  # stable while nothing changes
    write_document(store, one)  # the same bytes again: a no-op, same version
    assert graph_version(store) == v1
    newer = _doc_with("The Council acts again.", "a.md", [council], [])  # a new version
    write_document(store, newer)
    v2 = graph_version(store)
    assert v2 not in {v1, empty}
    delete_document(store, newer.document.id)  # a stamp moves on: never back to an old one
    v3 = graph_version(store)
    assert v3 not in {v2, v1, empty}
    assert not delete_document(store, newer.document.id)  # nothing deleted: no new version
    assert graph_version(store) == v3


def test_service_cache_one_subgraph_read_serves_gaps_and_metrics(
    api: TestClient, keys: dict[str, str], store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph_schema.view import ViewState

    reads: list[SubgraphFilter] = []
    real = ViewState.facts

    def counting(self: ViewState, flt: SubgraphFilter | None = None) -> Any:
        reads.append(flt or SubgraphFilter())
        return real(self, flt)

    monkeypatch.setattr(ViewState, "facts", counting)
    council = actor("a:council", "Riverton City Council", "local", "government")
    theme = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
    works = lambda d: relation(  # noqa: E731
        d, RelationKind.works_on, "a:council", "youth_violence", target_label=Label.Theme
    )
    write_document(
        store, _doc_with("The Council works on youth violence.", "a.md", [council, theme], [works])
    )
    params = {"theme": "youth_violence"}
    assert api.get("/gaps", headers=_h(keys["read"]), params=params).status_code == 200
    metrics = api.get("/network/metrics", headers=_h(keys["read"]), params=params)
    assert metrics.status_code == 200 and metrics.headers["content-type"] == "application/json"
    assert [m["actor"]["id"] for m in metrics.json()["actors"]] == ["a:council"]
    assert reads == [SubgraphFilter(theme="youth_violence")]  # one read for both answers
    # A new graph version reads again.
    write_document(store, _doc_with("The Council acts.", "b.md", [council, theme], [works]))
    assert api.get("/network/metrics", headers=_h(keys["read"]), params=params).status_code == 200
    assert len(reads) == 2
