"""Raw relations -> RelationFacts: one fact per (kind, source, target), its evidence merged."""

from __future__ import annotations

from graph_schema.model import SYMMETRIC_KINDS, EvidenceRecord, RelationFact, relation_key
from ingest.model import Passage
from nlp.relations import RawRelation


def aggregate_relations(raw: list[tuple[Passage, RawRelation]]) -> tuple[RelationFact, ...]:
    facts: dict[str, dict[str, object]] = {}
    order: list[str] = []
    for passage, rel in raw:
        if rel.source_id == rel.target_id:
            continue
        key = relation_key(rel.kind, rel.source_id, rel.target_id)
        rev = relation_key(rel.kind, rel.target_id, rel.source_id)
        if rel.kind in SYMMETRIC_KINDS and key not in facts and rev in facts:
            key = rev
        ev = EvidenceRecord(
            passage_id=passage.id,
            quote=passage.text[rel.char_start : rel.char_end],
            char_start=rel.char_start,
            char_end=rel.char_end,
            confidence=rel.confidence,
            cue=rel.cue,
        )
        if key not in facts:
            facts[key] = {"rel": rel, "evidence": [ev]}
            order.append(key)
        else:
            evs = facts[key]["evidence"]
            assert isinstance(evs, list)
            if all((e.passage_id, e.char_start) != (ev.passage_id, ev.char_start) for e in evs):
                evs.append(ev)
    out = []
    for key in order:
        found_rel = facts[key]["rel"]
        evs = facts[key]["evidence"]
        assert isinstance(found_rel, RawRelation) and isinstance(evs, list)
        rel = found_rel
        conf = max(e.confidence for e in evs)
        # Repeated independent evidence raises confidence a little, never to certainty.
        conf = min(0.95, conf + 0.05 * (len(evs) - 1))
        out.append(
            RelationFact(
                kind=rel.kind,
                source_label=rel.source_label,
                source_id=rel.source_id,
                target_label=rel.target_label,
                target_id=rel.target_id,
                confidence=round(conf, 3),
                evidence=tuple(evs),
            )
        )
    return tuple(out)
