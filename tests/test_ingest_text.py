"""Plain text and Markdown: paragraphs, headings as sections, tables, spans, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import DocumentKind, PassageKind, read_bytes, read_document

MARKDOWN = """# CITY OF EXAMPLE

## Youth Safety Plan 2024-2028

Prepared by the Office for Community Safety, June 2024.

### 1. Context

The city has the highest rate of youth violence in the region. The police and the
schools have agreed to work together.

### 2. Implementation matrix

| Action | Lead | Partners |
|---|---|---|
| Mentoring | DSD | UNDP; Youth Centre |
| Lighting | OCS | to be confirmed |

Closing words.
"""


def _spans_hold(doc_text: str, passages: tuple) -> None:  # type: ignore[type-arg]
    for p in passages:
        assert doc_text[p.char_start : p.char_end] == p.text


def test_text_markdown_sections_tables_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "CITY OF EXAMPLE: Youth Safety Plan 2024-2028"
    assert doc.kind is DocumentKind.plan
    assert doc.language == "en"
    assert doc.media_type == "text/markdown"
    _spans_hold(MARKDOWN, doc.passages)
    context = next(p for p in doc.passages if p.text.startswith("The city has"))
    assert context.section == "1. Context"
    assert context.kind is PassageKind.text
    table = next(p for p in doc.passages if p.kind is PassageKind.table)
    assert "| Mentoring | DSD | UNDP; Youth Centre |" in table.text
    assert table.section == "2. Implementation matrix"
    assert [p.index for p in doc.passages] == list(range(len(doc.passages)))
    assert all(p.id == f"{doc.id}:{p.index}" for p in doc.passages)


def test_text_plain_paragraphs_and_spanish_language() -> None:
    text = (
        "INFORME ANUAL\n\n"
        "La Secretaría de Seguridad coordina con los municipios las acciones de prevención "
        "de la violencia en el estado.\n\n"
        "Los resultados del programa se presentan en la sección siguiente, con los datos de "
        "las fiscalías y de la policía estatal.\n"
    )
    doc = read_bytes(text.encode("utf-8"), filename="informe.txt")
    assert doc.language == "es"
    assert doc.kind is DocumentKind.report
    heading = doc.passages[0]
    assert heading.kind is PassageKind.heading and heading.text == "INFORME ANUAL"
    assert len([p for p in doc.passages if p.kind is PassageKind.text]) == 2
    assert all(p.section == "INFORME ANUAL" for p in doc.passages)
    _spans_hold(text, doc.passages)


def test_text_long_paragraph_split_at_sentences() -> None:
    sentence = "The municipal office coordinates the prevention programme with the police. "
    text = sentence * 60
    doc = read_bytes(text.encode(), filename="long.txt")
    assert len(doc.passages) > 1
    assert all(len(p.text) <= 1200 for p in doc.passages)
    assert all(p.text.endswith(".") for p in doc.passages)
    _spans_hold(text.replace("\r\n", "\n"), doc.passages)


def test_text_id_is_sha256_and_stable() -> None:
    import hashlib

    data = b"The Ministry of the Interior and the city council signed an agreement.\n"
    a = read_bytes(data, filename="a.txt")
    b = read_bytes(data, filename="b.txt")
    assert a.id == b.id == hashlib.sha256(data).hexdigest()


def test_text_kind_override() -> None:
    doc = read_bytes(
        b"Some notes about the city council and the police.\n",
        filename="x.txt",
        kind=DocumentKind.law,
    )
    assert doc.kind is DocumentKind.law


@pytest.mark.corpus
def test_text_scenario_docs_ingest(corpus_dir: Path) -> None:
    docs = sorted((corpus_dir / "scenario-dev" / "docs").glob("*.md"))
    assert len(docs) == 3
    for path in docs:
        doc = read_document(path)
        raw = path.read_text(encoding="utf-8")
        assert doc.language == "en"
        assert not doc.is_transcript
        _spans_hold(raw, doc.passages)
    plan = read_document(docs[0])
    assert plan.kind is DocumentKind.plan
    matrix = [p for p in plan.passages if p.kind is PassageKind.table]
    assert matrix and "Second Chance Valdora" in matrix[0].text
    assert matrix[0].section is not None and "Implementation matrix" in matrix[0].section
    circular = read_document(docs[1])
    assert circular.kind is DocumentKind.law
    assert circular.date == "2024-05-02"
