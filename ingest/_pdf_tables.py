"""Ruled tables of one page as table rows placed in the reading flow, their spans taken out.

The grids come from the page's drawn rules (_pdf_grid), and from horizontal rules alone
where no vertical rule crosses them (_pdf_rule_tables: booktabs). A page that draws fewer
than three straight rules or boxes cannot hold one, so its paths are not even decomposed.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ._pdf_grid import Grid, HRule, VRule, find_grids, merge_rules, page_rules
from ._pdf_layout import Line, Row
from ._pdf_rule_tables import rule_only_grids
from ._pdf_spans import Span, count_rulings, path_boxes
from ._tables import render_table_chunks, table_is_useful

__all__ = ["MIN_RULINGS", "page_tables"]

_NEAR = 2.0  # points: a rule this close to a grid or a vertical rule belongs to it
MIN_RULINGS = 3  # a grid needs a few rules or cell boxes; booktabs draws three rules


def _inside(span: Span, box: tuple[float, float, float, float]) -> bool:
    x, y = (span.x0 + span.x1) / 2, (span.top + span.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _grids(horizontal: list[HRule], vertical: list[VRule], spans: list[Span]) -> list[Grid]:
    """Ruled grids, then the tables drawn with horizontal rules outside them, top to bottom."""
    grids = find_grids(horizontal, vertical)
    # Rules of the grids go first (few grids, many rules): what is left is merged, and on
    # most pages too little is left to hold a table.
    outside = [rule for rule in horizontal if not any(_on_grid(rule, grid) for grid in grids)]
    if len(outside) < MIN_RULINGS:
        return grids
    free = [rule for rule in merge_rules(outside) if not any(_crosses(rule, v) for v in vertical)]
    return sorted([*grids, *rule_only_grids(free, spans)], key=lambda g: g.bbox[1])


def _on_grid(rule: HRule, grid: Grid) -> bool:
    y, x0, x1 = rule
    left, top, right, bottom = grid.bbox
    return top - _NEAR <= y <= bottom + _NEAR and x0 < right and x1 > left


def _crosses(rule: HRule, vertical: VRule) -> bool:
    y, x0, x1 = rule
    x, top, bottom = vertical
    return x0 - _NEAR <= x <= x1 + _NEAR and top - _NEAR <= y <= bottom + _NEAR


def page_tables(page: pdfium.PdfPage, spans: list[Span]) -> tuple[list[Span], list[Row]]:
    """The spans outside the page's ruled tables, and each table as full-width rows."""
    boxes = path_boxes(page)
    if count_rulings(boxes) < MIN_RULINGS:
        return spans, []
    rows: list[Row] = []
    taken: list[tuple[float, float, float, float]] = []
    horizontal, vertical = page_rules(boxes, page.get_height())
    for grid in _grids(horizontal, vertical, spans):
        if any(
            _inside(Span("", grid.bbox[0], grid.bbox[1], grid.bbox[0], grid.bbox[1], 0, False), box)
            for box in taken
        ):
            continue  # nested in a table already taken
        cells = grid.cells(spans)
        if not table_is_useful(cells):
            continue
        x0, top, x1, bottom = grid.bbox
        for n, chunk in enumerate(render_table_chunks(cells)):
            # An empty span carries the table's box, so it is ordered like any row.
            anchor = Span("", x0, top + n * 1e-3, x1, bottom, 0.0, False)
            rows.append(Row([Line([anchor], x0, anchor.top, x1, bottom).finish()], 0, table=chunk))
        taken.append(grid.bbox)
    kept = [s for s in spans if not any(_inside(s, box) for box in taken)]
    return kept, rows
