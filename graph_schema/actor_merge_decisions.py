"""An analyst's ``merge_into`` decision on an actor: "this is the same body as that one".

The store keeps the extracted facts as they are: the merged actor's node, its mentions, its
relations and their evidence. The decision's effect is one property on the merged node,
``merged_into`` (the target's id), written again after every document write like every
verdict (``decisions.reapply_decisions``), and honoured where facts are read: ``fold`` makes
the subgraph readers (and so the analytic view, gaps, metrics, exports and reports) answer
the merged actor's relations, documents and names as the target's; the listings leave the
merged actor out and give its names to the target. Undoing the decision removes the property,
so both actors are back exactly as extracted.

Merges are one hop: a target is never itself merged, and a merged actor never has others
merged into it (``refuse_merge``), so no chain or cycle can make a reading ambiguous.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from neo4j import ManagedTransaction

from .model import Label
from .store import as_dicts

__all__ = [
    "MERGED_INTO",
    "MERGE_INTO",
    "SPLIT",
    "check_merge",
    "check_split",
    "fold",
    "merge_target",
    "merge_targets",
    "refuse_merge",
    "with_merge_partners",
]

MERGE_INTO = "merge_into"
MERGED_INTO = "merged_into"  # the node property the decision leaves
_ACTOR_LABELS = (Label.Actor, Label.Person)
_REJECTED = "rejected"  # = decisions.REJECTED (that module imports this one)


def check_merge(value: Mapping[str, Any] | None) -> str | None:
    """The problem with a merge's value (None: it is fine): ``{"into": <actor id>}``."""
    if not value or set(value) != {"into"}:
        return "'merge_into' needs a value {\"into\": <the id of the actor it is the same as>}."
    into = value["into"]
    if not isinstance(into, str) or not 0 < len(into.strip()) <= 300:
        return "into must be an actor id (a non-empty text of at most 300 characters)."
    return None


SPLIT = "split"
MAX_SPLIT_NAMES = 50


def check_split(value: Mapping[str, Any] | None) -> str | None:
    """The problem with a split's value (None: fine): ``{"names": [<alias>, ...]}``. Whether
    the actor has those names is the caller's to check (service/actor_splits.py)."""
    if not value or set(value) != {"names"}:
        return "'split' needs a value {\"names\": [<the aliases that are another actor>]}."
    names = value["names"]
    if (
        not isinstance(names, list)
        or not 0 < len(names) <= MAX_SPLIT_NAMES
        or not all(isinstance(n, str) and 0 < len(n.strip()) <= 300 for n in names)
    ):
        return f"names must be 1 to {MAX_SPLIT_NAMES} non-empty texts of at most 300 characters."
    return None


def merge_target(active: Iterable[Mapping[str, Any]]) -> str | None:
    """The actor the decisions in force (oldest first) merge their target into, or None."""
    into: str | None = None
    for d in active:
        if d["action"] == MERGE_INTO:
            into = json.loads(d.get("value") or "{}").get("into")
    return into


# Statements of the refusal checks, per label (closed enum): the target, and who is merged
# into the actor already.
def _node_state(label: Label) -> str:
    return (
        f"MATCH (n:{label.value} {{id: $id}}) "
        "RETURN n.id AS id, n.name AS name, n.review AS review, n.merged_into AS merged_into"
    )


def _merged_into(label: Label) -> str:
    return (
        f"MATCH (n:{label.value}) WHERE n.merged_into = $id "
        "RETURN n.id AS id, n.name AS name ORDER BY n.id"
    )


def refuse_merge(
    tx: ManagedTransaction, label: Label, actor: Mapping[str, Any], into: str
) -> str | None:
    """Why ``actor`` (its review fields, of ``label``) cannot be merged into ``into`` now
    (None: it can). One hop only: see the module's note."""
    actor_id = actor["id"]
    if into == actor_id:
        return "An actor cannot be merged into itself."
    if actor.get("review") == _REJECTED:
        return f"{actor_id} was rejected (not an actor); undo that decision before merging it."
    if actor.get(MERGED_INTO):
        return f"{actor_id} is already merged into {actor[MERGED_INTO]}; undo that decision first."
    target = None
    for other in _ACTOR_LABELS:
        rows = as_dicts(tx.run(_node_state(other), id=into))
        if rows:
            target = (other, rows[0])
            break
    if target is None:
        return f"No actor with id {into} to merge into."
    if target[0] is not label:
        return f"{actor_id} is a {label.value} and {into} a {target[0].value}: they cannot merge."
    if target[1].get("review") == _REJECTED:
        return f"{into} was rejected (not an actor): nothing can be merged into it."
    if (further := target[1].get(MERGED_INTO)) is not None:
        if further == actor_id:
            return f"{into} is merged into {actor_id}: merging back would make a cycle."
        return f"{into} is itself merged into {further}: merge into {further} instead."
    merged_here = as_dicts(tx.run(_merged_into(label), id=actor_id))
    if merged_here:
        names = ", ".join(r["id"] for r in merged_here)
        return (
            f"{names} {'is' if len(merged_here) == 1 else 'are'} merged into {actor_id}: "
            f"merge {'it' if len(merged_here) == 1 else 'them'} into {into} instead, "
            "or undo that first."
        )
    return None


# --- reading -------------------------------------------------------------------------------


def merge_targets(nodes: Mapping[Label, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """merged actor id -> target id, for the merges whose target is among ``nodes`` under the
    same label and not itself merged (a target gone with its documents leaves the merged actor
    standing as itself)."""
    found: dict[str, str] = {}
    for label in _ACTOR_LABELS:
        by_id = nodes.get(label, {})
        for i, n in by_id.items():
            into = n.get(MERGED_INTO)
            if into and into != i and into in by_id and not by_id[into].get(MERGED_INTO):
                found[i] = into
    return found


def with_merge_partners(ids: Iterable[str], merges: Mapping[str, str]) -> set[str]:
    """``ids`` with every actor merged into one of them and every target one of them is
    merged into: a merge group is in a cut whole or not at all."""
    wanted = set(ids)
    wanted |= {merges[i] for i in wanted if i in merges}
    wanted |= {i for i, into in merges.items() if into in wanted}
    return wanted


def fold(
    nodes: dict[Label, dict[str, dict[str, Any]]],
    relations: list[dict[str, Any]],
    merges: Mapping[str, str],
) -> tuple[dict[Label, dict[str, dict[str, Any]]], list[dict[str, Any]]]:
    """The nodes and relation rows as the merges read them: each merged actor gone, its
    names (name and aliases) among its target's aliases and its documents among the
    target's; each relation end that was a merged actor is the target. A relation that
    then joins the target to itself is left out (a tie between two names of one body). The
    inputs are not changed (and are handed back as they are when nothing is merged: the
    common case, on the analysis's hot path)."""
    if not merges:
        return nodes, relations
    out: dict[Label, dict[str, dict[str, Any]]] = {}
    for label, by_id in nodes.items():
        kept = {i: n for i, n in by_id.items() if i not in merges}
        for i, into in sorted(merges.items()):
            if i not in by_id or into not in kept:
                continue
            merged, target = by_id[i], dict(kept[into])
            names = [merged.get("name") or i, *(merged.get("aliases") or ())]
            aliases = list(target.get("aliases") or ())
            aliases += [a for a in dict.fromkeys(names) if a not in aliases]
            target["aliases"] = tuple(aliases)
            docs = set(target.get("doc_ids") or ()) | set(merged.get("doc_ids") or ())
            target["doc_ids"] = tuple(sorted(docs))
            kept[into] = target
        out[label] = kept
    folded = []
    for r in relations:
        source, target = merges.get(r["source"], r["source"]), merges.get(r["target"], r["target"])
        if source == target:
            continue
        if source != r["source"] or target != r["target"]:
            r = {**r, "source": source, "target": target}
        folded.append(r)
    return out, folded
