"""Report -> Markdown. Document text is escaped so it cannot become markup or raw HTML."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping

from .figure import Figure
from .model import Report, ThemeSection
from .text import actor_label, kind_label, quote_source, scope_lines, theme_heading

__all__ = ["md_escape", "render_markdown"]

# Inline syntax anywhere; block syntax (list, heading, quote markers) only at the start.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_BLOCK_START = re.compile(r"^([-+#>=])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    """Literal text in Markdown: backslash the syntax characters, entity-encode HTML."""
    text = " ".join(text.split())  # a quote is one paragraph; newlines would end it
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    return _MD_BLOCK_START.sub(r"\\\1", text)


def _figure(section: ThemeSection, figures: Mapping[str, Figure], links: Mapping[str, str]) -> str:
    alt = md_escape(f"Network of actors on {section.theme_name}")
    if section.theme_id in links:
        return f"![{alt}]({links[section.theme_id]})"
    fig = figures.get(section.theme_id)
    if fig is None:
        return ""
    data = base64.b64encode(fig.png).decode()
    return f"![{alt}](data:image/png;base64,{data})"


def _section(s: ThemeSection, figures: Mapping[str, Figure], links: Mapping[str, str]) -> list[str]:
    out = [f"## {md_escape(theme_heading(s.theme_name))}", ""]
    if s.note:
        out += [f"*{md_escape(s.note)}*", ""]
    if s.levels:
        out += ["### Actors by level", ""]
        for g in s.levels:
            names = ", ".join(md_escape(a.name) for a in g.actors)
            out.append(f"- **{md_escape(g.title)}** ({len(g.actors)}): {names}")
        out.append("")
    if s.network.nodes:
        out += [
            "### Network",
            "",
            _figure(s, figures, links),
            "",
            "*Actors coloured by level; solid lines are existing ties, dashed lines are "
            "coordination gaps; a red ring marks an actor flagged by a finding.*",
            "",
        ]
    if s.findings:
        out += ["### Coordination gaps, ranked", ""]
    for f in s.findings:
        out += [
            f"#### {f.rank}. {md_escape(f.kind_title)} (score {f.score:.2f})",
            "",
            f"**Actors:** {md_escape(actor_label(f))}",
            "",
            md_escape(f.explanation),
            "",
        ]
        for q in f.quotes:
            out += [
                f"> \u201c{md_escape(q.text)}\u201d",
                ">",
                f"> \u2014 {md_escape(quote_source(q))}",
                "",
            ]
        if not f.quotes:
            out += ["*No passage is stored for this finding.*", ""]
        if f.more_quotes:
            out += [f"*{f.more_quotes} further supporting passage(s) not quoted.*", ""]
    if s.more_findings:
        out += [f"*{s.more_findings} lower-scoring finding(s) not listed.*", ""]
    return out


def render_markdown(
    report: Report,
    figures: Mapping[str, Figure] | None = None,
    *,
    figure_links: Mapping[str, str] | None = None,
) -> str:
    """Markdown text. Figures are linked (``figure_links``: theme id -> relative path) or,
    failing that, embedded as PNG data URIs so the file stands alone."""
    figures = figures or {}
    links = figure_links or {}
    out = [f"# {md_escape(report.title)}", "", f"*Generated {md_escape(report.generated_at)}*", ""]
    if report.note:
        out += [f"**{md_escape(report.note)}**", ""]
    out += ["## Scope and data sources", ""]
    out += [f"- {md_escape(line)}" for line in scope_lines(report.scope, report)]
    out.append("")
    for s in report.sections:
        out += _section(s, figures, links)
    out += ["## Methodology", ""]
    out += [f"{md_escape(p)}\n" for p in report.methodology_intro]
    for m in report.methodology:
        out += [
            f"### {md_escape(m.title)}",
            "",
            f"*Kind:* `{m.kind}`",
            "",
            f"{md_escape(m.meaning)}",
            "",
            f"*Score:* {md_escape(m.scoring)}",
            "",
        ]
    out += ["## Annex: sources", ""]
    if report.sources:
        out += [
            "| # | Title | Kind | Date | Passages | Quoted | File |",
            "|---|---|---|---|---|---|---|",
        ]
        for i, src in enumerate(report.sources, start=1):
            out.append(
                f"| {i} | {md_escape(src.title)} | {md_escape(kind_label(src.kind))} | "
                f"{md_escape(src.date or '-')} | {src.passages} | {'yes' if src.cited else 'no'} "
                f"| {md_escape(src.source_path)} |"
            )
    else:
        out.append("*No source documents are in the graph.*")
    out.append("")
    return "\n".join(out)
