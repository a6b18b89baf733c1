"""Start the Neo4j 5 Community test server (neo4j-harness in a child JVM) for tests and benches.

The jars come from Maven Central through ``pom.xml`` beside this file: ``mvn
dependency:build-classpath`` resolves them once into ~/.m2 and the classpath is cached under
~/.cache/govgraph/neo4j, so later runs start offline. ``Neo4jTestServer.java`` runs in Java's
source-file mode (no build step). Readiness is a ``RETURN 1`` through the Python driver, not
an open port. A machine without ``java`` or ``mvn`` gets ``Neo4jUnavailable`` with the reason
(the test suite turns it into a skip).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NEO4J_VERSION", "Neo4jTestServer", "Neo4jUnavailable", "resolve_classpath"]

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
MAIN = HERE / "src" / "Neo4jTestServer.java"
# Keep in step with pom.xml and docker-compose.yml (a test checks all three agree).
NEO4J_VERSION = "5.26.0"
DATABASE = "govgraph"  # Community: one user database, but its name is ours to choose
USER = "neo4j"


class Neo4jUnavailable(RuntimeError):
    """The test server cannot run here (no Java/Maven, or the artifacts would not resolve)."""


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govgraph" / "neo4j"


def resolve_classpath(timeout: float = 900.0) -> str:
    """The harness classpath, resolved by Maven once and cached (keyed by the pom's hash)."""
    if shutil.which("java") is None:
        raise Neo4jUnavailable("java not found on PATH (Java 17+ runs the Neo4j test server)")
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()[:16]
    cached = _cache_dir() / f"classpath-{digest}.txt"
    if cached.is_file():
        classpath = cached.read_text().strip()
        # ~/.m2 may have been cleaned since: only trust the cache if every jar is still there.
        if classpath and all(Path(jar).is_file() for jar in classpath.split(os.pathsep)):
            return classpath
    if shutil.which("mvn") is None:
        raise Neo4jUnavailable("mvn not found on PATH (Maven resolves the Neo4j test server)")
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    cmd = [
        "mvn", "-q", "-B", "-f", str(POM),
        "dependency:build-classpath", f"-Dmdep.outputFile={partial}",
    ]  # fmt: skip
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Neo4jUnavailable(
            f"Maven did not resolve neo4j-harness within {timeout:.0f} s"
        ) from exc
    if done.returncode != 0 or not partial.is_file():
        tail = (done.stdout + done.stderr).strip().splitlines()[-10:]
        raise Neo4jUnavailable(
            "Maven could not resolve org.neo4j.test:neo4j-harness:"
            f"{NEO4J_VERSION}: " + " | ".join(tail)
        )
    partial.replace(cached)
    return cached.read_text().strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Neo4jTestServer:
    """One Neo4j server on 127.0.0.1; its store lives in ``data_dir`` and dies with it."""

    data_dir: Path
    heap: str = "768m"
    start_timeout: float = 180.0
    uri: str = ""
    password: str = ""
    database: str = DATABASE
    user: str = USER
    _proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir / "neo4j-test-server.log"

    def start(self) -> Neo4jTestServer:
        classpath = resolve_classpath()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        self.password = secrets.token_urlsafe(16)
        self.uri = f"bolt://127.0.0.1:{port}"
        cmd = [
            "java", f"-Xmx{self.heap}", "-XX:+UseSerialGC", "-cp", classpath, str(MAIN),
            str(self.data_dir / "db"), str(port), self.password, self.database,
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            # stdin stays open for the server's life: when this process dies, EOF stops it.
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=log)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        assert self._proc is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise Neo4jUnavailable(f"the Neo4j test server exited: {self._log_tail()}")
            try:
                # A plain session run: execute_query would retry with back-off itself.
                auth = (self.user, self.password)
                with (
                    GraphDatabase.driver(self.uri, auth=auth, connection_timeout=2) as driver,
                    driver.session(database=self.database) as session,
                ):
                    record = session.run("RETURN 1 AS ok").single()
                if record is not None and record["ok"] == 1:
                    return
            except (ServiceUnavailable, Neo4jError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise Neo4jUnavailable(
            f"the Neo4j test server did not answer RETURN 1 within {self.start_timeout:.0f} s: "
            + self._log_tail()
        )

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log_path.read_text(errors="replace").splitlines()[-8:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
