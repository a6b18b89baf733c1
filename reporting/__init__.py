"""Reporting: coordination-gap summary reports, graph exports and the Neo4j Bloom perspective.

Rendering is pure (Subgraph + findings -> Report -> Markdown / HTML / DOCX; Subgraph ->
GraphML / GEXF / Kumu CSV / JSON). ``gather`` is the only module that reads the store, and
it does so through graph_schema's read helpers.
"""

from .build import ThemeInput, build_report, quote_reference
from .figure import LEVEL_COLOURS, Figure, render_network
from .formats import MEDIA_TYPES, ReportFormat, render_figures, render_report
from .gather import gather_report_inputs, resolve_theme
from .model import Report
from .render_docx import render_docx
from .render_html import render_html
from .render_md import render_markdown

__all__ = [
    "LEVEL_COLOURS",
    "MEDIA_TYPES",
    "Figure",
    "Report",
    "ReportFormat",
    "ThemeInput",
    "build_report",
    "gather_report_inputs",
    "quote_reference",
    "render_docx",
    "render_figures",
    "render_html",
    "render_markdown",
    "render_network",
    "render_report",
    "resolve_theme",
]
