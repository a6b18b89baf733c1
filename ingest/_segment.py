"""Paragraph and sentence-sized spans over a text, so passages suit sentence-level NLP."""

from __future__ import annotations

import re

__all__ = ["MAX_PASSAGE_CHARS", "paragraph_spans", "passage_spans", "split_long"]

# Long enough for a full paragraph, short enough for a relation extractor's window.
MAX_PASSAGE_CHARS = 1200

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n\s*")
# A sentence ends at . ! ? or … followed by space and something that can open a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…;])[\"'”»)\]]*\s+(?=[\"'“«(¿¡\[]?[A-ZÁÉÍÓÚÑÜ0-9])")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of ``text[start:end]``, trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _BLANK_LINE.finditer(text, start, end):
        span = _trimmed(text, pos, m.start())
        if span:
            spans.append(span)
        pos = m.end()
    span = _trimmed(text, pos, end)
    if span:
        spans.append(span)
    return spans


def split_long(
    text: str, start: int, end: int, max_chars: int = MAX_PASSAGE_CHARS
) -> list[tuple[int, int]]:
    """Split one span at sentence ends (or, failing that, whitespace) into pieces <= max_chars."""
    if end - start <= max_chars:
        return [(start, end)]
    cuts = [m.start() for m in _SENTENCE_END.finditer(text, start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    last_cut: int | None = None
    for cut in [*cuts, end]:
        if cut - piece_start > max_chars:
            if last_cut is not None and last_cut > piece_start:
                pieces.append((piece_start, last_cut))
                piece_start = last_cut
            while cut - piece_start > max_chars:  # one sentence longer than the limit
                hard = text.rfind(" ", piece_start, piece_start + max_chars)
                hard = hard if hard > piece_start else piece_start + max_chars
                pieces.append((piece_start, hard))
                piece_start = hard
        last_cut = cut
    pieces.append((piece_start, end))
    result = []
    for s, e in pieces:
        span = _trimmed(text, s, e)
        if span:
            result.append(span)
    return result


def passage_spans(
    text: str, start: int = 0, end: int | None = None, max_chars: int = MAX_PASSAGE_CHARS
) -> list[tuple[int, int]]:
    """Paragraphs of ``text[start:end]``, long ones split at sentence ends."""
    return [
        piece
        for p_start, p_end in paragraph_spans(text, start, end)
        for piece in split_long(text, p_start, p_end, max_chars)
    ]
