"""A PDF page as text spans with their geometry and font, read cheaply from pdfium.

pdfium groups a page's characters into rectangles: one run of text on one line in one
font. Each rectangle gives us a span (its text, box, font size, boldness) with a handful
of calls per line of text, instead of calls per character or pdfium lookups that scan
the whole page for each rectangle (get_text_bounded, char-at-position), which is what
keeps this fast on long files. Boxes are turned to top-down coordinates (y grows down
the page), as the drawn rules of _pdf_grid are, so table cells and spans line up.

The page's vector paths are listed here too, by their bounds only: a page without a few
straight rules or boxes cannot hold a ruled table, so its paths are never decomposed.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PathBox", "Span", "count_rulings", "page_spans", "path_boxes"]

_BOLD_FLAG = 1 << 18  # PDF font descriptor flag ForceBold
_BOLD_WEIGHT = 600


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made
# building the ~100 spans of a page several times slower; nothing changes a span once made
# (dataclasses.replace makes a new one), and spans are never hashed.
@dataclass(slots=True)
class Span:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points
    bold: bool

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _char_at(
    textpage: pdfium.PdfTextPage, left: float, bottom: float, right: float, top: float
) -> int:
    """Index of a character inside the rectangle (its centre first, then across it)."""
    middle = (bottom + top) / 2
    for x in ((left + right) / 2, left + 1, right - 1, (3 * left + right) / 4):
        index = pdfium_c.FPDFText_GetCharIndexAtPos(textpage, x, middle, 1.0, 1.0)
        if index >= 0:
            return int(index)
    return -1


_FONT_NAME_BYTES = 256


class _Out:
    """pdfium's out-parameters, made once per page and reused by every call on it (their
    values are copied at once). Not shared between pages: pages may be read in threads,
    and pdfium calls release the GIL."""

    __slots__ = ("flags", "matrix", "name", "rect")

    def __init__(self) -> None:
        self.rect = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        self.flags = ctypes.c_int(0)
        self.matrix = pdfium_c.FS_MATRIX()
        self.name = ctypes.create_string_buffer(_FONT_NAME_BYTES)


_bold_by_font: dict[bytes, bool] = {}  # font name -> bold; fonts repeat on every page


def _is_bold(textpage: pdfium.PdfTextPage, index: int, out: _Out) -> bool:
    flags, name = out.flags, out.name
    flags.value = 0
    length = pdfium_c.FPDFText_GetFontInfo(textpage, index, name, _FONT_NAME_BYTES, flags)
    if flags.value & _BOLD_FLAG:
        return True
    key = name.value if length else b""
    known = _bold_by_font.get(key)
    if known is not None:
        return known
    lowered = key.decode("latin-1").lower()
    # Subset fonts are named like 'ABCDEF+Arial-BoldMT': the style may be in the name only.
    bold = pdfium_c.FPDFText_GetFontWeight(textpage, index) >= _BOLD_WEIGHT or any(
        word in lowered for word in ("bold", "black", "heavy", "semibold")
    )
    if len(_bold_by_font) > 4096:
        _bold_by_font.clear()
    if key:  # an unnamed font says nothing about the next one
        _bold_by_font[key] = bold
    return bold


def _font_size(textpage: pdfium.PdfTextPage, index: int, out: _Out) -> float:
    """The character's size on the page: the font size times the text matrix' scale
    (some producers set every font at size 1 and scale it with the matrix)."""
    size = float(pdfium_c.FPDFText_GetFontSize(textpage, index))
    matrix = out.matrix
    if pdfium_c.FPDFText_GetMatrix(textpage, index, matrix):
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        if scale > 0:
            size *= scale
    return round(size, 2)


def _span(
    textpage: pdfium.PdfTextPage,
    text: str,
    box: tuple[float, float, float, float],
    first: int,
    height: float,
    out: _Out,
) -> Span:
    """One span; ``first`` is the index of its first non-blank character."""
    left, bottom, right, top = box
    size = _font_size(textpage, first, out) if first >= 0 else 0.0
    bold = _is_bold(textpage, first, out) if first >= 0 else False
    if size <= 0:  # no character to ask: the rectangle's height is the best guess
        size = top - bottom
    return Span(text, left, height - top, right, height - bottom, size, bold)


def _bounded_spans(textpage: pdfium.PdfTextPage, height: float) -> list[Span]:
    """Slow route (text looked up per rectangle), for text whose indices do not line up."""
    spans: list[Span] = []
    out = _Out()
    for i in range(textpage.count_rects()):
        box = textpage.get_rect(i)
        text = " ".join(textpage.get_text_bounded(*box).split())
        if text:
            spans.append(_span(textpage, text, box, _char_at(textpage, *box), height, out))
    return spans


def _line_spans(
    textpage: pdfium.PdfTextPage, text: str, start: int, end: int, height: float, out: _Out
) -> list[Span]:
    """The spans of one text line (characters start..end), split where pdfium's
    rectangles split (a change of font or a wide gap)."""
    count_rects = pdfium_c.FPDFText_CountRects  # looked up once: called ~10 times a line
    count = count_rects(textpage, start, end - start)
    if count == 0:
        return []
    left, top, right, bottom = out.rect
    get_rect = pdfium_c.FPDFText_GetRect
    boxes: list[tuple[float, float, float, float]] = []
    for j in range(count):
        get_rect(textpage, j, left, top, right, bottom)
        boxes.append((left.value, bottom.value, right.value, top.value))
    # Character offset where each rectangle starts: the shortest prefix with j+1 rectangles.
    starts = [start]
    for j in range(1, count):
        low, high = starts[-1] + 1, end
        while low < high:
            middle = (low + high) // 2
            if count_rects(textpage, start, middle - start + 1) > j:
                high = middle
            else:
                low = middle + 1
        starts.append(low)
    spans: list[Span] = []
    for j, box in enumerate(boxes):
        piece_end = starts[j + 1] if j + 1 < count else end
        piece = text[starts[j] : piece_end]
        stripped = piece.lstrip()
        if not stripped.strip():
            continue
        first = starts[j] + len(piece) - len(stripped)
        # A space at either end is where this run meets the next one: keep one.
        words = (
            (" " if stripped is not piece else "")
            + " ".join(piece.split())
            + (" " if piece[-1:].isspace() else "")
        )
        spans.append(_span(textpage, words, box, first, height, out))
    return spans


def page_spans(textpage: pdfium.PdfTextPage, height: float, text: str | None = None) -> list[Span]:
    """The page's spans in pdfium's text order, with top-down boxes. ``text`` is the
    page's full text (``get_text_range()``) when the caller has it already."""
    text = textpage.get_text_range() if text is None else text
    # pdfium marks a hyphen that ends a line with U+FFFE (U+0002 in bounded text).
    text = text.replace("\ufffe", "-").replace("\x02", "-")
    if len(text) != textpage.count_chars():
        return _bounded_spans(textpage, height)  # e.g. characters outside the BMP
    spans: list[Span] = []
    out = _Out()
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line.rstrip("\r\n"))
        if line.strip():
            spans.extend(_line_spans(textpage, text, start, end, height, out))
        start += len(line)
    return spans


_MIN_RULE_LENGTH = 15.0  # points: shorter strokes are glyph decorations, not table rules
_MAX_RULE_THICKNESS = 3.0

PathBox = tuple[Any, float, float, float, float]  # raw path object, left, bottom, right, top


def path_boxes(page: pdfium.PdfPage) -> list[PathBox]:
    """The page's top-level vector paths with their bounds (raw calls: pypdfium2's object
    wrappers cost more than the lookups on pages with many paths)."""
    boxes: list[PathBox] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            boxes.append((obj, left.value, bottom.value, right.value, top.value))
    return boxes


def count_rulings(boxes: list[PathBox]) -> int:
    """Straight rules and rectangular boxes drawn on the page (candidates for a table grid)."""
    count = 0
    for obj, left, bottom, right, top in boxes:
        width, height = right - left, top - bottom
        if min(width, height) < _MAX_RULE_THICKNESS and max(width, height) >= _MIN_RULE_LENGTH:
            count += 1
        elif width >= 8 and height >= 5 and pdfium_c.FPDFPath_CountSegments(obj) in (4, 5):
            count += 1  # a rectangle: a cell border or a cell's shading
    return count
