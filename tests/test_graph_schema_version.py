"""The graph version stamp (graph_schema/version.py) on the real stores: every write path moves
it on inside its own transaction (a refused or empty change does not), migration 7 makes it
for an existing store, an emptied store starts a new epoch, concurrent writers each move it,
and another process's write is seen by a view through it and applied incrementally."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from graph_fixtures import actor, batch_for, make_document
from test_graph_schema_candidates import _batch as candidate_batch
from test_graph_schema_view import _extra_document

from govgraph.errors import NotFound
from graph_schema.candidate_decisions import promote_candidate
from graph_schema.candidates import list_candidates
from graph_schema.decisions import Action, TargetKind, record_decision, undo_decision
from graph_schema.ledger import begin_split, finish_split, get_merge, get_split, rejoin_splits
from graph_schema.migrations import apply_migrations
from graph_schema.store import GraphStore
from graph_schema.version import graph_version
from graph_schema.view import AnalyticView
from graph_schema.writer import delete_document, write_document

REPO = Path(__file__).resolve().parent.parent


class _Versions:
    """Each version seen so far: a write must give one never seen before."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.seen = [graph_version(store)]

    def moved(self) -> bool:
        now = graph_version(self.store)
        new = now not in self.seen
        self.seen.append(now)
        return new

    def same(self) -> bool:
        return graph_version(self.store) == self.seen[-1]


def test_graph_version_moves_with_every_write_path(store: GraphStore) -> None:
    v = _Versions(store)
    extra = _extra_document()
    write_document(store, extra)
    assert v.moved()
    write_document(store, extra)  # the same bytes: unchanged, nothing written
    assert v.same()
    write_document(store, extra, rewrite=True)
    assert v.moved()
    newer = _extra_document().model_copy(
        update={"document": make_document("The council acts.", source_path="extra.md")}
    )
    write_document(store, batch_for(newer.document, [actor("actor:1", "The council")]))
    assert v.moved()  # a replacement

    batch = candidate_batch()
    write_document(store, batch)
    assert v.moved()
    made = record_decision(store, TargetKind.actor, "a:youth", Action.reject, author="curator")
    assert v.moved()
    with pytest.raises(NotFound):  # refused inside its transaction: nothing committed
        record_decision(store, TargetKind.actor, "a:nobody", Action.reject, author="curator")
    assert v.same()
    undo_decision(store, made["id"])
    assert v.moved()
    (item,), _ = list_candidates(store)
    promote_candidate(store, item["id"], author="curator")
    assert v.moved()

    write_document(store, _extra_document("merges.md"))
    assert v.moved()
    merge = get_merge(store, _extra_document("merges.md").merges[0].id)
    assert merge is not None
    begin_split(store, merge)
    assert v.moved()
    split = get_split(store, merge["id"])
    assert split is not None
    finish_split(store, split, name="Youth Trust of Valdora", aliases=[])
    assert v.moved()
    rejoin_splits(store, [split["id"]], list(split["doc_ids"]))
    assert v.moved()

    assert delete_document(store, batch.document.id)
    assert v.moved()
    assert not delete_document(store, batch.document.id)  # not there: nothing changed
    assert v.same()


def test_graph_version_migration_makes_the_stamp_for_an_existing_store(
    store: GraphStore,
) -> None:
    write_document(store, _extra_document())
    # A store written before migration 7: no stamp, and no record of the migration.
    store.write("MATCH (v:GraphVersion) DELETE v")
    store.write("MATCH (m:Migration {version: 7}) DELETE m")
    assert graph_version(store) == "none"
    assert [m.version for m in apply_migrations(store)] == [7]
    made = graph_version(store)
    assert made != "none" and made.endswith(":0")
    apply_migrations(store)  # nothing pending: the stamp stays
    store.write("MATCH (m:Migration {version: 7}) DELETE m")
    apply_migrations(store)  # run again: idempotent, the stamp is not reset
    assert graph_version(store) == made
    assert delete_document(store, _extra_document().document.id)
    assert graph_version(store) not in {made, "none"}


def test_graph_version_of_an_emptied_store_is_never_an_old_one(store: GraphStore) -> None:
    # Same number of writes after emptying: a counter alone would repeat the old version.
    write_document(store, _extra_document())
    before = graph_version(store)
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    assert graph_version(store) == "none"
    write_document(store, _extra_document())  # the first bump makes the stamp
    assert graph_version(store) not in {before, "none"}
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    apply_migrations(store)  # nothing pending, yet the stamp is made for the next writers
    made = graph_version(store)
    assert made.endswith(":0") and made.split(":")[0] != before.split(":")[0]


def test_graph_version_counts_every_one_of_concurrent_writers(store: GraphStore) -> None:
    # Writers meet on the stamp node: each commits (retried on a conflict), none is lost.
    # The store fixture emptied the graph and applied the migrations, which made the stamp
    # again (the first writers would otherwise race to create it).
    docs = [
        batch_for(make_document(f"Council {i} acts.", source_path=f"c{i}.md"), []) for i in range(6)
    ]
    first = int(graph_version(store).rsplit(":", 1)[1])
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for batch in docs[i::3]:
                write_document(store, batch)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert int(graph_version(store).rsplit(":", 1)[1]) == first + len(docs)


_WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from test_graph_schema_view import _extra_document
from govgraph.settings import Settings
from graph_schema.store import open_store
from graph_schema.writer import write_document
with open_store(Settings()) as store:
    print(write_document(store, _extra_document("other-process.md")).status)
"""


def test_graph_version_shows_a_view_another_process_wrote(
    cli_env: GraphStore, settings: object
) -> None:
    store = cli_env
    write_document(store, _extra_document())
    view = AnalyticView(store)
    state = view.load()
    assert view.current() is state  # nothing changed: the same state
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(REPO / "tests")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("written")
    after = view.current()
    assert after is not state and after.version == graph_version(store) != state.version
    assert not view.last.full and view.last.documents == 1
    assert len(after.documents) == 2
