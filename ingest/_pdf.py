"""PDF files: pdfium for ordinary pages, pdfplumber only where layout matters.

Per page, pdfium gives the text and the text rectangles. The rectangles tell us cheaply
whether a page holds a table (many rows split into several widely spaced cells) or two
columns (a vertical gutter no line crosses). Only those pages are re-read with
pdfplumber, which finds the table grid and lets us read each column on its own; every
other page stays on the fast path. Pages are closed as soon as they are read, so memory
stays flat on long files; only the page texts (small strings) are kept until the end.

Each page's text is rebuilt as paragraphs joined by blank lines, after the running
headers, footers and page numbers shared by many pages are removed. That rebuilt text is
the page text passage spans refer to. Tables are rendered as pipe tables (see _tables).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from govgraph.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from govgraph.settings import Settings
from ingest.model import PassageKind

from ._blocks import Block, Parsed
from ._quality import text_problem
from ._segment import split_long
from ._sniff import Format
from ._tables import render_table_chunks, table_is_useful
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
    lines: list[str] = field(default_factory=list)  # text lines, top to bottom
    tables: list[tuple[int, str]] = field(default_factory=list)  # (line position, table text)
    problem: str | None = None
    ocr: bool = False


# --- layout detection ------------------------------------------------------------------------

_ROW_BAND = 4.0  # points: rectangles whose centres fall in one band share a row
_CELL_GAP = 10.0  # points between rectangles that makes them separate cells
_MIN_TABLE_ROWS = 5
_MIN_TABLE_SHARE = 0.2


def _layout(textpage: pdfium.PdfTextPage, width: float) -> str | None:
    """'table', 'columns' or None, from the positions of the page's text rectangles."""
    count = textpage.count_rects()
    if count < 10:
        return None
    rects = [textpage.get_rect(i) for i in range(count)]
    rows: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for left, bottom, right, top in rects:
        rows[int((bottom + top) / 2 / _ROW_BAND)].append((left, right))
    split_rows = 0
    for cells in rows.values():
        cells.sort()
        gaps = sum(1 for a, b in pairwise(cells) if b[0] - a[1] > _CELL_GAP)
        split_rows += gaps >= 2
    if split_rows >= _MIN_TABLE_ROWS and split_rows >= _MIN_TABLE_SHARE * len(rows):
        return "table"
    mid = width / 2
    left = sorted(r[2] - r[0] for r in rects if r[2] < mid - 5)
    right = sorted(r[2] - r[0] for r in rects if r[0] > mid + 5)
    if (
        len(left) >= 10 and len(right) >= 10 and count - len(left) - len(right) <= 0.05 * count
        # Column text runs are long lines; table cells on both sides are short.
        and left[len(left) // 2] >= 0.2 * width and right[len(right) // 2] >= 0.2 * width
    ):
        return "columns"
    return None


def _plumber_page(plumber: Any, index: int, layout: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Lines and tables of one page, read by pdfplumber in layout-aware order."""
    page = plumber.pages[index]
    lines: list[str] = []
    try:
        if layout == "columns":
            mid = page.width / 2
            for box in ((0, 0, mid, page.height), (mid, 0, page.width, page.height)):
                lines.extend((page.crop(box).extract_text() or "").split("\n"))
            return lines, []
        placed: list[tuple[int, str]] = []
        top = 0.0
        for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
            _, t_top, _, t_bottom = table.bbox
            if t_top < top:
                continue  # nested in, or overlapping, a table already taken
            rows = table.extract()
            if not table_is_useful(rows):
                continue
            if t_top > top:
                band = page.crop((0, top, page.width, t_top))
                lines.extend((band.extract_text() or "").split("\n"))
            placed.extend((len(lines), text) for text in render_table_chunks(rows))
            top = t_bottom
        if not placed:
            return [], []
        if top < page.height:
            band = page.crop((0, top, page.width, page.height))
            lines.extend((band.extract_text() or "").split("\n"))
        return lines, placed
    finally:
        page.close()


# --- OCR -----------------------------------------------------------------------------------------


def _tesseract() -> str | None:
    return shutil.which("tesseract")


def _ocr_languages(binary: str) -> str:
    try:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "eng"
    available = set(out.split())
    wanted = [lang for lang in ("eng", "spa", "fra", "por") if lang in available]
    return "+".join(wanted) or "eng"


def _ocr_page(pdf: pdfium.PdfDocument, index: int, binary: str, languages: str) -> str:
    page = pdf[index]
    try:
        bitmap = page.render(scale=300 / 72, grayscale=True)
        image = bitmap.to_pil()
    finally:
        page.close()
    with tempfile.TemporaryDirectory(prefix="govgraph-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        try:
            result = subprocess.run(
                [binary, str(png), "stdout", "-l", languages],
                capture_output=True, text=True, timeout=300, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
    return result.stdout if result.returncode == 0 else ""


# --- page text clean-up -----------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p[áa]gina|p[áa]g\.?|p\.)\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:of|de|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_EDGE_LINES = 4
_BULLET = re.compile(r"^(?:[•·▪◦‣●■□➢►✓\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_HYPHENS = ("-", "\u2010", "\u00ad")


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _strip_running_lines(pages: list[_Page]) -> None:
    """Drop lines repeated at the top or bottom of many pages, and bare page numbers."""
    readable = [p for p in pages if p.problem is None]
    seen: Counter[str] = Counter()
    for page in readable:
        content = [line for line in page.lines if line.strip()]
        edges = content[:_EDGE_LINES] + content[-_EDGE_LINES:]
        seen.update({_edge_key(line) for line in edges})
    threshold = max(2.0, 0.4 * len(readable))
    running = (
        {key for key, n in seen.items() if n >= threshold} if len(readable) >= 3 else set()
    )
    prefixes = tuple(key for key in running if len(key) >= 20)

    def removable(line: str) -> bool:
        key = _edge_key(line)
        # pdfplumber may put the page number on the header's line: match by prefix too.
        return not line.strip() or key in running or bool(_PAGE_NUMBER.match(line.strip())) or (
            bool(prefixes) and key.startswith(prefixes)
        )

    for page in readable:
        # Only runs touching the top or bottom edge go: body text that happens to repeat stays.
        lines = page.lines
        top = 0
        while top < len(lines) and top < 2 * _EDGE_LINES and removable(lines[top]):
            top += 1
        bottom = len(lines)
        while bottom > top and len(lines) - bottom < 2 * _EDGE_LINES and removable(
            lines[bottom - 1]
        ):
            bottom -= 1
        page.lines = lines[top:bottom]
        page.tables = [(max(pos - top, 0), text) for pos, text in page.tables]


def _paragraphs(lines: list[str]) -> list[str]:
    """Wrapped lines joined into paragraphs (a blank line, short line or bullet ends one)."""
    lines = [" ".join(line.split()) for line in lines]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    prev = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current, prev = "", ""
            continue
        breaks = bool(current) and (
            _BULLET.match(line) is not None
            or (prev[-1:] in ".!?:;" and len(prev) < 0.85 * full)
            or len(prev) < 0.5 * full
        )
        if breaks:
            paragraphs.append(current)
            current = ""
        if not current:
            current = line
        elif current.endswith(_HYPHENS) and line[:1].islower():
            current = current.rstrip("".join(_HYPHENS)) + line
        else:
            current = f"{current} {line}"
        prev = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_heading(paragraph: str) -> bool:
    words = paragraph.split()
    if not 1 <= len(words) <= 12 or paragraph[-1:] in ".,;:!?)" or len(paragraph) > 100:
        return False
    letters = [c for c in paragraph if c.isalpha()]
    if len(letters) < 3:
        return False
    numbered = re.match(r"^\d+(?:\.\d+)*\.?\s+[^\W\d_]", paragraph) is not None
    return numbered or all(c.isupper() for c in letters)


# --- reading -------------------------------------------------------------------------------------


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
    keep = {"Title": "pdf.title", "Subject": "pdf.subject", "CreationDate": "pdf.created",
            "Producer": "pdf.producer"}
    return {keep[k]: str(v).strip() for k, v in raw.items() if k in keep and str(v).strip()}


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_pdf(
    data: bytes,
    *,
    path: str | None,
    settings: Settings,
    on_page: Callable[[int, int], None] | None = None,
) -> Parsed:
    pdf = _open(data, path)
    plumber: Any = None
    try:
        total = len(pdf)
        if total == 0:
            raise CorruptDocument("This PDF has no pages.", path=path)
        metadata = _metadata(pdf)
        ocr_binary = _tesseract() if settings.ocr else None
        ocr_languages = _ocr_languages(ocr_binary) if ocr_binary else ""
        pages: list[_Page] = []
        for index in range(total):
            page = _Page(index + 1)
            try:
                pdf_page = pdf[index]
            except pdfium.PdfiumError:
                page.problem = "page could not be read"
                pages.append(page)
                continue
            try:
                textpage = pdf_page.get_textpage()
                try:
                    text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
                    page.problem = text_problem(text)
                    layout = _layout(textpage, pdf_page.get_width()) if not page.problem else None
                finally:
                    textpage.close()
                blank = page.problem == "no text" and not _has_images(pdf_page)
            finally:
                pdf_page.close()
            if blank:
                page.problem = None  # an intentionally empty page is not a missing text layer
                text = ""
            if page.problem is None:
                page.lines = text.split("\n")
                if layout is not None:
                    if plumber is None:
                        import pdfplumber

                        plumber = pdfplumber.open(io.BytesIO(data))
                    lines, tables = _plumber_page(plumber, index, layout)
                    if lines or tables:
                        page.lines, page.tables = lines, tables
            elif ocr_binary:
                ocr_text = _ocr_page(pdf, index, ocr_binary, ocr_languages)
                if text_problem(ocr_text) is None:
                    page.lines, page.problem, page.ocr = ocr_text.split("\n"), None, True
            pages.append(page)
            if on_page is not None:
                on_page(index + 1, total)
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    return _to_parsed(pages, metadata, total, path, ocr_available=ocr_binary is not None)


def _to_parsed(pages: list[_Page], metadata: dict[str, str], total: int, path: str | None,
               *, ocr_available: bool) -> Parsed:
    missing = [p for p in pages if p.problem is not None]
    if len(missing) == total:
        reason = missing[0].problem
        raise NoTextLayer(
            f"This PDF has no usable text layer ({reason}) on any of its {total} page(s).",
            path=path,
            hint=(
                "OCR produced no readable text either." if ocr_available
                else OCR_HINT
            ),
        )
    _strip_running_lines(pages)
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
    first_text: str | None = None
    for page in pages:
        if page.problem is not None:
            continue
        pieces: list[tuple[str, PassageKind]] = []
        tables: dict[int, list[str]] = defaultdict(list)
        for position, table_text in page.tables:
            tables[position].append(table_text)
        chunk: list[str] = []
        for i, line in enumerate([*page.lines, ""]):
            if i in tables:
                pieces.extend((p, PassageKind.text) for p in _paragraphs(chunk))
                pieces.extend((t, PassageKind.table) for t in tables.pop(i))
                chunk = []
            chunk.append(line)
        pieces.extend((p, PassageKind.text) for p in _paragraphs(chunk))
        pieces.extend((t, PassageKind.table) for ts in tables.values() for t in ts)
        offset = 0
        for text, kind in pieces:
            start = offset
            offset += len(text) + 2  # the page text joins pieces with a blank line
            if kind is PassageKind.table:
                parsed.blocks.append(Block(text, start, start + len(text), kind=kind,
                                           page=page.number, section=section))
                continue
            if _is_heading(text):
                section = text
                parsed.blocks.append(Block(text, start, start + len(text),
                                           kind=PassageKind.heading, page=page.number,
                                           section=section))
                continue
            first_text = first_text or text
            for s, e in split_long(text, 0, len(text)):
                parsed.blocks.append(Block(text[s:e], start + s, start + e, page=page.number,
                                           section=section))
    title = clean_inline(metadata.get("pdf.title", ""))
    if not title or title.lower().startswith(("microsoft word", "untitled")) or title.endswith(
        (".doc", ".docx", ".pdf")
    ):
        first = next((b.text for b in parsed.blocks if b.kind is not PassageKind.table), "")
        title = first[:200]
    parsed.title = title or None
    return parsed
