"""Report -> one self-contained HTML page (inline CSS, figures as SVG data URIs).

Every string that comes from the graph goes through ``html.escape``; the page loads
nothing from the network, so it can be mailed, archived or opened offline.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from .figure import LEVEL_COLOURS, Figure
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

__all__ = ["render_html"]

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d1d1d; line-height: 1.45; }
h1 { border-bottom: 3px solid #0072B2; padding-bottom: .3rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
.note { background: #fff6e0; border-left: 4px solid #E69F00; padding: .6rem 1rem; }
.finding { border: 1px solid #ddd; border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; }
.score { float: right; font-weight: bold; color: #D55E00; }
blockquote { margin: .6rem 0; padding: .3rem .8rem; border-left: 3px solid #999;
             background: #f7f7f7; }
blockquote footer { font-size: .85rem; color: #555; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.level { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%;
         margin-right: .3rem; vertical-align: middle; }
code { background: #f0f0f0; padding: 0 .2rem; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _figure(s: ThemeSection, figures: Mapping[str, Figure], t: Catalog) -> str:
    fig = figures.get(s.theme_id)
    if fig is None or not s.network.nodes:
        return ""
    data = base64.b64encode(fig.svg.encode()).decode()
    return (
        f'<figure class="network" data-theme="{_e(s.theme_id)}">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(fig.alt)}">'
        f"<figcaption>{_e(t('section.caption'))}</figcaption>"
        "</figure>"
    )


def _section(s: ThemeSection, figures: Mapping[str, Figure], t: Catalog) -> list[str]:
    out = [
        f'<section class="theme" id="{_e(s.theme_id)}">',
        f"<h2>{_e(theme_heading(s.theme_name, t))}</h2>",
    ]
    if s.levels:
        out.append(f"<h3>{_e(t('section.actors_by_level'))}</h3><ul>")
        for g in s.levels:
            colour = LEVEL_COLOURS.get(g.level, LEVEL_COLOURS["unknown"])
            names = ", ".join(_e(a.name) for a in g.actors)
            out.append(
                f'<li><span class="level" style="background:{colour}"></span>'
                f"<strong>{_e(t(f'level.{g.level}'))}</strong> ({len(g.actors)}): {names}</li>"
            )
        out.append("</ul>")
    if s.network.nodes:
        out += [f"<h3>{_e(t('section.network'))}</h3>", _figure(s, figures, t)]
    if s.findings:
        out.append(f"<h3>{_e(t('section.gaps_ranked'))}</h3>")
    for f in s.findings:
        out += [
            f'<article class="finding" id="{_e(f.id)}">',
            f"<h4>{f.rank}. {_e(f.kind_title)} "
            f'<span class="score">{_e(t("section.score", score=f"{f.score:.2f}"))}</span></h4>',
            f"<p><strong>{_e(t('section.actors'))}</strong> {_e(actor_label(f, t))}</p>",
            f"<p>{_e(f.explanation)}</p>",
        ]
        if f.review is not None and (reviewed := review_line(f, t)):
            changed = " evidence-changed" if f.review.evidence_changed else ""
            out.append(
                f'<p class="review {_e(f.review.status)}{changed}">'
                f"<strong>{_e(reviewed)}</strong></p>"
            )
        for q in f.quotes:
            out.append(
                f'<blockquote data-passage="{_e(q.passage_id)}"><p>\u201c{_e(q.text)}\u201d</p>'
                f"<footer>\u2014 {_e(quote_source(q, t))}</footer></blockquote>"
            )
        if not f.quotes:
            out.append(f"<p><em>{_e(t('section.no_passage'))}</em></p>")
        if f.more_quotes:
            out.append(f"<p><em>{_e(t('section.more_quotes', n=f.more_quotes))}</em></p>")
        out.append("</article>")
    if s.more_findings:
        out.append(f"<p><em>{_e(t('section.more_findings', n=s.more_findings))}</em></p>")
    out.append("</section>")
    return out


def render_html(report: Report, figures: Mapping[str, Figure] | None = None) -> str:
    figures = figures or {}
    t = report_catalog(report)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(t.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        f"<p><em>{_e(t('report.generated', when=report.generated_at))}</em></p>",
    ]
    if report.note:
        out.append(f'<p class="note report-note">{_e(report.note)}</p>')
    out.append(f'<section id="scope"><h2>{_e(t("scope.heading"))}</h2><ul>')
    out += [f"<li>{_e(line)}</li>" for line in scope_lines(report.scope, report)]
    out.append("</ul></section>")
    for s in report.sections:
        out += _section(s, figures, t)
    if report.unreported:
        themes = ", ".join(report.unreported)
        out.append(f'<p class="no-finding">{_e(t("scope.no_finding", themes=themes))}</p>')
    out.append(f'<section id="methodology"><h2>{_e(t("methodology.heading"))}</h2>')
    out += [f"<p>{_e(p)}</p>" for p in report.methodology_intro]
    for m in report.methodology:
        out += [
            f"<h3>{_e(m.title)} <code>{_e(m.kind)}</code></h3>",
            f"<p>{_e(m.meaning)}</p>",
            f"<p><em>{_e(t('methodology.score'))}</em> {_e(m.scoring)}</p>",
        ]
    out.append("</section>")
    out.append(f'<section id="sources"><h2>{_e(t("sources.heading"))}</h2>')
    if report.sources:
        columns = ("number", "title", "kind", "date", "passages", "quoted", "file")
        head = "".join(f"<th>{_e(t(f'sources.{c}'))}</th>" for c in columns)
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
        for i, src in enumerate(report.sources, start=1):
            out.append(
                f"<tr><td>{i}</td><td>{_e(src.title)}</td><td>{_e(kind_label(src.kind, t))}</td>"
                f"<td>{_e(src.date or '-')}</td><td>{src.passages}</td>"
                f"<td>{_e(t('yes' if src.cited else 'no'))}</td><td>{_e(src.source_path)}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append(f"<p><em>{_e(t('sources.none'))}</em></p>")
    out.append("</section></body></html>")
    return "\n".join(out)
