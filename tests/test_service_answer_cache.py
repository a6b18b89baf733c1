"""The answer cache keeps what it caches out of the collector's walks (a theme's answer is
~10^5 tracked objects; left young, the next collections of every generation walked it),
and a dropped answer is still freed."""

from __future__ import annotations

import gc
import weakref

from govgraph.gc_pause import collector_paused
from service.deps import AnswerCache


class _Answer:
    def __init__(self) -> None:
        self.rows = [[i] for i in range(1000)]


def test_service_answer_cache_freezes_answers_and_still_frees_them() -> None:
    cache = AnswerCache(max_entries=1)
    answer = cache.get_or_compute("a", _Answer)
    tracked = {id(o) for o in gc.get_objects()}
    assert id(answer) not in tracked and id(answer.rows[0]) not in tracked
    gone = weakref.ref(answer)
    was_enabled = gc.isenabled()
    gc.disable()  # reference counting alone
    try:
        del answer
        cache.get_or_compute("b", _Answer)  # "a" leaves the cache of one
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_service_answer_cache_computes_without_collecting_the_answer() -> None:
    """An analysis pauses the collector for itself; its end must not let the next
    allocation collect the young answer the cache is about to freeze anyway."""
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    def analysis() -> list[list[int]]:
        with collector_paused():
            rows = [[i] for i in range(20_000)]
        rows.extend([i] for i in range(2_000))  # after the analysis: its answer's wrapping
        return rows

    was_enabled = gc.isenabled()
    gc.enable()
    gc.collect()
    gc.callbacks.append(count)
    try:
        answer = AnswerCache().get_or_compute("a", analysis)
        [[i] for i in range(10)]  # an allocation right after: no collection owed
    finally:
        gc.callbacks.remove(count)
        if not was_enabled:
            gc.disable()
    assert len(answer) == 22_000
    assert started == []
