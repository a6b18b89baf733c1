"""The embedded store's security at rest and in the process table (issue 16, item 1 and 9)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema.embedded import LOCK_FILE, EmbeddedServer, ServerInfo


@pytest.fixture(scope="module")
def started(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[EmbeddedServer, ServerInfo]]:
    data_dir = tmp_path_factory.mktemp("embedded-sec")
    # An existing data dir made world-readable (as older versions left it), with a stale
    # lock of a server and an owner that are both long dead (a kill -9 of both).
    os.chmod(data_dir, 0o755)
    (data_dir / "old-notes").mkdir(mode=0o755)
    (data_dir / "old-notes" / "keep.txt").write_text("x")
    os.chmod(data_dir / "old-notes" / "keep.txt", 0o644)
    (data_dir / LOCK_FILE).write_text(
        json.dumps({"server_pid": 2**22 + 7, "owner_pid": 2**22 + 9, "bolt_port": 1})
    )
    server = EmbeddedServer(data_dir)
    info = server.ensure_running()
    try:
        yield server, info
    finally:
        server.stop()


def test_embedded_password_not_in_cmdline_or_environ(
    started: tuple[EmbeddedServer, ServerInfo],
) -> None:
    _, info = started
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes()
    environ = Path(f"/proc/{info.pid}/environ").read_bytes()
    assert b"java" in cmdline  # we are looking at the right process
    assert info.password.encode() not in cmdline
    assert info.password.encode() not in environ


def test_embedded_data_dir_owner_only(started: tuple[EmbeddedServer, ServerInfo]) -> None:
    server, _ = started
    loose = []
    for dirpath, dirnames, filenames in os.walk(server.data_dir):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                loose.append(f"{path} {oct(stat.S_IMODE(path.stat().st_mode))}")
    assert stat.S_IMODE(server.data_dir.stat().st_mode) == 0o700
    # Files the server wrote after start (databases, WAL, its config) are covered too.
    assert any((server.data_dir / "databases").iterdir())
    assert loose == []
    assert (server.data_dir / "old-notes" / "keep.txt").read_text() == "x"  # tightened, kept


def test_embedded_stale_lock_recovered(started: tuple[EmbeddedServer, ServerInfo]) -> None:
    server, info = started
    lock = json.loads((server.data_dir / LOCK_FILE).read_text())
    assert lock["server_pid"] == info.pid and info.owned
    assert server._answers(info.uri, info.password, timeout=5.0)
