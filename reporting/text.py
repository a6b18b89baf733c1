"""Shared wording for every output format, so Markdown, HTML and DOCX say the same things.

Every fixed string comes from the report's locale catalog (reporting/locales/<lang>.json).
"""

from __future__ import annotations

from .locale import Catalog, catalog
from .model import FindingItem, Quote, Report, Scope

__all__ = [
    "actor_label",
    "kind_label",
    "quote_source",
    "report_catalog",
    "scope_lines",
    "theme_heading",
]


def report_catalog(report: Report) -> Catalog:
    return catalog(report.lang)


def kind_label(kind: str, t: Catalog) -> str:
    """A document kind as readers call it: hearings are hearings, only kii/fgd interviews."""
    key = f"kind.{kind}"
    return t(key) if t.has(key) else t("kind.other")


def theme_heading(name: str, t: Catalog) -> str:
    return t("section.theme", name=name)


def actor_label(finding: FindingItem, t: Catalog) -> str:
    parts = [f"{a.name} ({t(f'level.{a.level}')})" for a in finding.actors]
    parts += [f"{p} ({t('actor.policy')})" for p in finding.policies]
    return "; ".join(parts) or t("actor.none")


def quote_source(q: Quote, t: Catalog) -> str:
    speaker = t("quote.speaker", speaker=q.speaker) if q.speaker else ""
    return f"{q.document_title} ({kind_label(q.document_kind, t)}), {q.reference}{speaker}"


def _counts(pairs: tuple[tuple[str, int], ...], t: Catalog) -> str:
    return ", ".join(f"{n} {kind_label(k, t)}" for k, n in pairs)


def scope_lines(scope: Scope, report: Report) -> list[str]:
    t = report_catalog(report)
    lines = [t("scope.documents", n=scope.documents)]
    if scope.documents_by_kind:
        lines.append(t("scope.by_kind", kinds=_counts(scope.documents_by_kind, t)))
    if scope.interviews_by_type:
        lines.append(t("scope.transcripts_by_type", kinds=_counts(scope.interviews_by_type, t)))
    else:
        lines.append(t("scope.no_transcript"))
    if scope.first_date:
        span = (
            scope.first_date
            if scope.first_date == scope.last_date
            else t("scope.date_span", first=scope.first_date, last=scope.last_date)
        )
        undated = t("scope.undated", n=scope.undated) if scope.undated else ""
        lines.append(t("scope.dates", span=span, undated=undated))
    elif scope.documents:
        lines.append(t("scope.no_date"))
    if scope.filters:
        lines.append(t("scope.filters", filters="; ".join(scope.filters)))
    if report.covered:
        lines.append(t("scope.themes_covered", themes=", ".join(report.covered)))
    elif report.sections or report.unreported:
        lines.append(t("scope.no_theme_covered"))
    return lines
