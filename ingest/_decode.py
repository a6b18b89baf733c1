"""Bytes to text: UTF-8 (with or without BOM) first, then charset-normalizer's best guess."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from govgraph.errors import TextDecodingError, UnsupportedFormat

__all__ = ["decode_text", "looks_binary"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Real text has almost no C0 controls; binary data decoded as a legacy code page has many.
_MAX_CONTROL_RATIO = 0.01


def has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 BOM mean binary data, whatever the file is called."""
    return not has_bom(data) and b"\x00" in data[:65536]


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(
        1
        for ch in sample
        if (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Co", "Cs"))
        or ch == "\ufffd"
    )
    return bad / len(sample)


def decode_text(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; newlines are normalised to ``\\n``."""
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, encoding = data.decode(name, errors="strict"), name
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = from_bytes(data[:1_000_000]).best()
            if best is None:
                raise TextDecodingError(
                    "The text encoding of this file could not be determined.",
                    path=path,
                    hint="Save it as UTF-8 and ingest it again.",
                ) from None
            encoding = best.encoding
            text = data.decode(encoding, errors="replace")
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise UnsupportedFormat(
            "This file looks like binary data, not text.",
            path=path,
            hint="Only PDF, DOCX, HTML, Markdown and plain-text files can be ingested.",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding
