"""One state of the analytic view (graph_schema/view.py): the facts as light tuples, and the
snapshot every cut of that state is made from.

Evidence is held as ``_Evidence`` tuples with a digest of the quote, never its text; a cut
builds a relation's plain evidence from them on lookup (``_EvidenceOf``). A state is never
changed once published: a refresh (graph_schema/view_read.py) builds the next one, keeping
the parts nothing touched (the same objects).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from typing import Any, NamedTuple

from govgraph.gc_pause import collector_paused

from .model import DocumentView, EvidenceView, Label, Subgraph
from .plain import PlainEvidence, PlainSubgraph
from .reader import GraphSnapshot, SubgraphFilter, Whole, whole_relations

__all__ = ["EvidenceKey", "RefreshStats", "ViewState", "quote_digest"]

# Which relation an evidence of a finding belongs to, and where it is: enough to find its
# Evidence node by the indexed key.
EvidenceKey = tuple[str, str, int, int]  # relation key, passage id, char_start, char_end


def quote_digest(quote: str) -> str:
    """Stands in for a quote in the view: the analysis compares quotes only for equality
    (evidence is deduplicated by passage and quote), and 64 bits keep them apart."""
    return hashlib.blake2b(quote.encode(), digest_size=8).hexdigest()


class _Evidence(NamedTuple):
    document_id: str
    passage_id: str
    char_start: int
    char_end: int
    confidence: float
    cue: str
    quote_digest: str


class _Passage(NamedTuple):
    page: int | None
    turn: int | None
    speaker: str | None


def _evidence_order(e: _Evidence) -> tuple[str, str, int, int, str, str]:
    # = catalog.evidence_views' order (there the quote breaks ties: a relation's evidence
    # spans are unique, so the digest never decides).
    return (e.document_id, e.passage_id, e.char_start, e.char_end, e.cue, e.quote_digest)


class _EvidenceOf(dict[str, list[PlainEvidence]]):
    """The evidence mapping GraphSnapshot looks up (``key in m``, ``m[key]``), building a
    relation's plain evidence (graph_schema/plain.py) from the light tuples on lookup: only
    the relations a cut keeps get them, and only for as long as that cut lives."""

    def __init__(
        self,
        evidence: dict[str, tuple[_Evidence, ...]],
        documents: dict[str, DocumentView],
        passages: dict[str, _Passage],
    ) -> None:
        # The state's parts, not the state: no reference cycle, so a replaced state is
        # freed by reference counting (the collector never sees it: freeze_long_lived).
        super().__init__()
        self._evidence, self._documents, self._passages = evidence, documents, passages

    def __contains__(self, key: object) -> bool:
        return key in self._evidence

    def __getitem__(self, key: str) -> list[PlainEvidence]:
        documents, passages = self._documents, self._passages
        out = []
        for e in self._evidence[key]:
            doc = documents.get(e.document_id)
            passage = passages.get(e.passage_id)
            if doc is None or passage is None:  # gone: as evidence_views leaves it out
                continue
            out.append(
                PlainEvidence(
                    e.document_id,
                    doc.title,
                    doc.kind,
                    e.passage_id,
                    passage.page,
                    passage.turn,
                    passage.speaker,
                    e.quote_digest,
                    e.char_start,
                    e.char_end,
                    e.confidence,
                    e.cue,
                )
            )
        return out


def _kept_whole(
    state: ViewState,
    previous: ViewState | None,
    touched: Collection[str] | None,
    evidence: Mapping[str, Sequence[PlainEvidence]],
    docs: list[DocumentView],
) -> Whole:
    """The snapshot's plain relations (reader.whole_relations), built once per state, off
    the request path, and only for what changed since ``previous``. A refresh keeps the
    row and the evidence tuple of every relation it did not touch (the same objects), and
    re-reads every evidence of a written or deleted document (its title, kind and
    passages are in the plain evidence), so an entry whose row and evidence tuple are
    both the previous state's is still right.

    ``touched``: the relations whose row or evidence the refresh replaced or dropped (all
    the others are the previous state's objects): only those are looked at, where a walk
    over every relation cost ~0.5-3 s at 500k relations."""
    if previous is not None and touched is not None:
        whole = dict(previous.snapshot.whole)
        for key in touched:
            whole.pop(key, None)
        fresh_rows = [state.relations[k] for k in touched if k in state.relations]
        whole.update(whole_relations(fresh_rows, evidence, docs))
        return whole
    old = previous.snapshot.whole if previous is not None else {}
    old_evidence = previous.evidence if previous is not None else {}
    kept: Whole = {}
    fresh = []
    for key, row in state.relations.items():
        hit = old.get(key)
        if hit is not None and hit[0] is row and old_evidence.get(key) is state.evidence.get(key):
            kept[key] = hit
        else:
            fresh.append(row)
    kept.update(whole_relations(fresh, evidence, docs))
    return kept


@dataclass
class ViewState:
    """One consistent state of the graph's facts. Never changed once published: a refresh
    builds the next one from copies."""

    version: str
    document_stamps: dict[str, str]  # document id -> ingested_at
    split_stamps: dict[str, str]  # AliasSplit id -> created_at (+ '/pending')
    other_stamps: frozenset[tuple[str, str]]  # Decision id -> created_at (+ '/undone ...')
    documents: dict[str, DocumentView]
    labels: dict[str, Label]  # entity id -> its label
    nodes: dict[Label, dict[str, dict[str, Any]]]
    relations: dict[str, dict[str, Any]]  # relation key -> row (reader's relation fields)
    evidence: dict[str, tuple[_Evidence, ...]]  # relation key -> its evidence, in order
    passages: dict[str, _Passage]
    citing: dict[str, tuple[str, ...]]  # passage id -> keys of the relations citing it
    # Every document id a node or relation row names (after refreshes, a superset): a
    # refresh scans the rows for a changed document's facts only when one names it.
    named_documents: frozenset[str]
    snapshot: GraphSnapshot = field(init=False, repr=False)
    # The state this one was refreshed from: its plain relations are kept where nothing
    # changed (not stored: a state must not keep the chain of its predecessors alive).
    previous: InitVar[ViewState | None] = None
    # The relation keys a refresh from ``previous`` replaced or dropped (None: compare all).
    touched: InitVar[Collection[str] | None] = None

    def __post_init__(self, previous: ViewState | None, touched: Collection[str] | None) -> None:
        docs = [self.documents[i] for i in sorted(self.documents)]  # = DOCUMENT_VIEWS' order
        evidence = _EvidenceOf(self.evidence, self.documents, self.passages)
        self.snapshot = GraphSnapshot(
            docs,
            self.nodes,
            list(self.relations.values()),
            evidence,
            _kept_whole(self, previous, touched, evidence, docs),
        )
        # The cut's indexes (graph_schema/cut_index.py), here rather than on the first
        # question: from the previous state's for a refresh, else built whole.
        if previous is not None and touched is not None:
            self.snapshot.index_from(previous.snapshot, previous.relations, self.relations, touched)
        _ = self.snapshot.cut_index

    def subgraph(self, flt: SubgraphFilter | None = None) -> Subgraph:
        """= read_subgraph(store, flt), each quote replaced by its ``quote_digest``."""
        with collector_paused():  # ~50k new views, each allocation walking the view's tuples
            return self.snapshot.subgraph(flt)

    def facts(self, flt: SubgraphFilter | None = None) -> PlainSubgraph:
        """``subgraph(flt)`` as plain data: the cut the analysis reads on the request path."""
        with collector_paused():  # ~75k new tuples
            return self.snapshot.facts(flt)

    def evidence_key(self, ev: EvidenceView) -> EvidenceKey | None:
        """The Evidence node behind one evidence view this state handed out."""
        for key in self.citing.get(ev.passage_id, ()):
            for e in self.evidence.get(key, ()):
                if (
                    e.passage_id == ev.passage_id
                    and e.char_start == ev.char_start
                    and e.char_end == ev.char_end
                    and e.quote_digest == ev.quote
                ):
                    return (key, e.passage_id, e.char_start, e.char_end)
        return None


@dataclass
class RefreshStats:
    """What the last load or refresh read (tests check a refresh reads only what changed)."""

    full: bool = False
    documents: int = 0
    nodes: int = 0
    relations: int = 0
    evidence: int = 0
    passages: int = 0
