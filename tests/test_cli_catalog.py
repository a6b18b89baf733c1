"""``govgraph actors list`` and ``govgraph relations list`` (issue 12): what was extracted,
seen from the CLI with the API's own reads, filters checked against the closed vocabularies.

Each test compares the CLI's answer with the read the API serves on the same store
(``list_actors`` for GET /actors, ``read_subgraph`` for the relations), so it holds whatever
the extraction finds; the preconditions make sure the graph has something to filter.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from document_fixtures import text_document
from typer.testing import CliRunner

from graph_schema.catalog import list_actors
from graph_schema.reader import SubgraphFilter, read_subgraph
from graph_schema.store import GraphStore
from service.cli import app
from service.pipeline import ingest_documents

PLAN = text_document(
    "plan.txt",
    "Brenmoor City Council coordinates with the National Police Service on youth violence "
    "prevention.",
    "The Brenmoor Youth Network works on youth violence and gang prevention.",
    "The Ministry of Health funds the Riverside Youth Trust for drug treatment.",
)
MEMO = text_document(
    "memo.txt",
    "The Brenmoor Youth Network does not coordinate with the National Police Service.",
    "Saint Anne's Parish runs a night shelter for young people.",
)


@pytest.fixture
def graph(cli_env: GraphStore, monkeypatch: pytest.MonkeyPatch) -> GraphStore:
    """The store with both documents, the CLI pointed at it (cli_env, tests/conftest.py)."""
    # The listing is under test, not the fitted actor decision: keep every candidate.
    monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")
    outcomes = ingest_documents(cli_env, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    assert [o.status for o in outcomes] == ["written", "written"]
    return cli_env


def _cli(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, [*args, "--json"], terminal_width=300)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def test_cli_actors_list_is_the_api_listing_and_a_readable_table(graph: GraphStore) -> None:
    everything, total = list_actors(graph, limit=500)
    assert total >= 4
    assert _cli("actors", "list", "--limit", "500") == everything
    assert len(_cli("actors", "list", "--limit", "2")) == 2
    table = CliRunner().invoke(app, ["actors", "list"], terminal_width=300)
    assert table.exit_code == 0, table.output
    for actor in everything:
        assert actor["name"] in table.stdout and actor["id"] in table.stdout
    assert f"Actors ({total} of {total})" in table.stdout


def test_cli_actors_list_filters_as_the_api(graph: GraphStore) -> None:
    everything, _ = list_actors(graph, limit=500)
    types = {a["type"] for a in everything if a.get("type")}
    levels = {a["level"] for a in everything if a.get("level")}
    assert len(types) >= 2 and len(levels) >= 2  # each filter has something to leave out
    for t in types:
        expected = _ids(list_actors(graph, type=t, limit=500)[0])
        assert _ids(_cli("actors", "list", "--type", t)) == expected
        assert 0 < len(expected) < len(everything)
    for level in levels:
        expected = _ids(list_actors(graph, level=level, limit=500)[0])
        assert _ids(_cli("actors", "list", "--level", level)) == expected
    on_theme = _ids(list_actors(graph, theme="youth_violence", limit=500)[0])
    assert on_theme and _ids(_cli("actors", "list", "--theme", "Youth violence")) == on_theme
    found = _cli("actors", "list", "--q", "BRENMOOR")
    assert found and all(
        "brenmoor" in " ".join([a["name"], *a.get("aliases", [])]).lower() for a in found
    )
    assert _ids(found) == _ids(list_actors(graph, q_text="brenmoor", limit=500)[0])


def test_cli_actors_list_by_document_file_name_or_id(graph: GraphStore) -> None:
    everything, _ = list_actors(graph, limit=500)
    in_memo = [a["id"] for a in everything if MEMO.id in a.get("doc_ids", [])]
    assert 0 < len(in_memo) < len(everything)
    assert _ids(_cli("actors", "list", "--document", "memo.txt")) == in_memo
    assert _ids(_cli("actors", "list", "--document", MEMO.id)) == in_memo
    assert len(_cli("actors", "list", "--document", "memo.txt", "--limit", "1")) == 1


def test_cli_relations_list_is_the_subgraph_read_with_filters(graph: GraphStore) -> None:
    sub = read_subgraph(graph)
    assert len(sub.relations) >= 3
    rows = _cli("relations", "list", "--limit", "1000")
    assert sorted(r["key"] for r in rows) == sorted(r.key for r in sub.relations)
    by_key = {r.key: r for r in sub.relations}
    for row in rows:
        fact = by_key[row["key"]]
        assert (row["kind"], row["source"]["id"], row["target"]["id"]) == (
            fact.kind.value,
            fact.source,
            fact.target,
        )
        assert len(row["evidence"]) == len(fact.evidence) > 0
    confidences = [r["confidence"] for r in rows]
    assert confidences == sorted(confidences, reverse=True)  # most confident first

    kinds = {r.kind.value for r in sub.relations}
    assert len(kinds) >= 2
    for kind in kinds:
        only = _cli("relations", "list", "--kind", kind, "--limit", "1000")
        assert {r["kind"] for r in only} == {kind}
        assert len(only) == sum(1 for r in sub.relations if r.kind.value == kind)

    memo_keys = {
        r.key
        for r in read_subgraph(graph, SubgraphFilter(document_ids=frozenset({MEMO.id}))).relations
    }
    assert 0 < len(memo_keys) < len(sub.relations)
    from_memo = _cli("relations", "list", "--document", "memo.txt", "--limit", "1000")
    assert {r["key"] for r in from_memo} == memo_keys

    police = _cli("relations", "list", "--q", "national police", "--limit", "1000")
    assert police and all(
        "national police" in (r["source"]["name"] + " " + r["target"]["name"]).lower()
        for r in police
    )
    assert len(_cli("relations", "list", "--limit", "1")) == 1

    table = CliRunner().invoke(app, ["relations", "list"], terminal_width=300)
    assert table.exit_code == 0, table.output
    assert rows[0]["source"]["name"] in table.stdout and rows[0]["kind"] in table.stdout


@pytest.mark.parametrize(
    ("command", "option", "valid"),
    [
        ("actors", "--type", "community_group"),
        ("actors", "--level", "non_state"),
        ("actors", "--theme", "youth_violence"),
        ("relations", "--kind", "negative_coordination"),
        ("relations", "--type", "faith_group"),
        ("relations", "--level", "international"),
        ("relations", "--theme", "policing"),
    ],
)
def test_cli_catalog_unknown_vocabulary_exits_2_with_the_valid_values(
    command: str, option: str, valid: str
) -> None:
    result = CliRunner().invoke(app, [command, "list", option, "nonsense"], terminal_width=400)
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.replace("│", " ").split())
    assert "'nonsense'" in flat and valid in flat


def test_cli_catalog_unknown_document_exits_2_naming_the_known_files(graph: GraphStore) -> None:
    for command in ("actors", "relations"):
        result = CliRunner().invoke(
            app, [command, "list", "--document", "minutes.txt"], terminal_width=400
        )
        assert result.exit_code == 2, result.output
        flat = " ".join(result.output.split())
        assert "no document 'minutes.txt'" in flat and "memo.txt" in flat and "plan.txt" in flat


def test_cli_python_m_service_cli_has_every_command() -> None:
    # The command modules register on the imported service.cli, not on ``__main__``.
    import subprocess
    import sys

    for command in ("actors", "relations", "merges", "serve"):
        done = subprocess.run(
            [sys.executable, "-m", "service.cli", command, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
