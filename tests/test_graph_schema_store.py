"""Graph layer against the real embedded Bolt server: migrations, writer, reader."""

from __future__ import annotations

import os
import signal

import pytest
from graph_fixtures import actor, batch_for, make_document, relation

from govgraph.errors import ConstraintViolation, StoreStartError, StoreUnavailable, WriteError
from graph_schema import writer as writer_module
from graph_schema.embedded import EmbeddedServer
from graph_schema.migrations import MIGRATIONS, apply_migrations, migration_status
from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.reader import SubgraphFilter, read_subgraph
from graph_schema.store import GraphStore, open_store
from graph_schema.writer import WriteStatus, delete_document, write_document


def _count(store: GraphStore, label: str) -> int:
    # Label comes from this test file, not user input.
    return int(store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"])


def test_migrations_apply_once_and_are_recorded(store: GraphStore) -> None:
    assert apply_migrations(store) == []  # the fixture applied them already
    states = migration_status(store)
    assert [s.version for s in states] == [m.version for m in MIGRATIONS]
    assert all(s.applied_at and not s.drifted for s in states)
    names = {r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert "actor_id_unique" in names and "document_id_unique" in names
    assert "decision_id_unique" in names


def test_migrations_index_decisions_by_target(store: GraphStore) -> None:
    """Migration 5: re-application looks decisions up by target_id on every document write."""
    indexes = {
        (r["labelsOrTypes"][0], r["properties"][0])
        for r in store.read("SHOW INDEXES YIELD labelsOrTypes, properties RETURN *")
        if r["labelsOrTypes"] and r["properties"]
    }
    assert ("Decision", "target_id") in indexes and ("Decision", "id") in indexes
    store.write("CREATE (:Decision {id: 'decision-1', target_id: 'a:x'})")
    with pytest.raises(ConstraintViolation):
        store.write("CREATE (:Decision {id: 'decision-1', target_id: 'a:y'})")


def test_migrations_rerun_is_idempotent(store: GraphStore) -> None:
    store.write("MATCH (m:Migration) DETACH DELETE m")  # forget the record, keep the schema
    applied = apply_migrations(store)
    assert [s.version for s in applied] == [m.version for m in MIGRATIONS]
    assert _count(store, "Migration") == len(MIGRATIONS)


def test_writer_round_trip_keeps_provenance(store: GraphStore) -> None:
    doc = make_document("The City Council funds Youth Aid.\n\nYouth Aid runs night football.")
    batch = batch_for(
        doc,
        [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state", "ngo")],
        [relation(doc, RelationKind.funding, "a:council", "a:youth")],
    )
    result = write_document(store, batch)
    assert result.status is WriteStatus.written
    assert result.counts["passages"] == 2 and result.counts["evidence"] == 1

    sub = read_subgraph(store)
    assert {a.id for a in sub.actors} == {"a:council", "a:youth"}
    youth = next(a for a in sub.actors if a.id == "a:youth")
    assert (youth.level, youth.type) == ("non_state", "ngo")
    (rel,) = sub.relations
    assert (rel.kind, rel.source, rel.target) == (RelationKind.funding, "a:council", "a:youth")
    (ev,) = rel.evidence
    assert ev.document_id == doc.id and ev.page == 1
    assert ev.quote == "The City Council funds Youth Aid."


def test_writer_same_content_is_a_noop(store: GraphStore) -> None:
    doc = make_document("The City Council works alone.")
    batch = batch_for(doc, [actor("a:council", "City Council")])
    assert write_document(store, batch).status is WriteStatus.written
    before = _count(store, "Passage"), _count(store, "Actor")
    assert write_document(store, batch).status is WriteStatus.unchanged
    assert (_count(store, "Passage"), _count(store, "Actor")) == before


def test_writer_new_version_replaces_only_its_own_facts(store: GraphStore) -> None:
    other = make_document("Youth Aid and the Council partner.", source_path="brief.md")
    write_document(
        store,
        batch_for(
            other,
            [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state")],
            [relation(other, RelationKind.partnership, "a:council", "a:youth")],
        ),
    )
    v1 = make_document("The Council and the Police coordinate.", source_path="plan.md")
    write_document(
        store,
        batch_for(
            v1,
            [actor("a:council", "City Council"), actor("a:police", "Police", "national")],
            [relation(v1, RelationKind.coordinates, "a:council", "a:police")],
        ),
    )
    v2 = make_document("The Council and the Youth Aid partner again.", source_path="plan.md")
    result = write_document(
        store,
        batch_for(
            v2,
            [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state")],
            [relation(v2, RelationKind.partnership, "a:council", "a:youth")],
        ),
    )
    assert result.status is WriteStatus.replaced and result.replaced == (v1.id,)
    sub = read_subgraph(store)
    assert {d.id for d in sub.documents} == {other.id, v2.id}
    assert {a.id for a in sub.actors} == {"a:council", "a:youth"}  # police was only in v1
    (rel,) = sub.relations
    assert rel.kind is RelationKind.partnership
    assert set(rel.doc_ids) == {other.id, v2.id}
    assert {e.document_id for e in rel.evidence} == {other.id, v2.id}


def test_writer_delete_keeps_facts_other_documents_support(store: GraphStore) -> None:
    a = make_document("Council funds Youth Aid.", source_path="a.md")
    b = make_document("Council funds Youth Aid, says the brief.", source_path="b.md")
    ents = [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state")]
    for doc in (a, b):
        write_document(
            store,
            batch_for(doc, ents, [relation(doc, RelationKind.funding, "a:council", "a:youth")]),
        )
    assert delete_document(store, a.id) is True
    sub = read_subgraph(store)
    (rel,) = sub.relations
    assert rel.doc_ids == (b.id,) and [e.document_id for e in rel.evidence] == [b.id]
    assert _count(store, "Passage") == 1

    assert delete_document(store, b.id) is True
    assert _count(store, "Actor") == 0 and _count(store, "Evidence") == 0
    assert store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == 0
    assert delete_document(store, b.id) is False


def _council(alias: str) -> EntityNode:
    node = actor("a:council", "City Council")
    return node.model_copy(update={"aliases": ("City Council", alias)})


def test_writer_delete_drops_aliases_and_evidence_only_that_document_supported(
    store: GraphStore,
) -> None:
    """Issue 16.8: after a delete, a shared actor no longer carries the aliases only the
    deleted document used, and a shared relationship's stored evidence count is recounted."""
    a = make_document(
        "Harrowgate Council funds Youth Aid.\n\nIt funds it again.", source_path="a.md"
    )
    b = make_document("The Council funds Youth Aid, says the brief.", source_path="b.md")
    youth = actor("a:youth", "Youth Aid", "non_state", "ngo")
    rel_a = relation(a, RelationKind.funding, "a:council", "a:youth")
    second = relation(a, RelationKind.funding, "a:council", "a:youth", passage=1).evidence
    rel_a = rel_a.model_copy(update={"evidence": rel_a.evidence + second})
    write_document(store, batch_for(a, [_council("Harrowgate Council"), youth], [rel_a]))
    write_document(
        store,
        batch_for(
            b,
            [_council("The Council"), youth],
            [relation(b, RelationKind.funding, "a:council", "a:youth")],
        ),
    )
    rel_count = "MATCH (:Actor {id: 'a:council'})-[r]->(:Actor {id: 'a:youth'}) RETURN r.evidence_count AS n"
    assert store.read(rel_count)[0]["n"] == 3

    assert delete_document(store, a.id) is True
    (node,) = [r["n"] for r in store.read("MATCH (n:Actor {id: 'a:council'}) RETURN n {.*} AS n")]
    assert set(node["aliases"]) == {"City Council", "The Council"}
    assert not any(x.startswith(a.id) for x in node["alias_docs"])
    assert store.read(rel_count)[0]["n"] == 1
    youth_node = store.read("MATCH (n:Actor {id: 'a:youth'}) RETURN n.aliases AS aliases")[0]
    assert youth_node["aliases"] == ["Youth Aid"]  # still used by b


@pytest.mark.parametrize("user_first", [True, False])
def test_writer_delete_drops_an_alias_others_only_carried(
    store: GraphStore, user_first: bool
) -> None:
    """Every batch of one run carries the entity's run-wide aliases: carrying one is not
    using it. Only the document whose mention has the alias keeps it alive."""
    from graph_schema.model import Mention

    user = make_document("Harrowgate Council funds it.", source_path="user.md")
    other = make_document("City Council works.", source_path="other.md")
    node = _council("Harrowgate Council")
    used = batch_for(user, [node])
    used = used.model_copy(
        update={
            "mentions": (
                *used.mentions,
                Mention(
                    passage_id=user.passages[0].id,
                    label=Label.Actor,
                    entity_id="a:council",
                    text="Harrowgate Council",
                    char_start=0,
                    char_end=18,
                ),
            )
        }
    )
    batches = [used, batch_for(other, [node])]
    for b in batches if user_first else batches[::-1]:
        write_document(store, b)
    assert delete_document(store, user.id) is True
    aliases = store.read("MATCH (n:Actor {id: 'a:council'}) RETURN n.aliases AS x")[0]["x"]
    assert aliases == ["City Council"]


def test_writer_delete_removes_a_relation_left_without_evidence(store: GraphStore) -> None:
    a = make_document("Council funds Youth Aid.", source_path="a.md")
    b = make_document("Council and Youth Aid both exist.", source_path="b.md")
    ents = [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state")]
    write_document(
        store, batch_for(a, ents, [relation(a, RelationKind.funding, "a:council", "a:youth")])
    )
    write_document(store, batch_for(b, ents))
    # A relationship whose doc_ids name b although b wrote no evidence for it (a store
    # written by an older version): b's support is not evidence.
    store.write(
        "MATCH ()-[r]->() WHERE r.key IS NOT NULL SET r.doc_ids = r.doc_ids + $id", {"id": b.id}
    )
    assert delete_document(store, a.id) is True
    assert store.read("MATCH ()-[r]->() WHERE r.key IS NOT NULL RETURN count(r) AS n")[0]["n"] == 0
    assert _count(store, "Actor") == 2


def test_migration_backfills_alias_docs_idempotently(store: GraphStore) -> None:
    """A store written before alias_docs: migration 4 records every alias as used by every
    supporting document, so a delete keeps aliases others may use; running it twice is a no-op."""
    a = make_document("Harrowgate Council works.", source_path="a.md")
    b = make_document("The Council works.", source_path="b.md")
    write_document(store, batch_for(a, [_council("Harrowgate Council")]))
    write_document(store, batch_for(b, [_council("The Council")]))
    store.write("MATCH (n:Actor) REMOVE n.alias_docs")
    store.write("MATCH (m:Migration {version: 4}) DELETE m")
    assert [s.version for s in apply_migrations(store)] == [4]
    backfilled = store.read("MATCH (n:Actor {id: 'a:council'}) RETURN n.alias_docs AS x")[0]["x"]
    assert len(backfilled) == 2 * 3 and f"~{b.id}|Harrowgate Council" in backfilled
    store.write("MATCH (m:Migration {version: 4}) DELETE m")
    apply_migrations(store)
    again = store.read("MATCH (n:Actor {id: 'a:council'}) RETURN n.alias_docs AS x")[0]["x"]
    assert sorted(again) == sorted(backfilled)
    assert delete_document(store, a.id) is True
    aliases = store.read("MATCH (n:Actor {id: 'a:council'}) RETURN n.aliases AS x")[0]["x"]
    assert set(aliases) == {"City Council", "Harrowgate Council", "The Council"}


def test_writer_failure_mid_document_leaves_nothing(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_document("Council funds Youth Aid.")
    batch = batch_for(
        doc,
        [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state")],
        [relation(doc, RelationKind.funding, "a:council", "a:youth")],
    )
    real = writer_module._write_evidence

    def explode_after_writing(tx, b):  # type: ignore[no-untyped-def]
        real(tx, b)  # the document, passages, entities and relations are all written by now
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(writer_module, "_write_evidence", explode_after_writing)
    with pytest.raises(RuntimeError, match="simulated"):
        write_document(store, batch)
    for label in ("Document", "Passage", "Actor", "Evidence"):
        assert _count(store, label) == 0, label
    monkeypatch.undo()
    assert write_document(store, batch).status is WriteStatus.written


def test_writer_stores_cypher_syntax_literally(store: GraphStore) -> None:
    name = "Ministry'}) MATCH (n) DETACH DELETE n //\" `x` $param"
    doc = make_document(f"{name} issued a circular.")
    write_document(store, batch_for(doc, [actor("a:evil", name, "national")]))
    (found,) = read_subgraph(store).actors
    assert found.name == name and name in found.aliases
    assert _count(store, "Document") == 1


def test_writer_refuses_inconsistent_batch(store: GraphStore) -> None:
    doc = make_document("Council funds Youth Aid.")
    batch = batch_for(
        doc,
        [actor("a:council", "City Council")],
        [relation(doc, RelationKind.funding, "a:council", "a:ghost")],
    )
    with pytest.raises(WriteError, match="a:ghost"):
        write_document(store, batch)
    assert _count(store, "Document") == 0


def test_store_constraint_violation_is_a_govgraph_error(store: GraphStore) -> None:
    store.write("CREATE (a:Actor {id: $id, name: 'one'})", {"id": "dup"})
    with pytest.raises(ConstraintViolation):
        store.write("CREATE (a:Actor {id: $id, name: 'two'})", {"id": "dup"})
    assert _count(store, "Actor") == 1


def test_reader_filters_by_theme_level_and_document(store: GraphStore) -> None:
    doc = make_document("Council works on youth violence with Youth Aid.\n\nPolice patrol.")
    theme = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
    batch = batch_for(
        doc,
        [
            actor("a:council", "City Council"),
            actor("a:youth", "Youth Aid", "non_state", "ngo"),
            actor("a:police", "Police", "national", "police_justice"),
            theme,
        ],
        [
            relation(
                doc, RelationKind.works_on, "a:council", "youth_violence", target_label=Label.Theme
            ),
            relation(doc, RelationKind.partnership, "a:council", "a:youth"),
        ],
    )
    write_document(store, batch)
    sub = read_subgraph(store, SubgraphFilter(theme="youth_violence"))
    # The theme's actor and its direct neighbour, not the unrelated police.
    assert {a.id for a in sub.actors} == {"a:council", "a:youth"}
    assert next(a for a in sub.actors if a.id == "a:council").themes == ("youth_violence",)
    only_local = read_subgraph(store, SubgraphFilter(levels=frozenset({"local"})))
    assert {a.id for a in only_local.actors} == {"a:council"}
    none = read_subgraph(store, SubgraphFilter(document_ids=frozenset({"0" * 64})))
    assert sub.documents and not none.actors and not none.documents


def test_embedded_server_survives_restart_with_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from govgraph.settings import Settings

    server = EmbeddedServer(tmp_path / "data")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    with open_store(settings, server=server) as graph:
        apply_migrations(graph)
        doc = make_document("The Council persists.")
        write_document(graph, batch_for(doc, [actor("a:council", "City Council")]))
    server.stop()
    assert not (tmp_path / "data" / "server.lock").exists()

    again = EmbeddedServer(tmp_path / "data")
    with open_store(settings, server=again) as graph:
        assert [a.id for a in read_subgraph(graph).actors] == ["a:council"]
        # A second server object on the same directory reuses the running one.
        third = EmbeddedServer(tmp_path / "data")
        info = third.ensure_running()
        assert info.pid == again.ensure_running().pid and not info.owned
    again.stop()


def test_embedded_server_password_file_is_owner_only(embedded_server: EmbeddedServer) -> None:
    mode = (embedded_server.data_dir / "credentials.json").stat().st_mode & 0o777
    assert mode == 0o600


def test_embedded_server_unwritable_dir_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() == 0:
        target = "/proc/govgraph-cannot-write-here"  # root ignores file modes
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = str(locked / "data")
    with pytest.raises(StoreStartError, match="not writable"):
        EmbeddedServer(target).ensure_running()


def test_embedded_server_start_failure_shows_log_tail(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = EmbeddedServer(tmp_path / "bad", heap="1k", start_timeout=30)  # JVM refuses 1k heap
    with pytest.raises(StoreStartError, match="exited during start-up") as info:
        server.ensure_running()
    assert "heap" in str(info.value).lower()


def test_embedded_server_stops_on_sigterm_of_owner(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from graph_schema.embedded import EmbeddedServer\n"
        "info = EmbeddedServer(sys.argv[1]).ensure_running()\n"
        "print(info.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "d")], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        server_pid = int(proc.stdout.readline())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) != 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("embedded server still running after its owner got SIGTERM")
    assert not (tmp_path / "d" / "server.lock").exists()


def test_store_replaces_a_driver_whose_login_the_server_dropped(store: GraphStore) -> None:
    """The embedded server can stop accepting a pooled connection's login ("credentials of
    this connection are no longer valid"); the store reconnects and runs the work again."""
    from neo4j.exceptions import AuthError

    calls = {"n": 0}
    before = store.driver

    def work(tx):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise AuthError("The credentials of this connection are no longer valid")
        return tx.run("RETURN 7 AS x").single()["x"]

    assert store.execute_read(work, action="test") == 7
    assert calls["n"] == 2 and store.driver is not before

    def wrong_password(tx):  # type: ignore[no-untyped-def]
        raise AuthError("The client is unauthorized due to authentication failure.")

    with pytest.raises(StoreUnavailable):  # a real auth failure is not retried
        store.execute_read(wrong_password, action="test")


def test_store_query_reads_plain_rows_in_one_round_trip(store: GraphStore) -> None:
    doc = make_document("The City Council funds Youth Aid.")
    write_document(store, batch_for(doc, [actor("a:council", "City Council")]))
    cypher = (
        "MATCH (a:Actor {id: $id}) RETURN a {.*} AS node, [1, 2] AS xs, {k: a.name} AS m, "
        "a.level AS level"
    )
    rows = store.query(cypher, {"id": "a:council"})
    assert rows == store.read(cypher, {"id": "a:council"})
    (row,) = rows
    assert type(row) is dict and row["node"]["name"] == "City Council"
    assert row["xs"] == [1, 2] and row["m"] == {"k": "City Council"} and row["level"] == "local"
    assert store.query("MATCH (a:Actor {id: 'nobody'}) RETURN a.id AS id") == []


def test_store_query_replaces_a_driver_whose_login_the_server_dropped(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neo4j.exceptions import AuthError

    before = store.driver
    real_session = before.session
    calls = {"n": 0}

    def failing_session(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise AuthError("The credentials of this connection are no longer valid")

    monkeypatch.setattr(before, "session", failing_session)
    assert store.query("RETURN 7 AS x") == [{"x": 7}]
    assert calls["n"] == 1 and store.driver is not before
    monkeypatch.setattr(before, "session", real_session)


def test_store_driver_has_its_rust_codec() -> None:
    """neo4j-rust-ext is a dependency: the same driver, decoding rows in Rust. It is only
    picked up when its release matches the driver's (X.Y.Z of the driver, X.Y.Z.* of it)."""
    from importlib.metadata import version

    driver, codec = version("neo4j"), version("neo4j-rust-ext")
    assert codec.split(".")[:3] == driver.split(".")[:3], (driver, codec)
