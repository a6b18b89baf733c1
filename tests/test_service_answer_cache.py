"""The answer cache keeps what it caches out of the collector's walks (a theme's answer is
~10^5 tracked objects; left young, the next collections of every generation walked it),
and a dropped answer is still freed."""

from __future__ import annotations

import gc
import weakref

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
