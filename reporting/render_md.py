"""Report -> Markdown. Document text is escaped so it cannot become markup or raw HTML."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping

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


def _figure(
    section: ThemeSection, figures: Mapping[str, Figure], links: Mapping[str, str], t: Catalog
) -> str:
    alt = md_escape(t("section.figure_alt", theme=section.theme_name))
    if section.theme_id in links:
        return f"![{alt}]({links[section.theme_id]})"
    fig = figures.get(section.theme_id)
    if fig is None:
        return ""
    data = base64.b64encode(fig.png).decode()
    return f"![{alt}](data:image/png;base64,{data})"


def _section(
    s: ThemeSection, figures: Mapping[str, Figure], links: Mapping[str, str], t: Catalog
) -> list[str]:
    out = [f"## {md_escape(theme_heading(s.theme_name, t))}", ""]
    if s.levels:
        out += [f"### {t('section.actors_by_level')}", ""]
        for g in s.levels:
            names = ", ".join(md_escape(a.name) for a in g.actors)
            title = md_escape(t(f"level.{g.level}"))
            out.append(f"- **{title}** ({len(g.actors)}): {names}")
        out.append("")
    if s.network.nodes:
        out += [
            f"### {t('section.network')}",
            "",
            _figure(s, figures, links, t),
            "",
            f"*{md_escape(t('section.caption'))}*",
            "",
        ]
    if s.findings:
        out += [f"### {md_escape(t('section.gaps_ranked'))}", ""]
    for f in s.findings:
        out += [
            "#### "
            + md_escape(
                t(
                    "section.finding_heading",
                    rank=f.rank,
                    title=f.kind_title,
                    score=f"{f.score:.2f}",
                )
            ),
            "",
            f"**{md_escape(t('section.actors'))}** {md_escape(actor_label(f, t))}",
            "",
            md_escape(f.explanation),
            "",
        ]
        if (reviewed := review_line(f, t)) is not None:
            out += [f"*{md_escape(reviewed)}*", ""]
        for q in f.quotes:
            out += [
                f"> \u201c{md_escape(q.text)}\u201d",
                ">",
                f"> \u2014 {md_escape(quote_source(q, t))}",
                "",
            ]
        if not f.quotes:
            out += [f"*{md_escape(t('section.no_passage'))}*", ""]
        if f.more_quotes:
            out += [f"*{md_escape(t('section.more_quotes', n=f.more_quotes))}*", ""]
    if s.more_findings:
        out += [f"*{md_escape(t('section.more_findings', n=s.more_findings))}*", ""]
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
    t = report_catalog(report)
    generated = md_escape(t("report.generated", when=report.generated_at))
    out = [f"# {md_escape(report.title)}", "", f"*{generated}*", ""]
    if report.note:
        out += [f"**{md_escape(report.note)}**", ""]
    out += [f"## {md_escape(t('scope.heading'))}", ""]
    out += [f"- {md_escape(line)}" for line in scope_lines(report.scope, report)]
    out.append("")
    for s in report.sections:
        out += _section(s, figures, links, t)
    if report.unreported:
        out += [md_escape(t("scope.no_finding", themes=", ".join(report.unreported))), ""]
    out += [f"## {md_escape(t('methodology.heading'))}", ""]
    out += [f"{md_escape(p)}\n" for p in report.methodology_intro]
    for m in report.methodology:
        out += [
            f"### {md_escape(m.title)}",
            "",
            f"*{md_escape(t('methodology.kind'))}* `{m.kind}`",
            "",
            f"{md_escape(m.meaning)}",
            "",
            f"*{md_escape(t('methodology.score'))}* {md_escape(m.scoring)}",
            "",
        ]
    out += [f"## {md_escape(t('sources.heading'))}", ""]
    if report.sources:
        columns = ("number", "title", "kind", "date", "passages", "quoted", "file")
        out += [
            "| " + " | ".join(md_escape(t(f"sources.{c}")) for c in columns) + " |",
            "|---" * len(columns) + "|",
        ]
        for i, src in enumerate(report.sources, start=1):
            out.append(
                f"| {i} | {md_escape(src.title)} | {md_escape(kind_label(src.kind, t))} | "
                f"{md_escape(src.date or '-')} | {src.passages} | {t('yes' if src.cited else 'no')} "
                f"| {md_escape(src.source_path)} |"
            )
    else:
        out.append(f"*{md_escape(t('sources.none'))}*")
    out.append("")
    return "\n".join(out)
