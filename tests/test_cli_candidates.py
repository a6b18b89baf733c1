"""``govgraph candidates list|promote`` on the test's real store (both stores), checked
against the graph_schema reads the API serves."""

from __future__ import annotations

import json
from typing import Any

from test_graph_schema_candidates import HARBOUR, _batch
from typer.testing import CliRunner

from graph_schema.candidates import list_candidates
from graph_schema.reader import read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.cli import app


def _invoke(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args), terminal_width=300)
    assert result.exit_code == code, (result.output, result.exc_info)
    return result


def test_cli_candidates_list_promote_and_undo(cli_env: GraphStore) -> None:
    write_document(cli_env, _batch())

    rows = [
        json.loads(line) for line in _invoke("candidates", "list", "--json").stdout.splitlines()
    ]
    assert rows == list_candidates(cli_env)[0]
    assert rows[0]["entity_id"] == HARBOUR and rows[0]["score"] == 0.31
    table = _invoke("candidates", "list").stdout
    assert "Harbour Forum" in table and "0.31" in table and "0.58" in table
    assert _invoke("candidates", "list", "--min-score", "0.5").stderr.strip() == (
        "no candidates below threshold"
    )

    promoted = _invoke(
        "candidates", "promote", rows[0]["id"], "--reason", "a real forum", "--json"
    ).stdout
    decision = json.loads(promoted)
    assert decision["reason"] == "a real forum" and decision["target_id"] == HARBOUR
    assert HARBOUR in {a.id for a in read_subgraph(cli_env).actors}

    again = _invoke("candidates", "promote", rows[0]["id"], code=1)
    assert "already promoted" in again.stderr
    missing = _invoke("candidates", "promote", "candidate-nope", code=1)
    assert "No candidate with id candidate-nope" in missing.stderr

    _invoke("decisions", "undo", decision["id"])
    assert HARBOUR not in {a.id for a in read_subgraph(cli_env).actors}
