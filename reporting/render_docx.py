"""Report -> DOCX (python-docx), with the PNG network figures embedded."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Inches, Pt

from .figure import Figure
from .model import Report, ThemeSection
from .text import actor_label, kind_label, quote_source, scope_lines, theme_heading

__all__ = ["render_docx"]

# XML 1.0 forbids most control characters; a stray one from a PDF would break the file.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _section(d: DocxDocument, s: ThemeSection, figures: Mapping[str, Figure]) -> None:
    d.add_heading(_t(theme_heading(s.theme_name)), level=1)
    if s.note:
        d.add_paragraph().add_run(_t(s.note)).italic = True
    if s.levels:
        d.add_heading("Actors by level", level=2)
        for g in s.levels:
            p = d.add_paragraph(style="List Bullet")
            p.add_run(f"{g.title} ({len(g.actors)}): ").bold = True
            p.add_run(_t(", ".join(a.name for a in g.actors)))
    fig = figures.get(s.theme_id)
    if fig is not None and s.network.nodes:
        d.add_heading("Network", level=2)
        d.add_picture(io.BytesIO(fig.png), width=Inches(6.2))
        d.add_paragraph(
            "Actors coloured by level; solid lines are existing ties, dashed lines are "
            "coordination gaps; a red ring marks an actor flagged by a finding.",
            style="Caption",
        )
    if s.findings:
        d.add_heading("Coordination gaps, ranked", level=2)
    for f in s.findings:
        d.add_heading(f"{f.rank}. {f.kind_title} (score {f.score:.2f})", level=3)
        p = d.add_paragraph()
        p.add_run("Actors: ").bold = True
        p.add_run(_t(actor_label(f)))
        d.add_paragraph(_t(f.explanation))
        for q in f.quotes:
            quote = d.add_paragraph(style="Quote")
            quote.add_run(_t(f"\u201c{q.text}\u201d"))
            src = d.add_paragraph()
            run = src.add_run(_t(f"\u2014 {quote_source(q)}"))
            run.font.size = Pt(9)
        if not f.quotes:
            d.add_paragraph().add_run("No passage is stored for this finding.").italic = True
        if f.more_quotes:
            d.add_paragraph(f"{f.more_quotes} further supporting passage(s) not quoted.")
    if s.more_findings:
        d.add_paragraph(f"{s.more_findings} lower-scoring finding(s) not listed.")


def render_docx(report: Report, figures: Mapping[str, Figure] | None = None) -> bytes:
    figures = figures or {}
    doc = Document()
    doc.core_properties.title = _t(report.title)
    doc.add_heading(_t(report.title), level=0)
    doc.add_paragraph().add_run(f"Generated {report.generated_at}").italic = True
    if report.note:
        doc.add_paragraph().add_run(_t(report.note)).bold = True
    doc.add_heading("Scope and data sources", level=1)
    for line in scope_lines(report.scope, report):
        doc.add_paragraph(_t(line), style="List Bullet")
    for s in report.sections:
        _section(doc, s, figures)
    doc.add_heading("Methodology", level=1)
    for para in report.methodology_intro:
        doc.add_paragraph(para)
    for m in report.methodology:
        doc.add_heading(f"{m.title} ({m.kind})", level=2)
        doc.add_paragraph(m.meaning)
        p = doc.add_paragraph()
        p.add_run("Score: ").italic = True
        p.add_run(m.scoring)
    doc.add_heading("Annex: sources", level=1)
    if report.sources:
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("#", "Title", "Kind", "Date", "Quoted", "File"), strict=True
        ):
            cell.text = text
        for i, src in enumerate(report.sources, start=1):
            row = table.add_row().cells
            values = (
                str(i),
                src.title,
                kind_label(src.kind),
                src.date or "-",
                "yes" if src.cited else "no",
                src.source_path,
            )
            for cell, text in zip(row, values, strict=True):
                cell.text = _t(text)
    else:
        doc.add_paragraph("No source documents are in the graph.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
