"""Store -> report inputs: the one place reporting reads the graph.

It runs no Cypher of its own: it calls graph_schema's read helpers (``read_subgraph``,
``list_themes``) and analysis's ``find_gaps``, the same calls the API's gap routes make, and
reads the assessment team's decisions on those findings as GET /gaps does.
"""

from __future__ import annotations

from collections.abc import Collection

from analysis import GapFilters, find_gaps
from graph_schema.catalog import list_themes
from graph_schema.model import DocumentView
from graph_schema.reader import SubgraphFilter, read_subgraph
from graph_schema.store import GraphStore

from .build import ReportFilter, ThemeInput
from .review import finding_reviews

__all__ = ["ReportInputs", "gather_report_inputs", "resolve_theme"]

ReportInputs = tuple[list[ThemeInput], list[DocumentView], list[ReportFilter]]


def resolve_theme(store: GraphStore, theme: str) -> tuple[str, str]:
    """(id, name) of a theme given as id ("theme:policing"), bare id ("policing") or name.

    An unknown theme resolves to itself, so the report can say plainly that the graph
    holds nothing on it.
    """
    wanted = theme.strip().lower()
    for row in list_themes(store):
        tid, name = str(row["id"]), str(row.get("name") or row["id"])
        if wanted in {tid.lower(), tid.lower().removeprefix("theme:"), name.lower()}:
            return tid, name
    return theme, theme


def gather_report_inputs(
    store: GraphStore,
    *,
    theme: str | None = None,
    levels: Collection[str] | None = None,
    min_score: float = 0.3,
) -> ReportInputs:
    """Per-theme subgraphs and findings (one theme, or every theme something links to)."""
    if theme is not None:
        themes = [resolve_theme(store, theme)]
    else:
        themes = [
            (str(r["id"]), str(r.get("name") or r["id"]))
            for r in list_themes(store)
            if int(r.get("linked") or 0) > 0
        ]
    level_set = frozenset(levels) if levels else None
    inputs: list[ThemeInput] = []
    documents: list[DocumentView] = []
    for tid, name in themes:
        sub = read_subgraph(store, SubgraphFilter(theme=tid, levels=level_set))
        findings = find_gaps(sub, filters=GapFilters(themes=frozenset({tid}), min_score=min_score))
        inputs.append(
            ThemeInput(
                theme_id=tid,
                theme_name=name,
                subgraph=sub,
                findings=findings,
                reviews=finding_reviews(store, findings),
            )
        )
        documents = list(sub.documents)
    if not inputs:
        documents = list(read_subgraph(store).documents)
    # Structured, not worded: the report words them in its own language.
    filters: list[ReportFilter] = []
    if theme is not None:
        filters.append(("theme", themes[0][0]))
    if level_set:
        filters.append(("levels", ", ".join(sorted(level_set))))
    if min_score != 0.3:
        filters.append(("min_score", f"{min_score:g}"))
    return inputs, documents, filters
