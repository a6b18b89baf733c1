"""``govgraph actors merge`` and ``govgraph actors split`` on the test's real store: the same
decisions as POST /actors/{id}/decisions, shown by ``actors list`` / ``actors show``, undone
with ``decisions undo``, refused with a message and a non-zero exit."""

from __future__ import annotations

import json
from typing import Any

from document_fixtures import text_document
from graph_fixtures import STRATEGY_BATCH
from typer.testing import CliRunner

from graph_schema.catalog import list_actors
from graph_schema.decisions import list_decisions
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.cli import app
from service.pipeline import ingest_documents


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), terminal_width=300)


def _ok(*args: str) -> Any:
    result = _run(*args)
    assert result.exit_code == 0, (result.output, result.exc_info)
    return result


def test_cli_actor_merge_merges_shows_and_undoes(cli_env: GraphStore) -> None:
    write_document(cli_env, STRATEGY_BATCH)

    made = json.loads(
        _ok(
            "actors", "merge", "a:ministry", "--into", "a:council", "--reason", "one body", "--json"
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    assert (made["action"], made["value"], made["reason"]) == (
        "merge_into",
        {"into": "a:council"},
        "one body",
    )
    listed = {a["id"]: a for a in list_actors(cli_env, limit=50)[0]}
    assert "a:ministry" not in listed and "Ministry of Justice" in listed["a:council"]["aliases"]
    lines = [json.loads(x) for x in _ok("actors", "list", "--json").stdout.splitlines() if x]
    assert "a:ministry" not in {a["id"] for a in lines}
    assert "merged into: a:council" in _ok("actors", "show", "a:ministry").stdout
    shown = _ok("actors", "show", "a:council").stdout
    assert "merged into this one: Ministry of Justice (a:ministry)" in shown
    refused = _run("actors", "merge", "a:council", "--into", "a:ministry")
    assert refused.exit_code != 0 and "cycle" in refused.output
    missing = _run("actors", "merge", "a:trust", "--into", "a:nobody")
    assert missing.exit_code != 0 and "No actor with id a:nobody" in missing.output

    _ok("decisions", "undo", made["id"])

    assert "a:ministry" in {a["id"] for a in list_actors(cli_env, limit=50)[0]}
    assert list_decisions(cli_env)[1] == 0


def test_cli_actor_split_splits_and_undo_rejoins(cli_env: GraphStore) -> None:
    plan = text_document(
        "plan.txt", "The Harrowgate Metropolitan Police Service leads the night-time safety plan."
    )
    memo = text_document(
        "memo.txt",
        "The Harrowgate Police Service signed a memorandum of understanding with the "
        "Eastfield Youth Trust on youth violence.",
    )
    ingest_documents(cli_env, [("plan.txt", plan), ("memo.txt", memo)])
    (long,) = [
        a
        for a in list_actors(cli_env, limit=50)[0]
        if a["name"].endswith("Metropolitan Police Service")
    ]
    assert "Harrowgate Police Service" in long["aliases"]

    out = _ok("actors", "split", long["id"], "--name", "Harrowgate Police Service").stdout
    assert "split Harrowgate Police Service off" in out

    names = {a["name"]: a["id"] for a in list_actors(cli_env, limit=50)[0]}
    assert "Harrowgate Police Service" in names
    refused = _run("actors", "split", long["id"], "--name", "Nobody At All")
    assert refused.exit_code != 0 and "has no name" in refused.output
    (split,) = list_decisions(cli_env)[0]
    _ok("decisions", "undo", split["id"])
    names = {a["name"] for a in list_actors(cli_env, limit=50)[0]}
    assert "Harrowgate Police Service" not in names
