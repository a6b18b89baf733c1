"""Shared wording for every output format, so Markdown, HTML and DOCX say the same things."""

from __future__ import annotations

from .model import FindingItem, Quote, Report, Scope

__all__ = [
    "actor_label",
    "kind_label",
    "quote_source",
    "scope_lines",
    "theme_heading",
]

KIND_LABELS = {
    "policy": "policies and strategies",
    "plan": "plans",
    "report": "reports",
    "law": "laws, decrees and agreements",
    "kii": "key-informant interviews",
    "fgd": "focus group discussions",
    "hearing": "hearings",
    "meeting": "consultations and meetings",
    "other": "other documents",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def theme_heading(name: str) -> str:
    return f"Theme: {name}"


def actor_label(finding: FindingItem) -> str:
    parts = [f"{a.name} ({a.level.replace('_', '-')})" for a in finding.actors]
    parts += [f"{p} (policy)" for p in finding.policies]
    return "; ".join(parts) or "no actor named"


def quote_source(q: Quote) -> str:
    speaker = f", speaker {q.speaker}" if q.speaker else ""
    return f"{q.document_title} ({q.document_kind}), {q.reference}{speaker}"


def scope_lines(scope: Scope, report: Report) -> list[str]:
    lines = [f"{scope.documents} documents in scope."]
    if scope.documents_by_kind:
        lines.append(
            "Documents by kind: "
            + ", ".join(f"{n} {kind_label(k)}" for k, n in scope.documents_by_kind)
            + "."
        )
    if scope.interviews_by_type:
        lines.append(
            "Interviews and transcripts by type: "
            + ", ".join(f"{n} {kind_label(k)}" for k, n in scope.interviews_by_type)
            + "."
        )
    else:
        lines.append("No interview or transcript is in scope.")
    if scope.first_date:
        span = (
            scope.first_date
            if scope.first_date == scope.last_date
            else f"{scope.first_date} to {scope.last_date}"
        )
        undated = f" ({scope.undated} undated)" if scope.undated else ""
        lines.append(f"Dates of the sources: {span}{undated}.")
    elif scope.documents:
        lines.append("No source carries a date.")
    if scope.filters:
        lines.append("Filters: " + "; ".join(scope.filters) + ".")
    themes = [s.theme_name for s in report.sections]
    if themes:
        lines.append("Themes covered: " + ", ".join(themes) + ".")
    return lines
