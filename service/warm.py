"""Background warm-up of the analysis answers: every theme's default gaps and metrics.

A theme's first ``GET /gaps?theme=...`` or ``GET /network/metrics?theme=...`` after the graph
changed reads the theme's subgraph and runs the analysis: seconds on a large graph (5k actors,
50k relations: ~5 s to read, ~4 s for the gaps, ~5 s for the metrics). The warmer does that
work ahead of the analysts, in one background thread, for the questions asked most: each
theme's findings with the default filters, each theme's metrics grouped by level, then the
same for the whole graph. It reads the whole graph once (``read_snapshot``) and cuts each
theme's subgraph from it in memory, which costs about one theme read in all.

Answers land in the app's ``AnswerCache`` under exactly the keys the routes use, so a request
finds them; a request for a theme the warmer is computing right now waits for that result
(single flight) instead of computing it again. Runs are triggered at start-up, after each
ingestion job and document deletion, and when the graph version changes under the server
(an ingest from the CLI), checked every ``poll_seconds``. Nothing is computed when every
answer for the current graph version is already cached. Questions with other filters are
still computed on demand, cold.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from graph_schema import queries as q
from graph_schema.catalog import actor_detail, list_themes
from graph_schema.model import Subgraph
from graph_schema.reader import graph_version, read_snapshot
from graph_schema.store import GraphStore

from .deps import AnswerCache
from .routes.gaps import (
    SubgraphSource,
    gap_findings,
    gap_question,
    metrics_json,
    metrics_question,
)

__all__ = ["AnswerWarmer", "WarmRun"]

log = logging.getLogger(__name__)


@dataclass
class WarmRun:
    version: str
    themes: list[str] = field(default_factory=list)
    computed: int = 0  # answers computed by this run (the others were cached already)
    seconds: float = 0.0  # for the answers
    complete: bool = False  # False when the graph changed during the run
    primed_seconds: float = 0.0  # the first run's priming (AnswerWarmer.prime)


def _constant(sub: Subgraph) -> SubgraphSource:
    return lambda _flt: sub


class AnswerWarmer:
    def __init__(
        self,
        store: GraphStore,
        cache: AnswerCache,
        subgraphs: AnswerCache,
        *,
        whole_graph: bool = True,
        poll_seconds: float = 60.0,
        prime_actors: int = 1500,
        prime_threads: int = 8,
    ) -> None:
        self.store = store
        self.cache = cache
        self.subgraphs = subgraphs
        self.whole_graph = whole_graph
        self.poll_seconds = poll_seconds
        self.prime_actors = prime_actors
        self.prime_threads = prime_threads
        self.primed = False
        self.last: WarmRun | None = None
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="govgraph-warm", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wanted.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request(self) -> None:
        """Ask for a run soon (the graph changed, or the server started); never blocks."""
        self._idle.clear()
        self._wanted.set()

    def wait_idle(self, timeout: float = 600.0) -> bool:
        """Block until no run is pending or running (tests, benchmarks)."""
        return self._idle.wait(timeout)

    # -- work ---------------------------------------------------------------------------

    def _cached(self, version: str, themes: list[str | None]) -> bool:
        for theme in themes:
            flt, filters = gap_question(theme=theme)
            m_flt, group_by, _ = metrics_question(theme=theme)
            if ("gaps", version, flt, filters) not in self.cache:
                return False
            if ("metrics", version, m_flt, group_by) not in self.cache:
                return False
        return True

    def prime(self) -> float:
        """Once per process: read ``prime_actors`` actors' details from ``prime_threads``
        threads. The store server is a JVM: its first ~1,500 executions of the /actors/{id}
        statement run before the JIT has compiled them, ~3x slower (p50 61 ms falling to 20 ms
        over the first 7 s of a load of 8 clients); and each of the driver's pooled
        connections pays a login (~0.3 s under load) the first time. Doing both here, before
        analysts arrive, keeps that off their requests. Returns the seconds it took."""
        start = time.perf_counter()
        ids = [r["id"] for r in self.store.query(q.SOME_ACTOR_IDS, {"limit": self.prime_actors})]

        def read(actor_id: str) -> None:
            if not self._stop.is_set():
                actor_detail(self.store, actor_id)

        with ThreadPoolExecutor(self.prime_threads, thread_name_prefix="govgraph-prime") as ex:
            list(ex.map(read, ids))
        self.primed = True
        return time.perf_counter() - start

    def run_once(self) -> WarmRun:
        """Warm every theme's default answers for the current graph version, now."""
        with self._run_lock:
            primed = 0.0 if self.primed else self.prime()
            start = time.perf_counter()
            version = graph_version(self.store)
            themes = [t["id"] for t in list_themes(self.store) if t.get("linked")]
            targets: list[str | None] = [*themes, *([None] if self.whole_graph else [])]
            run = WarmRun(version, themes, primed_seconds=primed)
            if self._cached(version, targets):
                run.complete = True
            else:
                run = self._compute(run, targets)
            run.seconds = time.perf_counter() - start
            self.last = run
            log.info(
                "answers warmed for %d themes in %.1f s (%d computed, graph %s%s), primed in %.1f s",
                len(themes),
                run.seconds,
                run.computed,
                version,
                "" if run.complete else ", interrupted by a change of the graph",
                run.primed_seconds,
            )
            return run

    def _compute(self, run: WarmRun, targets: list[str | None]) -> WarmRun:
        snapshot = read_snapshot(self.store)
        if graph_version(self.store) != run.version:
            return run  # written while we read: the next run starts over
        for theme in targets:
            if self._stop.is_set():
                return run
            flt, filters = gap_question(theme=theme)
            metrics = metrics_question(theme=theme)
            assert metrics[0] == flt  # one subgraph serves both answers
            sub = snapshot.subgraph(flt)
            before = self.cache.misses
            gap_findings(
                self.store,
                self.cache,
                self.subgraphs,
                flt,
                filters,
                version=run.version,
                source=_constant(sub),
            )
            metrics_json(
                self.store,
                self.cache,
                self.subgraphs,
                metrics,
                version=run.version,
                source=_constant(sub),
            )
            run.computed += self.cache.misses - before
            del sub
            if graph_version(self.store) != run.version:
                return run
        run.complete = True
        return run

    def _loop(self) -> None:
        known: str | None = None
        while not self._stop.is_set():
            woke = self._wanted.wait(self.poll_seconds if self.poll_seconds > 0 else None)
            if self._stop.is_set():
                break
            try:
                # A quiet period: has someone else (a CLI ingest) changed the graph?
                if not woke and graph_version(self.store) == known:
                    continue
                self._wanted.clear()
                run = self.run_once()
                known = run.version
                if not run.complete:
                    self._wanted.set()  # the graph changed under us: again
            except Exception:  # a failed warm-up must not kill the thread; requests still work
                log.exception("warming the answers failed")
            finally:
                if not self._wanted.is_set():
                    self._idle.set()
        self._idle.set()
