"""Report -> DOCX (python-docx), with the PNG network figures embedded."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Inches, Pt

from .figure import Figure
from .locale import Catalog
from .model import Report, ThemeSection
from .text import (
    actor_label,
    kind_label,
    quote_source,
    report_catalog,
    review_line,
    scope_lines,
    theme_heading,
)

__all__ = ["render_docx"]

# XML 1.0 forbids most control characters; a stray one from a PDF would break the file.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _section(d: DocxDocument, s: ThemeSection, figures: Mapping[str, Figure], t: Catalog) -> None:
    d.add_heading(_t(theme_heading(s.theme_name, t)), level=1)
    if s.levels:
        d.add_heading(t("section.actors_by_level"), level=2)
        for g in s.levels:
            p = d.add_paragraph(style="List Bullet")
            p.add_run(f"{t(f'level.{g.level}')} ({len(g.actors)}): ").bold = True
            p.add_run(_t(", ".join(a.name for a in g.actors)))
    fig = figures.get(s.theme_id)
    if fig is not None and s.network.nodes:
        d.add_heading(t("section.network"), level=2)
        d.add_picture(io.BytesIO(fig.png), width=Inches(6.2))
        d.add_paragraph(t("section.caption"), style="Caption")
    if s.findings:
        d.add_heading(t("section.gaps_ranked"), level=2)
    for f in s.findings:
        heading = t(
            "section.finding_heading", rank=f.rank, title=f.kind_title, score=f"{f.score:.2f}"
        )
        d.add_heading(_t(heading), level=3)
        p = d.add_paragraph()
        p.add_run(t("section.actors") + " ").bold = True
        p.add_run(_t(actor_label(f, t)))
        d.add_paragraph(_t(f.explanation))
        if (reviewed := review_line(f, t)) is not None:
            d.add_paragraph().add_run(reviewed).bold = True
        for q in f.quotes:
            quote = d.add_paragraph(style="Quote")
            quote.add_run(_t(f"\u201c{q.text}\u201d"))
            src = d.add_paragraph()
            run = src.add_run(_t(f"\u2014 {quote_source(q, t)}"))
            run.font.size = Pt(9)
        if not f.quotes:
            d.add_paragraph().add_run(t("section.no_passage")).italic = True
        if f.more_quotes:
            d.add_paragraph(t("section.more_quotes", n=f.more_quotes))
    if s.more_findings:
        d.add_paragraph(t("section.more_findings", n=s.more_findings))


def render_docx(report: Report, figures: Mapping[str, Figure] | None = None) -> bytes:
    figures = figures or {}
    t = report_catalog(report)
    doc = Document()
    doc.core_properties.language = t.lang
    doc.core_properties.title = _t(report.title)
    doc.add_heading(_t(report.title), level=0)
    doc.add_paragraph().add_run(t("report.generated", when=report.generated_at)).italic = True
    if report.note:
        doc.add_paragraph().add_run(_t(report.note)).bold = True
    doc.add_heading(t("scope.heading"), level=1)
    for line in scope_lines(report.scope, report):
        doc.add_paragraph(_t(line), style="List Bullet")
    for s in report.sections:
        _section(doc, s, figures, t)
    if report.unreported:
        doc.add_paragraph(_t(t("scope.no_finding", themes=", ".join(report.unreported))))
    doc.add_heading(t("methodology.heading"), level=1)
    for para in report.methodology_intro:
        doc.add_paragraph(para)
    for m in report.methodology:
        doc.add_heading(f"{m.title} ({m.kind})", level=2)
        doc.add_paragraph(m.meaning)
        p = doc.add_paragraph()
        p.add_run(t("methodology.score") + " ").italic = True
        p.add_run(m.scoring)
    doc.add_heading(t("sources.heading"), level=1)
    if report.sources:
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            [t(f"sources.{c}") for c in ("number", "title", "kind", "date", "quoted", "file")],
            strict=True,
        ):
            cell.text = text
        for i, src in enumerate(report.sources, start=1):
            row = table.add_row().cells
            values = (
                str(i),
                src.title,
                kind_label(src.kind, t),
                src.date or "-",
                t("yes" if src.cited else "no"),
                src.source_path,
            )
            for cell, text in zip(row, values, strict=True):
                cell.text = _t(text)
    else:
        doc.add_paragraph(t("sources.none"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
