"""The review from the terminal (issue 15): ``govgraph actors show``, ``govgraph review``,
``govgraph decisions list|undo|export`` and the schema the decisions need (``db status``).

Every test runs the CLI on the test's real store (both stores) and checks what it did
against the graph_schema reads the API serves, never against a mock.
"""

from __future__ import annotations

import getpass
import json
from typing import Any

import pytest
from test_service_review import BATCH as STRATEGY_BATCH
from test_service_review import MEMO, MEMO_BATCH, PARTNERSHIP
from typer.testing import CliRunner

from graph_schema.catalog import actor_detail
from graph_schema.decisions import Action, TargetKind, list_decisions, record_decision
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView
from graph_schema.writer import write_document
from service.cli import app
from service.deps import AnswerCache
from service.review_queue import queue_page
from service.routes.gaps import gap_findings, gap_question

# cli_env (tests/conftest.py): the test's store, and the CLI pointed at it.


def test_cli_review_db_status_shows_the_decision_migration(cli_env: GraphStore) -> None:
    result = CliRunner().invoke(app, ["db", "status"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "review decisions: unique id, lookup by target" in result.stdout
    assert "0 pending" in result.stdout


@pytest.fixture
def graph(cli_env: GraphStore) -> GraphStore:
    """The review tests' two documents (test_service_review), written directly."""
    write_document(cli_env, STRATEGY_BATCH)
    write_document(cli_env, MEMO_BATCH)
    return cli_env


def _invoke(*args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), input=input, terminal_width=300)
    assert result.exit_code == 0, (result.output, result.exc_info)
    return result


def _queue(store: GraphStore) -> list[Any]:
    """The queue GET /review/queue answers, read the way the route reads it."""
    state = AnalyticView(store).load()
    flt, filters = gap_question()
    findings = gap_findings(state, AnswerCache(), AnswerCache(), flt, filters)
    return queue_page(store, state, findings, limit=200)[0]


def test_cli_review_actors_show_is_the_api_actor_page(graph: GraphStore) -> None:
    detail = actor_detail(graph, "a:trust")
    assert detail is not None
    assert json.loads(_invoke("actors", "show", "a:trust", "--json").stdout) == detail
    text = _invoke("actors", "show", "a:football").stdout
    assert "Night Football Saturdays" in text and "default: unclassified organisation" in text
    assert "review: unreviewed" in text and "funding" in text
    missing = CliRunner().invoke(app, ["actors", "show", "a:nobody"])
    assert missing.exit_code == 1 and "No actor with id a:nobody" in missing.output


def test_cli_review_walks_the_queue_with_keys(graph: GraphStore) -> None:
    queue = _queue(graph)
    assert len(queue) >= 5
    first, second, third = queue[:3]
    result = _invoke("review", input="a\nr\ns\nq\n")
    # Each item: its reasons and its quote with the document and page.
    for item in (first, second, third):
        assert item.summary in result.stdout
        assert item.reasons[0].detail in result.stdout
        for e in item.evidence:
            assert (
                e.quote in result.stdout and f"{e.document_title}, page {e.page}" in result.stdout
            )
    # q at the fourth item: the walk ends there.
    assert f"4/{len(queue)}" in result.stdout and f"5/{len(queue)}" not in result.stdout
    assert "accepted 1, rejected 1, skipped 1" in result.output
    decisions, total = list_decisions(graph)
    assert total == 2
    by_target = {d["target_id"]: d for d in decisions}
    assert by_target[first.target_id]["action"] == "accept"
    assert by_target[second.target_id]["action"] == "reject"
    assert third.target_id not in by_target
    assert {d["author"] for d in decisions} == {getpass.getuser()}
    # The decisions cite the passages shown, and the queue no longer holds the two.
    assert by_target[first.target_id]["evidence_ids"] == [e.passage_id for e in first.evidence]
    left = {i.target_id for i in _queue(graph)}
    assert first.target_id not in left and second.target_id not in left
    assert third.target_id in left


def test_cli_review_json_lines_and_kind(graph: GraphStore) -> None:
    actors = [i for i in _queue(graph) if i.target_kind.value == "actor"]
    result = _invoke("review", "--kind", "actor", "--json", "--limit", "2", input="s\nr\n")
    # CliRunner echoes the typed keys into stdout (a terminal echoes them itself).
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(x["item"]["target_id"], x["key"]) for x in lines] == [
        (actors[0].target_id, "s"),
        (actors[1].target_id, "r"),
    ]
    assert lines[0]["decision"] is None and lines[1]["decision"]["action"] == "reject"
    bad = CliRunner().invoke(app, ["review", "--kind", "gap"])
    assert bad.exit_code == 2


def test_cli_review_decisions_list_and_undo(graph: GraphStore) -> None:
    made = record_decision(graph, TargetKind.relation, PARTNERSHIP, Action.reject, author="ann")
    record_decision(graph, TargetKind.actor, "a:football", Action.reject, author="bob")
    listed = _invoke("decisions", "list", "--json").stdout.splitlines()
    assert [json.loads(x) for x in listed] == list_decisions(graph)[0]
    only = [
        json.loads(x)
        for x in _invoke("decisions", "list", "--target", PARTNERSHIP, "--json").stdout.splitlines()
    ]
    assert [d["id"] for d in only] == [made["id"]]
    table = _invoke("decisions", "list").stdout
    assert made["id"] in table and "ann" in table and "bob" in table

    undone = json.loads(_invoke("decisions", "undo", made["id"], "--json").stdout)
    assert undone["id"] == made["id"] and undone["undone_at"]
    detail = actor_detail(graph, "a:trust")
    assert detail is not None
    assert {r["key"]: r["review"] for r in detail["relations"]}[PARTNERSHIP] is None
    again = CliRunner().invoke(app, ["decisions", "undo", made["id"]])
    assert again.exit_code == 1 and "already undone" in again.output
    unknown = CliRunner().invoke(app, ["decisions", "undo", "decision-nope"])
    assert unknown.exit_code == 1 and "No decision with id decision-nope" in unknown.output
    assert MEMO.id  # the memo is in the graph the listing read


# --- decisions export --format gold -----------------------------------------------------------

PLAN_TEXT = (
    "Brenmoor City Council funds the Riverside Youth Trust for youth violence prevention.\n\n"
    "The Riverside Youth Trust works with the Eastgate Women's Network on youth violence.\n\n"
    "The Ministry of Health coordinates with Brenmoor City Council on drug treatment.\n"
)


def test_cli_review_export_gold_loads_in_the_bench_and_scores(
    cli_env: GraphStore,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from bench.corpora import read_gold_file
    from bench.scoring import score_run
    from graph_schema.catalog import list_actors
    from nlp import extract_documents
    from service.pipeline import ingest_paths

    plan = tmp_path / "docs" / "plan.txt"
    plan.parent.mkdir()
    plan.write_text(PLAN_TEXT, encoding="utf-8")
    report = ingest_paths(cli_env, [plan], settings=settings)
    assert not report.failed, report.failed
    actors, _ = list_actors(cli_env, limit=500)
    by_actor = {a["id"]: a for a in actors}
    # An actor-actor tie the extraction found, and a third actor to reject.
    kept, tie = next(
        (by_actor[a["id"]], r)
        for a in actors
        for r in (actor_detail(cli_env, a["id"]) or {"relations": []})["relations"]
        if r["other_id"] in by_actor
    )
    dropped = next(a for a in actors if a["id"] not in {kept["id"], tie["other_id"]})
    record_decision(cli_env, TargetKind.actor, kept["id"], Action.accept, author="t")
    new_type = "ngo" if kept["type"] != "ngo" else "academia"
    record_decision(
        cli_env, TargetKind.actor, kept["id"], Action.edit, author="t", value={"type": new_type}
    )
    record_decision(cli_env, TargetKind.actor, dropped["id"], Action.reject, author="t")
    record_decision(cli_env, TargetKind.relation, tie["key"], Action.accept, author="t")

    out = tmp_path / "reviewed.json"
    summary = json.loads(
        _invoke("decisions", "export", "--format", "gold", str(out), "--json").stdout
    )
    corpus = read_gold_file(out)  # the bench's loader, documents read back from disk
    gold = corpus.gold
    assert summary["actors"] == len(gold["actors"]) and summary["relations"] == 1
    by_id = {a["id"]: a for a in gold["actors"]}
    # The accepted actor (as edited) and the accepted tie's other end; not the rejected one.
    assert set(by_id) == {kept["id"], tie["other_id"]}
    assert by_id[kept["id"]]["type"] == new_type
    assert by_id[kept["id"]]["mentioned_in"] == [str(plan)]
    assert gold["rejected_actors"] == [{"id": dropped["id"], "name": dropped["name"]}]
    (rel,) = gold["relations"]
    assert (rel["type"], rel["graph_key"]) == (tie["kind"], tie["key"])
    assert {rel["source"], rel["target"]} == {kept["id"], tie["other_id"]}
    assert rel["evidence_quote"] in PLAN_TEXT and rel["evidence_file"] == str(plan)
    assert [d.source_path for d in corpus.documents] == [str(plan)]

    score = score_run(corpus, extract_documents(list(corpus.documents)))
    assert score.actors[1] == 1.0  # every reviewed actor is found again
    assert score.relations[1] == 1.0  # and the accepted tie
    # The analyst's type is the gold: the extraction's own type no longer scores as right.
    assert score.type_acc < 1.0

    bad = CliRunner().invoke(app, ["decisions", "export", "--format", "csv", str(out)])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_cli_review_commands_under_python_m_service_cli() -> None:
    # cli_review registers on cli_catalog's actors group: it must exist under ``-m`` too.
    import subprocess
    import sys

    for command in (["review"], ["decisions"], ["actors", "show"]):
        done = subprocess.run(
            [sys.executable, "-m", "service.cli", *command, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
