"""Promoting a below-threshold candidate to an actor, and undoing that (demoting it).

The promotion is a ``(:Decision)`` like the others (author, time, reason, audit list, undo
through ``decisions.undo_decision``), on the candidate's entity id: the identity a
re-extracted document gives the same candidate again, so the writer promotes it again there
(``writer._promoted_again``). Recording one writes, in the same transaction, the candidate's
facts in every document where the entity is a candidate (``writer.write_promotion``);
undoing the last one in force withdraws them (``candidates.release_promotion``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import ManagedTransaction

from govgraph.errors import Conflict, NotFound

from .candidates import (
    CANDIDATE_BY_ID,
    PROMOTED,
    candidates_of_entity,
    release_promotion,
    set_review,
)
from .decisions import (
    CREATE_DECISION,
    Action,
    TargetKind,
    _decisions_of,
    _now,
    _review,
    _view,
    reapply_decisions,
)
from .store import GraphStore, as_dicts
from .version import bump
from .writer import write_promotion

__all__ = ["promote_candidate", "restate"]


def restate(tx: ManagedTransaction, entity_id: str, decisions: Sequence[Mapping[str, Any]]) -> None:
    """Give every stored candidate of the entity the state the decisions in force make:
    promoted (its facts written in its document) or not (withdrawn)."""
    promoted = _review(decisions) == PROMOTED
    for candidate in candidates_of_entity(tx, entity_id):
        was = candidate.get("review") == PROMOTED
        if promoted and not was:
            facts = write_promotion(tx, candidate["document_id"], [candidate["id"]])
            # The actor's own decisions (an edit, a rejection) apply to it again.
            reapply_decisions(tx, facts)
        elif was and not promoted:
            release_promotion(tx, candidate)
            set_review(tx, candidate["id"], None)


def promote_candidate(
    store: GraphStore, candidate_id: str, *, author: str, reason: str = "", note: str = ""
) -> dict[str, Any]:
    """Record a promotion of the candidate's entity and apply it. NotFound when there is no
    such candidate, Conflict when its entity is already promoted."""

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        rows = as_dicts(tx.run(CANDIDATE_BY_ID, id=candidate_id))
        if not rows:
            raise NotFound(f"No candidate with id {candidate_id}.")
        candidate = rows[0]["candidate"]
        entity_id = candidate["entity_id"]
        if _review(_decisions_of(tx, TargetKind.candidate, [entity_id])) == PROMOTED:
            raise Conflict(f"{candidate['name']} ({entity_id}) is already promoted.")
        props = {
            "id": f"decision-{uuid.uuid4().hex[:16]}",
            "target_kind": TargetKind.candidate.value,
            "target_id": entity_id,
            "action": Action.promote.value,
            "value": "{}",
            "previous": "{}",
            "reason": reason,
            "note": note,
            "author": author,
            "created_at": _now(),
            "evidence_ids": list(candidate.get("passage_ids") or []),
            # The document-candidate the reviewer saw (the decision holds for the entity).
            "basis": [candidate_id],
        }
        created = as_dicts(tx.run(CREATE_DECISION, props=props))[0]["decision"]
        restate(tx, entity_id, _decisions_of(tx, TargetKind.candidate, [entity_id]))
        bump(tx)
        return _view(created)

    return store.execute_write(work, action=f"Promoting candidate {candidate_id}")
