"""The merge ledger on the stored graph: recorded at ingestion, listed, undone, remembered."""

from __future__ import annotations

import json

import pytest
from document_fixtures import text_document

from govgraph.errors import Conflict, NotFound
from graph_schema.documents import stored_document
from graph_schema.ledger import get_merge, get_split, list_merges, splits
from graph_schema.store import GraphStore
from nlp.resolution import normalise
from service.merges import undo_merge
from service.pipeline import ingest_documents

PLAN = text_document(
    "plan.txt",
    "The Harrowgate Metropolitan Police Service leads the night-time safety plan.",
    "The Harrowgate Metropolitan Police Service works with the Tollbridge Women's Network "
    "on domestic violence referrals.",
)
# A different body whose name is a short form of the first: the resolver merges it.
MEMO = text_document(
    "memo.txt",
    "The Harrowgate Police Service signed a memorandum of understanding with the "
    "Eastfield Youth Trust on youth violence.",
)


def _actor_of(store: GraphStore, text: str) -> set[str]:
    rows = store.read(
        "MATCH (p:Passage)-[m:MENTIONS]->(a:Actor) WHERE m.text = $t RETURN DISTINCT a.id AS id",
        {"t": text},
    )
    return {r["id"] for r in rows}


def _aliases(store: GraphStore, actor_id: str) -> list[str]:
    node = store.read("MATCH (a:Actor {id: $id}) RETURN a {.*} AS a", {"id": actor_id})[0]["a"]
    return [node["name"], *node.get("aliases", [])]


def test_service_merges_ledger_is_stored_and_undo_splits_the_alias(store: GraphStore) -> None:
    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    long_id = next(iter(_actor_of(store, "Harrowgate Metropolitan Police Service")))
    assert _actor_of(store, "Harrowgate Police Service") == {long_id}

    merges, total = list_merges(store, entity_id=long_id)
    assert total == len(merges) >= 1
    merge = next(m for m in merges if m["alias"] == "Harrowgate Police Service")
    assert merge["rule"] in {"short_form", "fuzzy"}
    assert merge["doc_ids"] == [MEMO.id]

    result = undo_merge(store, merge["id"])

    assert result.documents == (MEMO.id,)
    split_id = next(iter(_actor_of(store, "Harrowgate Police Service")))
    assert split_id != long_id and result.now_resolved_to == (split_id,)
    # The long-form entity kept its own mentions and lost the alias.
    assert _actor_of(store, "Harrowgate Metropolitan Police Service") == {long_id}
    assert "Harrowgate Police Service" not in _aliases(store, long_id)
    # The memo's relation now belongs to the split-out entity.
    rel = store.read(
        "MATCH (a:Actor {id: $id})-[r]-(b:Actor) WHERE r.key IS NOT NULL RETURN b.name AS b",
        {"id": split_id},
    )
    assert {r["b"] for r in rel} >= {"Eastfield Youth Trust"}
    assert get_merge(store, merge["id"]) is None
    split = get_split(store, merge["id"])
    assert split is not None and not split["pending"]
    assert any(s["alias_key"] == normalise("Harrowgate Police Service") for s in splits(store))

    # A later document does not make the merge again.
    later = text_document("later.txt", "The Harrowgate Police Service runs a knife amnesty.")
    ingest_documents(store, [("later.txt", later)])
    assert _actor_of(store, "Harrowgate Police Service") == {split_id}

    with pytest.raises(Conflict):
        undo_merge(store, merge["id"])
    with pytest.raises(NotFound):
        undo_merge(store, "merge-doesnotexist")


def test_service_merges_deleting_the_only_document_removes_its_ledger_entries(
    store: GraphStore,
) -> None:
    from graph_schema.writer import delete_document

    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    assert list_merges(store)[1] >= 1
    delete_document(store, MEMO.id)
    assert all(MEMO.id not in m["doc_ids"] for m in list_merges(store)[0])
    assert not [m for m in list_merges(store)[0] if not m["doc_ids"]]


def test_service_merges_stored_document_round_trips(store: GraphStore) -> None:
    ingest_documents(store, [("plan.txt", PLAN)])
    back = stored_document(store, PLAN.id)
    assert back is not None
    assert back.model_dump() == PLAN.model_dump()
    assert stored_document(store, "0" * 64) is None


# --- the API and the CLI ------------------------------------------------------------------


def test_service_merges_api_lists_undoes_and_refuses(settings, store: GraphStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.auth import Scope, create_api_key

    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "curator", {Scope.write})
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as api:
        page = api.get("/merges", headers={"X-API-Key": read}).json()
        merge = next(m for m in page["items"] if m["alias"] == "Harrowgate Police Service")
        assert page["total"] >= 1
        one = api.get(f"/merges/{merge['id']}", headers={"X-API-Key": read})
        assert one.json()["entity_id"] == merge["entity_id"]
        refused = api.post(f"/merges/{merge['id']}/undo", headers={"X-API-Key": read})
        assert refused.status_code == 403
        done = api.post(f"/merges/{merge['id']}/undo", headers={"X-API-Key": write})
        assert done.status_code == 200, done.text
        assert done.json()["documents"] == [MEMO.id]
        again = api.post(f"/merges/{merge['id']}/undo", headers={"X-API-Key": write})
        assert again.status_code == 409
        assert again.headers["content-type"].startswith("application/problem+json")
        missing = api.get("/merges/merge-nope", headers={"X-API-Key": read})
        assert missing.status_code == 404


def test_service_merges_cli_lists_and_undoes(cli_env: GraphStore) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    ingest_documents(cli_env, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    runner = CliRunner()
    listed = runner.invoke(app, ["merges", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines() if line.startswith("{")]
    merge = next(m for m in rows if m["alias"] == "Harrowgate Police Service")
    undone = runner.invoke(app, ["merges", "undo", merge["id"]])
    assert undone.exit_code == 0, undone.output
    assert "1 document(s) re-extracted" in undone.output
    missing = runner.invoke(app, ["merges", "undo", "merge-nope"])
    assert missing.exit_code == 1
    assert "No merge with id merge-nope" in missing.output


def test_service_merges_undo_changes_the_graph_version(store: GraphStore) -> None:
    from graph_schema.reader import graph_version

    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    before = graph_version(store)
    merge = next(m for m in list_merges(store)[0] if m["alias"] == "Harrowgate Police Service")
    undo_merge(store, merge["id"])
    assert graph_version(store) != before


def test_service_merges_undo_through_the_api_refreshes_the_analytic_view(
    settings, store: GraphStore, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from graph_schema.reader import graph_version
    from service.app import create_app
    from service.auth import Scope, create_api_key

    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    write, _ = create_api_key(store, "curator", {Scope.write})
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as api:
        view = api.app.state.view  # type: ignore[attr-defined]
        before = view.state().version
        merge = next(m for m in list_merges(store)[0] if m["alias"] == "Harrowgate Police Service")
        done = api.post(f"/merges/{merge['id']}/undo", headers={"X-API-Key": write})
        assert done.status_code == 200, done.text
        # the undo route refreshed the view itself: no request needed to see the new graph
        assert view.state().version == graph_version(store) != before
