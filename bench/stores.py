"""The two stores a benchmark can run on, started the same way the test suite starts them.

``embedded``: govgraph's own embedded ArcadeDB Bolt server (graph_schema/embedded.py) on a
fresh data dir. ``neo4j``: a real Neo4j 5 Community server from Maven Central's jars
(tests/neo4j_server/launcher.py, the one the integration tests use). Both are reached only
through the neo4j driver over Bolt, with the same ``Settings`` the service would use, so a
benchmark measures the code path production runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from govgraph.settings import Settings
from graph_schema.embedded import EmbeddedServer
from graph_schema.migrations import apply_migrations
from graph_schema.store import GraphStore, open_store

REPO = Path(__file__).resolve().parent.parent
STORE_KINDS = ("embedded", "neo4j")


class StoreUnavailableForBench(RuntimeError):
    """The store cannot run on this machine (e.g. no Java/Maven for the Neo4j test server)."""


@dataclass
class BenchStore:
    kind: str
    store: GraphStore
    settings: Settings
    server_pid: int | None  # the store's process, for its peak RSS
    embedded: EmbeddedServer | None  # create_app needs it to own the embedded store


def store_kinds(choice: str) -> list[str]:
    """``--store`` value to the kinds it names: embedded, neo4j or both (in that order)."""
    return list(STORE_KINDS) if choice == "both" else [choice]


@contextmanager
def bench_store(kind: str, data_dir: Path, heap: str) -> Iterator[BenchStore]:
    """A migrated, empty store of ``kind`` living in ``data_dir``; stopped on exit."""
    if kind == "embedded":
        server = EmbeddedServer(data_dir, heap=heap)
        info = server.ensure_running()
        settings = Settings(_env_file=None, data_dir=data_dir)
        store = open_store(settings, server=server)
        try:
            apply_migrations(store)
            yield BenchStore(kind, store, settings, info.pid, server)
        finally:
            store.close()
            server.stop()
        return
    if kind != "neo4j":
        raise ValueError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")
    sys.path.insert(0, str(REPO / "tests"))
    from neo4j_server.launcher import Neo4jTestServer, Neo4jUnavailable

    neo4j = Neo4jTestServer(data_dir / "neo4j", heap=heap)
    try:
        neo4j.start()
    except Neo4jUnavailable as exc:
        raise StoreUnavailableForBench(str(exc)) from exc
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir / "govgraph",
        NEO4J_URI=neo4j.uri,
        NEO4J_USER=neo4j.user,
        NEO4J_PASSWORD=neo4j.password,
        NEO4J_DATABASE=neo4j.database,
    )
    store = open_store(settings)
    try:
        apply_migrations(store)
        pid = neo4j._proc.pid if neo4j._proc is not None else None
        yield BenchStore(kind, store, settings, pid, None)
    finally:
        store.close()
        neo4j.stop()
