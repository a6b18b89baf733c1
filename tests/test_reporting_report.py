"""The coordination-gap report: sections, traceable quotes, empty graphs, escaping, DOCX."""

from __future__ import annotations

import io
import re
from html import escape
from xml.etree import ElementTree

import pytest
from docx import Document as open_docx
from PIL import Image
from reporting_fixtures import THEME_ID, THEME_NAME, pure_report, seed_graph

from graph_schema.store import GraphStore
from reporting import (
    LEVEL_COLOURS,
    ReportFormat,
    build_report,
    gather_report_inputs,
    render_figures,
    render_report,
)
from reporting.render_md import md_escape

SECTIONS = (
    "Scope and data sources",
    f"Theme: {THEME_NAME}",
    "Actors by level",
    "Coordination gaps, ranked",
    "Methodology",
    "Annex: sources",
)


def _report(store: GraphStore, **kw):  # type: ignore[no-untyped-def]
    inputs, docs, filters = gather_report_inputs(store, **kw)
    return build_report(inputs, docs, generated_at="2026-01-01 00:00 UTC", filters=filters)


def test_reporting_report_sections_and_quotes_traceable(store: GraphStore) -> None:
    seed_graph(store)
    report = _report(store, theme=THEME_ID)
    (section,) = report.sections
    assert [g.level for g in section.levels] == ["local", "national", "non_state"]
    assert section.findings, "the seeded pair gap must be reported"
    top = section.findings[0]
    assert {a.name for a in top.actors} == {"Riverton City Council", "Ministry of Justice"}
    assert top.quotes
    # Every quote is stored passage text, cited with its document and reference.
    for f in section.findings:
        for q in f.quotes:
            rows = store.read(
                "MATCH (p:Passage {id: $id}) RETURN p.text AS text", {"id": q.passage_id}
            )
            assert rows and q.text in rows[0]["text"]
            assert q.document_title in {
                "Riverton Safer Streets Plan",
                "Interview with a youth worker",
            }
            assert re.fullmatch(r"(p\.|turn|para\.) \d+", q.reference)
    html = render_report(report, ReportFormat.html).decode()
    md = render_report(report, ReportFormat.md).decode()
    for heading in SECTIONS:
        assert heading in html and heading in md
    for q in top.quotes:
        assert escape(q.text) in html
    # Document text is escaped, never markup.
    assert "<urgent>" not in html and "&lt;urgent&gt;" in html
    assert "<urgent>" not in md
    assert 'src="data:image/svg+xml;base64,' in html and "data:image/png;base64," in md
    for kind in ("shared_mandate_no_link", "level_disconnect", "isolated_actor"):
        assert kind in html  # methodology explains every kind
    assert "1 key-informant interviews" in html and "2025-03-01 to 2025-06-10" in html


def test_reporting_report_empty_graph_says_so(store: GraphStore) -> None:
    report = _report(store)
    assert report.sections == () and report.sources == ()
    for fmt in (ReportFormat.md, ReportFormat.html):
        text = render_report(report, fmt).decode()
        assert "holds no documents" in text
        assert "Coordination gaps, ranked" not in text
    doc = open_docx(io.BytesIO(render_report(report, ReportFormat.docx)))
    assert any("holds no documents" in p.text for p in doc.paragraphs)


def test_reporting_report_unrelated_theme_says_so(store: GraphStore) -> None:
    seed_graph(store)
    report = _report(store, theme="maritime piracy")
    # No section of its own: one line names it, and it is not a theme "covered".
    assert report.sections == () and report.unreported == ("Maritime piracy",)
    assert report.covered == ()
    html = render_report(report, ReportFormat.html).decode()
    assert "No finding for: Maritime piracy." in html and "<figure" not in html
    assert "Themes covered" not in html


def test_reporting_html_and_md_escape_document_text() -> None:
    report = pure_report()
    assert report.sections[0].findings
    html = render_report(report, ReportFormat.html).decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Agency &lt;A&gt;" in html and "<b>& co</b>" not in html
    md = render_report(report, ReportFormat.md).decode()
    assert "<script>" not in md and r"\*B\*" in md and r"Bureau\_\[B\]" in md
    assert md_escape("- item") == r"\- item" and md_escape("3. x") == r"3\. x"


def test_reporting_docx_opens_with_headings_and_figure() -> None:
    report = pure_report()
    data = render_report(report, ReportFormat.docx)
    doc = open_docx(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    for h in (
        "Scope and data sources",
        "Theme: Theme <T>",
        "Actors by level",
        "Network",
        "Coordination gaps, ranked",
        "Methodology",
        "Annex: sources",
    ):
        assert h in headings
    assert len(doc.inline_shapes) == 1  # the theme's network figure
    assert any("<script>alert(1)</script>" in p.text for p in doc.paragraphs)  # text, not markup
    assert doc.tables and doc.tables[0].rows[1].cells[1].text == "Plan <b>& co</b>"


def test_reporting_figure_png_and_svg_are_valid() -> None:
    report = pure_report()
    (fig,) = render_figures(report).values()
    assert fig.png.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(fig.png)).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20) or []}
    for level in ("local", "national", "non_state"):
        rgb = tuple(int(LEVEL_COLOURS[level][i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, level
    root = ElementTree.fromstring(fig.svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "stroke-dasharray" in fig.svg  # the gap is drawn dashed
    assert render_figures(report)[report.sections[0].theme_id].svg == fig.svg  # deterministic


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_reporting_render_every_format_is_nonempty(fmt: ReportFormat) -> None:
    assert len(render_report(pure_report(), fmt)) > 1000
