"""OCR of PDF pages without a usable text layer (tesseract, when installed), and the
paragraphs of its plain-text output, which has no geometry to read."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

__all__ = ["ocr_languages", "ocr_page", "tesseract", "text_paragraphs"]

_BULLET = re.compile(r"^(?:[•·▪◦‣●■□➢►✓\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_HYPHENS = ("-", "\u2010", "\u00ad")


def tesseract() -> str | None:
    return shutil.which("tesseract")


def ocr_languages(binary: str) -> str:
    try:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "eng"
    available = set(out.split())
    wanted = [lang for lang in ("eng", "spa", "fra", "por") if lang in available]
    return "+".join(wanted) or "eng"


def ocr_page(pdf: pdfium.PdfDocument, index: int, binary: str, languages: str) -> str:
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
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
    return result.stdout if result.returncode == 0 else ""


def text_paragraphs(lines: list[str]) -> list[str]:
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
