"""Watch the graph store for a long-running process: a readiness answer kept fresh, and the
embedded server started again when it dies.

The API process owns its store for hours; the embedded ArcadeDB server is a child process
that can be killed (OOM killer, kill -9) while the API lives on. ``StoreSupervisor`` runs one
background thread that, every ``interval`` seconds,

- restarts a dead embedded server on the same data directory (``EmbeddedServer``'s lock keeps
  one server per directory, so a CLI that started one meanwhile is adopted, not doubled) and
  points the store at it;
- probes the store with its own small driver: short connection timeout, no transaction
  retries, so a dead store costs one refused connection rather than the 30 s of retries the
  request driver spends before it gives up.

``health()`` answers from that probe without waiting on the store, so ``/readyz`` returns at
once whether the store is up, down, or hung (a probe that has not come back makes the answer
go stale, and stale is not ready).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from neo4j import Driver, GraphDatabase

from govgraph.errors import GovgraphError

from .migrations import migration_status
from .store import GraphStore

__all__ = ["StoreHealth", "StoreSupervisor"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreHealth:
    ready: bool
    detail: str
    checked_at: float  # time.monotonic() of the probe this answer comes from


class StoreSupervisor:
    """One thread per API process: probe the store, restart the embedded server if it died."""

    def __init__(
        self,
        store: GraphStore,
        *,
        interval: float = 1.0,
        probe_timeout: float = 1.0,
    ) -> None:
        self.store = store
        self.interval = interval
        self.probe_timeout = probe_timeout
        # A probe older than this has not come back: the store hangs, which is not ready.
        self.stale_after = 3 * interval + 2 * probe_timeout
        self.restarts = 0
        self._health = StoreHealth(False, "the graph store has not been probed yet", 0.0)
        self._restarting = threading.Event()  # set: restarts paused (tests, maintenance)
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._probe_driver: Driver | None = None
        self._probe_uri: str | None = None

    # -- public -------------------------------------------------------------------------

    def start(self) -> None:
        """Probe once now (readiness is known from the first request on), then keep watching."""
        self.check()
        self._thread = threading.Thread(target=self._run, name="store-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 2 * self.probe_timeout + 5)
            self._thread = None
        if self._probe_driver is not None:
            self._probe_driver.close()
            self._probe_driver = None

    def pause_restarts(self) -> None:
        self._restarting.set()

    def resume_restarts(self) -> None:
        self._restarting.clear()

    def down_reason(self) -> str | None:
        """Why the store cannot answer now, when that is certain without asking it: the
        embedded server's process is gone (from /proc, not one probe interval later)."""
        server = self.store.server
        if server is None or server.alive():
            return None
        action = "restarts paused" if self._restarting.is_set() else "it is being restarted"
        return f"the embedded graph store process is not running ({action})"

    def health(self) -> StoreHealth:
        """The store's readiness now, without waiting on the store."""
        now = time.monotonic()
        reason = self.down_reason()
        if reason is not None:
            return StoreHealth(False, reason, now)
        health = self._health
        if now - health.checked_at > self.stale_after:
            return StoreHealth(
                False,
                f"the graph store has not answered a probe for {now - health.checked_at:.0f} s",
                now,
            )
        return health

    def check(self) -> StoreHealth:
        """One round: restart a dead embedded server, then probe. Runs on the thread."""
        self._restart_if_dead()
        self._health = self._probe()
        return self._health

    # -- internals ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive any one failure
                log.exception("store supervisor round failed")

    def _restart_if_dead(self) -> None:
        server = self.store.server
        if server is None or self._restarting.is_set() or self._stopped.is_set():
            return
        try:
            info = server.restart_if_dead()
        except GovgraphError as exc:
            log.error("the embedded graph store could not be started again: %s", exc.message)
            self._health = StoreHealth(
                False, f"restarting the embedded graph store failed: {exc.message}", 0.0
            )
            return
        if info is not None:
            self.store.reconnect(info.uri)
            self.restarts += 1
            log.warning("embedded graph store running again at %s (pid %s)", info.uri, info.pid)

    def _probe(self) -> StoreHealth:
        store = self.store
        probe = GraphStore(self._driver(), store.database, store.uri, store.embedded)
        try:
            probe.query("RETURN 1 AS ok")
            pending = [s.version for s in migration_status(probe) if not s.applied_at]
        except GovgraphError as exc:  # StoreError, or MigrationError reading the ledger
            return StoreHealth(False, exc.message, time.monotonic())
        if pending:
            return StoreHealth(False, f"migrations pending: {pending}", time.monotonic())
        return StoreHealth(True, "ready", time.monotonic())

    def _driver(self) -> Driver:
        uri = self.store.uri
        if self._probe_driver is None or self._probe_uri != uri:
            if self._probe_driver is not None:
                self._probe_driver.close()
            auth = self.store._auth
            self._probe_driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=self.probe_timeout,
                connection_acquisition_timeout=self.probe_timeout,
                max_transaction_retry_time=0,  # one attempt: a probe must not retry for 30 s
                max_connection_pool_size=1,
                # One long-lived login: ArcadeDB hashes the password on every new one.
                keep_alive=True,
            )
            self._probe_uri = uri
        return self._probe_driver
