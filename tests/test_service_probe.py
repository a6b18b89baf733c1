"""The outside tester's abuse probe (issue 16), kept as tests so its passing results stay passing.

Driven by the OpenAPI document itself, so a route added tomorrow is probed without anyone
remembering to: every operation that declares security refuses a request without a key
(401) and a write operation refuses a read key (403); Cypher-looking text in every string
parameter of every read operation never reaches the store as Cypher (no 5xx, and the graph
is byte-for-byte what it was).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key

PLAN = b"""# Riverton Safer Streets Strategy

The Riverton City Council works in partnership with the Riverton Youth Trust on youth
violence prevention. The Ministry of Justice funds the Riverton Youth Trust.
"""

# Strings an attacker would try where a parameter reaches a query: quote breaks, comment
# markers, clauses that write, a parameter sigil, an APOC call, unicode quote look-alikes.
HOSTILE = (
    "x' OR 1=1 //",
    'x") DETACH DELETE n //',
    "'}) MATCH (n) DETACH DELETE n //",
    "`) CREATE (:ApiKey {prefix:'x'}) //",
    "$secret",
    "x\\' RETURN 1 UNION MATCH (k:ApiKey) RETURN k.hash //",
    "CALL apoc.cypher.runWrite('MATCH (n) DELETE n', {})",
    "ʼ) MATCH (n) SET n.pwned = true //",
)


def _operations(api: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = api.get("/openapi.json").json()
    return [
        (method.upper(), path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _concrete(path: str, values: dict[str, str] | None = None) -> str:
    """The path with each ``{param}`` filled, URL-encoded (default: an id nothing has)."""
    return re.sub(
        r"\{(\w+)\}", lambda m: quote((values or {}).get(m.group(1), "probe"), safe=""), path
    )


def _graph_fingerprint(store: GraphStore) -> str:
    """A hash of every node's labels and properties and every relationship's type and ends."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY elementId(n)")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, "
        "elementId(a) AS a, elementId(b) AS b ORDER BY elementId(r)"
    )
    blob = json.dumps([nodes, rels], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def test_service_probe_every_secured_operation_refuses_a_missing_key(api: TestClient) -> None:
    secured = [(m, p) for m, p, op in _operations(api) if op.get("security")]
    assert len(secured) >= 15, "the spec should declare security on the data routes"
    answered = {(m, p): api.request(m, _concrete(p)).status_code for m, p in secured}
    assert {k: v for k, v in answered.items() if v != 401} == {}
    public = {p for m, p, op in _operations(api) if not op.get("security")}
    assert public <= {"/healthz", "/readyz"}, f"operations without auth: {public}"


def test_service_probe_every_write_operation_refuses_a_read_key(
    api: TestClient, store: GraphStore
) -> None:
    read, _ = create_api_key(store, "probe-reader", {Scope.read})
    writes = [(m, p) for m, p, op in _operations(api) if op.get("security") and m != "GET"]
    assert writes, "the spec has write operations"
    answered = {
        (m, p): api.request(m, _concrete(p), headers={"X-API-Key": read}).status_code
        for m, p in writes
    }
    assert {k: v for k, v in answered.items() if v != 403} == {}


def test_service_probe_cypher_looking_values_never_change_the_graph(
    api: TestClient, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The probe needs some graph to protect, not the fitted decision's view of a 3-line file.
    monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")
    write, _ = create_api_key(store, "probe-writer", {Scope.read, Scope.write})
    headers = {"X-API-Key": write}
    job = api.post("/documents", headers=headers, files={"files": ("plan.md", PLAN)}).json()
    for _ in range(600):
        if api.get(f"/jobs/{job['id']}", headers=headers).json()["status"] in {"done", "failed"}:
            break
        time.sleep(0.2)
    done = api.get(f"/jobs/{job['id']}", headers=headers).json()
    before = _graph_fingerprint(store)
    assert store.read("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] > 0, done

    requests = 0
    server_errors: list[tuple[str, int]] = []
    for method, path, op in _operations(api):
        if method != "GET" or not op.get("security"):
            continue
        params = [p for p in op.get("parameters", []) if p["in"] in {"query", "path"}]
        for value in HOSTILE:
            for param in params:
                in_path = param["in"] == "path"
                url = _concrete(path, {param["name"]: value} if in_path else None)
                query = {} if in_path else {param["name"]: value}
                r = api.get(url, params=query, headers=headers)
                requests += 1
                if r.status_code >= 500:
                    server_errors.append((f"{url} {query}", r.status_code))
    assert requests > 100
    assert server_errors == []
    assert _graph_fingerprint(store) == before
