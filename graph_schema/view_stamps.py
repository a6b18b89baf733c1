"""What changed under an analytic view state (graph_schema/view.py): the change stamps.

The graph version (graph_schema/version.py) says only that something changed. When it moved,
a refresh reads these stamps and compares them with the state's: facts change when a
document is written, replaced or deleted (a new set of content-hash id and ingested_at),
when a merge is undone or re-joined (AliasSplit records) and with review decisions, made or
undone. Reading every Document's stamp costs a scan (27-41 ms at 50k actors), paid once per
change, never per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .version import GRAPH_VERSION, version_of

__all__ = ["Run", "Stamps", "decided", "read_stamps", "read_version"]

# Documents and merge undos change different facts; a decision the view cannot place
# reloads it all.
_DOCUMENT_STAMPS = "MATCH (d:Document) RETURN d.id AS id, d.ingested_at AS ingested_at"
_SPLIT_STAMPS = (
    "MATCH (s:AliasSplit) RETURN s.id AS id, s.created_at + "
    "CASE WHEN s.pending THEN '/pending' ELSE '' END + "
    "coalesce('/rejoined ' + s.rejoined_at, '') AS ingested_at, "
    "s.label AS label, s.entity_id AS entity_id, s.doc_ids AS doc_ids"
)
_DECISION_STAMPS = (
    "MATCH (x:Decision) RETURN x.id AS id, x.created_at + "
    "CASE WHEN x.undone_at IS NULL THEN '' ELSE '/undone ' + x.undone_at END AS stamp"
)
# A review decision (graph_schema/decisions) changes its target only: an actor's node, or a
# relation found from its Evidence nodes (indexed by key, naming its type and source).
_DECISION_TARGETS = (
    "UNWIND $ids AS id MATCH (x:Decision {id: id}) "
    "RETURN x.id AS id, x.target_kind AS target_kind, x.target_id AS target_id"
)

Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Stamps:
    version: str
    documents: dict[str, str]
    splits: dict[str, str]
    split_rows: list[dict[str, Any]]
    others: frozenset[tuple[str, str]]


def read_version(run: Run) -> str:
    return version_of(run(GRAPH_VERSION, {}))


def read_stamps(run: Run, version: str) -> Stamps:
    """The change stamps, read after ``version`` in the same transaction: a write landing
    in between makes the state newer than its version, never older (the next request then
    refreshes once more and finds nothing changed)."""
    docs = {str(r["id"]): str(r["ingested_at"]) for r in run(_DOCUMENT_STAMPS, {})}
    split_rows = run(_SPLIT_STAMPS, {})
    splits = {str(r["id"]): str(r["ingested_at"]) for r in split_rows}
    others = frozenset((str(r["id"]), str(r["stamp"])) for r in run(_DECISION_STAMPS, {}))
    return Stamps(version, docs, splits, split_rows, others)


def decided(
    run: Run, before: frozenset[tuple[str, str]], now: frozenset[tuple[str, str]]
) -> tuple[set[str], set[str], set[str]] | None:
    """The actors, relation keys and promoted candidates' entities whose review decisions
    were made or undone between two sets of decision stamps; None when some stamp cannot
    be placed (a decision gone, or not found)."""
    if before == now:
        return set(), set(), set()
    if {i for i, _ in before} - {i for i, _ in now}:  # decisions are never deleted
        return None
    ids = sorted({i for i, _ in now - before})
    rows = run(_DECISION_TARGETS, {"ids": ids})
    if len({r["id"] for r in rows}) != len(ids):
        return None
    actors = {str(r["target_id"]) for r in rows if r["target_kind"] == "actor"}
    relations = {str(r["target_id"]) for r in rows if r["target_kind"] == "relation"}
    candidates = {str(r["target_id"]) for r in rows if r["target_kind"] == "candidate"}
    return actors, relations, candidates
