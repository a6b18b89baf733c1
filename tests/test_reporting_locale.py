"""The report's locale catalogs: same keys and placeholders, and a Spanish report with no
English template sentence left in it."""

from __future__ import annotations

import io
import json
import string
from html import unescape

import pytest
from docx import Document as open_docx
from reporting_fixtures import seed_graph

from graph_schema.store import GraphStore
from reporting import ReportFormat, build_report, gather_report_inputs, render_report
from reporting.locale import LOCALES_DIR, ReportLanguage, catalog, dominant_language, theme_name


def _load(lang: str) -> dict[str, str]:
    raw = json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_reporting_locales_have_the_same_keys_and_placeholders() -> None:
    files = sorted(p.stem for p in LOCALES_DIR.glob("*.json"))
    assert files == sorted(m.value for m in ReportLanguage)  # one catalog per language
    en = _load("en")
    for lang in files:
        other = _load(lang)
        assert set(other) == set(en), lang
        for key, text in en.items():
            assert _placeholders(other[key]) == _placeholders(text), (lang, key)


def _english_fragments() -> list[str]:
    """The English catalog's sentences, cut at their placeholders, that Spanish says
    differently (a fragment of three words or more is a sentence, not a shared name)."""
    en, es = _load("en"), _load("es")
    out = []
    for key, text in en.items():
        if text == es[key]:
            continue
        for literal, *_ in string.Formatter().parse(text):
            piece = literal.strip(" .,:;()")
            if len(piece.split()) >= 3:
                out.append(piece)
    return out


def test_reporting_spanish_report_has_no_english_template_sentence(store: GraphStore) -> None:
    seed_graph(store)
    inputs, docs, filters = gather_report_inputs(store, levels=["local", "national", "non_state"])
    report = build_report(inputs, docs, generated_at="2026-01-01", filters=filters, lang="es")
    assert report.sections and report.sections[0].findings
    md = render_report(report, ReportFormat.md).decode()
    html = unescape(render_report(report, ReportFormat.html).decode())
    doc = open_docx(io.BytesIO(render_report(report, ReportFormat.docx)))
    docx_text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    fragments = _english_fragments()
    assert len(fragments) > 60
    for text in (md.replace("\\", ""), html, docx_text):
        left = [f for f in fragments if f in text]
        assert not left, left
    assert "Tema: Violencia juvenil" in html and '<html lang="es">' in html
    assert "Metodología" in md and "Anexo: fuentes" in docx_text
    assert "entrevistas a informantes clave" in html and "Filtros: niveles de actor" in html


def test_reporting_theme_names_per_language() -> None:
    assert theme_name("community_safety", "en") == "Community safety"
    assert theme_name("theme:community_safety", "es") == "Seguridad comunitaria"
    # Outside the vocabulary: the graph's name, else the id made readable.
    assert theme_name("maritime_piracy", "es", "Piratería") == "Piratería"
    assert theme_name("maritime_piracy", "en") == "Maritime piracy"
    assert catalog("es").join(["A", "B", "C"]) == "A, B y C"


@pytest.mark.parametrize(
    ("languages", "expected"),
    [(["es", "es", "en"], "es"), (["en", "es-MX", "es"], "es"), (["fr", "de"], "en"), ([], "en")],
)
def test_reporting_default_language_is_the_corpus_dominant_one(
    languages: list[str], expected: str
) -> None:
    assert dominant_language(languages) == expected
