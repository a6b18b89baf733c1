"""The API process supervises the embedded store it owns (issue 16, item 6).

Each test module run starts its own embedded server on its own data directory (the session's
shared server must not be killed): the app opens the store itself, as ``govgraph serve`` does,
and the tests kill -9 the java child. Embedded only: a Neo4j server is not govgraph's child,
there is nothing of ours to restart; /readyz on Neo4j is tested in test_service_api.py.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govgraph.settings import Settings
from graph_schema.embedded import LOCK_FILE
from graph_schema.supervisor import StoreSupervisor
from service.app import create_app


@pytest.fixture(scope="module")
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    if request.config.getoption("--store") == "neo4j":
        pytest.skip("supervision restarts the embedded store; --store neo4j chosen")
    saved = {v: os.environ.pop(v, None) for v in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
    data_dir = tmp_path_factory.mktemp("supervised")
    cfg = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, auth_disabled=True
    )
    try:
        with TestClient(create_app(cfg), raise_server_exceptions=False) as client:
            yield client
    finally:
        os.environ.update({k: v for k, v in saved.items() if v is not None})


def _supervisor(api: TestClient) -> StoreSupervisor:
    supervisor: StoreSupervisor = api.app.state.supervisor  # type: ignore[attr-defined]
    return supervisor


def _server_pid(api: TestClient) -> int:
    data_dir: Path = api.app.state.settings.data_dir  # type: ignore[attr-defined]
    return int(json.loads((data_dir / LOCK_FILE).read_text())["server_pid"])


def _kill_store(api: TestClient) -> int:
    pid = _server_pid(api)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}").exists() else ""
        if stat and stat.rsplit(")", 1)[1].split()[0] == "Z":
            break  # dead, not yet reaped by its parent (us)
        time.sleep(0.05)
    return pid


def _wait_for(api: TestClient, path: str, *, status: int, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if api.get(path).status_code == status:
            return time.monotonic() - start
        time.sleep(0.25)
    pytest.fail(f"{path} did not answer {status} within {timeout:.0f} s")


def test_service_readyz_answers_503_at_once_when_the_store_is_down(api: TestClient) -> None:
    assert api.get("/readyz").status_code == 200
    supervisor = _supervisor(api)
    supervisor.pause_restarts()
    try:
        _kill_store(api)
        for _ in range(3):  # each answer bounded, not only the first one
            start = time.monotonic()
            ready = api.get("/readyz")
            elapsed = time.monotonic() - start
            assert ready.status_code == 503
            assert elapsed < 2.0, f"/readyz took {elapsed:.1f} s with the store down"
        assert ready.headers["content-type"].startswith("application/problem+json")
        assert "not running" in ready.json()["detail"]
        assert api.get("/healthz").status_code == 200  # liveness is the process, not the store
        time.sleep(2 * supervisor.interval)  # paused: nobody restarts it behind our back
        assert api.get("/readyz").status_code == 503
    finally:
        supervisor.resume_restarts()
    _wait_for(api, "/readyz", status=200, timeout=30)


def test_service_killed_store_is_restarted_and_data_routes_recover(api: TestClient) -> None:
    store = api.app.state.store  # type: ignore[attr-defined]
    store.write("MERGE (:SupervisionMarker {id: 'before-kill'})")
    assert api.get("/documents").status_code == 200
    restarts = _supervisor(api).restarts
    killed = _kill_store(api)
    start = time.monotonic()
    down = api.get("/documents")  # while it restarts: a prompt 503, not 30 s of retries
    assert down.status_code == 503 and time.monotonic() - start < 2.0
    assert down.headers["content-type"].startswith("application/problem+json")
    took = _wait_for(api, "/documents", status=200, timeout=20)
    assert _server_pid(api) != killed  # a new server on the same data directory ...
    rows = store.read("MATCH (m:SupervisionMarker) RETURN m.id AS id")
    assert rows == [{"id": "before-kill"}]  # ... with the same graph
    assert _supervisor(api).restarts == restarts + 1
    assert api.get("/readyz").status_code == 200
    print(f"data route 200 again {took:.1f} s after kill -9")


def test_service_readyz_answers_503_at_once_when_the_store_hangs(api: TestClient) -> None:
    # A stopped (SIGSTOP) server is alive in /proc and accepts TCP connections, but answers
    # nothing: only the supervisor's probe, gone stale, can tell.
    supervisor = _supervisor(api)
    assert api.get("/readyz").status_code == 200
    pid = _server_pid(api)
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(supervisor.stale_after + supervisor.interval)
        start = time.monotonic()
        ready = api.get("/readyz")
        elapsed = time.monotonic() - start
        assert ready.status_code == 503, ready.text
        assert elapsed < 2.0, f"/readyz took {elapsed:.1f} s with the store hung"
        assert "has not answered" in ready.json()["detail"]
    finally:
        os.kill(pid, signal.SIGCONT)
    _wait_for(api, "/readyz", status=200, timeout=30)
    assert _server_pid(api) == pid  # hung is not dead: the supervisor did not restart it
