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


def bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the data reads as UTF-16 text without a BOM.

    Windows tools write UTF-16 without a BOM; mostly-Latin text then has a NUL in every
    other byte, all on the same side. Binary data has NULs everywhere, and decodes to
    control characters and unpaired surrogates, which the ratio check catches.
    """
    sample = data[:65536]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half * 0.3 and even == 0:
        encoding = "utf-16-le"
    elif even >= half * 0.3 and odd == 0:
        encoding = "utf-16-be"
    else:
        return None
    text = sample.decode(encoding, errors="replace")
    return encoding if _control_ratio(text) <= _MAX_CONTROL_RATIO else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16/32 text mean binary data, whatever the file is called."""
    if has_bom(data) or b"\x00" not in data[:65536]:
        return False
    return bomless_utf16(data) is None


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
    if text is None and (utf16 := bomless_utf16(data)) is not None:
        text, encoding = data.decode(utf16, errors="replace"), utf16
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
