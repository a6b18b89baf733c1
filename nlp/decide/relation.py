"""The relation decision: is a candidate tie between two actors one the text asserts?

The relation linker (``nlp.relations``) proposes ties from cues; this step scores each
actor-actor tie of the run (all its evidence, over every document) with logistic weights
over ``relation_features`` and drops the ties below the threshold from the batches. Dropped
ties stay in ``ExtractionRun.relation_candidates`` with their score, so a reviewer can
promote them. Ties to policies, programmes, themes and places, and people's memberships,
are not decided here.

Weights: ``nlp/models/relation_decision.json`` (same format and scorer as the actor
decision), written by ``bench/train_decisions.py``. Which weights apply, in order: the
``relation_decision_weights`` context, the file named by ``GOVGRAPH_RELATION_WEIGHTS``
(``off`` disables the decision), the shipped file.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc

from graph_schema.model import SYMMETRIC_KINDS, GraphBatch, Label, RelationFact, RelationKind
from ingest.model import Passage
from nlp.decide.actor import ActorDecision, WeightsSource
from nlp.decide.relation_features import EvidenceObs, observe_evidence, relation_features
from nlp.relations import LinkedMention

__all__ = [
    "DECIDED_KINDS",
    "SHIPPED",
    "PassageContext",
    "RelationCandidate",
    "active_relation_decision",
    "decide_relations",
    "relation_decision_weights",
    "tie_key",
]

SHIPPED = Path(__file__).resolve().parent.parent / "models" / "relation_decision.json"
ENV = "GOVGRAPH_RELATION_WEIGHTS"
_WHAT = "relation decision"
# Actor-actor kinds the linker proposes from cues; the rest are not ties between bodies.
DECIDED_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.mandate,
        RelationKind.mandate_overlap,
        RelationKind.negative_coordination,
    }
)


class RelationCandidate(BaseModel):
    """A candidate actor-actor tie with its decision, kept even when rejected."""

    model_config = ConfigDict(frozen=True)

    kind: str
    source_id: str
    target_id: str
    documents: tuple[str, ...] = ()
    score: float | None = None  # None: no decision applied
    accepted: bool = True
    features: dict[str, float] = {}


@dataclass(frozen=True)
class PassageContext:
    """A passage as the linker saw it: its Doc and resolved mentions."""

    passage: Passage
    doc: Doc
    mentions: Sequence[LinkedMention]
    document_id: str


def tie_key(rel: RelationFact) -> tuple[str, str, str]:
    a, b = rel.source_id, rel.target_id
    if rel.kind in SYMMETRIC_KINDS and b < a:
        a, b = b, a
    return rel.kind.value, a, b


def is_decided(rel: RelationFact) -> bool:
    return (
        rel.kind in DECIDED_KINDS
        and rel.source_label is Label.Actor
        and rel.target_label is Label.Actor
    )


RELATION_WEIGHTS = WeightsSource.of(ENV, SHIPPED, _WHAT)


def active_relation_decision() -> ActorDecision | None:
    """The relation decision in force, or None when disabled or no weights are shipped."""
    return RELATION_WEIGHTS.active()


def relation_decision_weights(
    weights: Mapping[str, Any] | None,
) -> contextlib.AbstractContextManager[None]:
    """Extract with these relation weights (``None``: decision disabled) inside the block."""
    return RELATION_WEIGHTS.override(weights)


def decide_relations(
    batches: Sequence[GraphBatch],
    passages: Mapping[str, PassageContext],
    end_scores: Mapping[str, float | None],
) -> tuple[list[GraphBatch], tuple[RelationCandidate, ...]]:
    """Score every actor-actor tie of the run; drop the rejected ones from the batches.
    With no decision in force the batches are returned unchanged and every candidate is
    accepted with no score."""
    decision = active_relation_decision()
    obs: dict[tuple[str, str, str], list[EvidenceObs]] = defaultdict(list)
    docs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for batch in batches:
        for rel in batch.relations:
            if not is_decided(rel):
                continue
            key = tie_key(rel)
            docs[key].add(batch.document.id)
            for ev in rel.evidence:
                ctx = passages.get(ev.passage_id)
                if ctx is None:
                    continue
                obs[key].append(
                    observe_evidence(
                        ctx.doc,
                        ctx.passage,
                        ctx.mentions,
                        source_id=rel.source_id,
                        target_id=rel.target_id,
                        char_start=ev.char_start,
                        char_end=ev.char_end,
                        cue=ev.cue,
                        strength=ev.confidence,
                        document_id=ctx.document_id,
                    )
                )
    candidates: list[RelationCandidate] = []
    rejected: set[tuple[str, str, str]] = set()
    for key in sorted(docs):
        kind, a, b = key
        feats = relation_features(
            kind,
            obs.get(key, []),
            end_scores=(end_scores.get(a), end_scores.get(b)),
            n_documents=len(batches),
        )
        score = decision.score(feats) if decision is not None else None
        accepted = decision is None or score is None or decision.accepts(score)
        if not accepted:
            rejected.add(key)
        candidates.append(
            RelationCandidate(
                kind=kind,
                source_id=a,
                target_id=b,
                documents=tuple(sorted(docs[key])),
                score=None if score is None else round(score, 4),
                accepted=accepted,
                features=feats,
            )
        )
    if not rejected:
        return list(batches), tuple(candidates)
    kept = [
        b.model_copy(
            update={
                "relations": tuple(
                    r for r in b.relations if not (is_decided(r) and tie_key(r) in rejected)
                )
            }
        )
        for b in batches
    ]
    return kept, tuple(candidates)
