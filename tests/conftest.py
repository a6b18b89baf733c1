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


# --- which store -------------------------------------------------------------------------
# Every test that talks to a store (through ``settings`` or ``store``) runs once per store
# chosen by --store (default both; CI runs both). ``store_kind`` is parametrised at session
# scope so pytest groups the tests by store and each server starts once.
STORE_KINDS = ("embedded", "neo4j")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=(*STORE_KINDS, "both"),
        default="both",
        help="graph store(s) the integration tests run on: embedded (ArcadeDB), neo4j, both",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--store")
        kinds = list(STORE_KINDS) if choice == "both" else [choice]
        metafunc.parametrize("store_kind", kinds, scope="session")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # One real Neo4j 5 Community server per session (start-up ~20 s), from Maven Central's
    # jars (tests/neo4j_server/). No Java or Maven here: skip with the reason, never pass.
    from neo4j_server.launcher import Neo4jTestServer, Neo4jUnavailable

    server = Neo4jTestServer(tmp_path_factory.mktemp("neo4j"))
    try:
        server.start()
    except Neo4jUnavailable as exc:
        pytest.skip(f"Neo4j test server unavailable: {exc}")
    yield server
    server.stop()


@pytest.fixture
def settings(store_kind: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from govgraph.settings import Settings

    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    if store_kind == "neo4j":
        neo4j = request.getfixturevalue("neo4j_server")
        return Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=neo4j.data_dir / "govgraph",
            NEO4J_URI=neo4j.uri,
            NEO4J_USER=neo4j.user,
            NEO4J_PASSWORD=neo4j.password,
            NEO4J_DATABASE=neo4j.database,
        )
    embedded_server = request.getfixturevalue("embedded_server")
    return Settings(_env_file=None, data_dir=embedded_server.data_dir)


@pytest.fixture
def store(settings, store_kind: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    from graph_schema.migrations import apply_migrations
    from graph_schema.store import open_store

    server = request.getfixturevalue("embedded_server") if store_kind == "embedded" else None
    graph = open_store(settings, server=server)
    graph.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    apply_migrations(graph)
    yield graph
    graph.close()


@pytest.fixture
def cli_env(settings, store, monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    """The test's store, and the environment that points the CLI at it: the CLI reads its
    store from the environment, as in use (``--store neo4j``: the NEO4J_* variables)."""
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("COLUMNS", "300")  # rich reads it on every print: tables not folded
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(settings.data_dir))
    if settings.neo4j_uri:
        monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
        monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
        monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
        monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)
    return store


@pytest.fixture
def api(settings, store, tmp_path):  # type: ignore[no-untyped-def]
    """The app on the test's store, uploads under a per-test data dir; real lifespan (job
    runner, supervisor). Modules that need other limits define their own ``api``."""
    from fastapi.testclient import TestClient

    from service.app import create_app

    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        yield client


# --- the fitted actor decision --------------------------------------------------------------
# These modules test the candidate layer (rules, patterns, resolution, relation reading) on
# one-paragraph fixtures; the fitted decision (nlp/decide) scores whole corpora, where a body
# is named more than once, and has its own tests (test_nlp_decide.py) and the corpus
# evaluation (bench/eval_extraction.py). Here it is switched off so that a rule's test fails
# only when the rule does.
_CANDIDATE_LAYER_MODULES = frozenset(
    {
        "test_nlp_extract",
        "test_nlp_relations",
        "test_nlp_themes",
        "test_service_locations",
        "test_service_merges",
    }
)


@pytest.fixture(autouse=True)
def _candidate_layer_without_decision(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.module.__name__.rpartition(".")[2] in _CANDIDATE_LAYER_MODULES:
        monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")
        monkeypatch.setenv("GOVGRAPH_RELATION_WEIGHTS", "off")  # and the relation decision
