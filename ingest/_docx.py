"""Word (.docx) files: paragraphs in body order, Heading styles as sections, tables kept.

The document text is the paragraphs and rendered tables joined by blank lines; passage
spans are relative to it.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from govgraph.errors import CorruptDocument
from ingest.model import PassageKind

from ._blocks import Block, Parsed
from ._segment import split_long
from ._sniff import Format
from ._tables import render_table
from ._zipguard import check_zip

__all__ = ["read_docx"]


def _heading_level(paragraph: Paragraph) -> bool:
    name = paragraph.style.name if paragraph.style is not None else ""
    return bool(name) and (
        name.startswith(("Heading", "Title"))
        or name.lower().startswith(("título", "titulo", "encabezado"))
    )


def read_docx(data: bytes, *, path: str | None) -> tuple[Parsed, str]:
    check_zip(data, path=path)  # before anything is inflated
    try:
        document = docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as error:
        # lxml refuses text nodes over 10 MB and deep trees (huge_tree stays off): the file
        # fails alone, with lxml's reason, instead of crashing the job.
        raise CorruptDocument(
            f"This Word file's XML could not be parsed ({error}).",
            path=path,
            hint="Open and re-save it in Word or LibreOffice, or export it to PDF.",
        ) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise CorruptDocument(
            f"This Word file is damaged and could not be opened ({error}).",
            path=path,
            hint="Open and re-save it in Word or LibreOffice, or export it to PDF.",
        ) from None
    parts: list[str] = []
    size = 0
    blocks: list[Block] = []
    section: str | None = None
    first_heading: str | None = None

    def append(text: str) -> int:
        nonlocal size
        if parts:
            parts.append("\n\n")
            size += 2
        start = size
        parts.append(text)
        size += len(text)
        return start

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            text = render_table(rows)
            if text:
                start = append(text)
                blocks.append(
                    Block(text, start, start + len(text), kind=PassageKind.table, section=section)
                )
            continue
        text = item.text.strip()
        if not text:
            continue
        start = append(text)
        if _heading_level(item):
            section = " ".join(text.split())
            first_heading = first_heading or section
            blocks.append(
                Block(text, start, start + len(text), kind=PassageKind.heading, section=section)
            )
            continue
        for s, e in split_long(text, 0, len(text)):
            blocks.append(Block(text[s:e], start + s, start + e, section=section))

    plain = "".join(parts)
    title = (document.core_properties.title or "").strip() or first_heading
    if title is None and blocks:
        title = blocks[0].text.split("\n", 1)[0][:200]
    parsed = Parsed(media_type=Format.docx.value, blocks=blocks, title=title)
    author_free = {"docx.created": str(document.core_properties.created or "")}
    parsed.metadata.update({k: v for k, v in author_free.items() if v and v != "None"})
    return parsed, plain
