"""Below-threshold actor candidates as facts a reviewer can promote (``CandidateFact``).

The actor decision drops a rejected candidate's mentions before relations are linked, so a
document's batch is what it would be without it. For a promotion to add back the ties the
candidate lost, each document that had one is linked a second time with its mentions kept
(the spaCy parses are reused: only the rules run again), and the relations that touch a
rejected candidate are kept on it. That second pass runs after the batches are final, so
it changes nothing they hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govgraph.settings import Settings
from graph_schema.model import CandidateFact, GraphBatch, PropertyValue
from nlp.decide import ActorCandidate
from nlp.extraction.document import extract_one
from nlp.extraction.state import DocState, PassageResult
from nlp.relations import LinkedMention
from nlp.resolution import Resolver

__all__ = ["HeldMentions", "candidate_facts", "hold_mentions"]

# Type and level as the classifier guessed them, shown to the reviewer and written on
# promotion (the writer's upsert keeps a more confident classification already stored).
_GUESS = ("type", "type_confidence", "type_cue", "level", "level_confidence", "level_cue")


@dataclass(frozen=True)
class HeldMentions:
    """One document's actor mentions and speaker organisations before the decision."""

    passages: tuple[tuple[LinkedMention, ...], ...]
    self_id: str | None
    speaker_ids: dict[str, str]


def hold_mentions(states: Sequence[DocState]) -> list[HeldMentions]:
    return [
        HeldMentions(tuple(tuple(pr.mentions) for pr in s.passages), s.self_id, dict(s.speaker_ids))
        for s in states
    ]


def candidate_facts(
    states: Sequence[DocState],
    held: Sequence[HeldMentions],
    batches: Sequence[GraphBatch],
    candidates: Sequence[ActorCandidate],
    resolver: Resolver,
    settings: Settings | None,
    threshold: float | None,
) -> list[GraphBatch]:
    """Each batch with its document's rejected candidates (``GraphBatch.candidates``)."""
    rejected = {c.entity_id: c for c in candidates if not c.accepted and c.score is not None}
    if not rejected or threshold is None:
        return list(batches)
    out: list[GraphBatch] = []
    for state, kept, batch in zip(states, held, batches, strict=True):
        own = {kept.self_id, *kept.speaker_ids.values()}
        ids = sorted(
            {m.entity_id for ms in kept.passages for m in ms if m.entity_id in rejected}
            | {i for i in own if i in rejected}
        )
        if not ids:
            out.append(batch)
            continue
        would = extract_one(_restored(state, kept), resolver, settings)
        props = {e.id: e.properties for e in would.entities}
        # A tie is kept when its other end is written by this document or is another of its
        # candidates: a promotion can only link what the graph holds.
        present = {e.id for e in batch.entities} | set(ids)
        facts = []
        for eid in ids:
            entry, c = resolver.entity(eid), rejected[eid]
            facts.append(
                CandidateFact(
                    entity_id=eid,
                    name=entry.name,
                    aliases=tuple(sorted(entry.aliases)),
                    score=c.score or 0.0,
                    threshold=threshold,
                    properties=_guess(props.get(eid, {})),
                    mentions=tuple(m for m in would.mentions if m.entity_id == eid),
                    ties=tuple(
                        r
                        for r in would.relations
                        if eid in (r.source_id, r.target_id)
                        and {r.source_id, r.target_id} <= present
                    ),
                )
            )
        out.append(batch.model_copy(update={"candidates": tuple(facts)}))
    return out


def _restored(state: DocState, kept: HeldMentions) -> DocState:
    return DocState(
        state.document,
        [
            PassageResult(pr.passage, pr.doc, list(ms), pr.bare)
            for pr, ms in zip(state.passages, kept.passages, strict=True)
        ],
        self_id=kept.self_id,
        speaker_ids=dict(kept.speaker_ids),
        used_aliases=set(state.used_aliases),
        decisions=state.decisions,
    )


def _guess(props: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
    return {k: props[k] for k in _GUESS if props.get(k) is not None}
