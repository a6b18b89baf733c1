"""What the review queue reads from the store beside the analytic view: the extraction's own
certainty about each unreviewed actor, and the passages that name an actor.

The analytic view (graph_schema/view.py) keeps the facts the analysis needs; an actor's
confidences and cues are not among them, so they are read here, for the unreviewed actors
only. Every statement is parameterised; the labels are the closed enums'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import queries as q
from .decisions import ACCEPTED, REJECTED, TargetKind, relation_review
from .model import REL_TYPE_OF, Label, RelationKind, RelType
from .relation_decisions import decided_fields
from .store import GraphStore

__all__ = [
    "ActorCues",
    "ReviewedRelation",
    "accepted_nodes",
    "accepted_relations",
    "actor_mentions",
    "unreviewed_actor_cues",
]

ActorCues = dict[str, Any]  # id, name, type, level, confidence, type_/level_ confidence, cue

UNREVIEWED_ACTOR_CUES = (
    # A merge (actor_merge_decisions) is a review too: the merged actor is its target's now.
    f"MATCH (a:{Label.Actor.value}) WHERE a.review IS NULL AND a.merged_into IS NULL "
    "RETURN a.id AS id, a.name AS name, a.type AS type, a.level AS level, "
    "a.confidence AS confidence, a.type_confidence AS type_confidence, a.type_cue AS type_cue, "
    "a.level_confidence AS level_confidence, a.level_cue AS level_cue"
)
# The first passages (in document order) that name each actor, with where they are: what an
# analyst reads to judge whether the name is an organisation at all.
ACTOR_MENTIONS = (
    f"UNWIND $ids AS id MATCH (a:{Label.Actor.value} {{id: id}})<-[m:MENTIONS]-(p:Passage)"
    "-[:IN_DOCUMENT]->(d:Document) "
    "WITH id, m, p, d ORDER BY d.id, p.index, m.char_start "
    "RETURN id, collect({document_id: d.id, document_title: d.title, document_kind: d.kind, "
    "passage_id: p.id, page: p.page, turn: p.turn, speaker: p.speaker, text: p.text, "
    "char_start: m.char_start, char_end: m.char_end})[..$per_actor] AS mentions"
)
QUOTE_WINDOW = 160  # characters of context either side of a mention


def unreviewed_actor_cues(store: GraphStore) -> dict[str, ActorCues]:
    """Every actor no accept or reject decision is in force on, with the extraction's
    confidences and cues (absent ones as None)."""
    return {str(r["id"]): r for r in store.read(UNREVIEWED_ACTOR_CUES)}


def _quote(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The mention with up to QUOTE_WINDOW characters either side, cut at spaces."""
    lo, hi = max(0, start - QUOTE_WINDOW), min(len(text), end + QUOTE_WINDOW)
    if lo > 0 and (space := text.find(" ", lo, start)) != -1:
        lo = space + 1
    if hi < len(text) and (space := text.rfind(" ", end, hi)) != -1:
        hi = space
    return text[lo:hi], lo, hi


def actor_mentions(
    store: GraphStore, ids: Sequence[str], *, per_actor: int = 2
) -> dict[str, list[dict[str, Any]]]:
    """Per actor id, its first ``per_actor`` mentions as evidence-like maps (document, page or
    turn, speaker, the quote around the mention and its span within the passage)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in q.batched(sorted(set(ids))):
        for row in store.read(ACTOR_MENTIONS, {"ids": chunk, "per_actor": per_actor}):
            items = []
            for m in row["mentions"]:
                if m.get("passage_id") is None:
                    continue
                text = str(m.pop("text") or "")
                start, end = int(m["char_start"] or 0), int(m["char_end"] or 0)
                m["quote"], m["char_start"], m["char_end"] = _quote(text, start, end)
                m["mention"] = text[start:end]
                m["document_title"] = m["document_title"] or ""
                m["document_kind"] = m["document_kind"] or "other"
                items.append(m)
            found[str(row["id"])] = items
    return found


# --- the reviewed facts (what ``govgraph decisions export`` writes) ---------------------------

DECIDED_TARGETS = (
    "MATCH (d:Decision) WHERE d.target_kind = $kind AND d.undone_at IS NULL "
    "RETURN DISTINCT d.target_id AS id ORDER BY id"
)
# Where each relation is: its Evidence nodes (indexed by key) name its type and both ends.
RELATION_ENDS_OF_KEYS = (
    "UNWIND $keys AS k MATCH (e:Evidence {key: k}) "
    "WITH k, collect({rel_type: e.rel_type, source_label: e.source_label, "
    "source_id: e.source_id, target_label: e.target_label, target_id: e.target_id})[0] AS x "
    "RETURN k AS key, x.rel_type AS rel_type, x.source_label AS source_label, "
    "x.source_id AS source_id, x.target_label AS target_label, x.target_id AS target_id"
)


def nodes_by_ids(label: Label) -> str:
    return f"UNWIND $ids AS id MATCH (n:{label.value} {{id: id}}) RETURN n {{.*}} AS node"


@dataclass(frozen=True)
class ReviewedRelation:
    key: str
    rel_type: RelType
    source_label: Label
    source_id: str
    target_label: Label
    target_id: str


def _decided(store: GraphStore, kind: TargetKind) -> list[str]:
    return [str(r["id"]) for r in store.read(DECIDED_TARGETS, {"kind": kind.value})]


def accepted_nodes(
    store: GraphStore, label: Label, ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Nodes of ``label``: those an accept decision is in force on (``ids`` None), or the
    given ones whatever their state. Rejected nodes are never returned."""
    wanted = _decided(store, TargetKind.actor) if ids is None else sorted(set(ids))
    found = []
    for chunk in q.batched(wanted):
        for row in store.read(nodes_by_ids(label), {"ids": chunk}):
            node = dict(row["node"])
            node.pop("supports", None)
            review = node.get("review")
            if review == ACCEPTED or (ids is not None and review is None):
                found.append(node)
    return found


def _reviewed_as_a_tie(row: dict[str, Any]) -> bool:
    # A kind change or reversal says what the tie is: the analyst vouches for it as
    # corrected, as an accept does for it as extracted.
    corrected = row.get("decided_kind") is not None or bool(row.get("reversed"))
    return row["review"] == ACCEPTED or (corrected and row["review"] != REJECTED)


def _as_corrected(rel: ReviewedRelation, row: dict[str, Any]) -> ReviewedRelation:
    kind, source, _ = decided_fields(
        {**row, "kind": row["kind"], "source": rel.source_id, "target": rel.target_id}
    )
    ends = [(rel.source_label, rel.source_id), (rel.target_label, rel.target_id)]
    if source != rel.source_id:
        ends.reverse()
    rel_type = REL_TYPE_OF[RelationKind(kind)]
    return ReviewedRelation(rel.key, rel_type, ends[0][0], ends[0][1], ends[1][0], ends[1][1])


def accepted_relations(store: GraphStore) -> list[ReviewedRelation]:
    """The relations an accept decision, or a correction of kind or direction, is in force
    on (and that still exist), as corrected."""
    keys = _decided(store, TargetKind.relation)
    found = []
    for chunk in q.batched(keys):
        for e in store.read(RELATION_ENDS_OF_KEYS, {"keys": chunk}):
            if e["rel_type"] is None:
                continue  # its documents are gone
            rel = ReviewedRelation(
                str(e["key"]),
                RelType(e["rel_type"]),
                Label(e["source_label"]),
                str(e["source_id"]),
                Label(e["target_label"]),
                str(e["target_id"]),
            )
            rows = store.read(
                relation_review(rel.rel_type, rel.source_label, rel.target_label),
                {"key": rel.key, "source_id": rel.source_id, "target_id": rel.target_id},
            )
            if rows and _reviewed_as_a_tie(rows[0]):
                found.append(_as_corrected(rel, rows[0]))
    return found
