"""Every operation that takes a JSON body documents what a body that is not JSON gets: a
400 problem. The full schemathesis run found POST /candidates/{id}/decisions answering an
undocumented 400 (issue 15); this pins the rule for every such operation, present and future.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from govgraph.settings import Settings
from graph_schema.store import GraphStore
from service.app import create_app
from service.auth import Scope, create_api_key

SPEC: dict[str, Any] = create_app(Settings(_env_file=None)).openapi()  # type: ignore[call-arg]
JSON_BODIES = [
    (method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if "application/json" in (op.get("requestBody") or {}).get("content", {})
]


def test_service_openapi_bodies_are_found() -> None:
    assert ("POST", "/candidates/{candidate_id}/decisions") in JSON_BODIES
    assert len(JSON_BODIES) >= 4


@pytest.mark.parametrize(("method", "path"), JSON_BODIES, ids=[f"{m} {p}" for m, p in JSON_BODIES])
def test_service_openapi_non_json_body_is_a_documented_400(
    settings: Settings, store: GraphStore, tmp_path: Path, method: str, path: str
) -> None:
    documented = set(SPEC["paths"][path][method.lower()]["responses"])
    assert "400" in documented, f"{method} {path} does not document 400"
    key, _ = create_api_key(store, "fuzzer", {Scope.write})
    url = re.sub(r"\{[^}]+\}", "x", path)
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        r = client.request(
            method,
            url,
            content=b"\xff\x17 not json",
            headers={"X-API-Key": key, "Content-Type": "application/json"},
        )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
