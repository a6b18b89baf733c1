"""What a file really is, from its first bytes; the extension is only a tie-breaker."""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

from govgraph.errors import UnsupportedFormat

from ._decode import looks_binary

__all__ = ["Format", "sniff"]


class Format(StrEnum):
    pdf = "application/pdf"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    html = "text/html"
    markdown = "text/markdown"
    text = "text/plain"


_EXTENSIONS = {
    ".pdf": Format.pdf,
    ".docx": Format.docx,
    ".html": Format.html,
    ".htm": Format.html,
    ".xhtml": Format.html,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".txt": Format.text,
    ".text": Format.text,
    ".vtt": Format.text,
    ".srt": Format.text,
    ".csv": Format.text,
}

# Formats we recognise only to refuse them with a useful hint.
_REFUSED: tuple[tuple[bytes, str, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Microsoft Office file (.doc/.xls)",
        "Save it as .docx or PDF and ingest it again.",
    ),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "Put scanned pages into a PDF; OCR applies to PDFs."),
    (b"\xff\xd8\xff", "a JPEG image", "Put scanned pages into a PDF; OCR applies to PDFs."),
    (b"GIF8", "a GIF image", "Images cannot be ingested."),
    (b"II*\x00", "a TIFF image", "Put scanned pages into a PDF; OCR applies to PDFs."),
    (b"MM\x00*", "a TIFF image", "Put scanned pages into a PDF; OCR applies to PDFs."),
    (b"\x1f\x8b", "a gzip archive", "Unpack it and ingest the files inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Unpack it and ingest the files inside."),
    (b"Rar!", "a RAR archive", "Unpack it and ingest the files inside."),
    (b"{\\rtf", "an RTF document", "Save it as .docx or PDF and ingest it again."),
)

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_MD_HEADING = re.compile(rb"^#{1,6} \S", re.MULTILINE)

_SUPPORTED_HINT = "Supported: PDF, DOCX, HTML, Markdown, plain text (incl. WebVTT/SRT)."


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > filename.rfind("/") and dot > 0 else ""


def sniff(data: bytes, filename: str, *, path: str | None = None) -> Format:
    """Decide the format from content; raise UnsupportedFormat for anything we can't read."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return Format.pdf
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names:
            return Format.docx
        kind = (
            "an Excel workbook"
            if "xl/workbook.xml" in names
            else "a PowerPoint deck"
            if "ppt/presentation.xml" in names
            else "a ZIP archive"
        )
        raise UnsupportedFormat(
            f"This file is {kind}, which cannot be ingested.", path=path, hint=_SUPPORTED_HINT
        )
    for magic, what, hint in _REFUSED:
        if head.startswith(magic):
            raise UnsupportedFormat(
                f"This file is {what}, which cannot be ingested.", path=path, hint=hint
            )
    if looks_binary(data):
        raise UnsupportedFormat(
            "This file looks like binary data, not text.", path=path, hint=_SUPPORTED_HINT
        )
    if _HTML_START.match(head):
        return Format.html
    ext = _extension(filename)
    by_ext = _EXTENSIONS.get(ext)
    if by_ext is Format.html:
        return Format.html
    if by_ext is Format.markdown or (by_ext is None and len(_MD_HEADING.findall(head)) >= 2):
        return Format.markdown
    if by_ext in (Format.pdf, Format.docx):
        # Text content under a binary format's extension: read it as what it is.
        return Format.text
    return Format.text
