"""Corrections of a relation by review: ``change_kind`` (it is a tie of another kind) and
``reverse`` (it runs the other way).

A relation's key names its extracted kind and direction, and re-ingestion writes that
relationship again, so a correction is not a rewrite of the stored relationship: like a
verdict, its effect is kept on the relationship (``decided_kind``, ``reversed``), written
again after every document write (``decisions.reapply_decisions``), and applied where facts
are read (``decided_fields``, used by the subgraph readers, the actor detail and the gold
export). The key stays the extracted one: it is what the decisions name.

Only ties between two actors take these corrections, and only towards another tie between
actors: a theme or policy link turned around or into a partnership would leave the theme
cuts (which walk relations by their stored ends) answering for a different graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .model import SYMMETRIC_KINDS, Label, RelationKind

__all__ = [
    "ACTOR_TIE_KINDS",
    "check_correction",
    "correction_state",
    "decided_fields",
    "refuse_correction",
]

ACTOR_TIE_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.mandate_overlap,
        RelationKind.negative_coordination,
        RelationKind.member_of,
    }
)
_ACTOR_ENDS = {Label.Actor, Label.Person}
CHANGE_KIND = "change_kind"
REVERSE = "reverse"


def check_correction(action: str, value: Mapping[str, Any] | None) -> str | None:
    """The problem with a correction's value (None: it is fine). ``change_kind`` takes
    ``{"kind": <an actor tie kind>}``; ``reverse`` takes nothing."""
    if action == REVERSE:
        return "'reverse' takes no value." if value else None
    kinds = ", ".join(sorted(k.value for k in ACTOR_TIE_KINDS))
    if not value or set(value) != {"kind"}:
        return f"'change_kind' needs a value {{\"kind\": ...}}, one of {kinds}."
    if value["kind"] not in {k.value for k in ACTOR_TIE_KINDS}:
        return f"kind must be one of {kinds}, not {value['kind']!r}."
    return None


def refuse_correction(
    action: str,
    value: Mapping[str, Any],
    stored_kind: str,
    ends: tuple[Label, Label],
    state: tuple[str | None, bool],
) -> str | None:
    """Why this relation does not take this correction now (None: it does)."""
    if stored_kind not in {k.value for k in ACTOR_TIE_KINDS} or not set(ends) <= _ACTOR_ENDS:
        return f"Only ties between two actors can be corrected; this one is {stored_kind}."
    current = state[0] or stored_kind
    if action == CHANGE_KIND and value["kind"] == current:
        return f"The relation is already of kind {current}."
    if action == REVERSE and RelationKind(current) in SYMMETRIC_KINDS:
        return f"A {current} tie has no direction to reverse."
    return None


def correction_state(active: Iterable[Mapping[str, Any]]) -> tuple[str | None, bool]:
    """(kind, reversed) the decisions in force (oldest first) leave: the latest kind change,
    and reversed when an odd number of reversals stand (two reversals cancel, and undoing
    one of them turns the relation back)."""
    kind: str | None = None
    reversed_ = False
    for d in active:
        if d["action"] == CHANGE_KIND:
            kind = json.loads(d.get("value") or "{}").get("kind")
        elif d["action"] == REVERSE:
            reversed_ = not reversed_
    return kind, reversed_


def decided_fields(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """(kind, source, target) of a relation row as the review left it: the row's own when
    no correction is in force."""
    kind = row.get("decided_kind") or row["kind"]
    if row.get("reversed"):
        return kind, row["target"], row["source"]
    return kind, row["source"], row["target"]
