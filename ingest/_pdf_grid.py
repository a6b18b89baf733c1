"""Ruled (gridded) tables found from the page's drawn rules, read through pdfium.

pdfplumber's table finder does the same from the same rules, but it first runs pdfminer's
layout analysis of the whole page, which costs about a second per table page on a long
report; pdfium hands over the path segments directly. The method is the lines strategy:
horizontal and vertical rules (strokes, thin filled boxes, rectangle sides) are snapped
and merged, rules that touch form one grid, the grid's distinct rule positions are its
row and column boundaries, and each span goes to the cell its centre falls in.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pypdfium2.raw as pdfium_c

from ._pdf_layout import join_lines
from ._pdf_spans import PathBox, Span

__all__ = ["Grid", "find_grids", "merge_rules", "page_rules"]

_SNAP = 2.0  # points: rules this close are one rule
_MIN_RULE = 8.0  # points: shorter strokes are glyph parts or tick marks
_THIN = 3.0  # points: a filled box thinner than this is drawn as a rule
_MIN_LINES = 3  # a grid needs 2 rows and 2 columns: 3 boundaries each way

HRule = tuple[float, float, float]  # y, x0, x1 (top-down page coordinates)
VRule = tuple[float, float, float]  # x, top, bottom


@dataclass(frozen=True, slots=True)
class Grid:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom

    def cells(self, spans: list[Span]) -> list[list[str]]:
        """Cell texts, row by row, from the spans whose centre lies in the grid."""
        grid: dict[tuple[int, int], list[Span]] = defaultdict(list)
        for span in spans:
            x, y = (span.x0 + span.x1) / 2, (span.top + span.bottom) / 2
            if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
                continue
            row = max(i for i, v in enumerate(self.ys[:-1]) if v <= y)
            col = max(j for j, v in enumerate(self.xs[:-1]) if v <= x)
            grid[(row, col)].append(span)

        def text(cell: list[Span]) -> str:
            lines = sorted(join_lines(cell), key=lambda line: line.top)
            return " ".join(line.text for line in lines)

        return [
            [text(grid[(r, c)]) for c in range(len(self.xs) - 1)] for r in range(len(self.ys) - 1)
        ]


def _points(obj: Any, height: float) -> list[list[tuple[float, float]]]:
    """The raw path's sub-paths as point lists in top-down page coordinates."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return []
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    paths: list[list[tuple[float, float]]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not paths:
            paths.append([point])
        else:
            paths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            paths[-1].append(paths[-1][0])
    return paths


def page_rules(boxes: list[PathBox], height: float) -> tuple[list[HRule], list[VRule]]:
    """Horizontal and vertical rules drawn on the page (``boxes``: its paths, _pdf_spans)."""
    horizontal: list[HRule] = []
    vertical: list[VRule] = []
    for obj, left, bottom, right, top in boxes:
        width, tall = right - left, top - bottom
        if tall < _THIN and width >= _MIN_RULE:  # a thin box or a single stroke
            horizontal.append((height - (top + bottom) / 2, left, right))
            continue
        if width < _THIN and tall >= _MIN_RULE:
            vertical.append(((left + right) / 2, height - top, height - bottom))
            continue
        if width < _MIN_RULE and tall < _MIN_RULE:
            # Icons, bullets, glyph-like marks: no segment in them is long enough to be a
            # rule, and designed reports draw thousands of them (a third of the table time).
            continue
        for points in _points(obj, height):
            for (x0, y0), (x1, y1) in pairwise(points):
                if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= _MIN_RULE:
                    horizontal.append((y0, min(x0, x1), max(x0, x1)))
                elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= _MIN_RULE:
                    vertical.append((x0, min(y0, y1), max(y0, y1)))
    return horizontal, vertical


def merge_rules(rules: list[HRule]) -> list[HRule]:
    """Rules at one position (within _SNAP) whose extents touch become one."""
    merged: list[HRule] = []
    for pos, start, end in sorted(rules):
        for i, (p, s, e) in enumerate(merged):
            if abs(p - pos) <= _SNAP and start <= e + _SNAP and end >= s - _SNAP:
                merged[i] = (p, min(s, start), max(e, end))
                break
        else:
            merged.append((pos, start, end))
    return merged


def _distinct(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def find_grids(horizontal: list[HRule], vertical: list[VRule]) -> list[Grid]:
    """Grids of touching rules with at least two rows and two columns, top to bottom."""
    hs, vs = merge_rules(horizontal), merge_rules(vertical)
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, top, bottom) in enumerate(vs):
            if x0 - _SNAP <= x <= x1 + _SNAP and top - _SNAP <= y <= bottom + _SNAP:
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list[HRule], list[VRule]]] = defaultdict(lambda: ([], []))
    for i, rule in enumerate(hs):
        groups[root(i)][0].append(rule)
    for j, rule in enumerate(vs):
        groups[root(len(hs) + j)][1].append(rule)
    grids: list[Grid] = []
    for group_h, group_v in groups.values():
        ys = _distinct([y for y, _, _ in group_h])
        xs = _distinct([x for x, _, _ in group_v])
        if len(ys) >= _MIN_LINES and len(xs) >= _MIN_LINES:
            grids.append(Grid((xs[0], ys[0], xs[-1], ys[-1]), xs, ys))
    return sorted(grids, key=lambda g: g.bbox[1])
