"""PDF files: every page read from pdfium's text spans, their geometry and fonts.

Per page, pdfium gives the text runs with their boxes and fonts (_pdf_spans). From that
geometry alone the page is read in order (_pdf_layout: footnote markers out, lines,
columns), running headers and footers are dropped by position and repetition across
pages (_pdf_running), form fields and their labels are dropped (_pdf_forms), and the
rows are cut into paragraphs, headings, footnotes and whitespace tables (_pdf_blocks). Ruled tables come from the rules the page draws
(_pdf_grid, _pdf_tables), the lines strategy of pdfplumber's table finder without its
cost of a full pdfminer layout pass per page. Pages are closed as soon as they are read; only the
spans of each page are kept until the end, as the body font size and the running lines
are statistics over the whole document.

Each page's text is rebuilt as its pieces joined by blank lines; passage spans refer to
that text. Tables are rendered as pipe tables (see _tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from govgraph.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from govgraph.settings import Settings
from ingest.model import PassageKind

from ._blocks import Block, Parsed
from ._pdf_blocks import page_pieces
from ._pdf_forms import strip_form_rows
from ._pdf_layout import Row, body_size, reading_rows
from ._pdf_ocr import ocr_languages, ocr_page, tesseract, text_paragraphs
from ._pdf_running import strip_running_rows
from ._pdf_spans import page_spans
from ._pdf_tables import page_tables
from ._quality import text_problem
from ._segment import split_long
from ._sniff import Format
from ._text import clean_inline

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["read_pdf"]

OCR_HINT = (
    "Install OCR to read it: apt-get install tesseract-ocr tesseract-ocr-spa "
    "(and keep GOVGRAPH_OCR=true)."
)


@dataclass(slots=True)
class _Page:
    number: int  # 1-based
    height: float = 0.0
    rows: list[Row] = field(default_factory=list)  # in reading order
    ocr_lines: list[str] = field(default_factory=list)  # text of an OCR'd page, no geometry
    problem: str | None = None
    ocr: bool = False


def _open(data: bytes, path: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message or "security" in message:
            raise EncryptedDocument(
                "This PDF is password-protected.",
                path=path,
                hint="Remove the password (e.g. print to PDF from a viewer) and ingest it again.",
            ) from None
        raise CorruptDocument(
            "This PDF is damaged or truncated and could not be opened.",
            path=path,
            hint="Download or export it again; check the file is complete.",
        ) from None


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    keep = {
        "Title": "pdf.title",
        "Subject": "pdf.subject",
        "CreationDate": "pdf.created",
        "Producer": "pdf.producer",
    }
    return {keep[k]: str(v).strip() for k, v in raw.items() if k in keep and str(v).strip()}


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _read_page(pdf_page: pdfium.PdfPage, page: _Page) -> None:
    """Fill ``page`` (rows or problem) from one pdfium page."""
    width, page.height = pdf_page.get_width(), pdf_page.get_height()
    textpage = pdf_page.get_textpage()
    try:
        text = textpage.get_text_range()
        page.problem = text_problem(text)
        spans = page_spans(textpage, page.height, text) if page.problem is None else []
    finally:
        textpage.close()
    if page.problem == "no text" and not _has_images(pdf_page):
        page.problem = None  # an intentionally empty page is not a missing text layer
    if page.problem is not None or not spans:
        return
    spans, tables = page_tables(pdf_page, spans)
    page.rows = reading_rows(spans, width, tables)


def read_pdf(
    data: bytes,
    *,
    path: str | None,
    settings: Settings,
    on_page: Callable[[int, int], None] | None = None,
) -> Parsed:
    pdf = _open(data, path)
    try:
        total = len(pdf)
        if total == 0:
            raise CorruptDocument("This PDF has no pages.", path=path)
        metadata = _metadata(pdf)
        ocr_binary = tesseract() if settings.ocr else None
        # Asked of tesseract (a subprocess) only when a page needs OCR, not for every PDF.
        languages: str | None = None
        pages: list[_Page] = []
        for index in range(total):
            page = _Page(index + 1)
            try:
                pdf_page = pdf[index]
            except pdfium.PdfiumError:
                page.problem = "page could not be read"
            else:
                try:
                    _read_page(pdf_page, page)
                finally:
                    pdf_page.close()
                if page.problem is not None and ocr_binary:
                    if languages is None:
                        languages = ocr_languages(ocr_binary)
                    ocr_text = ocr_page(pdf, index, ocr_binary, languages)
                    if text_problem(ocr_text) is None:
                        page.ocr_lines, page.problem, page.ocr = ocr_text.split("\n"), None, True
            pages.append(page)
            if on_page is not None:
                on_page(index + 1, total)
    finally:
        pdf.close()
    return _to_parsed(pages, metadata, total, path, ocr_available=ocr_binary is not None)


def _pieces(pages: list[_Page]) -> list[list[tuple[str, PassageKind]]]:
    """Each readable page's (text, kind) pieces, running lines dropped."""
    laid_out = [p for p in pages if p.problem is None and not p.ocr]
    kept = strip_running_rows([p.rows for p in laid_out], [p.height for p in laid_out])
    for page, rows in zip(laid_out, kept, strict=True):
        page.rows = strip_form_rows(rows)
    body = body_size([row for p in laid_out for row in p.rows])
    result: list[list[tuple[str, PassageKind]]] = []
    for page in pages:
        if page.problem is not None:
            result.append([])
        elif page.ocr:
            result.append([(t, PassageKind.text) for t in text_paragraphs(page.ocr_lines)])
        else:
            result.append(page_pieces(page.rows, body, page.height))
    _carry_table_headers(result)
    return result


def _carry_table_headers(pages: list[list[tuple[str, PassageKind]]]) -> None:
    """A table that ends one page and one that starts the next with as many columns is one
    table broken by the page: the part on the new page gets the first part's header row
    when it does not repeat it (otherwise its first data row would read as the header)."""
    for before, after in pairwise(pages):
        body_before = [p for p in before if p[1] is not PassageKind.footnote]
        if (
            not body_before
            or not after
            or body_before[-1][1] is not PassageKind.table
            or (after[0][1] is not PassageKind.table)
        ):
            continue
        header, rule = body_before[-1][0].split("\n")[:2]
        lines = after[0][0].split("\n")
        if lines[0] != header and lines[1] == rule:
            after[0] = ("\n".join([header, rule, lines[0], *lines[2:]]), PassageKind.table)


def _to_parsed(
    pages: list[_Page],
    metadata: dict[str, str],
    total: int,
    path: str | None,
    *,
    ocr_available: bool,
) -> Parsed:
    missing = [p for p in pages if p.problem is not None]
    if len(missing) == total:
        reason = missing[0].problem
        raise NoTextLayer(
            f"This PDF has no usable text layer ({reason}) on any of its {total} page(s).",
            path=path,
            hint="OCR produced no readable text either." if ocr_available else OCR_HINT,
        )
    parsed = Parsed(media_type=Format.pdf.value, page_count=total, metadata=metadata)
    if missing:
        numbers = ", ".join(str(p.number) for p in missing)
        parsed.warnings.append(
            f"{len(missing)} of {total} pages have no usable text layer and were skipped "
            f"(pages {numbers}). " + ("" if ocr_available else OCR_HINT)
        )
    ocr_pages = [str(p.number) for p in pages if p.ocr]
    if ocr_pages:
        parsed.metadata["ocr_pages"] = ",".join(ocr_pages)
    section: str | None = None
    for page, pieces in zip(pages, _pieces(pages), strict=True):
        offset = 0
        for text, kind in pieces:
            start = offset
            offset += len(text) + 2  # the page text joins pieces with a blank line
            if kind is PassageKind.heading:
                section = text
            if kind is not PassageKind.text:
                parsed.blocks.append(
                    Block(
                        text, start, start + len(text), kind=kind, page=page.number, section=section
                    )
                )
                continue
            for s, e in split_long(text, 0, len(text)):
                parsed.blocks.append(
                    Block(text[s:e], start + s, start + e, page=page.number, section=section)
                )
    title = clean_inline(metadata.get("pdf.title", ""))
    if (
        not title
        or title.lower().startswith(("microsoft word", "untitled"))
        or title.endswith((".doc", ".docx", ".pdf"))
    ):
        first = next((b.text for b in parsed.blocks if b.kind is not PassageKind.table), "")
        title = first[:200]
    parsed.title = title or None
    return parsed
