"""The one global conftest: shared fixtures for every test module.

Corpus-based tests use ``corpus_dir``, which skips when ../shared/corpus is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"development corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


# --- graph store ---------------------------------------------------------------------------
# One embedded ArcadeDB server for the whole session (start-up is ~2 s; per-test servers
# would dominate the suite). Each test gets a store whose graph was emptied first.


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from graph_schema.embedded import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("graphstore"), heap="512m")
    server.ensure_running()
    yield server
    server.stop()


@pytest.fixture
def settings(embedded_server, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from govgraph.settings import Settings

    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    # No background answer warm-up in tests: it would compete with the test for the CPU and
    # count as calls to the analysis; the warm-up's own tests turn it on.
    return Settings(_env_file=None, data_dir=embedded_server.data_dir, warm_answers=False)  # type: ignore[call-arg]


@pytest.fixture
def store(settings, embedded_server):  # type: ignore[no-untyped-def]
    from graph_schema.migrations import apply_migrations
    from graph_schema.store import open_store

    graph = open_store(settings, server=embedded_server)
    graph.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    apply_migrations(graph)
    yield graph
    graph.close()
