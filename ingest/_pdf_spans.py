"""A PDF page as text spans with their geometry and font, read cheaply from pdfium.

pdfium groups a page's characters into rectangles: one run of text on one line in one
font. Each rectangle gives us a span (its text, box, font size, boldness) with a handful
of calls, instead of one call per character, which is what keeps this fast on long
files. Boxes are turned to top-down coordinates (y grows down the page), as pdfplumber
uses, so table regions found by pdfplumber line up with the spans.

The page's vector paths are counted here too: a page without ruling lines or cell boxes
cannot hold a ruled table, so pdfplumber's much slower table finder never runs on it.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["Span", "count_rulings", "page_spans"]

_BOLD_FLAG = 1 << 18  # PDF font descriptor flag ForceBold
_BOLD_WEIGHT = 600


@dataclass(frozen=True, slots=True)
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


def _char_at(textpage: pdfium.PdfTextPage, left: float, bottom: float, right: float,
             top: float) -> int:
    """Index of a character inside the rectangle (its centre first, then across it)."""
    middle = (bottom + top) / 2
    for x in ((left + right) / 2, left + 1, right - 1, (3 * left + right) / 4):
        index = pdfium_c.FPDFText_GetCharIndexAtPos(textpage, x, middle, 1.0, 1.0)
        if index >= 0:
            return int(index)
    return -1


def _is_bold(textpage: pdfium.PdfTextPage, index: int) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(textpage, index) >= _BOLD_WEIGHT:
        return True
    flags = ctypes.c_int(0)
    length = pdfium_c.FPDFText_GetFontInfo(textpage, index, None, 0, ctypes.byref(flags))
    if flags.value & _BOLD_FLAG:
        return True
    if length <= 0:
        return False
    name = ctypes.create_string_buffer(length)
    pdfium_c.FPDFText_GetFontInfo(textpage, index, name, length, ctypes.byref(flags))
    lowered = name.value.decode("latin-1").lower()
    # Subset fonts are named like 'ABCDEF+Arial-BoldMT': the style is in the name only.
    return any(word in lowered for word in ("bold", "black", "heavy", "semibold"))


def page_spans(textpage: pdfium.PdfTextPage, height: float) -> list[Span]:
    """The page's spans in pdfium's text order, with top-down boxes."""
    spans: list[Span] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
        if not text.strip():
            continue
        index = _char_at(textpage, left, bottom, right, top)
        size = float(pdfium_c.FPDFText_GetFontSize(textpage, index)) if index >= 0 else 0.0
        bold = _is_bold(textpage, index) if index >= 0 else False
        if size <= 0:  # no character under the rectangle: its height is the best guess
            size = top - bottom
        spans.append(Span(text, left, height - top, right, height - bottom, size, bold))
    return spans


_MIN_RULE_LENGTH = 15.0  # points: shorter strokes are glyph decorations, not table rules
_MAX_RULE_THICKNESS = 3.0


def count_rulings(page: pdfium.PdfPage) -> int:
    """Straight rules and rectangular boxes drawn on the page (candidates for a table grid)."""
    count = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if min(width, height) < _MAX_RULE_THICKNESS and max(width, height) >= _MIN_RULE_LENGTH:
            count += 1
        elif width >= 8 and height >= 5 and pdfium_c.FPDFPath_CountSegments(obj.raw) in (4, 5):
            count += 1  # a rectangle: a cell border or a cell's shading
    return count
