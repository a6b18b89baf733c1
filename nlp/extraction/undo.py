"""Undoing a merge: one alias split back out of an entity within a batch."""

from __future__ import annotations

from graph_schema.model import EntityNode, GraphBatch, RelationFact
from nlp.resolution import normalise


def split_batch(batch: GraphBatch, entity_id: str, alias: str, norm: str) -> GraphBatch:
    from nlp.resolution import entity_id as make_id

    old = next((e for e in batch.entities if e.id == entity_id), None)
    if old is None:
        return batch
    new_id = make_id(old.label, alias)
    if new_id == entity_id:
        new_id = f"{new_id}-split"
    moved_passages: dict[str, bool] = {}
    mentions = []
    for m in batch.mentions:
        if m.entity_id == entity_id and normalise(m.text) == norm:
            mentions.append(m.model_copy(update={"entity_id": new_id}))
            moved_passages.setdefault(m.passage_id, True)
        else:
            if m.entity_id == entity_id:
                moved_passages[m.passage_id] = False
            mentions.append(m)
    if not any(moved_passages.values()):
        entities = tuple(
            e.model_copy(update={"aliases": tuple(a for a in e.aliases if normalise(a) != norm)})
            if e.id == entity_id
            else e
            for e in batch.entities
        )
        return batch.model_copy(update={"entities": entities})
    new_node = EntityNode(label=old.label, id=new_id, name=alias, properties=dict(old.properties))
    entities = (
        *(
            e.model_copy(update={"aliases": tuple(a for a in e.aliases if normalise(a) != norm)})
            if e.id == entity_id
            else e
            for e in batch.entities
        ),
        new_node,
    )

    def repoint(rel: RelationFact) -> RelationFact:
        ps = {ev.passage_id for ev in rel.evidence}
        if not all(moved_passages.get(p, False) for p in ps):
            return rel
        upd: dict[str, str] = {}
        if rel.source_id == entity_id:
            upd["source_id"] = new_id
        if rel.target_id == entity_id:
            upd["target_id"] = new_id
        return rel.model_copy(update=upd) if upd else rel

    return batch.model_copy(
        update={
            "entities": entities,
            "mentions": tuple(mentions),
            "relations": tuple(repoint(r) for r in batch.relations),
        }
    )
