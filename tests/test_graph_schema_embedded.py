"""The embedded store's security: at rest, in the process table, on the network (issue 16.1, 16.9)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema.embedded import (
    LOCK_FILE,
    PLUGIN_CLASSES,
    EmbeddedServer,
    ServerInfo,
    arcadedb_home,
)


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
    assert server._answers(info.uri, (info.user, info.password), timeout=5.0)


def _listening_ports(pid: int) -> set[int]:
    """TCP ports a process listens on: its socket inodes matched against /proc/net/tcp{,6}."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # the JVM closed this descriptor while we listed them
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_embedded_http_server_not_listening(started: tuple[EmbeddedServer, ServerInfo]) -> None:
    # ArcadeDB always starts its HTTP server; govgraph's BoltOnlyPlugin keeps it closed, so
    # no local user can try passwords on it or lock the root user out through it.
    server, info = started
    lock = json.loads((server.data_dir / LOCK_FILE).read_text())
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", lock["http_port"]), timeout=2).close()
    assert _listening_ports(info.pid) == {int(info.uri.rsplit(":", 1)[1])}  # Bolt, nothing else
    assert server._answers(info.uri, (info.user, info.password), timeout=5.0)


def _jdk21_javac() -> str | None:
    candidates = [shutil.which("javac"), *map(str, Path("/usr/lib/jvm").glob("*/bin/javac"))]
    for javac in filter(None, candidates):
        out = subprocess.run([javac, "-version"], capture_output=True, text=True)
        version = (out.stdout or out.stderr).split()[-1]
        if out.returncode == 0 and int(version.split(".")[0]) >= 21:
            return javac
    return None


def test_embedded_plugin_classes_built_from_shipped_source(tmp_path: Path) -> None:
    # The bundled JRE has no compiler, so the compiled plugin ships; it must be the source's.
    javac = _jdk21_javac()
    if javac is None:
        pytest.skip("no JDK 21+ javac to rebuild the plugin with")
    source = PLUGIN_CLASSES.parent / "BoltOnlyPlugin.java"
    jars = f"{arcadedb_home() / 'jars'}/*"
    subprocess.run(
        [javac, "--release", "21", "-cp", jars, "-d", str(tmp_path), str(source)], check=True
    )
    javap = str(Path(javac).with_name("javap"))

    def disassembled(root: Path) -> list[str]:
        return [
            subprocess.run(
                [javap, "-c", "-p", str(cls)], capture_output=True, text=True, check=True
            ).stdout.split("\n", 1)[1]  # line 1 names the file
            for cls in sorted(root.glob("govgraph/arcadedb/*.class"))
        ]

    assert disassembled(tmp_path) == disassembled(PLUGIN_CLASSES)
    services = PLUGIN_CLASSES / "META-INF" / "services" / "com.arcadedb.server.ServerPlugin"
    assert services.read_text().strip() == "govgraph.arcadedb.BoltOnlyPlugin"


def test_embedded_bad_logins_cannot_lock_govgraph_out(
    started: tuple[EmbeddedServer, ServerInfo],
) -> None:
    # ArcadeDB locks a user name out for 30 s after 5 failed logins, Bolt included. Anyone
    # on the machine can send bad logins as root; govgraph logs in as its own user, whose
    # name is as secret as its password, so its new connections still get in.
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    _, info = started
    for name in ["root"] * 10 + ["govgraph"] * 10:
        with (
            GraphDatabase.driver(info.uri, auth=(name, "guess")) as driver,
            pytest.raises((AuthError, ServiceUnavailable)),
        ):
            driver.verify_connectivity()
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS ok", database_=info.database)
    assert records[0]["ok"] == 1
    assert info.user.encode() not in Path(f"/proc/{info.pid}/cmdline").read_bytes()


def test_embedded_server_of_an_older_login_is_reused_not_doubled(tmp_path: Path) -> None:
    # A server started before govgraph had its own Bolt user knows only root. A newer
    # process on the same directory must use that server, never start a second one on the
    # same database files because its own login is refused.
    first = EmbeddedServer(tmp_path / "data")
    info = first.ensure_running()
    try:
        creds_path = first.data_dir / "credentials.json"
        creds = json.loads(creds_path.read_text())
        creds["bolt_user"] = "govgraph-the-running-server-never-heard-of-me"
        creds_path.write_text(json.dumps(creds))
        again = EmbeddedServer(tmp_path / "data").ensure_running()
        assert again.pid == info.pid and again.user == "root"
        assert EmbeddedServer(tmp_path / "data")._answers(
            again.uri, (again.user, again.password), timeout=5.0
        )
    finally:
        first.stop()
