"""The Neo4j 5 test server itself, NEO4J_URI paths end to end, and Bloom against its schema."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from neo4j_server.launcher import NEO4J_VERSION, POM
from reporting_fixtures import seed_graph
from typer.testing import CliRunner

from govgraph.errors import StoreUnavailable
from graph_schema.migrations import apply_migrations
from graph_schema.model import RelType
from graph_schema.store import GraphStore, open_store

REPO = Path(__file__).resolve().parent.parent


def _env(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "NEO4J_URI": server.uri,
        "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
    }


@pytest.fixture
def neo4j_store(neo4j_server, tmp_path: Path):  # type: ignore[no-untyped-def]
    from govgraph.settings import Settings

    cfg = Settings(_env_file=None, data_dir=tmp_path, **_env(neo4j_server))  # type: ignore[arg-type]
    store = open_store(cfg)
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    apply_migrations(store)
    yield store
    store.close()


def test_neo4j_server_versions_agree_across_pom_launcher_and_compose() -> None:
    pom = re.search(r"<artifactId>neo4j-harness</artifactId>\s*<version>([^<]+)<", POM.read_text())
    compose = re.search(
        r"image:\s*neo4j:([\w.]+)-community", (REPO / "docker-compose.yml").read_text()
    )
    assert pom and compose
    assert pom.group(1) == NEO4J_VERSION == compose.group(1)
    assert NEO4J_VERSION.startswith("5.26.")  # the 5.x LTS line


def test_neo4j_server_is_community_5_with_a_non_default_database(neo4j_store: GraphStore) -> None:
    (row,) = neo4j_store.read("CALL dbms.components() YIELD versions, edition RETURN *")
    assert row["edition"] == "community" and row["versions"] == [NEO4J_VERSION]
    assert neo4j_store.database == "govgraph" and not neo4j_store.embedded
    assert neo4j_store.read("RETURN 1 AS ok") == [{"ok": 1}]


def test_neo4j_server_refuses_a_wrong_password(neo4j_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from govgraph.settings import Settings

    env = _env(neo4j_server) | {"NEO4J_PASSWORD": "not-the-password"}
    cfg = Settings(_env_file=None, data_dir=tmp_path, **env)  # type: ignore[arg-type]
    with pytest.raises(StoreUnavailable, match="credentials"):
        open_store(cfg)


def test_neo4j_server_constraints_are_listed(neo4j_store: GraphStore) -> None:
    rows = neo4j_store.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows if "UNIQUE" in r["type"]}
    assert ("Actor", "id") in unique and ("Document", "id") in unique


def test_neo4j_cli_status_and_ingest_through_neo4j_uri(
    neo4j_store: GraphStore, neo4j_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from service.cli import app

    for key, value in _env(neo4j_server).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(tmp_path))
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "The City Council and the Ministry of Justice will run the youth violence programme.\n"
    )
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(doc)])
    assert ingested.exit_code == 0, ingested.output
    assert neo4j_store.read("MATCH (d:Document) RETURN count(d) AS n") == [{"n": 1}]
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "1" in status.output
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-password")
    refused = runner.invoke(app, ["status"])
    assert refused.exit_code != 0 and "credentials" in refused.output


def test_neo4j_cli_serve_reports_the_neo4j_store(
    neo4j_store: GraphStore, neo4j_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = (
        os.environ
        | _env(neo4j_server)
        | {"GOVGRAPH_DATA_DIR": str(tmp_path), "GOVGRAPH_WARM_ANSWERS": "false"}
    )
    cmd = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                    ready = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "govgraph serve did not become ready"
                time.sleep(0.5)
        assert ready["store"] == "neo4j"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()


def test_neo4j_bloom_perspective_names_exist_in_the_server_schema(neo4j_store: GraphStore) -> None:
    from reporting.bloom import perspective_json

    seed_graph(neo4j_store)
    labels = {r["label"] for r in neo4j_store.read("CALL db.labels() YIELD label RETURN label")}
    types = {
        r["relationshipType"]
        for r in neo4j_store.read("CALL db.relationshipTypes() YIELD relationshipType RETURN *")
    }
    keys = {
        r["propertyKey"]
        for r in neo4j_store.read("CALL db.propertyKeys() YIELD propertyKey RETURN *")
    }
    p = json.loads(perspective_json(0))
    for cat in p["categories"]:
        assert set(cat["labels"]) <= labels, cat["name"]
        assert {x["name"] for x in cat["properties"]} - keys == set(), cat["name"]
        assert set(cat["captionKeys"]) - keys == set(), cat["name"]
    # Neo4j lists a relationship type only once one exists, and the seed graph has no
    # relation of every kind: every type the writer produced must be in the perspective, and
    # every type the perspective names must be one graph_schema can write.
    shown = {r["name"] for r in p["relationshipTypes"]}
    assert types - shown == set(), "relationship types written but not in the perspective"
    assert shown - {t.value for t in RelType} == set(), "perspective names unknown types"
