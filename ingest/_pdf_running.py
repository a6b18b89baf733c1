"""Running headers, footers and page numbers: found by position and repetition across pages.

A row belongs to a page's margin when it lies in the top or bottom band of the page. A
margin row goes when the same text (digits ignored, so "Page 3 of 19" and "Page 4 of 19"
agree) stands in that margin on many pages, or when it is nothing but a page number
("- 3 -", "Page 3 of 19", "p. 3", "3/19"). Body text that happens to repeat stays: it is
not in a margin.
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
        for row in rows:
            zone = _margin(row, height)
            if zone is None or row.table is not None:
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
