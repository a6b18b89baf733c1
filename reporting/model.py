"""The report model: what a coordination-gap summary says, independent of its format.

Built once from the graph's read contract (``reporting.build``) and rendered to Markdown,
HTML or DOCX. Every quote is an ``EvidenceView`` from the graph, carried with its document
and page/turn reference, so a renderer cannot cite anything the graph does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LEVEL_ORDER",
    "ActorEntry",
    "FindingItem",
    "FindingReview",
    "LevelGroup",
    "MethodItem",
    "NetworkEdge",
    "NetworkNode",
    "Quote",
    "Report",
    "Scope",
    "SourceEntry",
    "ThemeNetwork",
    "ThemeSection",
    "level_title",
]

# Reading order of actor levels everywhere in a report (tables, figure columns, legends).
LEVEL_ORDER = ("local", "national", "international", "non_state", "unknown")


def level_title(level: str, lang: str = "en") -> str:
    """The level's heading in the report's language (from the locale catalog)."""
    from .locale import catalog

    t = catalog(lang)
    key = f"level.{level}"
    return t(key) if t.has(key) else level.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Quote:
    text: str
    document_id: str
    document_title: str
    document_kind: str
    reference: str  # "p. 3", "turn 12", "para. 4": where to find it in the document
    speaker: str | None
    passage_id: str


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    type: str | None
    level: str


@dataclass(frozen=True)
class LevelGroup:
    level: str
    actors: tuple[ActorEntry, ...]


@dataclass(frozen=True)
class FindingReview:
    """The assessment team's decision in force on a finding (reporting.review)."""

    status: str  # validated, disputed or needs_evidence
    evidence_changed: bool  # a quote it was decided on is no longer part of its evidence


@dataclass(frozen=True)
class FindingItem:
    rank: int
    id: str
    kind: str
    kind_title: str
    score: float
    explanation: str
    actors: tuple[ActorEntry, ...]
    policies: tuple[str, ...]
    quotes: tuple[Quote, ...]
    more_quotes: int  # evidence passages not quoted (cap per finding)
    review: FindingReview | None = None  # None: no analyst has decided on it


@dataclass(frozen=True)
class NetworkNode:
    id: str
    name: str
    level: str
    flagged: bool  # subject of a single-actor finding (isolated, single point of failure ...)


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    target: str
    gap: bool  # True: a coordination gap (dashed); False: an existing tie (solid)


@dataclass(frozen=True)
class ThemeNetwork:
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]


@dataclass(frozen=True)
class ThemeSection:
    theme_id: str
    theme_name: str
    levels: tuple[LevelGroup, ...]
    findings: tuple[FindingItem, ...]
    more_findings: int  # findings above the score cap that were not listed
    network: ThemeNetwork

    @property
    def actor_count(self) -> int:
        return sum(len(g.actors) for g in self.levels)


@dataclass(frozen=True)
class SourceEntry:
    id: str
    title: str
    kind: str
    date: str | None
    source_path: str
    passages: int
    cited: bool  # quoted somewhere in this report


@dataclass(frozen=True)
class Scope:
    documents: int
    documents_by_kind: tuple[tuple[str, int], ...]
    interviews_by_type: tuple[tuple[str, int], ...]
    first_date: str | None
    last_date: str | None
    undated: int
    filters: tuple[str, ...]  # human-readable filters applied to this report


@dataclass(frozen=True)
class MethodItem:
    kind: str
    title: str
    meaning: str
    scoring: str


@dataclass(frozen=True)
class Report:
    title: str
    generated_at: str
    scope: Scope
    sections: tuple[ThemeSection, ...]
    methodology_intro: tuple[str, ...]
    methodology: tuple[MethodItem, ...]
    sources: tuple[SourceEntry, ...]
    note: str | None  # whole-report statement, e.g. "the graph holds no documents"
    lang: str = "en"  # the catalog every fixed string of the renderers comes from
    # Themes asked for that have no finding: named in one line, not one empty section each.
    unreported: tuple[str, ...] = ()
    # Themes some actor in scope works on (a theme nobody works on is not "covered").
    covered: tuple[str, ...] = ()
