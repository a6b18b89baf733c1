"""Running headers, footers and page numbers: found by position and repetition across pages.

A row belongs to a page's margin when it lies in the top or bottom band of the page. A
margin row goes when the same text (digits ignored, so "Page 3 of 19" and "Page 4 of 19"
agree) stands in that margin on many pages, or when it is nothing but a page number
("- 3 -", "Page 3 of 19", "p. 3", "3/19"). Body text that happens to repeat stays: it is
not in a margin. Nor do the rows of a table that runs into the margin (its header repeated
at the top of every page it spans, records whose only difference is a number): rows whose
cells stand in the columns of a table that goes on into the page's body are kept.
"""

from __future__ import annotations

import re
from collections import Counter

from ._pdf_layout import Row

__all__ = ["PAGE_NUMBER", "edge_key", "strip_running_rows"]

PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p[áa]gina|p[áa]g\.?|p\.)\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:of|de|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_MARGIN_SHARE = 0.12  # top and bottom bands of the page height that hold running lines
_REPEAT_SHARE = 0.4  # share of the pages a running line appears on
_ALIGN = 0.6  # font sizes: cells starting this close stand in one column (as _pdf_blocks)
_MIN_ALIGN = 4.0  # points
_MAX_WRAPPED = 2  # lines of one wrapped cell between a table's margin rows and its body rows


def edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _margin(row: Row, height: float) -> str | None:
    if row.bottom <= _MARGIN_SHARE * height:
        return "top"
    if row.top >= (1 - _MARGIN_SHARE) * height:
        return "bottom"
    return None


def _pieces(row: Row) -> list[str]:
    # A header's parts (title left, reference right) may be cells of one row.
    return [row.text, *(c.text for c in row.cells)] if len(row.cells) > 1 else [row.text]


def _in_columns(row: Row, anchors: list[float], tolerance: float) -> int:
    """How many of ``row``'s cells stand in the columns ``anchors`` start (a cell starts at
    one and ends before the next); 0 when any cell does not (a line of prose runs over)."""
    for cell in row.cells:
        starts = [i for i, x in enumerate(anchors) if abs(cell.x0 - x) <= tolerance]
        if not starts or (
            starts[0] + 1 < len(anchors) and cell.x1 > anchors[starts[0] + 1] - tolerance
        ):
            return 0
    return len(row.cells)


def _table_rows(rows: list[Row], height: float) -> set[int]:
    """Indexes of the margin rows that belong to a table reaching into the body: from a
    margin row of two or more cells, the rows towards the body stand in its columns (a
    wrapped cell's line in one of them) until a row of two or more cells outside the
    margin. A running title beside a reference leads into paragraphs, never straight into
    such a row."""
    kept: set[int] = set()
    for n, row in enumerate(rows):
        zone = _margin(row, height)
        if zone is None or row.table is not None or len(row.cells) < 2 or n in kept:
            continue
        anchors = [c.x0 for c in row.cells]
        tolerance = max(_ALIGN * row.size, _MIN_ALIGN)
        step = 1 if zone == "top" else -1
        path = [n]
        m = n + step
        wrapped = 0  # body lines of one cell passed: a wrapped cell has a few, prose many
        while 0 <= m < len(rows) and rows[m].table is None and wrapped <= _MAX_WRAPPED:
            shared = _in_columns(rows[m], anchors, tolerance)
            if not shared or (len(rows[m].cells) >= 2 and shared < 2):
                break
            if _margin(rows[m], height) is not None:
                path.append(m)
            elif len(rows[m].cells) >= 2:
                kept.update(path)
                break
            else:
                wrapped += 1
            m += step
    return kept


def strip_running_rows(pages: list[list[Row]], heights: list[float]) -> list[list[Row]]:
    """Each page's rows without running headers, footers and bare page numbers."""
    seen: Counter[tuple[str, str]] = Counter()
    for rows, height in zip(pages, heights, strict=True):
        keys: set[tuple[str, str]] = set()
        for row in rows:
            zone = _margin(row, height)
            if zone is not None and row.table is None:
                keys.update((zone, edge_key(piece)) for piece in _pieces(row))
        seen.update(keys)
    threshold = max(2.0, _REPEAT_SHARE * len(pages))
    running = {key for key, n in seen.items() if n >= threshold} if len(pages) >= 3 else set()

    def removable(row: Row, zone: str) -> bool:
        if PAGE_NUMBER.match(row.text):
            return True
        return (zone, edge_key(row.text)) in running

    kept_pages: list[list[Row]] = []
    for rows, height in zip(pages, heights, strict=True):
        kept: list[Row] = []
        in_tables = _table_rows(rows, height)
        for n, row in enumerate(rows):
            zone = _margin(row, height)
            if zone is None or row.table is not None or n in in_tables:
                kept.append(row)
                continue
            if removable(row, zone):
                continue
            cells = [
                c
                for c in row.cells
                if not (PAGE_NUMBER.match(c.text) or (zone, edge_key(c.text)) in running)
            ]
            if cells:
                row.cells = cells
                kept.append(row)
        kept_pages.append(kept)
    return kept_pages
