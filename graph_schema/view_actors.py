"""/actors/{id} from the analytic view (graph_schema/view.py), equal to ``catalog.actor_detail``.

The store's ACTOR_DETAIL walks every relationship of the actor, then each one's Evidence,
CITES and IN_DOCUMENT, in the database: 55-320 ms at p95 under 8 clients on a 5k-actor graph.
The view already holds the relations (kinds, confidences, doc ids, review state and
corrections) and their evidence as light tuples, so the relations and their best evidence
are picked in memory, and one query fetches what the view does not keep: the actor's node
(every property, as the store answer gives it), the quotes of the evidence on the page, and
the names of the themes and places the actor is tied to (not view nodes) that no earlier
answer at the same graph version read.

The same statement returns the graph version's stamp (graph_schema/version.py): the answer
and the version it holds at come from one round trip, where a separate version check cost
a second one on every request. When the store's version is not the state's (another
process wrote), or the view cannot answer exactly, the caller gets ``STALE``: it catches
the view up and asks again, or asks the store.

The rows handed to ``catalog.actor_answer`` are ACTOR_DETAIL's, so both answers are shaped
by the same code.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from enum import Enum
from typing import Any

from .catalog import actor_answer
from .model import Label, evidence_id
from .store import GraphStore
from .version import graph_version, version_of
from .view import ViewState

__all__ = ["STALE", "Stale", "actor_detail_from_view"]

# One round trip, one row per part (the driver's cost is per record: ~90 records took 2 ms
# of Python per request, more than the rest of the answer); every part is a lookup by a
# unique id, and an UNWIND of an empty list collects an empty list. Themes and locations are
# asked under both labels: the view only knows they are not its nodes. A part with nothing
# to look up is left out (each part costs the store a subquery, ~0.1-0.2 ms of its CPU).
_NODE_PART = "MATCH (a:Actor {id: $id}) RETURN 'node' AS part, collect(a {.*}) AS rows"
_QUOTE_PART = (
    "UNWIND $evidence AS i MATCH (e:Evidence {id: i}) "
    "RETURN 'quote' AS part, collect([e.id, e.quote]) AS rows"
)
_END_PARTS = (
    "UNWIND $ends AS i MATCH (t:Theme {id: i}) "
    "RETURN 'Theme' AS part, collect([t.id, t.name]) AS rows "
    "UNION ALL UNWIND $ends AS i MATCH (l:Location {id: i}) "
    "RETURN 'Location' AS part, collect([l.id, l.name]) AS rows"
)
# = version.GRAPH_VERSION, collected into one row (no row when the stamp is absent)
_VERSION_PART = "MATCH (v:GraphVersion) RETURN 'version' AS part, collect([v.epoch, v.n]) AS rows"


def _actor_page_query(*, quotes: bool, ends: bool) -> str:
    parts = [_NODE_PART, _QUOTE_PART if quotes else "", _END_PARTS if ends else "", _VERSION_PART]
    return " UNION ALL ".join(p for p in parts if p)


_END_NAMES = (
    "UNWIND $ends AS i MATCH (t:Theme {id: i}) RETURN 'Theme' AS part, t.id AS id, t.name AS text "
    "UNION ALL UNWIND $ends AS i MATCH (l:Location {id: i}) "
    "RETURN 'Location' AS part, l.id AS id, l.name AS text"
)


class Stale(Enum):
    """The view's answer would not be the store's (see the module note): ask the store."""

    STALE = "stale"


STALE = Stale.STALE

# The names of the themes and places answers were tied to, at one graph version: (version,
# {id: (label, name)}). Theme and Location nodes are written only with documents, which move
# the version, so a name read at the version the state holds is that version's name; the
# answer's own query still checks the version. Nearly every actor has a theme (WORKS_ON), and
# the two lookups were a fifth of the store's work per answer.
_names_lock = threading.Lock()
_end_names: tuple[str, dict[str, tuple[str, str | None]]] = ("", {})


def _known_end_names(version: str) -> dict[str, tuple[str, str | None]]:
    with _names_lock:
        at, names = _end_names
        return names if at == version else {}


def _keep_end_names(version: str, found: dict[str, tuple[str, str | None]]) -> None:
    global _end_names
    if version == "none":  # no stamp: one store's "none" is not another's (version_of)
        return
    with _names_lock:
        at, names = _end_names
        kept = dict(names) if at == version else {}
        kept.update(found)
        _end_names = (version, kept)


# Each state's relation keys by end, built on the first actor asked of it (one pass over
# the relations, ~30 ms at 50k relations) and kept while that state is the current one.
_ends_lock = threading.Lock()
_ends_of: tuple[weakref.ref[ViewState], dict[str, tuple[str, ...]]] | None = None


def _keys_by_end(state: ViewState) -> dict[str, tuple[str, ...]]:
    global _ends_of
    with _ends_lock:
        if _ends_of is not None and _ends_of[0]() is state:
            return _ends_of[1]
        ends: dict[str, list[str]] = defaultdict(list)
        for key, r in state.relations.items():
            ends[r["source"]].append(key)
            if r["target"] != r["source"]:
                ends[r["target"]].append(key)
        built = {end: tuple(keys) for end, keys in ends.items()}
        # A weak reference: a replaced state is still freed by reference counting alone.
        _ends_of = (weakref.ref(state), built)
        return built


def _end_name(state: ViewState, end: str) -> tuple[str, str | None] | None:
    """(label, name) of a relation's other end when it is a view node; None otherwise."""
    label = state.labels.get(end)
    if label is None:
        return None
    return label.value, state.nodes[label][end].get("name")


def actor_detail_from_view(
    store: GraphStore,
    state: ViewState,
    actor_id: str,
    *,
    max_relations: int = 500,
    max_evidence: int = 5,
) -> dict[str, Any] | Stale | None:
    """= ``catalog.actor_detail(store, actor_id, ...)`` on the graph ``state`` is a view of;
    ``STALE`` when the store changed under it (then ask the store)."""
    if state.labels.get(actor_id) is not Label.Actor:
        # ACTOR_DETAIL matches an Actor node only; unless one was written since.
        return None if graph_version(store) == state.version else STALE
    picked = []
    unknown: set[str] = set()
    for key in _keys_by_end(state).get(actor_id, ()):
        r = state.relations[key]
        other = r["target"] if r["source"] == actor_id else r["source"]
        end = _end_name(state, other)
        if end is None:
            unknown.add(other)
        picked.append((r, other, end))
    known = _known_end_names(state.version)
    names = {i: known[i] for i in unknown if i in known}
    unknown -= names.keys()
    if len(picked) > max_relations:
        # The cap follows ACTOR_DETAIL's order (stored kind, then the other end's name),
        # which needs the names of the ends the view does not hold first.
        asked = _names(store.query(_END_NAMES, {"ends": sorted(unknown)})) if unknown else {}
        if len(asked) != len(unknown):
            return STALE
        names.update(asked)
        picked.sort(key=lambda p: _cap_order(p[0], p[2] or names[p[1]]))
        picked = picked[:max_relations]
        unknown = set()

    documents, passages = state.documents, state.passages
    rows: list[dict[str, Any]] = []
    wanted: list[str] = []
    for r, other, end in picked:
        # The evidence ACTOR_DETAIL's path (Evidence, CITES, Passage, IN_DOCUMENT) reaches.
        found = [
            e
            for e in state.evidence.get(r["key"], ())
            if e.document_id in documents and e.passage_id in passages
        ]
        # = ORDER BY e.confidence DESC, p.id (the span breaks the ties the store leaves open).
        found.sort(key=lambda e: (-e.confidence, e.passage_id, e.char_start, e.char_end))
        best = found[:max_evidence]
        ids = [evidence_id(r["key"], e.passage_id, e.char_start, e.char_end) for e in best]
        wanted += ids
        rows.append(
            {
                "key": r["key"],
                "kind": r["kind"],
                "source": r["source"],
                "target": r["target"],
                "other_id": other,
                "other_end": end,
                "confidence": r["confidence"],
                "review": r.get("review"),
                "decided_kind": r.get("decided_kind"),
                "reversed": r.get("reversed"),
                "doc_ids": list(r["doc_ids"]),
                "evidence": list(zip(ids, best, strict=True)),
                "evidence_count": len(found),
            }
        )

    query = _actor_page_query(quotes=bool(wanted), ends=bool(unknown))
    result = store.query(query, {"id": actor_id, "evidence": wanted, "ends": sorted(unknown)})
    parts: dict[str, list[Any]] = defaultdict(list)
    for r in result:
        parts[r["part"]] += r["rows"]
    version = version_of({"epoch": epoch, "n": n} for epoch, n in parts["version"])
    if version != state.version:
        return STALE
    nodes = parts["node"]
    quotes = dict(parts["quote"])
    names.update((i, (label, name)) for label in ("Theme", "Location") for i, name in parts[label])
    if not nodes or len(quotes) != len(set(wanted)) or not unknown <= set(names):
        return STALE
    # Read at the state's version (checked above): kept for the next answers at it.
    _keep_end_names(state.version, names)
    for row in rows:
        label, name = row.pop("other_end") or names[row["other_id"]]
        row["other_label"], row["other_name"] = label, name
        row["evidence"] = [_evidence_map(state, e, quotes[i]) for i, e in row["evidence"]]
    return actor_answer(actor_id, nodes[0], rows)


def _names(rows: Any) -> dict[str, tuple[str, str | None]]:
    return {str(r["id"]): (str(r["part"]), r["text"]) for r in rows}


def _cap_order(r: dict[str, Any], end: tuple[str, str | None]) -> tuple[Any, ...]:
    # Cypher orders nulls last; the key makes the cut deterministic where names tie.
    name = end[1]
    return (r["kind"], name is None, name or "", r["key"])


def _evidence_map(state: ViewState, e: Any, quote: str | None) -> dict[str, Any]:
    """One evidence map as ACTOR_DETAIL collects it (catalog._evidence_item reads it)."""
    doc = state.documents[e.document_id]
    passage = state.passages[e.passage_id]
    return {
        "document_id": e.document_id,
        "document_title": doc.title,
        "document_kind": doc.kind,
        "passage_id": e.passage_id,
        "page": passage.page,
        "turn": passage.turn,
        "speaker": passage.speaker,
        "quote": quote,
        "char_start": e.char_start,
        "char_end": e.char_end,
        "confidence": e.confidence,
        "cue": e.cue,
    }
