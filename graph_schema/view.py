"""One in-memory analytic view of the fact graph per process, kept current incrementally.

The analysis questions (/gaps, /network/metrics) need every fact of a theme, with its
evidence, but only the quotes of the findings they return. The view reads the facts once
(actors, persons, policies, programmes, fact relations, document kinds, and evidence as
light tuples: document, passage, span, confidence, cue and a digest of the quote, never the
quote text) and cuts any filter's subgraph in memory with ``GraphSnapshot.subgraph``, the
same code ``read_subgraph`` shares, so the two cannot drift. The quotes of the findings on a
page are then fetched in one query (``quotes``).

``refresh`` keeps it current: when the graph version (graph_schema/version.py, one stamp
every write moves on) is not the state's, the change stamps (each document's ingested_at,
the merge-undo and the decision records) are compared with the state's: they say which
documents were written, replaced or deleted and which undos and decisions happened; only the
facts those touch are read again. A reader gets
one consistent snapshot (``ViewState``): refreshes build a new state and swap it in.

Here the process's view (``AnalyticView``); a state and its light tuples in
graph_schema/view_state.py; the load and the incremental refresh in view_read.py; the cut's
indexes in cut_index.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from neo4j import ManagedTransaction

from govgraph.gc_pause import collector_paused, freeze_long_lived

from .store import GraphStore
from .version import graph_version
from .view_read import load_state, refreshed_state, runner
from .view_stamps import Run
from .view_state import EvidenceKey, RefreshStats, ViewState, quote_digest

__all__ = [
    "AnalyticView",
    "EvidenceKey",
    "RefreshStats",
    "ViewState",
    "quote_digest",
]

log = logging.getLogger(__name__)

_QUOTES = (
    "UNWIND $rows AS row "
    "MATCH (e:Evidence {key: row.key})-[:CITES]->(p:Passage {id: row.passage_id}) "
    "WHERE e.char_start = row.char_start AND e.char_end = row.char_end "
    "RETURN row.key AS key, row.passage_id AS passage_id, row.char_start AS char_start, "
    "row.char_end AS char_end, e.quote AS quote, p.text AS passage_text"
)


class AnalyticView:
    """The process's view of the facts. ``state()`` waits for the first load; ``refresh()``
    applies what changed since (this process's writes, or anyone's, by the graph version).

    ``max_share``: a refresh touching more than this share of the documents reloads all
    (one scan is then cheaper than thousands of lookups by id).
    """

    def __init__(self, store: GraphStore, *, max_share: float = 0.5) -> None:
        self.store = store
        self.max_share = max_share
        self.last = RefreshStats()
        self._state: ViewState | None = None
        self._lock = threading.Lock()  # guards _state
        self._work = threading.Lock()  # one load or refresh at a time
        self._loader: threading.Thread | None = None

    # -- loading ------------------------------------------------------------------------

    def load(self) -> ViewState:
        """Read everything, now (also the fallback when a refresh cannot be applied)."""
        with self._work:
            return self._apply(lambda run, stats: load_state(run, stats))

    def start_loading(self) -> None:
        """Load in the background (server start-up); requests meanwhile wait for it."""

        def work() -> None:
            try:
                self.load()
            except Exception:  # the first request loads it again, and reports the error
                log.exception("loading the analytic view failed")

        self._loader = threading.Thread(target=work, name="govgraph-view-load", daemon=True)
        self._loader.start()

    def close(self, timeout: float = 60.0) -> None:
        """Wait for a background load still running (server shutdown): the store must not
        be closed under its transaction, which would leave the driver's session unclosed."""
        loader = self._loader
        if loader is not None and loader.is_alive():
            loader.join(timeout)

    def state(self) -> ViewState:
        """The current state, loaded first if need be."""
        loader = self._loader
        if loader is not None and loader.is_alive():
            loader.join()
        with self._lock:
            state = self._state
        return state if state is not None else self.load()

    # -- keeping current ----------------------------------------------------------------

    def refresh(self) -> ViewState:
        """Apply the changes since the state was read: an incremental read of the documents
        whose ingested_at changed or that vanished, and of merge undos."""
        old = self.state()
        with self._work:
            with self._lock:
                old = self._state or old
            try:
                return self._apply(
                    lambda run, stats: refreshed_state(run, old, stats, self.max_share)
                )
            except Exception:
                log.exception("refreshing the analytic view failed; reading it again")
                return self._apply(lambda run, stats: load_state(run, stats))

    def current(self) -> ViewState:
        """The state for the store's current graph version (one cheap query): picks up
        changes made by other processes (a CLI ingest) before answering."""
        state = self.state()
        if graph_version(self.store) == state.version:
            return state
        return self.refresh()

    def quotes(self, keys: Iterable[EvidenceKey]) -> dict[EvidenceKey, tuple[str, str]]:
        """Quote and passage text of the given evidence, in one query."""
        rows = [
            {"key": k, "passage_id": p, "char_start": s, "char_end": e}
            for k, p, s, e in dict.fromkeys(keys)
        ]
        if not rows:
            return {}
        return {
            (r["key"], r["passage_id"], int(r["char_start"]), int(r["char_end"])): (
                r["quote"] or "",
                r["passage_text"] or "",
            )
            for r in self.store.query(_QUOTES, {"rows": rows})
        }

    # -- internals ----------------------------------------------------------------------

    def _apply(self, build: Callable[[Run, RefreshStats], ViewState]) -> ViewState:
        # Paused until the new state is frozen: the read's own pause ending let the next
        # allocation collect every young object of the new state (~10 ms a refresh at 5k)
        # just before freeze_long_lived walked them again.
        with collector_paused():
            return self._publish(self._read(build))

    def _read(
        self, build: Callable[[Run, RefreshStats], ViewState]
    ) -> tuple[ViewState, RefreshStats]:
        def work(tx: ManagedTransaction) -> tuple[ViewState, RefreshStats]:
            stats = RefreshStats()  # per attempt: a retried transaction counts once
            with collector_paused():  # millions of tuples read, none of them cyclic garbage
                return build(runner(tx), stats), stats

        return self.store.execute_read(work, action="Reading the analytic view")

    def _publish(self, result: tuple[ViewState, RefreshStats]) -> ViewState:
        state, stats = result
        with self._lock:
            self._state = state
            self.last = stats
        freeze_long_lived()
        log.info(
            "analytic view at %s (%s: %d documents, %d nodes, %d relations, %d evidence read)",
            state.version,
            "full load" if stats.full else "incremental",
            stats.documents,
            stats.nodes,
            stats.relations,
            stats.evidence,
        )
        return state
