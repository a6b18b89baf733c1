"""Review decisions: an analyst's verdicts on what govgraph extracted, kept in the graph.

A ``(:Decision)`` node records one verdict on an actor (accept, reject "not an actor", or an
edit of its name / type / level), a relation (accept, reject) or a gap finding (validated,
disputed, needs evidence), with its author, time, reason, note and the evidence it was made
on. The verdict's *effect* lives on the target: ``review`` on the actor node or the relation
(``accepted`` / ``rejected``; the reader leaves rejected facts out of every answer) and the
edited properties.

Decisions are never lost: re-extraction rewrites nodes and relationships, so the writer calls
``reapply_decisions`` at the end of every document write, in the same transaction, and the
latest decision in force on each target the document touched is written again. Undoing a
decision marks it undone (it stays in the audit list) and recomputes its target's state from
the decisions still in force; an edit undone with none left restores the value the first edit
of that property replaced. A gap finding is not stored (analysis recomputes it), so a
decision on one is a record only.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from neo4j import ManagedTransaction

from govgraph.errors import Conflict, NotFound

from . import queries as q
from .actor_merge_decisions import check_merge, check_split, merge_target, refuse_merge
from .model import KIND_OF_REL_TYPE, REL_TYPE_OF, ActorLevel, ActorType, GraphBatch, Label, RelType
from .relation_decisions import check_correction, correction_state, refuse_correction
from .store import GraphStore, as_dicts
from .version import bump

__all__ = [
    "ACCEPTED",
    "ACTIONS_OF",
    "MAX_NAME",
    "REJECTED",
    "Action",
    "InvalidDecision",
    "TargetKind",
    "check_decision",
    "decisions_on",
    "get_decision",
    "list_decisions",
    "reapply_decisions",
    "record_decision",
    "undo_decision",
]

ACCEPTED = "accepted"
REJECTED = "rejected"
ACTOR_LABELS = (Label.Actor, Label.Person)


class TargetKind(StrEnum):
    actor = "actor"
    relation = "relation"
    gap = "gap"
    candidate = "candidate"  # a below-threshold actor candidate (graph_schema/candidates)


class Action(StrEnum):
    accept = "accept"
    reject = "reject"
    edit = "edit"  # an actor's name, type or level
    validated = "validated"  # gap findings
    disputed = "disputed"
    needs_evidence = "needs_evidence"
    change_kind = "change_kind"  # a relation is a tie of another kind (relation_decisions)
    reverse = "reverse"  # a relation runs the other way
    promote = "promote"  # a candidate is an actor after all (candidate_decisions)
    merge_into = "merge_into"  # an actor is another one (actor_merge_decisions)
    # (not ``split``: a StrEnum member of that name would hide str.split)
    split_names = "split"  # some of an actor's names are another actor (service/actor_splits)


ACTIONS_OF: dict[TargetKind, frozenset[Action]] = {
    TargetKind.actor: frozenset(
        {Action.accept, Action.reject, Action.edit, Action.merge_into, Action.split_names}
    ),
    TargetKind.relation: frozenset(
        {Action.accept, Action.reject, Action.change_kind, Action.reverse}
    ),
    TargetKind.gap: frozenset({Action.validated, Action.disputed, Action.needs_evidence}),
    TargetKind.candidate: frozenset({Action.promote}),
}
# The review status an action leaves on its target; an edit leaves the status alone.
_REVIEW_OF = {
    Action.accept: ACCEPTED,
    Action.reject: REJECTED,
    Action.validated: Action.validated.value,
    Action.disputed: Action.disputed.value,
    Action.needs_evidence: Action.needs_evidence.value,
    Action.promote: "promoted",
}
EDITABLE = ("name", "type", "level")
MAX_NAME = 300


class InvalidDecision(ValueError):
    """A decision that does not fit its target kind (the API answers 422)."""


def check_decision(kind: TargetKind, action: Action, value: Mapping[str, Any] | None) -> None:
    """Refuse an action the target kind does not take, or an edit outside its bounds."""
    if action not in ACTIONS_OF[kind]:
        allowed = ", ".join(sorted(a.value for a in ACTIONS_OF[kind]))
        raise InvalidDecision(f"A {kind.value} takes the actions {allowed}, not {action.value}.")
    if action in (Action.change_kind, Action.reverse):
        if (problem := check_correction(action.value, value)) is not None:
            raise InvalidDecision(problem)
        return
    if action in (Action.merge_into, Action.split_names):
        check = check_merge if action is Action.merge_into else check_split
        if (problem := check(value)) is not None:
            raise InvalidDecision(problem)
        return
    if action is not Action.edit:
        if value:
            raise InvalidDecision(
                f"'{action.value}' takes no value; only 'edit' and 'change_kind' do."
            )
        return
    if not value:
        raise InvalidDecision(f"'edit' needs a value with one or more of {', '.join(EDITABLE)}.")
    unknown = sorted(set(value) - set(EDITABLE))
    if unknown:
        raise InvalidDecision(f"Cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}.")
    name = value.get("name")
    if "name" in value and (not isinstance(name, str) or not 0 < len(name.strip()) <= MAX_NAME):
        raise InvalidDecision(f"name must be a non-empty text of at most {MAX_NAME} characters.")
    for field, vocabulary in (("type", ActorType), ("level", ActorLevel)):
        if field in value and value[field] not in vocabulary.__members__:
            choices = ", ".join(vocabulary.__members__)
            raise InvalidDecision(f"{field} must be one of {choices}, not {value[field]!r}.")


# --- Cypher -------------------------------------------------------------------------------------
# The decision records' own statements (their tests run each on the embedded server). Labels
# and relationship types come from the closed enums (``_type``), never from user input.

CREATE_DECISION = "CREATE (d:Decision) SET d = $props RETURN d {.*} AS decision"
DECISION_BY_ID = "MATCH (d:Decision {id: $id}) RETURN d {.*} AS decision"
UNDO_DECISION = "MATCH (d:Decision {id: $id}) SET d.undone_at = $now RETURN d {.*} AS decision"
DECISIONS_OF_TARGETS = (
    "UNWIND $ids AS id MATCH (d:Decision {target_id: id}) WHERE d.target_kind = $target_kind "
    "RETURN d {.*} AS decision ORDER BY d.created_at, d.id"
)
_FILTER = (
    "MATCH (d:Decision) "
    "WHERE ($target_kind IS NULL OR d.target_kind = $target_kind) "
    "AND ($target_id IS NULL OR d.target_id = $target_id) "
    "AND ($author IS NULL OR d.author = $author) "
    "AND ($include_undone OR d.undone_at IS NULL) "
)
LIST_DECISIONS = (
    _FILTER + "RETURN d {.*} AS decision ORDER BY d.created_at DESC, d.id DESC "
    "SKIP $skip LIMIT $limit"
)
COUNT_DECISIONS = _FILTER + "RETURN count(d) AS n"
# Where a relation is: its Evidence nodes (indexed by key) name its type and both ends, so the
# relationship is then matched from its indexed source, not by a scan of every relationship.
RELATION_ENDS = (
    "MATCH (e:Evidence {key: $key}) RETURN e.rel_type AS rel_type, "
    "e.source_label AS source_label, e.source_id AS source_id, "
    "e.target_label AS target_label, e.target_id AS target_id LIMIT 1"
)


def _type(name: Label | RelType) -> str:
    if not isinstance(name, Label | RelType):
        raise TypeError(f"not a graph label or relationship type: {name!r}")
    return name.value


def entity_review_fields(label: Label) -> str:
    return (
        f"MATCH (n:{_type(label)} {{id: $id}}) "
        "RETURN n.id AS id, n.name AS name, n.type AS type, n.level AS level, n.review AS review, "
        "n.merged_into AS merged_into"
    )


def set_entity_review(label: Label) -> str:
    """A decision's effect on an entity: its review status and merge (null removes them)
    and edits."""
    return (
        f"UNWIND $rows AS row MATCH (n:{_type(label)} {{id: row.id}}) "
        "SET n.review = row.review, n.merged_into = row.merged_into, n += row.props"
    )


def relation_review(rel: RelType, source: Label, target: Label) -> str:
    return (
        f"MATCH (:{_type(source)} {{id: $source_id}})-[r:{_type(rel)} {{key: $key}}]->"
        f"(:{_type(target)} {{id: $target_id}}) RETURN r.key AS key, r.review AS review, "
        "r.kind AS kind, r.decided_kind AS decided_kind, r.reversed AS reversed"
    )


def set_relation_review(rel: RelType, source: Label, target: Label) -> str:
    return (
        f"UNWIND $rows AS row MATCH (:{_type(source)} {{id: row.source_id}})"
        f"-[r:{_type(rel)} {{key: row.key}}]->(:{_type(target)} {{id: row.target_id}}) "
        "SET r.review = row.review, r.decided_kind = row.decided_kind, "
        "r.reversed = row.reversed"
    )


# --- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Relation:
    key: str
    rel: RelType
    source_label: Label
    source_id: str
    target_label: Label
    target_id: str

    def row(self, decisions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """The state the decisions leave on the relationship (nulls remove a property)."""
        kind, reversed_ = correction_state(_active(decisions))
        return {
            "key": self.key,
            "source_id": self.source_id,
            "target_id": self.target_id,
            "review": _review(decisions),
            "decided_kind": kind,
            "reversed": True if reversed_ else None,
        }


def _actor(tx: ManagedTransaction, actor_id: str) -> tuple[Label, dict[str, Any]] | None:
    for label in ACTOR_LABELS:
        rows = as_dicts(tx.run(entity_review_fields(label), id=actor_id))
        if rows:
            return label, rows[0]
    return None


def _relation(tx: ManagedTransaction, key: str) -> _Relation | None:
    ends = as_dicts(tx.run(RELATION_ENDS, key=key))
    if not ends:
        return None
    e = ends[0]
    found = _Relation(
        key,
        RelType(e["rel_type"]),
        Label(e["source_label"]),
        e["source_id"],
        Label(e["target_label"]),
        e["target_id"],
    )
    query = relation_review(found.rel, found.source_label, found.target_label)
    rows = as_dicts(tx.run(query, key=key, source_id=found.source_id, target_id=found.target_id))
    return found if rows else None


def _correctable(
    tx: ManagedTransaction, relation: _Relation, action: Action, value: Mapping[str, Any]
) -> dict[str, Any]:
    """What a kind change or reversal replaces, or InvalidDecision when the relation does
    not take it (not a tie between actors, already that kind, no direction)."""
    state = correction_state(_active(_decisions_of(tx, TargetKind.relation, [relation.key])))
    stored = KIND_OF_REL_TYPE[relation.rel].value
    ends = (relation.source_label, relation.target_label)
    if (problem := refuse_correction(action.value, value, stored, ends, state)) is not None:
        raise InvalidDecision(problem)
    if action is Action.change_kind:
        return {"kind": state[0] or stored}
    return {"reversed": state[1]}


# --- the state decisions leave on a target ------------------------------------------------------


def _active(decisions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(
        (d for d in decisions if d.get("undone_at") is None),
        key=lambda d: (d["created_at"], d["id"]),
    )


def _review(decisions: Iterable[Mapping[str, Any]]) -> str | None:
    """The review status of the latest decision in force that sets one (None: unreviewed)."""
    review = None
    for d in _active(decisions):
        review = _REVIEW_OF.get(Action(d["action"]), review)
    return review


def _edits(decisions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Each edited property's value from the latest edit in force."""
    fields: dict[str, Any] = {}
    for d in _active(decisions):
        if d["action"] == Action.edit.value:
            fields.update(json.loads(d.get("value") or "{}"))
    return fields


def _baseline(decisions: Iterable[Mapping[str, Any]], field: str) -> Any:
    """The value the first edit of ``field`` replaced: what undoing every edit restores."""
    for d in sorted(decisions, key=lambda d: (d["created_at"], d["id"])):
        previous = json.loads(d.get("previous") or "{}")
        if field in previous:
            return previous[field]
    return None


def _apply_to_actor(
    tx: ManagedTransaction,
    label: Label,
    actor_id: str,
    decisions: Sequence[Mapping[str, Any]],
    props: dict[str, Any],
) -> None:
    # A null in ``props`` would remove the property: an edit never empties name, type or level.
    props = {k: v for k, v in props.items() if v is not None}
    into = merge_target(_active(decisions))
    rows = [{"id": actor_id, "review": _review(decisions), "merged_into": into, "props": props}]
    tx.run(set_entity_review(label), rows=rows).consume()


def _apply_to_relation(
    tx: ManagedTransaction, target: _Relation, decisions: Sequence[Mapping[str, Any]]
) -> None:
    query = set_relation_review(target.rel, target.source_label, target.target_label)
    tx.run(query, rows=[target.row(decisions)]).consume()


def _decisions_of(
    tx: ManagedTransaction, kind: TargetKind, ids: Sequence[str]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for chunk in q.batched(sorted(set(ids))):
        found += [
            r["decision"]
            for r in as_dicts(tx.run(DECISIONS_OF_TARGETS, ids=chunk, target_kind=kind.value))
        ]
    return found


def reapply_decisions(tx: ManagedTransaction, batch: GraphBatch) -> int:
    """Write again the effect of the decisions in force on the actors and relations a
    document's batch just wrote (in the writer's transaction). Returns how many targets."""
    actors = {e.id: e.label for e in batch.entities if e.label in ACTOR_LABELS}
    relations = {
        r.key: _Relation(
            r.key, REL_TYPE_OF[r.kind], r.source_label, r.source_id, r.target_label, r.target_id
        )
        for r in batch.relations
    }
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in _decisions_of(tx, TargetKind.actor, list(actors)):
        by_actor[d["target_id"]].append(d)
    for actor_id, decisions in by_actor.items():
        _apply_to_actor(tx, actors[actor_id], actor_id, decisions, _edits(decisions))
    by_relation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in _decisions_of(tx, TargetKind.relation, list(relations)):
        by_relation[d["target_id"]].append(d)
    for key, decisions in by_relation.items():
        _apply_to_relation(tx, relations[key], decisions)
    return len(by_actor) + len(by_relation)


# --- recording, reading, undoing ------------------------------------------------------------------


def _now() -> str:
    # Microseconds: decisions on one target are ordered by time, and two within a second
    # are common when an analyst accepts and then corrects.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def record_decision(
    store: GraphStore,
    kind: TargetKind,
    target_id: str,
    action: Action,
    *,
    author: str,
    value: Mapping[str, Any] | None = None,
    reason: str = "",
    note: str = "",
    evidence_ids: Sequence[str] = (),
    basis: Sequence[str] = (),
) -> dict[str, Any]:
    """Record a decision and apply it to its target, in one transaction. NotFound when the
    actor or relation does not exist (a gap finding's existence is the caller's to check:
    findings are computed, not stored); InvalidDecision when it does not fit the target."""
    check_decision(kind, action, value)
    edits = dict(value or {})
    if "name" in edits:
        edits["name"] = str(edits["name"]).strip()

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        previous: dict[str, Any] = {}
        actor = relation = None
        if kind is TargetKind.actor:
            actor = _actor(tx, target_id)
            if actor is None:
                raise NotFound(f"No actor with id {target_id}.")
            if action is Action.merge_into:
                if (problem := refuse_merge(tx, *actor, edits["into"])) is not None:
                    raise InvalidDecision(problem)
            else:
                previous = {f: actor[1].get(f) for f in edits}
        elif kind is TargetKind.relation:
            relation = _relation(tx, target_id)
            if relation is None:
                raise NotFound(f"No relation with key {target_id}.")
            if action in (Action.change_kind, Action.reverse):
                previous = _correctable(tx, relation, action, edits)
        props = {
            "id": f"decision-{uuid.uuid4().hex[:16]}",
            "target_kind": kind.value,
            "target_id": target_id,
            "action": action.value,
            # Maps are not property values; kept as JSON text, like a document's metadata.
            "value": json.dumps(edits, ensure_ascii=False, sort_keys=True),
            "previous": json.dumps(previous, ensure_ascii=False, sort_keys=True),
            "reason": reason,
            "note": note,
            "author": author,
            "created_at": _now(),
            "evidence_ids": list(evidence_ids),
            # What the decision was made on, as the caller identifies it (for a gap finding:
            # its evidence passages and quote digests), to tell later if that still stands.
            "basis": list(basis),
        }
        created = as_dicts(tx.run(CREATE_DECISION, props=props))[0]["decision"]
        decisions = _decisions_of(tx, kind, [target_id])
        if actor is not None:
            _apply_to_actor(tx, actor[0], target_id, decisions, _edits(decisions))
        elif relation is not None:
            _apply_to_relation(tx, relation, decisions)
        bump(tx)
        return _view(created)

    return store.execute_write(work, action=f"Recording a decision on {kind.value} {target_id}")


def undo_decision(store: GraphStore, decision_id: str) -> dict[str, Any]:
    """Mark a decision undone and give its target the state the decisions left in force make
    (an edit with none left restores what the first edit replaced). NotFound / Conflict."""

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        rows = as_dicts(tx.run(DECISION_BY_ID, id=decision_id))
        if not rows:
            raise NotFound(f"No decision with id {decision_id}.")
        if rows[0]["decision"].get("undone_at") is not None:
            raise Conflict(f"Decision {decision_id} was already undone.")
        undone = as_dicts(tx.run(UNDO_DECISION, id=decision_id, now=_now()))[0]["decision"]
        kind, target_id = TargetKind(undone["target_kind"]), undone["target_id"]
        decisions = _decisions_of(tx, kind, [target_id])
        if kind is TargetKind.actor and (actor := _actor(tx, target_id)) is not None:
            props = _edits(decisions)
            for field in json.loads(undone.get("value") or "{}"):
                if undone["action"] == Action.edit.value and field not in props:
                    props[field] = _baseline(decisions, field)
            _apply_to_actor(tx, actor[0], target_id, decisions, props)
        elif kind is TargetKind.relation and (relation := _relation(tx, target_id)) is not None:
            _apply_to_relation(tx, relation, decisions)
        elif kind is TargetKind.candidate:
            # Imported here: that module builds on this one.
            from .candidate_decisions import restate

            restate(tx, target_id, decisions)
        # A target gone since (its documents deleted) has no state to restore: the record
        # is still marked undone, so a later re-ingestion does not bring the verdict back.
        bump(tx)
        return _view(undone)

    return store.execute_write(work, action=f"Undoing decision {decision_id}")


def decisions_on(store: GraphStore, kind: TargetKind, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The decisions in force on the given targets, oldest first."""
    found = store.execute_read(
        lambda tx: _decisions_of(tx, kind, ids), action=f"Reading decisions on {kind.value}s"
    )
    return [_view(d) for d in _active(found)]


def get_decision(store: GraphStore, decision_id: str) -> dict[str, Any] | None:
    rows = store.query(DECISION_BY_ID, {"id": decision_id})
    return _view(rows[0]["decision"]) if rows else None


def list_decisions(
    store: GraphStore,
    *,
    target_kind: TargetKind | None = None,
    target_id: str | None = None,
    author: str | None = None,
    include_undone: bool = False,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of decisions, newest first (the audit list of an entity with ``target_id``),
    and the total."""
    params = {
        "target_kind": target_kind.value if target_kind else None,
        "target_id": target_id,
        "author": author,
        "include_undone": include_undone,
    }
    rows = store.query(LIST_DECISIONS, {**params, "skip": skip, "limit": limit})
    total = store.query(COUNT_DECISIONS, params)[0]["n"]
    return [_view(r["decision"]) for r in rows], int(total)


def _view(node: Mapping[str, Any]) -> dict[str, Any]:
    """A decision as the API and the CLI show it: value and previous as objects."""
    d = dict(node)
    d["value"] = json.loads(d.get("value") or "{}")
    d["previous"] = json.loads(d.get("previous") or "{}")
    d["evidence_ids"] = list(d.get("evidence_ids") or [])
    d["basis"] = list(d.get("basis") or [])
    d.setdefault("undone_at", None)
    for text in ("reason", "note"):
        d.setdefault(text, "")
    return d
