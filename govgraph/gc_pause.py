"""Pause Python's cyclic garbage collector while an analysis, or a view's cut or read, runs.

An analysis allocates hundreds of thousands of short-lived containers (tuples, sets,
findings) while the subgraph it reads holds hundreds of thousands more; every few
thousand allocations the collector walks the live objects, which cost ~30% of a theme's
gap analysis at 5,000 actors. The analysis builds no reference cycles that matter (its
results are freed by reference counting), so the collector is paused for the call and
restored afterwards; nested and concurrent analyses share one pause.

The analytic view (graph_schema/view.py) is the same case in bulk: its millions of long-lived
tuples are what every collection walks, so cutting a theme's subgraph from it (~50k evidence
views) spent 60% of its time in the collector, and reading it much the same. Shared here,
below both packages, because graph_schema must not import analysis.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def freeze_long_lived() -> None:
    """Put every object alive now out of the collector's reach (``gc.freeze``).

    Called once a new analytic view is published: its hundreds of thousands of tracked
    containers (millions at 50k actors) live until the next refresh, and every full
    collection walked them all (0.5 s at 5,000 actors under load), stalling whichever
    request triggered it. Frozen objects are still freed by reference counting when the
    next state replaces them, so the view must hold no reference cycles (it does not). The
    young generations are collected first so that little cyclic garbage gets frozen with
    it; what is left of it in the oldest generation (a few driver or exception objects per
    refresh) stays.
    """
    gc.collect(1)
    gc.freeze()


def freeze_answer() -> None:
    """Put a just-cached answer (a theme's cut subgraph, its findings, metrics JSON: ~10^5
    tracked objects each) out of the collector's reach. Left young, it was walked by the
    next collections of every generation as it aged: 0.5-1.6 s stalls of whichever request
    allocated next. No collection first (that walk is the cost avoided): the few cyclic
    objects of the request itself (a traceback, a frame: a few hundred) are frozen with
    it and stay; the answer is freed by reference counting when the cache drops it."""
    gc.freeze()
