"""An analyst's ``split`` decision on an actor: some of its names are another actor.

Built on the merge ledger's undo (service/merges.py): each alias the resolver merged into the
actor is one ledger entry, and splitting undoes those merges: the split is recorded (no later
run merges the name again), the documents that used the name are extracted again (its
mentions and evidence go to the name's own actor), and the actor loses the alias. The
decision records, as its ``previous``, which merges it undid and which actors the names are
now.

Undoing the decision re-joins them: the splits are marked re-joined (kept, never deleted; the
resolver no longer reads them) and the documents of the split-off actors are extracted again
with those actors forgotten, so the resolver merges the names as it first did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govgraph.errors import NotFound
from graph_schema import queries as q
from graph_schema.actor_merge_decisions import record_split_outcome
from graph_schema.decisions import (
    Action,
    InvalidDecision,
    TargetKind,
    get_decision,
    record_decision,
    undo_decision,
)
from graph_schema.documents import stored_document
from graph_schema.ledger import get_split, list_merges, rejoin_splits
from graph_schema.model import Label
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from nlp.resolution import normalise

from .merges import undo_merge
from .pipeline import ProgressCallback, extract_with_graph

__all__ = ["split_actor", "undo_any_decision"]

_ACTOR_LABELS = (Label.Actor, Label.Person)


def _node(store: GraphStore, actor_id: str) -> dict[str, Any] | None:
    for label in _ACTOR_LABELS:
        rows = store.read(q.entities_by_ids(label), {"ids": [actor_id]})
        if rows:
            return dict(rows[0]["node"])
    return None


def _merges_to_undo(
    store: GraphStore, actor_id: str, node: dict[str, Any], names: Sequence[str]
) -> list[dict[str, Any]]:
    """The ledger entries the split undoes, one per name; InvalidDecision for a name the
    actor does not have, one the resolver did not merge into it, or all of its names."""
    own = [node.get("name") or actor_id, *(node.get("aliases") or [])]
    keys = {normalise(n): n for n in own}
    asked = {normalise(n): n for n in names}
    unknown = [n for k, n in asked.items() if k not in keys]
    if unknown:
        raise InvalidDecision(
            f"{actor_id} has no name {', '.join(map(repr, unknown))}; "
            f"its names: {', '.join(sorted(set(own)))}."
        )
    if not set(keys) - set(asked):
        raise InvalidDecision(
            f"A split leaves {actor_id} at least one of its names; to say it is not an actor, "
            "reject it."
        )
    ledger = {m["alias_key"]: m for m in list_merges(store, entity_id=actor_id, limit=10_000)[0]}
    unmerged = [n for k, n in asked.items() if k not in ledger]
    if unmerged:
        raise InvalidDecision(
            f"{', '.join(map(repr, unmerged))} {'was' if len(unmerged) == 1 else 'were'} not "
            f"merged into {actor_id} by the resolver (no merge ledger entry): a name it always "
            "had cannot be split off."
        )
    return [ledger[k] for k in sorted(asked)]


def split_actor(
    store: GraphStore,
    actor_id: str,
    names: Sequence[str],
    *,
    author: str,
    reason: str = "",
    note: str = "",
    evidence_ids: Sequence[str] = (),
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Record a split of ``names`` off ``actor_id`` and carry it out; the decision, with its
    outcome in ``previous`` (``merges``: id, alias, documents; ``actors``: the ids the names
    resolve to now). NotFound for an unknown actor, InvalidDecision for names it refuses."""
    node = _node(store, actor_id)
    if node is None:
        raise NotFound(f"No actor with id {actor_id}.")
    merges = _merges_to_undo(store, actor_id, node, names)
    decision = record_decision(
        store,
        TargetKind.actor,
        actor_id,
        Action.split_names,
        author=author,
        value={"names": [str(n) for n in names]},
        reason=reason,
        note=note,
        evidence_ids=evidence_ids,
    )
    undone, resolved = [], set()
    for merge in merges:
        result = undo_merge(store, merge["id"], on_progress=on_progress)
        undone.append({"id": merge["id"], "alias": merge["alias"], "documents": result.documents})
        resolved |= set(result.now_resolved_to)
    record_split_outcome(
        store, decision["id"], {"merges": undone, "actors": sorted(resolved - {actor_id})}
    )
    return get_decision(store, decision["id"]) or decision


def _rejoin(
    store: GraphStore, decision: dict[str, Any], on_progress: ProgressCallback | None
) -> dict[str, Any]:
    undone = undo_decision(store, decision["id"])
    outcome = decision.get("previous") or {}
    apart = frozenset(outcome.get("actors") or ()) - {decision["target_id"]}
    split_ids = [m["id"] for m in outcome.get("merges") or ()]
    doc_ids: set[str] = set()
    for split_id in split_ids:
        doc_ids |= set((get_split(store, split_id) or {}).get("doc_ids") or ())
    for actor_id in apart:  # documents written since the split name the actor it made too
        doc_ids |= set((_node(store, actor_id) or {}).get("doc_ids") or ())
    rejoin_splits(store, split_ids, sorted(doc_ids))
    documents = [d for d in (stored_document(store, i) for i in sorted(doc_ids)) if d]
    if documents:
        run = extract_with_graph(store, documents, forget=apart)
        for i, batch in enumerate(run.batches):
            if on_progress:
                on_progress(f"re-extracting {batch.document.title}", i, len(run.batches))
            write_document(store, batch, rewrite=True)
    return undone


def undo_any_decision(
    store: GraphStore, decision_id: str, *, on_progress: ProgressCallback | None = None
) -> dict[str, Any]:
    """DELETE /decisions/{id} and ``govgraph decisions undo``: a split in force is re-joined
    (its documents extracted again); any other decision is ``decisions.undo_decision``."""
    decision = get_decision(store, decision_id)
    if (
        decision
        and decision["action"] == Action.split_names.value
        and decision["undone_at"] is None
    ):
        return _rejoin(store, decision, on_progress)
    return undo_decision(store, decision_id)
