"""From a page's spans to rows of text in reading order, using only the page's geometry.

1. Footnote markers go first: a short run of digits or symbols in a smaller font, raised
   above the baseline of the word it follows, is a reference mark, not part of the sentence.
2. Spans that share a baseline and sit close together become one line. A wide horizontal
   gap (a column gutter, a table's whitespace) keeps them apart.
3. A vertical gutter that no line crosses splits the page into columns. Lines that do cross
   it (a title over both columns, a table) cut the page into bands; each band is read left
   column first, then right.
4. Within a column, lines at the same height are one row (the cells of a whitespace table).

Nothing here knows any words: sizes, positions and gaps decide.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from ._pdf_spans import Span

__all__ = ["Line", "Row", "body_size", "join_lines", "reading_rows"]

_MARKER = re.compile(r"^(?:\d{1,3}|[*†‡§¶]{1,3})(?:[,\-–]\d{1,3})*$")
_MARKER_SIZE_RATIO = 0.85  # a marker's font is at most this share of the word's it follows
_RAISE_SHARE = 0.15  # its bottom sits at least this share of the word's height higher
_WORD_GAP = 0.15  # gap (in font sizes) wide enough to mean a space between two spans
_LINE_GAP = 1.5  # gap (in font sizes) that separates two lines on the same baseline
_MIN_LINE_GAP = 10.0  # points
_MIN_COLUMN_LINES = 5
_BAND = 8.0  # points: height of the bands lines are indexed by while they are built
_MIN_GUTTER = 6.0  # points of white between two columns
_MIN_COLUMN_WIDTH = 0.2  # share of the page width a column's typical line covers


@dataclass(slots=True, eq=False)
class Line:
    """Spans on one baseline. Its text, size and weight are set by ``finish`` once the
    line is complete (the block rules read them many times). Lines are compared by
    identity: a line is one place on the page, and join_lines looks lines up in its
    bands many times per span (a field-by-field comparison was a tenth of a page's time)."""

    spans: list[Span]
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    size: float = 0.0  # the font size most of the line's characters have
    bold: bool = False

    def finish(self) -> Line:
        parts: list[str] = []
        previous: Span | None = None
        weight: Counter[float] = Counter()
        bold = total = 0
        for span in self.spans:
            if (
                previous is not None
                and not parts[-1].endswith(" ")
                and not span.text.startswith(" ")
                and span.x0 - previous.x1 > _WORD_GAP * max(span.size, previous.size)
            ):
                parts.append(" ")
            parts.append(span.text)
            previous = span
            chars = len(span.text.strip())
            weight[round(span.size, 1)] += chars
            total += chars
            bold += chars if span.bold else 0
        self.text = " ".join("".join(parts).split())
        self.size = weight.most_common(1)[0][0] if weight else 0.0
        self.bold = bold * 2 > total
        return self


class Row:
    """Lines side by side at one height within one column (one line, or table cells).
    Its box is kept up to date as cells change (the block rules read it many times)."""

    __slots__ = ("_cells", "bold", "bottom", "column", "size", "table", "text", "top", "x0", "x1")

    def __init__(self, cells: list[Line], column: int = 0, table: str | None = None) -> None:
        self.column = column  # 0 full width / single column, 1 left, 2 right; more: sides
        self.table = table  # a table's pipe text, placed at this row's position
        self.cells = cells

    @property
    def cells(self) -> list[Line]:
        return self._cells

    @cells.setter
    def cells(self, cells: list[Line]) -> None:
        self._cells = sorted(cells, key=lambda c: c.x0)
        self.top = min(c.top for c in cells)
        self.bottom = max(c.bottom for c in cells)
        self.x0 = min(c.x0 for c in cells)
        self.x1 = max(c.x1 for c in cells)
        self.text = " ".join(c.text for c in self._cells if c.text)
        self.size = max(c.size for c in cells)
        self.bold = all(c.bold for c in cells)

    def add(self, line: Line) -> None:
        self.cells = [*self._cells, line]


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


def _drop_markers(spans: list[Span]) -> list[Span]:
    """Spans minus superscript reference marks glued to the end of a word. The word's box
    grows over the mark, so the text after it joins as if the mark had never been there
    ("Act, and", not "Act , and")."""
    kept: list[Span | None] = list(spans)
    for n, span in enumerate(spans):
        if not _MARKER.match(span.text.strip()):
            continue
        for w, word in enumerate(kept):
            if (
                word is not None
                and w != n
                and span.size <= _MARKER_SIZE_RATIO * word.size
                and -1.0 <= span.x0 - word.x1 <= 3.0
                and _overlap(span.top, span.bottom, word.top, word.bottom) > 0
                and span.bottom < word.bottom - _RAISE_SHARE * word.height
            ):
                kept[w] = replace(word, x1=max(word.x1, span.x1))
                kept[n] = None
                break
    return [s for s in kept if s is not None]


def join_lines(spans: list[Span]) -> list[Line]:
    """Spans on one baseline and close enough horizontally joined, left to right."""
    lines: list[Line] = []
    # Lines indexed by height bands, so a span is only compared with lines near it.
    bands: dict[int, list[Line]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: s.x0):
        gap_limit = max(_LINE_GAP * span.size, _MIN_LINE_GAP)
        best: Line | None = None
        best_overlap = 0.0
        seen: set[int] = set()
        for band in range(int(span.top // _BAND), int(span.bottom // _BAND) + 1):
            for line in bands.get(band, ()):
                if id(line) in seen or not -2.0 <= span.x0 - line.x1 <= gap_limit:
                    continue
                seen.add(id(line))
                overlap = _overlap(span.top, span.bottom, line.top, line.bottom)
                if overlap > 0.3 * min(span.height, line.bottom - line.top) and (
                    overlap > best_overlap
                ):
                    best, best_overlap = line, overlap
        if best is None:
            best = Line([span], span.x0, span.top, span.x1, span.bottom)
            lines.append(best)
        else:
            best.spans.append(span)
            best.x1 = max(best.x1, span.x1)
            best.top, best.bottom = min(best.top, span.top), max(best.bottom, span.bottom)
        for band in range(int(best.top // _BAND), int(best.bottom // _BAND) + 1):
            if best not in bands[band]:
                bands[band].append(best)
    return [line for line in (ln.finish() for ln in lines) if line.text]


def _gutter(lines: list[Line], width: float) -> float | None:
    """x of a vertical gap in the page's middle that only wide (full-width) lines cross."""
    narrow = [ln for ln in lines if ln.x1 - ln.x0 < 0.6 * width]
    if len(narrow) < 2 * _MIN_COLUMN_LINES:
        return None
    step = 2.0
    bins = int(width / step) + 1
    covered = [0] * bins
    for line in narrow:
        for b in range(max(int(line.x0 / step), 0), min(int(line.x1 / step) + 1, bins)):
            covered[b] += 1
    best: tuple[int, int] | None = None
    start = None
    # A few lines may bridge the gutter (footnotes, a running header): they become cuts.
    allowed = max(2, len(narrow) // 20)
    for b in range(int(0.3 * bins), int(0.7 * bins) + 1):
        if covered[b] <= allowed and start is None:
            start = b
        if covered[b] > allowed and start is not None:
            if best is None or b - start > best[1] - best[0]:
                best = (start, b)
            start = None
    if start is not None and (best is None or int(0.7 * bins) - start > best[1] - best[0]):
        best = (start, int(0.7 * bins))
    if best is None or (best[1] - best[0]) * step < _MIN_GUTTER:
        return None
    gutter = (best[0] + best[1]) / 2 * step
    left = sorted(ln.x1 - ln.x0 for ln in narrow if ln.x1 <= gutter)
    right = sorted(ln.x1 - ln.x0 for ln in narrow if ln.x0 >= gutter)
    if len(left) < _MIN_COLUMN_LINES or len(right) < _MIN_COLUMN_LINES:
        return None
    # Column text runs are long lines; the cells of a table beside a label are short.
    if min(left[len(left) // 2], right[len(right) // 2]) < _MIN_COLUMN_WIDTH * width:
        return None
    return gutter


def _rows(lines: list[Line], column: int) -> list[Row]:
    """Lines of one column grouped by height: side-by-side lines form one row."""
    rows: list[Row] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        last = rows[-1] if rows else None
        if last is not None and _overlap(line.top, line.bottom, last.top, last.bottom) > 0.5 * min(
            line.bottom - line.top, last.bottom - last.top
        ):
            last.add(line)
        else:
            rows.append(Row([line], column))
    return rows


def reading_rows(spans: list[Span], width: float, tables: list[Row]) -> list[Row]:
    """The page's rows top to bottom, column by column; ``tables`` are full-width rows
    (their spans already removed) placed where they stand on the page."""
    lines = join_lines(_drop_markers(spans))
    gutter = _gutter(lines, width)
    if gutter is None:
        rows = _rows(lines, 0) + tables
        return sorted(rows, key=lambda r: r.top)
    crossing = [ln for ln in lines if ln.x0 < gutter < ln.x1]
    columns = [ln for ln in lines if not ln.x0 < gutter < ln.x1]
    cuts: list[Row] = sorted([*_rows(crossing, 0), *tables], key=lambda r: r.top)
    ordered: list[Row] = []
    band_top = float("-inf")
    for cut in [*cuts, None]:
        band_end = cut.top if cut is not None else float("inf")
        band = [ln for ln in columns if band_top <= ln.top < band_end]
        ordered.extend(_rows([ln for ln in band if ln.x1 <= gutter], 1))
        ordered.extend(_rows([ln for ln in band if ln.x1 > gutter], 2))
        if cut is not None:
            ordered.append(cut)
        band_top = band_end
    return ordered


def body_size(rows: list[Row]) -> float:
    """The font size of the document's body text: the size most characters have."""
    weight: Counter[float] = Counter()
    for row in rows:
        for cell in row.cells:
            for span in cell.spans:
                weight[round(span.size, 1)] += len(span.text.strip())
    return weight.most_common(1)[0][0] if weight else 0.0
