"""The review from the terminal (issue 15): ``govgraph actors show``, ``govgraph review``,
``govgraph decisions list|undo|export`` and the schema the decisions need (``db status``).

Every test runs the CLI on the test's real store (both stores) and checks what it did
against the graph_schema reads the API serves, never against a mock.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graph_schema.store import GraphStore
from service.cli import app


@pytest.fixture
def cli_env(settings, store: GraphStore, monkeypatch: pytest.MonkeyPatch, tmp_path) -> GraphStore:  # type: ignore[no-untyped-def]
    """The environment that points the CLI at the test's store."""
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("COLUMNS", "300")  # rich reads it on every print: tables not folded
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(settings.data_dir))
    if settings.neo4j_uri:
        monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
        monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
        monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
        monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)
    return store


def test_cli_review_db_status_shows_the_decision_migration(cli_env: GraphStore) -> None:
    result = CliRunner().invoke(app, ["db", "status"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "review decisions: unique id, lookup by target" in result.stdout
    assert "0 pending" in result.stdout
