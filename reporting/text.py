"""Shared wording for every output format, so Markdown, HTML and DOCX say the same things.

Every fixed string comes from the report's locale catalog (reporting/locales/<lang>.json).
"""

from __future__ import annotations

from collections import Counter

from .locale import Catalog, catalog
from .model import FindingItem, Quote, Report, Scope

__all__ = [
    "actor_label",
    "kind_label",
    "quote_source",
    "report_catalog",
    "review_line",
    "review_summary",
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


def review_line(finding: FindingItem, t: Catalog) -> str | None:
    """The finding's review mark ("Validated by the assessment team."), with the warning that
    its evidence changed since; None when no analyst decided on it."""
    if finding.review is None:
        return None
    status = finding.review.status
    line = t(f"review.status.{status}")
    if finding.review.evidence_changed:
        line += " " + t(f"review.evidence_changed.{status}")
    return line


def review_summary(report: Report) -> str | None:
    """A line such as "12 of 14 findings validated by the assessment team (1 disputed, 1
    needs evidence)", over the findings the report lists; None when none was reviewed."""
    t = report_catalog(report)
    findings = [f for s in report.sections for f in s.findings]
    statuses = Counter(f.review.status for f in findings if f.review is not None)
    if not statuses:
        return None
    others = [
        t.plural(f"review.count.{status}", statuses[status])
        for status in ("disputed", "needs_evidence")
        if statuses[status]
    ]
    changed = sum(1 for f in findings if f.review is not None and f.review.evidence_changed)
    if changed:
        others.append(t.plural("review.count.evidence_changed", changed))
    details = t("review.details", details=", ".join(others)) if others else ""
    return t.plural(
        "review.summary", len(findings), validated=statuses["validated"], details=details
    )


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
    if (reviewed := review_summary(report)) is not None:
        lines.append(reviewed)
    return lines
