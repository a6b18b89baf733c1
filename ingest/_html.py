"""HTML pages: headings set sections, tables are kept, script/style and the like dropped.

The document text is the visible blocks joined by blank lines; spans are relative to it.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from govgraph.errors import CorruptDocument
from ingest.model import PassageKind

from ._blocks import Block, Parsed
from ._decode import decode_text
from ._segment import split_long
from ._sniff import Format
from ._tables import render_table

__all__ = ["read_html"]

_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LEAF_BLOCKS = frozenset(
    {"p", "li", "pre", "blockquote", "dt", "dd", "figcaption", "address", "caption", "summary"}
)
_BLOCKS = (
    _LEAF_BLOCKS
    | _HEADINGS
    | frozenset(
        {
            "div",
            "section",
            "article",
            "main",
            "ul",
            "ol",
            "dl",
            "table",
            "header",
            "footer",
            "nav",
            "aside",
            "form",
            "fieldset",
            "figure",
            "details",
            "body",
            "tr",
            "td",
            "th",
            "tbody",
        }
    )
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _has_block_child(el: lxml.html.HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterchildren())


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.blocks: list[Block] = []
        self.section: str | None = None
        self.first_heading: str | None = None

    def add(self, text: str, kind: PassageKind = PassageKind.text) -> None:
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.size += 2
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        if kind is PassageKind.heading:
            self.section = text
            self.first_heading = self.first_heading or text
            self.blocks.append(Block(text, start, start + len(text), kind=kind, section=text))
        elif kind is PassageKind.table:
            self.blocks.append(
                Block(text, start, start + len(text), kind=kind, section=self.section)
            )
        else:
            for s, e in split_long(text, 0, len(text)):
                self.blocks.append(Block(text[s:e], start + s, start + e, section=self.section))

    def walk(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _HEADINGS:
            self.add(_text(el), PassageKind.heading)
        elif tag == "table":
            rows = [
                [_text(cell) for cell in row.iterchildren() if cell.tag in ("td", "th")]
                for row in el.iter("tr")
            ]
            self.add(render_table(rows), PassageKind.table)
        elif tag in _LEAF_BLOCKS and not _has_block_child(el):
            self.add(_text(el))
        else:
            loose = [el.text or ""]
            for child in el.iterchildren():
                if isinstance(child.tag, str) and child.tag in _BLOCKS:
                    self.add(" ".join("".join(loose).split()))
                    loose = []
                    self.walk(child)
                elif isinstance(child.tag, str):
                    loose.append(child.text_content())
                loose.append(child.tail or "")
            self.add(" ".join("".join(loose).split()))


def read_html(data: bytes, *, path: str | None) -> tuple[Parsed, str]:
    text, encoding = decode_text(data, path=path)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (lxml.etree.ParserError, ValueError) as error:
        raise CorruptDocument(f"This HTML file could not be parsed ({error}).", path=path) from None
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else None
    for el in list(root.iter(*_DROP)):
        if el is not root:
            el.drop_tree()
    builder = _Builder()
    body = root.find("body")
    builder.walk(body if body is not None else root)
    parsed = Parsed(
        media_type=Format.html.value, blocks=builder.blocks, title=title or builder.first_heading
    )
    parsed.metadata["encoding"] = encoding
    return parsed, "".join(builder.parts)
