"""Form fields out of a page's rows: blanks to fill in, checkboxes, and the labels beside them.

A form is read by what only a form prints: a run of underscores or dot leaders to write
on, and checkbox glyphs ("[ ] Yes [ ] No", "☐ Commercial"). Such a row is a field, never a
sentence. Its labels are weaker evidence ("BUSINESS NAME", "Signature:" over a drawn
line): a short upper-case or colon-ended row goes only when it stands next to a field, so
a heading over the form or a "Partners:" before a list stays. "Page 1 of 42" is a page
number wherever it is glued (the running-line pass drops it only as a whole margin row
or cell). Dot leaders also take out a table of contents' lines (a wrapped entry's first row too),
which are no sentences either.
"""

from __future__ import annotations

import re

from ._pdf_layout import Row

__all__ = ["strip_form_rows"]

_BLANK = re.compile(r"_{3,}|\.{5,}|…{3,}")
_CHECKBOX = re.compile(r"\[\s?[xX✓✔]?\s?\]|[☐☑☒]")  # not □ ❑: bullets too
_PAGE_OF = re.compile(r"\b(?:page|p[áa]gina|p[áa]g\.)\s*\d{1,4}\s*(?:of|de|/)\s*\d{1,4}\b", re.I)
_LEADERS = re.compile(r"\.{5,}|…{3,}")
_CONTENTS_ENTRY = re.compile(r"(?:\.{5,}|…{3,})\s*\d{1,4}$")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s")
_FORM_SIGNS = re.compile(f"{_BLANK.pattern}|{_CHECKBOX.pattern}|{_PAGE_OF.pattern}", re.I)
_LABEL_WORDS = 5  # a field label is a few words


def _is_field(text: str) -> bool:
    return _BLANK.search(text) is not None or _CHECKBOX.search(text) is not None


def _is_label(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _LABEL_WORDS:
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (text.endswith(":") or all(c.isupper() for c in letters))


def _drop_page_of(row: Row) -> bool:
    """Take "Page X of Y" out of the row's cells; False when nothing is left."""
    if not _PAGE_OF.search(row.text):
        return True
    for cell in row.cells:
        cell.text = " ".join(_PAGE_OF.sub(" ", cell.text).split())
    cells = [c for c in row.cells if c.text]
    if cells:
        row.cells = cells  # recomputes the row's text and box
    return bool(cells)


def _wrapped_contents_entry(row: Row, next_row: Row) -> bool:
    """A numbered contents entry whose title wraps: its leaders and page are on the next row."""
    return (
        row.table is None
        and next_row.table is None
        and _NUMBERED.match(row.text) is not None
        and _LEADERS.search(next_row.text) is not None
        and _NUMBERED.match(next_row.text) is None
    )


def strip_form_rows(rows: list[Row]) -> list[Row]:
    """The page's rows (reading order) without form fields and their labels."""
    if not _FORM_SIGNS.search("\n".join(r.text for r in rows if r.table is None)):
        return rows  # most pages: no blank, no checkbox, no page count, one search
    rows = [r for r in rows if r.table is not None or _drop_page_of(r)]
    field = [r.table is None and _is_field(r.text) for r in rows]
    label = [r.table is None and _is_label(r.text) for r in rows]
    # A contents entry's leaders end at its page number: the heading over them stays.
    blank = [f and _CONTENTS_ENTRY.search(r.text) is None for f, r in zip(field, rows, strict=True)]
    near_field = [
        any(blank[j] for j in (i - 1, i + 1) if 0 <= j < len(rows)) for i in range(len(rows))
    ]
    drop = [f or (lab and near) for f, lab, near in zip(field, label, near_field, strict=True)]
    for i in range(len(rows) - 1):
        if _wrapped_contents_entry(rows[i], rows[i + 1]):
            drop[i] = True
    return [r for r, gone in zip(rows, drop, strict=True) if not gone]
