"""docker-compose.yml and Dockerfile wiring (no Docker engine here: we check the files)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_deploy_compose_runs_neo4j5_with_healthcheck_and_volumes() -> None:
    compose = _compose()
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "community" in neo4j["image"]
    assert "cypher-shell" in neo4j["healthcheck"]["test"]
    assert "RETURN 1" in neo4j["healthcheck"]["test"]
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")
    named = set(compose["volumes"])
    mounted = {v.split(":")[0] for v in neo4j["volumes"]}
    assert mounted <= named and "neo4j-data" in mounted


def test_deploy_compose_api_waits_for_healthy_neo4j_and_points_at_it() -> None:
    compose = _compose()
    api = compose["services"]["govgraph"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == "${NEO4J_PASSWORD}"
    assert api["command"][:2] == ["govgraph", "serve"]


def test_deploy_dockerfile_installs_every_package_it_ships() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("govgraph", "graph_schema", "ingest", "nlp", "analysis", "service"):
        assert f"COPY {package} ./{package}" in dockerfile, package
        assert (ROOT / package / "__init__.py").exists()
    assert "pip install" in dockerfile and "EXPOSE 8000" in dockerfile
