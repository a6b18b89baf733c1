"""Typed FastAPI dependencies: settings, store, job runner, and scope checks.

Everything here is built in the app's lifespan and kept on ``app.state``; nothing is created
at import time, and tests can inject their own store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from govgraph.gc_pause import collector_paused, freeze_answer
from govgraph.settings import Settings
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView

from .auth import ApiKey, KeyCache, Scope
from .jobs import JobRunner
from .problems import ProblemException

__all__ = [
    "AnswerCache",
    "CacheDep",
    "JobsDep",
    "ReadKey",
    "SettingsDep",
    "StoreDep",
    "SubgraphsDep",
    "ViewDep",
    "WriteKey",
    "graph_changed",
]

T = TypeVar("T")


# Dependencies that only read app.state are ``async def``: FastAPI runs a sync dependency in
# its thread pool, one thread hand-off per dependency per request (five on an authenticated
# route), which cost more than the work of a cached /actors/{id}.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    # While the supervisor restarts a dead embedded store, answer 503 at once instead of
    # holding the request through the driver's 30 s of retries against a closed port.
    supervisor = getattr(request.app.state, "supervisor", None)
    reason = supervisor.down_reason() if supervisor is not None else None
    if reason is not None:
        raise ProblemException(503, "Service Unavailable", reason, hint="retry in a few seconds")
    return store


async def get_jobs(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


class AnswerCache:
    """Derived answers (gap findings, network metrics) per (graph version, question): a
    small LRU for identical questions asked again.

    Callers put the analytic view's graph version in the key, so a write, replacement or
    deletion of any document (by this process, a CLI ingest, another worker) makes every old
    entry unreachable; they then age out of the LRU. Identical questions arriving together
    are computed once: the others wait for the first (a cold theme hit by 8 clients would
    otherwise run the same analysis 8 times on 2 cores).
    """

    def __init__(self, max_entries: int = 64) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                value: T = self._items[key]
                return value
            flight = self._inflight.setdefault(key, threading.Lock())
        with flight:
            with self._lock:  # computed by whoever held the flight lock before us?
                if key in self._items:
                    self.hits += 1
                    value = self._items[key]
                    return value
                self.misses += 1
            # Paused until the answer is frozen: an analysis ending its own pause let the
            # next allocation collect every young object, its whole answer and context
            # included (~20 ms per cold /gaps at 5k), just before the freeze took them all
            # out of the collector's reach anyway.
            with collector_paused():
                try:
                    value = compute()
                except BaseException:
                    with self._lock:
                        self._inflight.pop(key, None)
                    raise
                with self._lock:  # stored and released together: no window for a recompute
                    self._items[key] = value
                    self._items.move_to_end(key)
                    while len(self._items) > self.max_entries:
                        self._items.popitem(last=False)
                    self._inflight.pop(key, None)
                freeze_answer()
            return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


async def get_cache(request: Request) -> AnswerCache:
    cache: AnswerCache = request.app.state.answer_cache
    return cache


async def get_subgraphs(request: Request) -> AnswerCache:
    # Subgraphs cut from the view for the answers, by (graph version, filter): a theme's
    # gaps and its network metrics share one cut. Few entries: a large theme's is ~100 MB.
    cache: AnswerCache = request.app.state.subgraph_cache
    return cache


def graph_changed(request: Request) -> None:
    """This process changed the graph (a deletion, a merge undo): the analytic view applies
    the change now, so the next answer needs no catching up."""
    view: AnalyticView | None = getattr(request.app.state, "view", None)
    if view is not None:
        view.refresh()


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


async def get_view(request: Request, _: StoreDep) -> AnalyticView:
    # Behind get_store: while the store restarts, 503 at once (the view asks it its version).
    view: AnalyticView = request.app.state.view
    return view


ViewDep = Annotated[AnalyticView, Depends(get_view)]
JobsDep = Annotated[JobRunner, Depends(get_jobs)]
CacheDep = Annotated[AnswerCache, Depends(get_cache)]
SubgraphsDep = Annotated[AnswerCache, Depends(get_subgraphs)]

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="govgraph API key")
_bearer = HTTPBearer(auto_error=False, description="govgraph API key as a bearer token")

DEV_KEY = ApiKey(id="dev", name="auth disabled (dev flag)", prefix="dev", scopes=frozenset(Scope))


def get_key_cache(request: Request) -> KeyCache:
    cache: KeyCache = request.app.state.key_cache
    return cache


async def _authenticate(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    header_key: Annotated[str | None, Depends(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    if settings.auth_disabled:
        return DEV_KEY
    presented = header_key or (bearer.credentials if bearer else None)
    if not presented:
        raise ProblemException(
            401, "Unauthorized", "Send an API key in the X-API-Key header (govgraph keys create)."
        )
    keys = get_key_cache(request)
    # A key verified moments ago is answered on the event loop; otherwise the store is
    # asked, in the thread pool (the driver blocks).
    key = keys.cached(presented)
    if key is None:
        key = await run_in_threadpool(keys.verify, store, presented)
    if key is None:
        raise ProblemException(401, "Unauthorized", "The API key is unknown or revoked.")
    return key


def _require(scope: Scope):  # type: ignore[no-untyped-def]
    async def check(key: Annotated[ApiKey, Depends(_authenticate)]) -> ApiKey:
        if not key.allows(scope):
            raise ProblemException(
                403, "Forbidden", f"This API key lacks the '{scope.value}' scope."
            )
        return key

    return check


ReadKey = Annotated[ApiKey, Depends(_require(Scope.read))]
WriteKey = Annotated[ApiKey, Depends(_require(Scope.write))]
