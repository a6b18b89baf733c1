"""Output formats of the report: names, media types, file extensions, one render call."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .figure import Figure, render_network
from .locale import catalog
from .model import Report
from .render_docx import render_docx
from .render_html import render_html
from .render_md import render_markdown

__all__ = ["MEDIA_TYPES", "ReportFormat", "render_figures", "render_report"]


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


MEDIA_TYPES = {
    ReportFormat.md: "text/markdown; charset=utf-8",
    ReportFormat.html: "text/html; charset=utf-8",
    ReportFormat.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_figures(report: Report) -> dict[str, Figure]:
    """One network figure per theme section that has actors to draw."""
    return {
        s.theme_id: render_network(
            s.network, catalog(report.lang)("figure.title", theme=s.theme_name), report.lang
        )
        for s in report.sections
        if s.network.nodes
    }


def render_report(
    report: Report,
    fmt: ReportFormat,
    figures: Mapping[str, Figure] | None = None,
    *,
    figure_links: Mapping[str, str] | None = None,
) -> bytes:
    figs = render_figures(report) if figures is None else figures
    if fmt is ReportFormat.md:
        return render_markdown(report, figs, figure_links=figure_links).encode()
    if fmt is ReportFormat.html:
        return render_html(report, figs).encode()
    return render_docx(report, figs)
