"""A page's rows (in reading order) cut into paragraphs, headings, footnotes and tables.

Breaks come from the page's own statistics: the usual gap between the lines of a column
(its leading), the document's body font size, each column's right edge. A paragraph ends
at a gap clearly wider than the leading, at a change of font size or weight (a heading, a
cover line, a caption), at a short line that ends a sentence, or at a bullet. Footnotes
are the rows in a smaller font below the page's last body row. Rows side by side in
several cells that stay aligned over several rows are a whitespace table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise
from statistics import median

from ingest.model import PassageKind

from ._pdf_layout import Row
from ._pdf_records import record_starts
from ._tables import render_table_chunks, table_is_useful

__all__ = ["page_pieces"]

_BULLET = re.compile(r"^(?:[•·▪◦‣●■□➢►✓\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}(?![\d.,])|[*†‡§¶]{1,3})\s?\S")
_HYPHENS = ("-", "\u2010", "\u00ad")
_SIZE_STEP = 0.6  # points of font size that make a different style
_FOOTNOTE_SIZE = 0.9  # footnotes are set smaller than this share of the body size
_HEADING_MAX_CHARS = 160
_MIN_TABLE_ROWS = 3
_SIDE_GAP = 3.0  # font sizes of white between cells that are read as separate columns
_MAX_CELL_SHARE = 0.5  # a whitespace table's cells are narrower than this share of the column


def _leading(rows: list[Row]) -> float:
    """The usual vertical gap between consecutive rows of one column in one size."""
    gaps = [
        b.top - a.bottom
        for a, b in pairwise(rows)
        if a.column == b.column
        and abs(a.size - b.size) < _SIZE_STEP
        and b.top >= a.bottom - 1
        and a.table is None
        and b.table is None
    ]
    return median(gaps) if gaps else 0.0


def _new_style(a: Row, b: Row) -> bool:
    return abs(a.size - b.size) >= _SIZE_STEP or a.bold != b.bold


def _wide_gap(a: Row, b: Row, leading: float) -> bool:
    gap = b.top - a.bottom
    return gap < -1 or gap > max(1.6 * leading, leading + 0.4 * max(a.size, b.size))


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith(_HYPHENS) and line[:1].islower():
            text = text.rstrip("".join(_HYPHENS)) + line
        else:
            text = f"{text} {line}"
    return text


def _footnote_start(rows: list[Row], body: float, height: float) -> int:
    """Index of the first footnote row at the bottom of the page (len(rows) if none)."""
    start = len(rows)
    while start > 0:
        row = rows[start - 1]
        if row.table is not None or row.size >= _FOOTNOTE_SIZE * body:
            break
        start -= 1
    has_body_above = any(r.table is None and r.size >= _FOOTNOTE_SIZE * body for r in rows[:start])
    if start == len(rows) or not has_body_above or rows[start].top < 0.5 * height:
        return len(rows)
    if not _FOOTNOTE_START.match(rows[start].text):
        return len(rows)  # small print that does not start with a note mark: keep it as text
    return start


def _record_starts(rows: list[Row], placed: list[list[int]], leading: float) -> set[int]:
    """Rows that open a record: the first, a change of style (the header), a gap wider
    than the page's leading, and those the table's own gaps or key column tell
    (_pdf_records), within each run of one style."""
    starts = {0}
    run = 0
    for i in range(1, len(rows) + 1):
        if i < len(rows) and not _new_style(rows[i - 1], rows[i]):
            if _wide_gap(rows[i - 1], rows[i], leading):
                starts.add(i)
            continue
        segment = rows[run:i]
        gaps = [b.top - a.bottom for a, b in pairwise(segment)]
        keys = [
            next((c.text for c, j in zip(r.cells, placed[run + k], strict=True) if j == 0), "")
            for k, r in enumerate(segment)
        ]
        starts.update(run + k for k in record_starts(gaps, segment[0].size, keys))
        starts.add(i)
        run = i
    return starts


def _aligned_table(rows: list[Row], leading: float, width: float) -> list[list[str]] | None:
    """Rows of a whitespace table (multi-line cells joined) or None if they are not one."""
    anchors = [c.x0 for c in rows[0].cells]
    if len(anchors) < 2:
        return None
    if any(c.x1 - c.x0 > _MAX_CELL_SHARE * width for r in rows for c in r.cells):
        return None  # a numbered paragraph beside its number, not a table
    tolerance = max(0.6 * rows[0].size, 4.0)
    placed: list[list[int]] = []  # each row's cells' columns
    for row in rows:
        columns: list[int] = []
        for cell in row.cells:
            fits = [j for j, x in enumerate(anchors) if x <= cell.x0 + tolerance]
            if not fits or abs(cell.x0 - anchors[fits[-1]]) > tolerance:
                return None
            columns.append(fits[-1])
        placed.append(columns)
    starts = _record_starts(rows, placed, leading)
    records: list[list[list[str]]] = []
    for i, (row, columns) in enumerate(zip(rows, placed, strict=True)):
        if i in starts:
            records.append([[] for _ in anchors])
        for cell, j in zip(row.cells, columns, strict=True):
            records[-1][j].append(cell.text)
    if len(records) < _MIN_TABLE_ROWS:
        return None
    return [[_join(parts) for parts in record] for record in records]


def _table_runs(
    rows: list[Row], leading: float, widths: dict[int, float]
) -> dict[int, tuple[int, list[list[str]]]]:
    """Start index -> (end index, table rows) of the page's whitespace tables."""
    found: dict[int, tuple[int, list[list[str]]]] = {}
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.table is not None or len(row.cells) < 2:
            i += 1
            continue
        end = i + 1
        while (
            end < len(rows)
            and rows[end].table is None
            and rows[end].column == row.column
            and (len(rows[end].cells) >= 2 or not _wide_gap(rows[end - 1], rows[end], leading))
        ):
            end += 1
        # A last cell's continuation line belongs to the table; a paragraph after it does not.
        while (
            end > i + 1
            and len(rows[end - 1].cells) < 2
            and (rows[end - 1].x1 - rows[end - 1].x0 > _MAX_CELL_SHARE * widths[row.column])
        ):
            end -= 1
        table = (
            _aligned_table(rows[i:end], leading, widths[row.column])
            if end - i >= _MIN_TABLE_ROWS
            else None
        )
        if table is not None and table_is_useful(table):
            found[i] = (end, table)
            i = end
        else:
            i += 1
    return found


def _is_heading(text: str, rows: list[Row], body: float) -> bool:
    if len(text) > _HEADING_MAX_CHARS or text[-1:] in ".,;:" or len(rows) > 3:
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    styled = rows[0].size >= body + _SIZE_STEP or all(r.bold for r in rows)
    numbered = re.match(r"^\d+(?:\.\d+)*\.?\s+[^\W\d_]", text) is not None
    capitals = all(c.isupper() for c in letters)
    return styled or ((numbered or capitals) and len(text.split()) <= 12 and text[-1:] not in "!?)")


def _far_apart(row: Row) -> bool:
    return any(b.x0 - a.x1 >= _SIDE_GAP * max(a.size, b.size) for a, b in pairwise(row.cells))


def _side_by_side(run: list[Row]) -> list[Row]:
    """Rows whose cells stand far apart without forming a table (names beside their roles,
    a label column beside a value column): each group of cells is read as its own column,
    left first, so the two sides never run into one sentence."""
    groups: dict[int, list[Row]] = defaultdict(list)
    for row in run:
        k, cells = 0, [row.cells[0]]
        for a, b in pairwise(row.cells):
            if b.x0 - a.x1 >= _SIDE_GAP * max(a.size, b.size):
                groups[k].append(Row(cells, row.column * 100 + 10 + k))
                k, cells = k + 1, []
            cells.append(b)
        groups[k].append(Row(cells, row.column * 100 + 10 + k))
    return [r for k in sorted(groups) for r in groups[k]]


def _items(
    rows: list[Row], notes_from: int, leading: float, widths: dict[int, float]
) -> list[Row | str]:
    """The page's rows in reading order with tables as their pipe texts."""
    tables = _table_runs(rows[:notes_from], leading, widths)
    items: list[Row | str] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.table is not None:
            items.append(row.table)
            i += 1
        elif i in tables:
            end, table = tables[i]
            items.extend(render_table_chunks(table))
            i = end
        elif i < notes_from and _far_apart(row):
            end = i + 1
            while (
                end < notes_from
                and end not in tables
                and rows[end].table is None
                and (_far_apart(rows[end]))
            ):
                end += 1
            items.extend(_side_by_side(rows[i:end]))
            i = end
        else:
            items.append(row)
            i += 1
    return items


def _edges(rows: list[Row]) -> tuple[dict[int, float], dict[int, float]]:
    """Left and right edge of each column's text (the right one at the 90th percentile)."""
    right_edge: dict[int, float] = {}
    for column in {r.column for r in rows}:
        edges = sorted(r.x1 for r in rows if r.column == column and r.table is None)
        right_edge[column] = edges[int(0.9 * (len(edges) - 1))] if edges else 0.0
    left_edge = {c: min((r.x0 for r in rows if r.column == c), default=0.0) for c in right_edge}
    return left_edge, right_edge


def page_pieces(rows: list[Row], body: float, height: float) -> list[tuple[str, PassageKind]]:
    """(text, kind) pieces of one page in reading order."""
    leading = _leading(rows)
    notes_from = _footnote_start(rows, body, height)
    notes = {id(r) for r in rows[notes_from:]}
    left_edge, right_edge = _edges(rows)
    items = _items(rows, notes_from, leading, {c: right_edge[c] - left_edge[c] for c in right_edge})
    left_edge, right_edge = _edges([r for r in items if isinstance(r, Row)])

    pieces: list[tuple[str, PassageKind]] = []
    current: list[Row] = []

    def flush() -> None:
        if current:
            text = _join([r.text for r in current])
            kind = (
                PassageKind.footnote
                if id(current[0]) in notes
                else (PassageKind.heading if _is_heading(text, current, body) else PassageKind.text)
            )
            pieces.append((text, kind))
            current.clear()

    for row in items:
        if isinstance(row, str):
            flush()
            pieces.append((row, PassageKind.table))
            continue
        if current:
            prev = current[-1]
            width = right_edge[prev.column] - left_edge[prev.column]
            body_row = abs(prev.size - body) < _SIZE_STEP
            note, prev_note = id(row) in notes, id(prev) in notes
            if (
                (prev.column != row.column and not (note and prev_note))
                or note != prev_note
                or (note and _FOOTNOTE_START.match(row.text) is not None)
                or _new_style(prev, row)
                or _wide_gap(prev, row, leading)
                or _BULLET.match(row.text) is not None
                or (
                    body_row
                    and prev.text[-1:] in ".!?:;"
                    and prev.x1 < right_edge[prev.column] - 0.15 * width
                )
                or (body_row and prev.x1 - prev.x0 < 0.5 * width)
                # Continuation lines share an indent; a row off it starts a new paragraph
                # (the next numbered clause of a hanging indent, an indented first line).
                or (
                    body_row
                    and len(current) >= 2
                    and abs(row.x0 - current[1].x0) > _SIZE_STEP * row.size
                    and abs(current[-1].x0 - current[1].x0) <= _SIZE_STEP * row.size
                )
            ):
                flush()
        current.append(row)
    flush()
    return pieces
