"""GET /reports/coordination-gaps: auth, media types, Content-Disposition, bad formats."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as open_docx
from fastapi.testclient import TestClient
from reporting_fixtures import THEME_ID, seed_graph

from govgraph.settings import Settings
from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key


@pytest.fixture
def read_key(store: GraphStore) -> dict[str, str]:
    seed_graph(store)
    secret, _ = create_api_key(store, "analyst", {Scope.read})
    return {"X-API-Key": secret}


def test_service_reports_requires_read_key(api: TestClient) -> None:
    r = api.get("/reports/coordination-gaps")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_service_reports_html_and_markdown(api: TestClient, read_key: dict[str, str]) -> None:
    r = api.get("/reports/coordination-gaps", params={"theme": THEME_ID}, headers=read_key)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == (
        'attachment; filename="coordination-gaps-youth_violence.html"'
    )
    assert "Theme: Youth violence" in r.text and "Ministry of Justice" in r.text
    r = api.get("/reports/coordination-gaps", params={"format": "md"}, headers=read_key)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert r.headers["content-disposition"].endswith('coordination-gaps.md"')
    assert "## Theme: Youth violence" in r.text


def test_service_reports_docx(api: TestClient, read_key: dict[str, str]) -> None:
    r = api.get(
        "/reports/coordination-gaps",
        params={"format": "docx", "theme": "Youth violence"},
        headers=read_key,
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    doc = open_docx(io.BytesIO(r.content))
    assert "Theme: Youth violence" in [p.text for p in doc.paragraphs]


def test_service_reports_bad_format_is_problem(api: TestClient, read_key: dict[str, str]) -> None:
    r = api.get("/reports/coordination-gaps", params={"format": "pdf"}, headers=read_key)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["loc"] == ["query", "format"]
    r = api.get("/reports/coordination-gaps", params={"level": "galactic"}, headers=read_key)
    assert r.status_code == 422


def test_service_reports_in_spanish_and_unknown_language(
    api: TestClient, read_key: dict[str, str]
) -> None:
    r = api.get("/reports/coordination-gaps", params={"lang": "es"}, headers=read_key)
    assert r.status_code == 200
    assert '<html lang="es">' in r.text and "Tema: Violencia juvenil" in r.text
    assert "Scope and data sources" not in r.text
    r = api.get("/reports/coordination-gaps", params={"lang": "fr"}, headers=read_key)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    error = r.json()["errors"][0]
    assert error["loc"] == ["query", "lang"] and "'en'" in error["msg"] and "'es'" in error["msg"]


def _seed_spanish(store: GraphStore) -> None:
    """Two Spanish documents next to the seed graph's two English ones plus one more."""
    from graph_fixtures import batch_for, make_document

    from graph_schema.writer import write_document

    for i in range(3):
        doc = make_document(f"Plan municipal número {i}.", source_path=f"plan_es_{i}.md")
        write_document(store, batch_for(doc.model_copy(update={"language": "es"}), []))


def test_service_reports_default_language_is_the_corpus_dominant_one(
    api: TestClient, read_key: dict[str, str], store: GraphStore
) -> None:
    r = api.get("/reports/coordination-gaps", headers=read_key)
    assert '<html lang="en">' in r.text  # the seed graph's documents are English
    _seed_spanish(store)
    r = api.get("/reports/coordination-gaps", params={"format": "md"}, headers=read_key)
    assert "## Alcance y fuentes de datos" in r.text
    r = api.get("/reports/coordination-gaps", params={"lang": "en"}, headers=read_key)
    assert '<html lang="en">' in r.text


def test_service_cli_report_lang(
    settings: Settings, store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    seed_graph(store)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(settings.data_dir))
    if settings.neo4j_uri:  # the CLI reads the same store as the fixture
        monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
        monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
        monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
        monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)
    out = tmp_path / "informe.md"
    result = CliRunner().invoke(
        app, ["report", "--out", str(out), "--format", "md", "--lang", "es"]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## Tema: Violencia juvenil" in text and "## Metodología" in text
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--lang", "fr"])
    assert result.exit_code == 2
    flat = " ".join(result.output.replace("│", " ").split())
    assert "unknown language 'fr'" in flat and "en, es" in flat
