"""Tables ruled by horizontal lines only, as grids: booktabs (a rule above and below the
header and one at the end), tables with a rule under every row, and tables ruled only
between their rows (the header above the first rule and the last record under the last
one belong to the table when they are rows of cells).

pdfplumber's settings for these (vertical_strategy="text", horizontal_strategy="lines")
were tried first on generated booktabs tables: the lines strategy makes the whole body one
row (the only horizontal edges are the three rules), and the text strategy cuts columns
where words of a few rows happen to line up, splitting cells mid-word. Here the rules give
the table's box and its header row (which must name the columns); the columns are the
channels of white that no span in the box crosses (pdfium's spans run over word spaces,
so only a column gap is white on every line); the body rows are the segments between rules when a rule runs under every
row, and otherwise the records the lines make (_pdf_records).

Rules of one extent may belong to several tables: two booktabs tables of the same width on
one page give six rules in one stack. A rule under every row means one record between two
rules; when a segment below the header holds several records, the rules are no row rules.
Such a stack is cut where the tables part (white taller than a double rule, a caption or
paragraph that does not stand in columns) and each run of rules is read as a table. Rules
are never cut between two rows of columns, so a table's middle never heads a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from statistics import median

from ._pdf_grid import Grid, HRule
from ._pdf_records import record_starts
from ._pdf_spans import Span

__all__ = ["rule_only_grids"]

_MIN_RULES = 3  # top, under the header, bottom
_EXTENT = 6.0  # points: the rules of one table start and end together
_CHANNEL = 0.6  # font sizes of white, on every line, between two columns
_MAX_HEADER_LINES = 3
_MAX_COLUMNS = 12
_MAX_CELL_LINES = 8  # more lines than this in one cell is prose beside prose, not a table


def _stacks(rules: Sequence[HRule]) -> list[list[HRule]]:
    """Rules with the same extent, top to bottom, in groups of at least _MIN_RULES."""
    groups: list[list[HRule]] = []
    for rule in sorted(rules):
        for group in groups:
            _, x0, x1 = group[-1]
            if abs(rule[1] - x0) <= _EXTENT and abs(rule[2] - x1) <= _EXTENT:
                group.append(rule)
                break
        else:
            groups.append([rule])
    return [g for g in groups if len(g) >= _MIN_RULES]


def _lines(spans: list[Span]) -> list[list[Span]]:
    """Spans grouped by height: each group is one line of the table, top to bottom."""
    lines: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: s.top):
        if lines:
            last = lines[-1]
            bottom = max(s.bottom for s in last)
            overlap = min(bottom, span.bottom) - span.top
            if overlap > 0.5 * min(span.height, bottom - min(s.top for s in last)):
                last.append(span)
                continue
        lines.append([span])
    return lines


def _columns(spans: list[Span], x0: float, x1: float) -> list[float] | None:
    """Column boundaries: the rules' ends and the middle of each channel of white."""
    size = median(s.size for s in spans)
    clusters: list[list[float]] = []
    for span in sorted(spans, key=lambda s: s.x0):
        if clusters and span.x0 - clusters[-1][1] < _CHANNEL * size:
            clusters[-1][1] = max(clusters[-1][1], span.x1)
        else:
            clusters.append([span.x0, span.x1])
    if not 2 <= len(clusters) <= _MAX_COLUMNS:
        return None
    inner = [(a[1] + b[0]) / 2 for a, b in pairwise(clusters)]
    return [min(x0, clusters[0][0]), *inner, max(x1, clusters[-1][1])]


def _record_bounds(lines: list[list[Span]], first_column_end: float) -> list[float]:
    """y boundaries between the records of one body segment (none for a single record)."""
    tops = [min(s.top for s in line) for line in lines]
    bottoms = [max(s.bottom for s in line) for line in lines]
    gaps = [tops[i + 1] - bottoms[i] for i in range(len(lines) - 1)]
    size = median(s.size for line in lines for s in line)
    keys = [
        " ".join(
            s.text.strip()
            for s in sorted(line, key=lambda s: s.x0)
            if (s.x0 + s.x1) / 2 < first_column_end
        )
        for line in lines
    ]
    return [(bottoms[i - 1] + tops[i]) / 2 for i in record_starts(gaps, size, keys)]


def _grid(stack: list[HRule], spans: list[Span], *, one_record_rows: bool) -> Grid | None:
    """The grid of one table drawn by ``stack``, or None. With ``one_record_rows``, rules
    under every row must hold one record between each two (else they are two tables')."""
    x0 = min(r[1] for r in stack) - _EXTENT
    x1 = max(r[2] for r in stack) + _EXTENT
    top, bottom = stack[0][0], stack[-1][0]
    inside = [
        s
        for s in spans
        if x0 <= (s.x0 + s.x1) / 2 <= x1
        and top < (s.top + s.bottom) / 2 < bottom
        and s.text.strip()
    ]
    # Segments between consecutive rules that hold text; two rules close together (a
    # double rule) leave an empty segment, which is no row.
    segments: list[tuple[float, float, list[Span]]] = []
    for (upper, _, _), (lower, _, _) in pairwise(stack):
        held = [s for s in inside if upper < (s.top + s.bottom) / 2 < lower]
        if held:
            segments.append((upper, lower, held))
    if len(segments) < 2:
        return None
    header_lines = _lines(segments[0][2])
    if len(header_lines) > _MAX_HEADER_LINES:
        return None
    xs = _columns(inside, x0 + _EXTENT, x1 - _EXTENT)
    if xs is None:
        return None
    # The header names the columns (the first, over row labels, may be blank); a heading
    # between rules over two columns of prose names none of them.
    named = {_column_of(s, xs) for s in segments[0][2]}
    if len(named) < max(2, len(xs) - 2):
        return None
    ys = [segments[0][0], *(upper for upper, _, _ in segments[1:]), segments[-1][1]]
    if len(segments) == 2:  # booktabs: the body is one segment, its records are lines
        ys[2:2] = _record_bounds(_lines(segments[1][2]), xs[1])
    elif one_record_rows and any(
        _record_bounds(_lines(held), xs[1]) for _, _, held in segments[1:]
    ):
        return None  # several records between two rules: not a rule under every row
    grid = Grid((xs[0], ys[0], xs[-1], ys[-1]), xs, ys)
    if _tall_cell(grid, inside):
        return None
    return grid


def _column_of(span: Span, xs: list[float]) -> int:
    x = (span.x0 + span.x1) / 2
    return max(i for i, edge in enumerate(xs[:-1]) if edge <= x) if x >= xs[0] else 0


def _tall_cell(grid: Grid, spans: list[Span]) -> bool:
    """Whether some cell holds more lines than a table cell does (two columns of prose)."""
    for upper, lower in pairwise(grid.ys):
        for left, right in pairwise(grid.xs):
            cell = [
                s
                for s in spans
                if left <= (s.x0 + s.x1) / 2 < right and upper < (s.top + s.bottom) / 2 < lower
            ]
            if len(_lines(cell)) > _MAX_CELL_LINES:
                return True
    return False


def rule_only_grids(horizontal: Sequence[HRule], spans: list[Span]) -> list[Grid]:
    """Grids of the tables that ``horizontal`` rules alone draw (rules that are part of a
    ruled grid must be left out by the caller), top to bottom."""
    grids = [grid for stack in _stacks(horizontal) for grid in _stack_grids(stack, spans)]
    return sorted(grids, key=lambda g: g.bbox[1])


def _with_outer_rows(stack: list[HRule], spans: list[Span]) -> list[HRule]:
    """The stack with a rule added over a row of cells that stands right above its first
    rule, and under one right below its last: a table ruled only between its rows draws no
    rule over its header or under its last record. A row of cells is two spans or more on
    one line within a row's height of the rule (a caption or a paragraph line is one)."""
    pitches = [b[0] - a[0] for a, b in pairwise(stack) if b[0] - a[0] > _EXTENT]
    if not pitches:
        return stack
    pitch = median(pitches)
    x0, x1 = stack[0][1], stack[0][2]
    top, bottom = stack[0][0], stack[-1][0]
    above = _lines([s for s in spans if top - pitch < (s.top + s.bottom) / 2 < top])
    below = _lines([s for s in spans if bottom < (s.top + s.bottom) / 2 < bottom + pitch])
    rules = list(stack)
    if above and len(above[-1]) >= 2:
        rules.insert(0, (min(s.top for line in above for s in line) - 1.0, x0, x1))
    if below and len(below[0]) >= 2:
        rules.append((max(s.bottom for line in below for s in line) + 1.0, x0, x1))
    return rules if len(rules) > len(stack) else stack


def _stack_grids(stack: list[HRule], spans: list[Span]) -> list[Grid]:
    """The tables one stack of rules draws: the whole stack when it makes one table (the
    usual case), else each run of rules between two separators that makes one. A separator
    is what stands between two tables: white taller than a double rule, or text that does
    not stand in columns (a caption, a paragraph). Without one, the stack is one table
    whatever its segments hold (a wrapped first cell may look like a second record)."""
    left = min(r[1] for r in stack) - _EXTENT
    right = max(r[2] for r in stack) + _EXTENT
    near = [s for s in spans if left <= (s.x0 + s.x1) / 2 <= right and s.text.strip()]
    runs: list[list[HRule]] = [[stack[0]]]
    for upper, lower in pairwise(stack):
        held = [s for s in near if upper[0] < (s.top + s.bottom) / 2 < lower[0]]
        if (
            lower[0] - upper[0] > _EXTENT
            if not held
            else _columns(held, left + _EXTENT, right - _EXTENT) is None
        ):
            runs.append([])
        runs[-1].append(lower)
    parted = len(runs) > 1
    outer = _with_outer_rows(stack, near)
    if outer is not stack and (grid := _grid(outer, near, one_record_rows=parted)) is not None:
        return [grid]
    whole = _grid(stack, near, one_record_rows=parted)
    if whole is not None:
        return [whole]
    if not parted:
        return []
    return [
        g
        for run in runs
        if len(run) >= _MIN_RULES and (g := _grid(run, near, one_record_rows=False)) is not None
    ]
