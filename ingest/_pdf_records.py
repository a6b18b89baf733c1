"""Where the records of a table without row rules start, from the table's own line gaps.

A record (a table row) may wrap its cells over several lines. When the table pads its
records, the gaps between lines are of two sizes: a gap clearly wider than the narrowest
(by a share of the font size) starts a record. Without padding the gaps say nothing, and
the first column decides: a line whose first cell has text that does not start in lower
case opens a record; an empty first cell or a lower-case one continues the record above
(the first column is the key a row is read by).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["record_starts"]

_PADDING = 0.3  # font sizes a record gap exceeds a cell's own leading by


def record_starts(gaps: Sequence[float], size: float, key_cells: Sequence[str]) -> list[int]:
    """Indexes (1..n-1) of the lines that open a record. ``gaps[i]`` is the white between
    line i and line i+1; ``key_cells[i]`` the text of line i's first cell ('' if empty)."""
    if not gaps:
        return []
    if max(gaps) - min(gaps) > _PADDING * size:
        limit = (max(gaps) + min(gaps)) / 2
        return [i + 1 for i, gap in enumerate(gaps) if gap > limit]
    return [
        i
        for i in range(1, len(key_cells))
        if key_cells[i].strip() and not key_cells[i].strip()[:1].islower()
    ]
