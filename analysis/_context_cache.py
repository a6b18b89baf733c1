"""Analysis contexts shared by the analyses asked of one subgraph with the same filters.

/gaps and /network/metrics of one theme are usually asked together, on the one subgraph the
service cut for both, and building the context (analysis/_context.py) was a third of each.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import networkx as nx

from graph_schema.model import Subgraph
from graph_schema.plain import PlainSubgraph

from ._context import GapContext, build_context
from .network import filter_subgraph

__all__ = ["context_for", "contexts_released"]


_ContextKey = tuple[int, float, frozenset[str] | None]


class _Contexts:
    """The last few contexts built, by (subgraph, filters): /gaps and /network/metrics of
    one theme are usually asked together, on the one subgraph the service cut for both,
    and building the context was a third of each. Keyed by the subgraph's identity (a
    frozen model: the same object has the same facts) and dropped when it is freed, so an
    entry never outlives the subgraph or answers for another one with a reused id."""

    def __init__(self, max_entries: int = 2) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[_ContextKey, GapContext] = OrderedDict()
        # Re-entrant: releasing an evicted context (under the lock, in ``get``) can free the
        # last reference to its subgraph, whose finalizer (``_forget``) takes the lock again
        # on the same thread; a plain Lock deadlocked the request there.
        self._lock = threading.RLock()

    def get(
        self,
        subgraph: Subgraph | PlainSubgraph,
        min_confidence: float,
        document_ids: frozenset[str] | None,
    ) -> GapContext:
        key = (id(subgraph), min_confidence, document_ids)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        ctx = build_context(
            filter_subgraph(subgraph, min_confidence=min_confidence, document_ids=document_ids)
        )
        with self._lock:
            if not any(k[0] == key[0] for k in self._items):
                weakref.finalize(subgraph, self._forget, key[0])
            self._items[key] = ctx
            while len(self._items) > self.max_entries:
                _release(self._items.popitem(last=False)[1])
        return ctx

    def _forget(self, subgraph_id: int) -> None:
        with self._lock:
            for key in [k for k in self._items if k[0] == subgraph_id]:
                _release(self._items.pop(key))


# networkx caches its views (G.adj, G.edges, ...) on the graph, each holding the graph: a
# reference cycle, so a dropped tie graph - and the relations and evidence of the whole
# subgraph its edges hold - waited for the cyclic collector. With analyses run with the
# collector paused, a 5k-actor bench's gaps load left 1.9M such objects for one 2.1 s
# collection that stalled every request.
_NX_CACHED_VIEWS = tuple(
    name for name, attr in vars(nx.Graph).items() if isinstance(attr, cached_property)
)


def _release(ctx: GapContext) -> None:
    """Drop the tie graph's cached views, so that reference counting frees the graph as
    soon as the context goes; an analysis still reading it just builds them again."""
    for name in _NX_CACHED_VIEWS:
        ctx.ties.__dict__.pop(name, None)


_contexts = _Contexts()


def context_for(
    subgraph: Subgraph | PlainSubgraph,
    *,
    min_confidence: float = 0.0,
    document_ids: frozenset[str] | None = None,
) -> GapContext:
    """``build_context(filter_subgraph(subgraph, ...))``, shared by the analyses asked of
    one subgraph with the same filters (contexts are only read once built)."""
    ctx = _contexts.get(subgraph, min_confidence, document_ids)
    handed = getattr(_handed_out, "contexts", None)
    if handed is not None:
        handed.append(ctx)
    return ctx


_handed_out = threading.local()


@contextmanager
def contexts_released() -> Iterator[None]:
    """Around an analysis: the contexts it was handed leave it with their tie graphs'
    cached views dropped (``_release``). A context evicted from the cache while another
    thread still used it would otherwise keep a reference cycle, and with it the whole
    subgraph, until the next collection: the last user of a context releases it."""
    outer = getattr(_handed_out, "contexts", None)
    _handed_out.contexts = []
    try:
        yield
    finally:
        for ctx in _handed_out.contexts:
            _release(ctx)
        _handed_out.contexts = outer
