"""Connection to the graph store: one neo4j driver over Bolt, embedded or external.

``open_store(settings)`` is the only place that decides between the embedded ArcadeDB server
and a configured Neo4j 5; everything above it sees the same ``GraphStore``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Result
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from govgraph.errors import ConstraintViolation, StoreError, StoreUnavailable
from govgraph.settings import Settings

from .embedded import EmbeddedServer

__all__ = ["GraphStore", "as_dicts", "open_store", "translate_errors"]

T = TypeVar("T")


@contextlib.contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Map driver exceptions onto the govgraph error tree, keeping the cause attached."""
    try:
        yield
    except ConstraintError as exc:
        raise ConstraintViolation(
            f"{action} violates a uniqueness constraint: {exc.message}"
        ) from exc
    except AuthError as exc:
        raise StoreUnavailable(
            f"{action}: the graph store refused the credentials.",
            hint="check NEO4J_USER / NEO4J_PASSWORD",
        ) from exc
    except (ServiceUnavailable, SessionExpired) as exc:
        raise StoreUnavailable(f"{action}: the graph store is not reachable ({exc}).") from exc
    except Neo4jError as exc:
        # ArcadeDB reports unique-index violations as generic errors; recognise them by text.
        text = f"{exc.code} {exc.message}"
        if "Duplicated key" in text or "DuplicatedKey" in text or "already exists" in text:
            raise ConstraintViolation(
                f"{action} violates a uniqueness constraint: {exc.message}"
            ) from exc
        raise StoreError(f"{action} failed in the graph store: {exc.message}") from exc


# What the embedded server answers on a pooled connection whose login it no longer accepts
# (seen after long runs), and what the connection says on every later use.
_STALE_CONNECTION = ("no longer valid", "not expected in state: AUTHENTICATION")


def _stale(exc: StoreError) -> bool:
    text = f"{exc.message} {exc.__cause__ or ''}"
    return any(marker in text for marker in _STALE_CONNECTION)


def as_dicts(result: Result) -> list[dict[str, Any]]:
    """A result's records as plain dicts, values as decoded (see ``GraphStore.query``)."""
    keys = result.keys()
    return [dict(zip(keys, record.values(), strict=True)) for record in result]


def _new_driver(uri: str, auth: tuple[str, str] | None) -> Driver:
    # Server notifications off: on a fresh database Neo4j warns for every label and property
    # no node has yet (every migration check and read of an empty store), and driver 6 logs
    # each as a WARNING: noise in the analyst's terminal, not a fault. Errors still raise.
    return GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")


@dataclass
class GraphStore:
    """A driver bound to one database. Writes go through managed transactions only."""

    driver: Driver
    database: str
    uri: str
    embedded: bool
    _server: EmbeddedServer | None = None
    _auth: tuple[str, str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def execute_write(self, work: Callable[[ManagedTransaction], T], *, action: str) -> T:
        """Run ``work`` in ONE managed write transaction (retried on transient errors)."""
        return self._execute(work, action=action, write=True)

    def execute_read(self, work: Callable[[ManagedTransaction], T], *, action: str) -> T:
        return self._execute(work, action=action, write=False)

    def _execute(self, work: Callable[[ManagedTransaction], T], *, action: str, write: bool) -> T:
        for attempt in (1, 2):
            driver = self.driver
            try:
                with translate_errors(action), driver.session(database=self.database) as session:
                    return session.execute_write(work) if write else session.execute_read(work)
            except StoreError as exc:
                # A connection whose login the server stopped accepting stays in the pool
                # and fails every later request. Replace the driver (and its pool) and run
                # the transaction once more: it failed at BEGIN, so nothing was committed.
                if attempt == 2 or not _stale(exc) or self._auth is None:
                    raise
                self._reconnect(driver)
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def server(self) -> EmbeddedServer | None:
        """The embedded server behind this store; None for Neo4j (nothing of ours to restart)."""
        return self._server

    def reconnect(self, uri: str) -> None:
        """Follow the embedded server to ``uri`` after it was started again.

        On the same address the driver heals itself (a dead pooled connection fails once,
        managed transactions retry), and requests retrying on it now succeed. On a new address
        a new driver takes over; the old one is closed a minute later, not under the requests
        still retrying on it (they fail with "unreachable", not with "driver closed").
        """
        with self._lock:
            if uri == self.uri:
                return
            stale = self.driver
            self.driver, self.uri = _new_driver(uri, self._auth), uri
        closer = threading.Timer(60.0, stale.close)
        closer.daemon = True
        closer.start()

    def _reconnect(self, stale: Driver) -> None:
        with self._lock:
            if self.driver is not stale:  # another thread already replaced it
                return
            self.driver = _new_driver(self.uri, self._auth)
        stale.close()

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """One read query, its records as dicts."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return tx.run(query, dict(params or {})).data()

        return self.execute_read(work, action="Reading the graph")

    def query(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """One read query in an auto-commit transaction, its records as plain dicts.

        For hot reads (the API's per-request lookups, the reader's large row sets): one round
        trip where a managed transaction takes two (BEGIN+RUN+PULL, then COMMIT), and the
        values as the driver decoded them, where ``Record.data()`` walks every nested value
        again (a fifth of the Python time of /actors/{id}). Only for queries whose columns
        are values, lists and maps (projections such as ``n {.*}``), never nodes or
        relationships. Reads only: writes go through managed transactions (DESIGN.md).
        """
        for attempt in (1, 2):
            driver = self.driver
            try:
                with (
                    translate_errors("Reading the graph"),
                    driver.session(database=self.database, default_access_mode=READ_ACCESS) as s,
                ):
                    return as_dicts(s.run(query, dict(params or {})))
            except StoreError as exc:
                if attempt == 2 or not _stale(exc) or self._auth is None:
                    raise
                self._reconnect(driver)
        raise AssertionError("unreachable")  # pragma: no cover

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """One write query in its own managed transaction."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return tx.run(query, dict(params or {})).data()

        return self.execute_write(work, action="Writing to the graph")

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(settings: Settings, *, server: EmbeddedServer | None = None) -> GraphStore:
    """Connect as configured: ``NEO4J_URI`` if set, else the embedded server (started if needed).

    ``server`` injects an EmbeddedServer (tests share one across many stores).
    """
    if settings.embedded:
        server = server or EmbeddedServer(
            settings.data_dir,
            heap=settings.embedded_heap,
            database=settings.embedded_database,
            start_timeout=settings.embedded_start_timeout,
        )
        info = server.ensure_running()
        uri, auth, database = info.uri, (info.user, info.password), info.database
    else:
        assert settings.neo4j_uri is not None
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        uri, auth, database = (
            settings.neo4j_uri,
            (settings.neo4j_user, password),
            settings.neo4j_database,
        )
    driver = _new_driver(uri, auth)
    store = GraphStore(driver, database, uri, settings.embedded, server, auth)
    with translate_errors(f"Connecting to {uri}"):
        try:
            driver.verify_connectivity()
        except BaseException:
            driver.close()  # a refused login must not leave an open driver behind
            raise
    return store
