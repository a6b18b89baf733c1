"""Subgraph + findings -> Report (pure; no I/O, no formatting).

The report cites only what the findings carry as evidence (``EvidenceView`` read from the
graph) and lists only actors the subgraph holds. Where there is nothing to say, a section
carries a plain ``note`` instead of content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis import Finding, GapKind, tie_graph
from analysis.model import ActorRef
from graph_schema.model import DocumentView, EvidenceView, Subgraph
from ingest.model import TRANSCRIPT_KINDS

from .methodology import INTRO, METHODS, kind_title
from .model import (
    LEVEL_ORDER,
    ActorEntry,
    FindingItem,
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

__all__ = ["ThemeInput", "build_report", "quote_reference"]

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


def _level(level: str | None) -> str:
    return level if level in LEVEL_ORDER else "unknown"


def quote_reference(ev: EvidenceView) -> str:
    """Where a reader finds the quote: page, transcript turn (from 1) or paragraph."""
    if ev.page is not None:
        return f"p. {ev.page}"
    if ev.turn is not None:
        return f"turn {ev.turn + 1}"
    _, _, index = ev.passage_id.rpartition(":")
    return f"para. {int(index) + 1}" if index.isdigit() else "passage"


def _quote(ev: EvidenceView) -> Quote:
    return Quote(
        text=ev.quote.strip(),
        document_id=ev.document_id,
        document_title=ev.document_title or ev.document_id[:12],
        document_kind=ev.document_kind,
        reference=quote_reference(ev),
        speaker=ev.speaker,
        passage_id=ev.passage_id,
    )


def _quotes(evidence: Iterable[EvidenceView], limit: int) -> tuple[tuple[Quote, ...], int]:
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
    return tuple(_quote(ev) for ev in unique[:limit]), max(0, len(unique) - limit)


def _entry(ref: ActorRef) -> ActorEntry:
    return ActorEntry(id=ref.id, name=ref.name, type=ref.type, level=_level(ref.level))


def _finding_item(rank: int, f: Finding, max_quotes: int) -> FindingItem:
    quotes, more = _quotes(f.evidence, max_quotes)
    return FindingItem(
        rank=rank,
        id=f.id,
        kind=f.kind.value,
        kind_title=kind_title(f.kind.value),
        score=f.score,
        explanation=f.explanation,
        actors=tuple(_entry(a) for a in f.actors),
        policies=tuple(p.name for p in f.policies),
        quotes=quotes,
        more_quotes=more,
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


def _section(t: ThemeInput, max_findings: int, max_quotes: int) -> ThemeSection:
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
    note = None
    if not actors and not findings:
        note = (
            f"The graph holds no actor working on {t.theme_name} and no coordination-gap "
            "finding for it; there is nothing to report on this theme."
        )
    elif not findings:
        note = (
            f"No coordination gap on {t.theme_name} scores above the reporting threshold "
            "in the documents in scope."
        )
    shown = findings[:max_findings]
    return ThemeSection(
        theme_id=t.theme_id,
        theme_name=t.theme_name,
        levels=levels,
        findings=tuple(_finding_item(i, f, max_quotes) for i, f in enumerate(shown, start=1)),
        more_findings=len(findings) - len(shown),
        network=_network(t.subgraph, actors, shown),
        note=note,
    )


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
    title: str = "Coordination gaps: summary report",
    filters: Sequence[str] = (),
    max_findings: int = 25,
    max_quotes: int = 3,
) -> Report:
    sections = tuple(_section(t, max_findings, max_quotes) for t in themes)
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
        note = "The graph holds no documents: there is nothing to report yet."
    elif not themes:
        note = "The graph holds no theme linked to any actor or policy: there is nothing to report."
    return Report(
        title=title,
        generated_at=generated_at,
        scope=_scope(documents, filters),
        sections=sections,
        methodology_intro=INTRO,
        methodology=METHODS,
        sources=sources,
        note=note,
    )
