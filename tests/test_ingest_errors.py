"""Bad input: each kind gets its own IngestError, with a message and the file's path."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from ingest_fixtures import PARAGRAPH, pdf_bytes

from govgraph.errors import (
    CorruptDocument,
    EmptyFile,
    EncryptedDocument,
    FileTooLarge,
    IngestError,
    TextDecodingError,
    UnsupportedFormat,
)
from govgraph.settings import Settings
from ingest import read_bytes, read_document


def test_errors_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile) as info:
        read_document(path)
    assert info.value.path == str(path) and "empty" in info.value.message


def test_errors_whitespace_only_text() -> None:
    with pytest.raises(EmptyFile):
        read_bytes(b"  \n\n\t\n", filename="blank.txt")


def test_errors_encrypted_pdf() -> None:
    with pytest.raises(EncryptedDocument) as info:
        read_bytes(pdf_bytes([[PARAGRAPH]], user_password="secret"), filename="locked.pdf")
    assert "password" in info.value.message and info.value.hint


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_errors_truncated_pdf(keep: float) -> None:
    data = pdf_bytes([[PARAGRAPH] * 3] * 3)
    with pytest.raises(CorruptDocument) as info:
        read_bytes(data[: int(len(data) * keep)], filename="cut.pdf")
    assert "damaged or truncated" in info.value.message


def test_errors_garbage_after_pdf_magic() -> None:
    with pytest.raises(CorruptDocument):
        read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20, filename="bad.pdf")


def test_errors_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("The council met the police. " * 100)
    with pytest.raises(FileTooLarge) as info:
        read_document(path, settings=Settings(max_file_bytes=1000))
    assert "limit" in info.value.message
    with pytest.raises(FileTooLarge):
        read_bytes(b"x" * 2000, filename="big.txt", settings=Settings(max_file_bytes=1000))


def test_errors_binary_posing_as_text() -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(5000))
    with pytest.raises(UnsupportedFormat) as info:
        read_bytes(noise, filename="notes.txt")
    assert "binary" in info.value.message


def test_errors_control_characters_posing_as_text() -> None:
    data = ("report \x01\x02\x03\x04\x05\x06 " * 200).encode()
    with pytest.raises(UnsupportedFormat):
        read_bytes(data, filename="notes.txt")


def test_errors_undeterminable_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest._decode as decode

    class _NoGuess:
        def best(self) -> None:
            return None

    monkeypatch.setattr(decode, "from_bytes", lambda data: _NoGuess())
    with pytest.raises(TextDecodingError) as info:
        read_bytes("Informe de la Policía".encode("latin-1"), filename="x.txt")
    assert "UTF-8" in (info.value.hint or "")


def test_errors_non_utf8_text_is_decoded() -> None:
    text = (
        "La Secretaría de Seguridad coordinó con la Policía y los municipios las acciones "
        "de prevención de la violencia en el año.\n"
    ) * 5
    doc = read_bytes(text.encode("cp1252"), filename="informe.txt")
    assert "Secretaría" in doc.passages[0].text
    assert doc.language == "es"
    assert doc.metadata["encoding"] != "utf-8"


def test_errors_utf16_with_bom_is_text() -> None:
    text = "The police and the city council coordinate the prevention plan every month.\n"
    doc = read_bytes(text.encode("utf-16"), filename="x.txt")
    assert doc.passages[0].text == text.strip()


def test_errors_wrong_extension_is_sniffed() -> None:
    doc = read_bytes(pdf_bytes([[PARAGRAPH]]), filename="report.txt")
    assert doc.media_type == "application/pdf"
    assert any("content is pdf" in w for w in doc.warnings)
    doc = read_bytes(pdf_bytes([[PARAGRAPH]]), filename="noextension")
    assert doc.media_type == "application/pdf" and not doc.warnings


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 100, "gzip"),
    ],
)
def test_errors_unsupported_types(data: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        read_bytes(data, filename="file.docx")
    assert what in info.value.message


def test_errors_zip_that_is_not_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormat) as info:
        read_bytes(buf.getvalue(), filename="budget.xlsx")
    assert "Excel" in info.value.message


def test_errors_corrupt_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<not really/>")
    with pytest.raises(CorruptDocument):
        read_bytes(buf.getvalue(), filename="broken.docx")


def test_errors_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError):
        read_document(tmp_path / "nope.pdf")


# --- issue 16: ZIP bombs, parser limits, UTF-16 without BOM, size labels ----------------------


def _zip(members: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def test_errors_docx_zip_bomb_refused_before_inflating() -> None:
    import time

    bomb = _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document>" + "a" * (120 * 1024 * 1024) + "</w:document>",
        }
    )
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(FileTooLarge) as info:
        read_bytes(bomb, filename="bomb.docx")
    assert "inflates" in info.value.message and "MiB" in info.value.message
    assert time.monotonic() - started < 5  # refused from the directory, nothing inflated


def test_errors_zip_ratio_and_total_limits() -> None:
    from ingest._zipguard import check_zip

    dense = _zip({"word/document.xml": "x" * (4 * 1024 * 1024)})
    with pytest.raises(FileTooLarge, match="times"):
        check_zip(dense, path="d.docx")
    stored = _zip(
        {f"word/p{i}.xml": bytes(range(256)) * 4096 for i in range(3)}, zipfile.ZIP_STORED
    )
    check_zip(stored, path="ok.docx")  # 3 MiB, ratio 1: fine
    with pytest.raises(FileTooLarge, match="inflates to"):
        check_zip(stored, path="t.docx", max_total=2 * 1024 * 1024)


def test_errors_docx_huge_text_node_is_a_clear_error() -> None:
    import random

    import docx
    from ingest_fixtures import docx_bytes

    # lxml refuses a text node over 10 MB; random letters keep the compression ratio low, so
    # this reaches the parser rather than the ZIP limits.
    rng = random.Random(16)
    huge = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=11 * 1024 * 1024))
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src:
        members = {n: src.read(n) for n in src.namelist()}
    members["word/document.xml"] = (
        members["word/document.xml"].decode().replace("The strategy is financed", huge, 1).encode()
    )
    assert docx  # python-docx is the reader under test
    with pytest.raises(CorruptDocument) as info:
        read_bytes(_zip(members), filename="huge.docx")
    assert "XML" in info.value.message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_errors_utf16_without_bom_is_text(encoding: str) -> None:
    text = "The Harbour Council works with the Youth Forum. Niños y jóvenes.\n" * 3
    doc = read_bytes(text.encode(encoding), filename="notes.txt")
    assert doc.metadata["encoding"] == encoding
    assert "Harbour Council" in doc.passages[0].text


def test_errors_binary_with_nuls_still_refused() -> None:
    with pytest.raises(UnsupportedFormat):
        read_bytes(bytes(range(256)) * 64, filename="blob.txt")


def test_errors_size_limit_says_mib(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("The council met the police. " * 100)
    with pytest.raises(FileTooLarge) as info:
        read_document(path, settings=Settings(max_file_bytes=1024))
    assert "MiB" in info.value.message and " MB" not in info.value.message
