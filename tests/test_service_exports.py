"""GET /exports/{format}: formats, media types, theme/level filters, auth, bad formats."""

from __future__ import annotations

import io
import zipfile

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from reporting_fixtures import THEME_ID, seed_graph

from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key


@pytest.fixture
def read_key(store: GraphStore) -> dict[str, str]:
    seed_graph(store)
    secret, _ = create_api_key(store, "analyst", {Scope.read})
    return {"X-API-Key": secret}


def test_service_exports_every_format(api: TestClient, read_key: dict[str, str]) -> None:
    expected = {
        "graphml": "application/graphml+xml",
        "gexf": "application/gexf+xml",
        "csv": "application/zip",
        "json": "application/json",
    }
    for fmt, media in expected.items():
        r = api.get(f"/exports/{fmt}", headers=read_key)
        assert r.status_code == 200, (fmt, r.text[:200])
        assert r.headers["content-type"].startswith(media)
        assert r.headers["content-disposition"].startswith('attachment; filename="govgraph.')
    g = nx.read_graphml(io.BytesIO(api.get("/exports/graphml", headers=read_key).content))
    assert g.number_of_nodes() == 4
    names = zipfile.ZipFile(
        io.BytesIO(api.get("/exports/csv", headers=read_key).content)
    ).namelist()
    assert sorted(names) == ["edges.csv", "nodes.csv"]


def test_service_exports_filters_by_theme_and_level(
    api: TestClient, read_key: dict[str, str]
) -> None:
    r = api.get(
        "/exports/json",
        params={"theme": THEME_ID, "level": ["local", "national"]},
        headers=read_key,
    )
    assert r.status_code == 200
    levels = {n.get("level") for n in r.json()["nodes"] if n["category"] == "Actor"}
    assert levels == {"local", "national"}
    # An unknown theme is refused with the valid ids (issue 12), never an empty export.
    r = api.get("/exports/json", params={"theme": "no such theme"}, headers=read_key)
    assert r.status_code == 422 and "youth_violence" in r.text


def test_service_exports_auth_and_bad_format(api: TestClient, read_key: dict[str, str]) -> None:
    assert api.get("/exports/json").status_code == 401
    r = api.get("/exports/xlsx", headers=read_key)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
