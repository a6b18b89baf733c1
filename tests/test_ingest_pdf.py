"""PDF: pages, paragraphs, running headers, tables, columns, missing text layers, OCR."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from ingest_fixtures import PARAGRAPH, pdf_bytes, table_pdf, two_column_pdf

from govgraph.errors import NoTextLayer
from govgraph.settings import Settings
from ingest import DocumentKind, PassageKind, read_bytes, read_document
from ingest._quality import text_problem

TOPICS = ["police", "schools", "health services", "youth centres", "market vendors"]


def _pages(n: int) -> list[list[str]]:
    return [
        [
            f"{i + 1}. SECTION ON {TOPICS[i % 5].upper()}",
            f"Page {i + 1} discusses {TOPICS[i % 5]}. " + PARAGRAPH,
            f"A second paragraph about {TOPICS[(i + 2) % 5]} closes page {i + 1}.",
        ]
        for i in range(n)
    ]


def test_pdf_pages_paragraphs_and_running_headers_stripped() -> None:
    data = pdf_bytes(_pages(5), header="Valdora Safety Plan 2024 - Draft for consultation")
    doc = read_bytes(data, filename="plan.pdf")
    assert doc.media_type == "application/pdf"
    assert doc.page_count == 5
    assert {p.page for p in doc.passages} == {1, 2, 3, 4, 5}
    texts = [p.text for p in doc.passages]
    assert not any("Draft for consultation" in t for t in texts)
    assert not any(t.strip().startswith("Page ") and len(t) < 10 for t in texts)
    page3 = [p for p in doc.passages if p.page == 3]
    assert page3[0].kind is PassageKind.heading and page3[0].text == "3. SECTION ON HEALTH SERVICES"
    body = page3[1]
    # Wrapped lines are joined into one paragraph, in reading order.
    assert body.text.startswith("Page 3 discusses health services. The municipal Office")
    assert body.text.endswith("invited to each session.")
    assert body.section == "3. SECTION ON HEALTH SERVICES"
    assert page3[2].text == "A second paragraph about market vendors closes page 3."
    # Spans are consecutive in the rebuilt page text (paragraphs joined by blank lines).
    assert page3[0].char_start == 0
    assert body.char_start == page3[0].char_end + 2
    assert doc.language == "en"


def test_pdf_progress_callback_counts_pages() -> None:
    seen: list[tuple[int, int]] = []
    read_bytes(
        pdf_bytes(_pages(3)),
        filename="x.pdf",
        on_page=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_pdf_table_becomes_table_passage() -> None:
    rows = [
        ["Actor", "Role", "Budget"],
        ["City council", "Lead", "10"],
        ["National police", "Partner", "5"],
        ["Safe Streets NGO", "Partner", "1"],
        ["UNDP", "Funder", "2"],
        ["Schools", "Partner", "0"],
    ]
    doc = read_bytes(table_pdf(rows), filename="matrix.pdf")
    tables = [p for p in doc.passages if p.kind is PassageKind.table]
    assert len(tables) == 1
    lines = tables[0].text.split("\n")
    assert lines[0] == "| Actor | Role | Budget |"
    assert "| National police | Partner | 5 |" in lines
    kinds = [p.kind for p in doc.passages]
    assert kinds == [PassageKind.text, PassageKind.table, PassageKind.text]


def test_pdf_two_columns_keep_reading_order() -> None:
    left = [
        "The left column starts here and talks about the city council. " * 5,
        "The left column ends with the municipal budget. " * 3,
    ]
    right = [
        "The right column is about the national police service. " * 5,
        "The right column ends with the ministry. " * 3,
    ]
    doc = read_bytes(two_column_pdf(left, right), filename="cols.pdf")
    text = " ".join(p.text for p in doc.passages)
    assert text.index("left column starts") < text.index("left column ends")
    assert text.index("left column ends") < text.index("right column is about")
    assert text.index("right column is about") < text.index("right column ends")
    assert not any("left column" in p.text and "right column" in p.text for p in doc.passages)


def test_pdf_scanned_pages_only_raise_no_text_layer() -> None:
    with pytest.raises(NoTextLayer) as info:
        read_bytes(
            pdf_bytes([[], []], image_pages=[0, 1]),
            filename="scan.pdf",
            settings=Settings(ocr=False),
        )
    assert "tesseract-ocr" in (info.value.hint or "")
    assert info.value.path == "scan.pdf"


def test_pdf_some_scanned_pages_give_warning() -> None:
    doc = read_bytes(
        pdf_bytes(_pages(3), image_pages=[1]), filename="mixed.pdf", settings=Settings(ocr=False)
    )
    assert {p.page for p in doc.passages} == {1, 3}
    assert len(doc.warnings) == 1 and "page 2" in doc.warnings[0].replace("pages 2", "page 2")


def test_pdf_ocr_runs_tesseract_when_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then printf "List\\neng\\nspa\\n"; exit 0; fi\n'
        f'echo "{PARAGRAPH}"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    doc = read_bytes(
        pdf_bytes([[]], image_pages=[0]), filename="scan.pdf", settings=Settings(ocr=True)
    )
    assert doc.metadata["ocr_pages"] == "1"
    assert doc.passages[0].text == PARAGRAPH and doc.passages[0].page == 1


def test_pdf_with_a_text_layer_never_starts_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asking tesseract for its languages is a subprocess: only a page that needs OCR pays it.
    called = tmp_path / "called"
    fake = tmp_path / "tesseract"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{called}"\nprintf "List\\neng\\n"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    doc = read_bytes(pdf_bytes(_pages(2)), filename="text.pdf", settings=Settings(ocr=True))
    assert doc.page_count == 2 and "ocr_pages" not in doc.metadata
    assert not called.exists()


def test_pdf_quality_flags_garbage_and_accepts_tables() -> None:
    assert text_problem("\x01 \x04 \x01\x05 \x04 \x06\x07\n" * 20) is not None
    assert text_problem("") == "no text"
    assert text_problem("#$%&/()=?¿ {}[]<>" * 10) is not None
    assert text_problem("Agrícola 17.421 12,3% 1.954.686 30,9%\nForestal 121.081 85,7%") is None
    toc = "".join(f"{i}. Section on the city plan {'.' * 60} {i * 3}\n" for i in range(1, 8))
    assert text_problem(toc) is None


# --- corpus -----------------------------------------------------------------------------------


@pytest.mark.corpus
def test_pdf_corpus_reports_have_pages_and_language(corpus_dir: Path) -> None:
    eu = read_document(
        corpus_dir / "pdfs" / "en_EU-HorizonEurope_SAFE-CITIES_D2.4_SVA_framework_2023.pdf"
    )
    assert eu.page_count == 110 and eu.language == "en"
    assert all(p.page is not None and 1 <= p.page <= 110 for p in eu.passages)
    assert not any("This project has received funding" in p.text for p in eu.passages)
    assert max(len(p.text) for p in eu.passages if p.kind is PassageKind.text) <= 1200
    assert any(p.kind is PassageKind.table for p in eu.passages)

    gme = read_document(
        corpus_dir / "pdfs" / "es_UNODC-SIMCI_COL_GME_erradicacion_informe_final_2012.pdf"
    )
    assert gme.language == "es" and gme.kind is DocumentKind.report
    assert any("Policía Nacional" in p.text for p in gme.passages)


@pytest.mark.corpus
def test_pdf_corpus_table_layout_gives_tables(corpus_dir: Path) -> None:
    doc = read_document(
        corpus_dir / "pdfs" / "es_UNODC-DANET_ficha_municipal_detallada_05040_table_layout.pdf"
    )
    tables = [p for p in doc.passages if p.kind is PassageKind.table]
    assert tables
    assert any("| Departamento | 05 - Antioquia |" in t.text for t in tables)
    assert doc.language == "es"


@pytest.mark.corpus
def test_pdf_corpus_type3_has_no_text_layer(corpus_dir: Path) -> None:
    path = corpus_dir / "pdfs" / "es_UNODC-DANET_infografia_ZVT_05040_Type3_no_text_layer.pdf"
    with pytest.raises(NoTextLayer) as info:
        read_document(path, settings=Settings(ocr=False))
    assert "broken font encoding" in info.value.message
