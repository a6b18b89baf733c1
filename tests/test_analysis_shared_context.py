"""/gaps and /network/metrics of one subgraph share one analysis context (analysis/_context_cache
``context_for``): built once per (subgraph, filters), never served for another subgraph or
other filters, gone with its subgraph."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from test_analysis_equivalence import random_subgraph

import analysis._context_cache as context_module
from analysis import GapFilters, find_gaps, network_metrics


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The subgraphs build_context was called with, in order."""
    seen: list[Any] = []
    real = context_module.build_context

    def counting(subgraph: Any) -> Any:
        seen.append(subgraph)
        return real(subgraph)

    monkeypatch.setattr(context_module, "build_context", counting)
    monkeypatch.setattr(context_module, "_contexts", context_module._Contexts())
    return seen


def test_analysis_shared_context_gaps_then_metrics_build_it_once(builds: list[Any]) -> None:
    sub = random_subgraph(5, 40, 0.1)
    findings = find_gaps(sub)
    metrics = network_metrics(sub)
    assert len(builds) == 1
    assert find_gaps(sub) == findings and network_metrics(sub) == metrics
    assert len(builds) == 1
    fresh = context_module._Contexts()  # the same answers from a context of their own
    context_module._contexts = fresh
    assert find_gaps(sub) == findings and network_metrics(sub) == metrics
    assert metrics.actors  # not vacuous


def test_analysis_shared_context_keys_filters_and_subgraphs(builds: list[Any]) -> None:
    sub, other = random_subgraph(5, 40, 0.1), random_subgraph(6, 40, 0.1)
    find_gaps(sub)
    network_metrics(sub, min_confidence=0.7)  # other filters: another context
    assert len(builds) == 2
    find_gaps(other)  # an equal-sized other graph: its own context
    assert len(builds) == 3
    assert find_gaps(other) == find_gaps(other, filters=GapFilters())
    assert len(builds) == 3


def test_analysis_shared_context_goes_with_its_subgraph(builds: list[Any]) -> None:
    sub = random_subgraph(5, 40, 0.1)
    find_gaps(sub)
    assert len(context_module._contexts._items) == 1
    del sub
    gc.collect()
    assert not context_module._contexts._items


def test_analysis_shared_context_frees_a_dropped_tie_graph_without_the_collector(
    builds: list[Any],
) -> None:
    """networkx's cached views make a graph a reference cycle: a context dropped from the
    cache must still free its tie graph (and the subgraph's views its edges hold) by
    reference counting, or they pile up for one long collection."""
    import weakref

    first, second, third = (random_subgraph(s, 40, 0.1) for s in (5, 6, 7))
    find_gaps(first)
    network_metrics(first)  # its tie graph's cached views are built by now
    tie_graph = weakref.ref(context_module._contexts.get(first, 0.0, None).ties)
    assert len(builds) == 1 and tie_graph() is not None
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        find_gaps(second)
        find_gaps(third)  # the first context leaves the cache of two
        assert tie_graph() is None
    finally:
        if was_enabled:
            gc.enable()


def test_analysis_shared_context_leaves_no_cycle_after_each_analysis(builds: list[Any]) -> None:
    """A context evicted while another thread still reads it is freed when that analysis
    ends: every analysis drops its contexts' cached views on the way out."""
    sub = random_subgraph(5, 40, 0.1)
    network_metrics(sub)
    ctx = context_module._contexts.get(sub, 0.0, None)
    assert len(builds) == 1
    assert not set(context_module._NX_CACHED_VIEWS) & set(ctx.ties.__dict__)
    ctx.ties.edges  # noqa: B018 - what a concurrent reader does: the cycle is back
    find_gaps(sub)
    assert not set(context_module._NX_CACHED_VIEWS) & set(ctx.ties.__dict__)
