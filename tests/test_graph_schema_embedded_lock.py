"""The embedded store's lock file after a crash (issue 12): a lock left by a kill -9'd owner
and server is recovered on the next start, and a lock whose pids the kernel has handed to
other processes since is not trusted."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema.embedded import LOCK_FILE, EmbeddedServer, _pid_alive

REPO_ROOT = Path(__file__).resolve().parent.parent

# A govgraph process that starts the store, writes one fact and waits to be killed.
_OWNER = """
import sys, time
from graph_schema.embedded import EmbeddedServer
from neo4j import GraphDatabase
info = EmbeddedServer(sys.argv[1]).ensure_running()
with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
    with driver.session(database=info.database) as session:
        session.execute_write(lambda tx: tx.run("CREATE (:Probe {id: 'before-crash'})").consume())
print(info.pid, flush=True)
time.sleep(600)
"""


@pytest.fixture
def unrelated_process() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not ArcadeDB: what a reused pid points at."""
    proc = subprocess.Popen(["sleep", "300"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _count(server: EmbeddedServer, query: str) -> int:
    from neo4j import GraphDatabase

    info = server.ensure_running()
    with (
        GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver,
        driver.session(database=info.database) as session,
    ):
        return int(session.run(query).single(strict=True)["n"])


def test_embedded_lock_of_a_killed_owner_and_server_is_recovered(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", _OWNER, str(tmp_path)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    assert owner.stdout is not None
    old_pid = int(owner.stdout.readline() or 0)
    assert old_pid and _pid_alive(old_pid), "the owner never reported its server"
    os.kill(owner.pid, signal.SIGKILL)
    os.kill(old_pid, signal.SIGKILL)
    owner.communicate()
    deadline = time.monotonic() + 10
    while _pid_alive(old_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    stale = json.loads((tmp_path / LOCK_FILE).read_text())
    assert stale["server_pid"] == old_pid  # the crash left its lock behind

    server = EmbeddedServer(tmp_path)
    try:
        info = server.ensure_running()
        assert info.pid != old_pid and info.owned
        assert json.loads((tmp_path / LOCK_FILE).read_text())["server_pid"] == info.pid
        # What was committed before the crash is still there.
        assert _count(server, "MATCH (p:Probe {id: 'before-crash'}) RETURN count(p) AS n") == 1
    finally:
        server.stop()
    assert not (tmp_path / LOCK_FILE).exists()


def test_embedded_lock_naming_a_reused_server_pid_is_not_trusted(
    tmp_path: Path, unrelated_process: subprocess.Popen[bytes]
) -> None:
    # The server and owner were killed; the kernel gave the server's pid to an unrelated
    # process, and someone now listens on the lock's Bolt port.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        squatter.setblocking(False)
        (tmp_path / LOCK_FILE).write_text(
            json.dumps(
                {
                    "server_pid": unrelated_process.pid,
                    "owner_pid": 2**22 + 9,
                    "bolt_port": squatter.getsockname()[1],
                }
            )
        )
        server = EmbeddedServer(tmp_path)
        try:
            info = server.ensure_running()
            assert info.pid != unrelated_process.pid and info.owned
            assert json.loads((tmp_path / LOCK_FILE).read_text())["server_pid"] == info.pid
            # Not even probed: the probe logs in as root, with the store's password.
            with pytest.raises(BlockingIOError):
                squatter.accept()
        finally:
            server.stop()
    assert unrelated_process.poll() is None  # stop() never signalled it


def test_embedded_server_whose_owner_pid_was_reused_is_adopted(
    tmp_path: Path, unrelated_process: subprocess.Popen[bytes]
) -> None:
    first = EmbeddedServer(tmp_path)
    info = first.ensure_running()
    second = EmbeddedServer(tmp_path)
    try:
        # The owner was killed with -9 and its pid reused: the lock still names that pid
        # (with the start time of the owner that wrote it).
        lock = json.loads((tmp_path / LOCK_FILE).read_text())
        (tmp_path / LOCK_FILE).write_text(json.dumps({**lock, "owner_pid": unrelated_process.pid}))
        adopted = second.ensure_running()
        # Adopted, so that someone stops it at exit, instead of an orphan nobody owns.
        assert adopted.pid == info.pid and adopted.owned
        assert json.loads((tmp_path / LOCK_FILE).read_text())["owner_pid"] == os.getpid()
    finally:
        second.stop()
        first.stop()
    assert not _pid_alive(info.pid)
    assert not (tmp_path / LOCK_FILE).exists()
