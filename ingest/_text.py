"""Plain text and Markdown to blocks. Spans are relative to the whole decoded text."""

from __future__ import annotations

import re

from ingest.model import PassageKind

from ._blocks import Block
from ._segment import paragraph_spans, passage_spans, split_long

__all__ = ["clean_inline", "markdown_blocks", "plain_blocks"]

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_ROW = re.compile(r"^ {0,3}\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_PLAIN_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[^\W\d_][^\n]{0,78}$")


def clean_inline(text: str) -> str:
    """Markdown emphasis and links removed, for names like section titles."""
    text = _LINK.sub(r"\1", text)
    prev = None
    while prev != text:
        prev, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _line_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the newline."""
    offsets, pos = [], 0
    for line in text.split("\n"):
        offsets.append((pos, pos + len(line)))
        pos += len(line) + 1
    return offsets


def markdown_blocks(text: str) -> tuple[list[Block], str | None]:
    """Headings set the section; pipe tables become table blocks; the rest is paragraphs."""
    lines = text.split("\n")
    offsets = _line_offsets(text)
    blocks: list[Block] = []
    headings: list[str] = []
    section: str | None = None
    para_start: int | None = None  # line index where the current paragraph began

    def flush(end_line: int) -> None:
        nonlocal para_start
        if para_start is None:
            return
        start, end = offsets[para_start][0], offsets[end_line - 1][1]
        for s, e in passage_spans(text, start, end):
            blocks.append(Block(text[s:e], s, e, section=section))
        para_start = None

    def heading(level_text: str, start: int, end: int) -> None:
        nonlocal section
        name = clean_inline(level_text)
        if not name:
            return
        s = text.find(level_text, start, end)
        blocks.append(
            Block(
                text[s : s + len(level_text)],
                s,
                s + len(level_text),
                kind=PassageKind.heading,
                section=name,
            )
        )
        headings.append(name)
        section = name

    i, fence = 0, None
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            i += 1
            continue
        if m := _FENCE.match(line):
            flush(i)
            fence = m.group(1)[:3]
            para_start = i  # code is kept as a text paragraph
            i += 1
            continue
        if m := _ATX.match(line):
            flush(i)
            heading(m.group(2), *offsets[i])
            i += 1
            continue
        if (
            para_start is not None
            and para_start == i - 1
            and _SETEXT.match(line)
            and not _TABLE_ROW.match(lines[i - 1])
        ):
            para_start = None
            heading(lines[i - 1].strip(), *offsets[i - 1])
            i += 1
            continue
        if _RULE.match(line) or not line.strip():
            flush(i)
            i += 1
            continue
        if _TABLE_ROW.match(line) and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            flush(i)
            j = i + 2
            while j < len(lines) and _TABLE_ROW.match(lines[j]):
                j += 1
            s, e = offsets[i][0], offsets[j - 1][1]
            blocks.append(Block(text[s:e], s, e, kind=PassageKind.table, section=section))
            i = j
            continue
        if para_start is None:
            para_start = i
        i += 1
    flush(len(lines))
    title = headings[0] if headings else None
    if title is None:
        first = next((b.text for b in blocks if b.text.strip()), "")
        title = clean_inline(first.split("\n", 1)[0])[:200] or None
    elif (
        title
        and len(headings) > 1
        and blocks
        and blocks[0].kind is PassageKind.heading
        and (len(blocks) > 1 and blocks[1].kind is PassageKind.heading)
    ):
        # "# CITY OF X" then "## Plan 2024": both lines make the title.
        title = f"{headings[0]}: {headings[1]}"
    return blocks, title


def _is_plain_heading(paragraph: str) -> bool:
    if "\n" in paragraph or len(paragraph.split()) > 12:
        return False
    if paragraph.rstrip()[-1:] in ".,;:!?)":
        return False
    if not _PLAIN_HEADING.match(paragraph):
        return False
    letters = [c for c in paragraph if c.isalpha()]
    numbered = paragraph[:1].isdigit()
    return numbered or (len(letters) >= 3 and all(c.isupper() for c in letters))


def plain_blocks(text: str) -> tuple[list[Block], str | None]:
    """Blank-line paragraphs; short ALL-CAPS or numbered lines standing alone are headings."""
    blocks: list[Block] = []
    section: str | None = None
    title: str | None = None
    for p_start, p_end in paragraph_spans(text):
        para = text[p_start:p_end]
        if title is None:
            title = para.split("\n", 1)[0].strip()[:200]
        if _is_plain_heading(para):
            section = " ".join(para.split())
            blocks.append(Block(para, p_start, p_end, kind=PassageKind.heading, section=section))
            continue
        for s, e in split_long(text, p_start, p_end):
            blocks.append(Block(text[s:e], s, e, section=section))
    return blocks, title
