"""Subgraph + findings -> Report (pure; no I/O, no formatting).

The report cites only what the findings carry as evidence (``EvidenceView`` read from the
graph) and lists only actors the subgraph holds. Themes without a finding get no section of
their own: the report names them in one line. Every fixed string comes from the locale
catalog of ``lang`` (reporting/locales/), theme names from the theme vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from analysis import Finding, GapKind, tie_graph
from analysis.model import ActorRef
from graph_schema.model import DocumentView, EvidenceView, Subgraph
from ingest.model import TRANSCRIPT_KINDS

from .explain import ExplainContext, explain
from .locale import DEFAULT_LANGUAGE, Catalog, catalog, theme_name
from .methodology import intro, kind_title, methods
from .model import (
    LEVEL_ORDER,
    ActorEntry,
    FindingItem,
    FindingReview,
    LevelGroup,
    NetworkEdge,
    NetworkNode,
    Quote,
    Report,
    Scope,
    SourceEntry,
    ThemeNetwork,
    ThemeSection,
)

__all__ = ["ReportFilter", "ThemeInput", "build_report", "quote_reference"]

# A filter the report states in its scope: ("theme", theme id), ("levels", "local, national")
# or ("min_score", "0.5"); worded by the catalog of the report's language.
ReportFilter = tuple[str, str]

# Kinds whose actors form pairs that should be linked; the others flag single actors.
_PAIR_KINDS = {GapKind.shared_mandate_no_link, GapKind.negative_evidence}
_SINGLE_KINDS = {
    GapKind.single_point_of_failure,
    GapKind.isolated_actor,
    GapKind.absent_from_policy,
}


@dataclass(frozen=True)
class ThemeInput:
    """One theme's slice of the graph and the findings computed on it."""

    theme_id: str
    theme_name: str
    subgraph: Subgraph
    findings: Sequence[Finding]
    # finding id -> the assessment team's decision in force (reporting.review); only the
    # reviewed findings are keys.
    reviews: Mapping[str, FindingReview] = field(default_factory=dict)


def _level(level: str | None) -> str:
    return level if level in LEVEL_ORDER else "unknown"


def quote_reference(ev: EvidenceView, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where a reader finds the quote: page, transcript turn (from 1) or paragraph."""
    t = catalog(lang)
    if ev.page is not None:
        return t("ref.page", n=ev.page)
    if ev.turn is not None:
        return t("ref.turn", n=ev.turn + 1)
    _, _, index = ev.passage_id.rpartition(":")
    return t("ref.para", n=int(index) + 1) if index.isdigit() else t("ref.passage")


def _quote(ev: EvidenceView, lang: str) -> Quote:
    return Quote(
        text=ev.quote.strip(),
        document_id=ev.document_id,
        document_title=ev.document_title or ev.document_id[:12],
        document_kind=ev.document_kind,
        reference=quote_reference(ev, lang),
        speaker=ev.speaker,
        passage_id=ev.passage_id,
    )


def _quotes(
    evidence: Iterable[EvidenceView], limit: int, lang: str
) -> tuple[tuple[Quote, ...], int]:
    """One quote per passage, at most ``limit``, in the finding's own order (analysis puts
    the decisive passages, e.g. a statement of non-coordination, first); a stable sort
    moves only clearly less confident passages back."""
    seen: set[tuple[str, str]] = set()
    unique: list[EvidenceView] = []
    for ev in sorted(evidence, key=lambda e: -round(e.confidence, 1)):
        key = (ev.passage_id, ev.quote.strip())
        if ev.quote.strip() and key not in seen:
            seen.add(key)
            unique.append(ev)
    return tuple(_quote(ev, lang) for ev in unique[:limit]), max(0, len(unique) - limit)


def _entry(ref: ActorRef) -> ActorEntry:
    return ActorEntry(id=ref.id, name=ref.name, type=ref.type, level=_level(ref.level))


def _finding_item(
    rank: int,
    f: Finding,
    max_quotes: int,
    t: Catalog,
    theme: str,
    ctx: ExplainContext,
    review: FindingReview | None,
) -> FindingItem:
    quotes, more = _quotes(f.evidence, max_quotes, t.lang)
    return FindingItem(
        rank=rank,
        id=f.id,
        kind=f.kind.value,
        kind_title=kind_title(f.kind.value, t.lang),
        score=f.score,
        explanation=explain(f, t, theme, ctx),
        actors=tuple(_entry(a) for a in f.actors),
        policies=tuple(p.name for p in f.policies),
        quotes=quotes,
        more_quotes=more,
        review=review,
    )


def _theme_actors(sub: Subgraph, theme_id: str) -> list[ActorEntry]:
    """Organisations the graph shows working on or responsible for the theme."""
    return [
        ActorEntry(id=a.id, name=a.name, type=a.type, level=_level(a.level))
        for a in sub.actors
        if a.label != "Person" and theme_id in a.themes
    ]


def _network(sub: Subgraph, actors: list[ActorEntry], findings: Sequence[Finding]) -> ThemeNetwork:
    """Theme actors and finding actors; existing ties solid, gaps dashed, flagged actors."""
    nodes: dict[str, ActorEntry] = {a.id: a for a in actors}
    flagged: set[str] = set()
    gaps: set[frozenset[str]] = set()
    for f in findings:
        for ref in f.actors:
            nodes.setdefault(ref.id, _entry(ref))
        ids = f.actor_ids
        if f.kind in _PAIR_KINDS and len(ids) == 2:
            gaps.add(frozenset(ids))
        elif f.kind == GapKind.level_disconnect:
            levels = {a.id: a.level for a in f.actors}
            gaps |= {
                frozenset((a, b)) for a in ids for b in ids if a < b and levels[a] != levels[b]
            }
        elif f.kind in _SINGLE_KINDS:
            flagged.update(ids)
    ties = tie_graph(sub)
    edges = [
        NetworkEdge(source=min(u, v), target=max(u, v), gap=False)
        for u, v in ties.edges
        if u in nodes and v in nodes
    ]
    edges += [
        NetworkEdge(source=min(pair), target=max(pair), gap=True)
        for pair in gaps
        if pair <= nodes.keys() and len(pair) == 2
    ]
    return ThemeNetwork(
        nodes=tuple(
            NetworkNode(id=a.id, name=a.name, level=a.level, flagged=a.id in flagged)
            for a in sorted(nodes.values(), key=lambda a: (LEVEL_ORDER.index(a.level), a.name))
        ),
        edges=tuple(sorted(set(edges), key=lambda e: (e.gap, e.source, e.target))),
    )


def _section(
    t: ThemeInput, name: str, max_findings: int, max_quotes: int, cat: Catalog
) -> ThemeSection:
    actors = _theme_actors(t.subgraph, t.theme_id)
    findings = [f for f in t.findings if f.theme == t.theme_id]
    findings.sort(key=lambda f: (-f.score, f.kind.value, f.id))
    levels = tuple(
        LevelGroup(
            level, tuple(sorted((a for a in actors if a.level == level), key=lambda a: a.name))
        )
        for level in LEVEL_ORDER
        if any(a.level == level for a in actors)
    )
    shown = findings[:max_findings]
    ctx = ExplainContext.of(t.subgraph, tie_graph(t.subgraph))
    return ThemeSection(
        theme_id=t.theme_id,
        theme_name=name,
        levels=levels,
        findings=tuple(
            _finding_item(i, f, max_quotes, cat, name, ctx, t.reviews.get(f.id))
            for i, f in enumerate(shown, start=1)
        ),
        more_findings=len(findings) - len(shown),
        network=_network(t.subgraph, actors, shown),
    )


def _filter_text(f: ReportFilter, t: Catalog) -> str:
    kind, value = f
    if kind == "theme":
        return t("filter.theme", name=theme_name(value, t.lang))
    if kind == "levels":
        return t("filter.levels", levels=", ".join(t(f"level.{lv}") for lv in value.split(", ")))
    return t("filter.min_score", score=value)


def _scope(documents: Sequence[DocumentView], filters: Sequence[str]) -> Scope:
    kinds = Counter(d.kind for d in documents)
    interviews = Counter(d.kind for d in documents if d.kind in TRANSCRIPT_KINDS)
    dates = sorted(d.date for d in documents if d.date)
    return Scope(
        documents=len(documents),
        documents_by_kind=tuple(sorted(kinds.items())),
        interviews_by_type=tuple(sorted(interviews.items())),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        undated=sum(1 for d in documents if not d.date),
        filters=tuple(filters),
    )


def build_report(
    themes: Sequence[ThemeInput],
    documents: Sequence[DocumentView],
    *,
    generated_at: str,
    title: str | None = None,
    filters: Sequence[ReportFilter] = (),
    max_findings: int = 25,
    max_quotes: int = 3,
    lang: str = DEFAULT_LANGUAGE,
) -> Report:
    cat = catalog(lang)
    built = [
        _section(t, theme_name(t.theme_id, cat.lang, t.theme_name), max_findings, max_quotes, cat)
        for t in themes
    ]
    # A theme without a finding is one name in one line, not a section saying so.
    sections = tuple(s for s in built if s.findings)
    unreported = tuple(s.theme_name for s in built if not s.findings)
    covered = tuple(s.theme_name for s in built if s.levels or s.findings)
    cited = {q.document_id for s in sections for f in s.findings for q in f.quotes}
    sources = tuple(
        SourceEntry(
            id=d.id,
            title=d.title or d.source_path,
            kind=d.kind,
            date=d.date,
            source_path=d.source_path,
            passages=d.passage_count,
            cited=d.id in cited,
        )
        for d in sorted(documents, key=lambda d: (d.kind, d.date or "", d.title, d.id))
    )
    note = None
    if not documents:
        note = cat("report.no_documents")
    elif not themes:
        note = cat("report.no_themes")
    return Report(
        title=title or cat("report.title"),
        generated_at=generated_at,
        scope=_scope(documents, [_filter_text(f, cat) for f in filters]),
        sections=sections,
        methodology_intro=intro(cat.lang),
        methodology=methods(cat.lang),
        sources=sources,
        note=note,
        lang=cat.lang,
        unreported=unreported,
        covered=covered,
    )
