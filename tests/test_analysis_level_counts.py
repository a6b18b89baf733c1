"""Packed level counts add, subtract and count cross-level pairs as Counters do."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from analysis._level_counts import LevelCodes


def _cross(counts: Counter[str]) -> int:
    n = sum(counts.values())
    return (n * n - sum(c * c for c in counts.values())) // 2


@pytest.mark.parametrize("seed", range(10))
def test_packed_counts_match_counters(seed: int) -> None:
    rng = random.Random(seed)
    levels = [f"l{i}" for i in range(rng.randint(1, 7))]
    codes = LevelCodes(levels)
    whole = [rng.choice(levels) for _ in range(rng.randint(0, 3000))]
    part = whole[: rng.randint(0, len(whole))]
    code_whole = sum(codes.unit(lv) for lv in whole)
    code_part = sum(codes.unit(lv) for lv in part)
    assert codes.cross_pairs(code_whole) == _cross(Counter(whole))
    assert codes.cross_pairs(code_whole - code_part) == _cross(Counter(whole) - Counter(part))
    assert codes.counts(code_whole) == [Counter(whole)[lv] for lv in codes.levels]
