"""The listings' side of a review's merges (graph_schema/actor_merge_decisions): an actor
listed or shown with the actors merged into it, their names among its aliases, their
documents among its documents and, on its page, their relations as its own.

The subgraph readers fold merges themselves (``actor_merge_decisions.fold``); these helpers
do the same for the answers built from the store's listing queries (GET /actors,
/actors/{id}, the CLI and the workbench).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from . import queries as q
from .store import GraphStore

__all__ = ["merged_into_them", "targets_named", "with_merged", "with_merged_relations"]

Merged = dict[str, list[dict[str, Any]]]  # target id -> the actors merged into it


def merged_into_them(store: GraphStore, ids: Iterable[str] | None = None) -> Merged:
    """The actors merged into the given ones (None: into any), by target."""
    params = {"ids": sorted(set(ids)) if ids is not None else None}
    found: Merged = defaultdict(list)
    if params["ids"] == []:
        return found
    for r in store.read(q.MERGED_INTO_ACTORS, params):
        found[str(r["into"])].append(r)
    return found


def targets_named(store: GraphStore, text: str) -> list[str]:
    """The targets of the merged actors one of whose names contains ``text`` (lower case):
    a search by a merged name finds the actor it is."""
    return sorted(
        into
        for into, rows in merged_into_them(store).items()
        if any(text in n.lower() for r in rows for n in [r["name"] or "", *(r["aliases"] or [])])
    )


def with_merged(node: dict[str, Any], merged: list[dict[str, Any]]) -> dict[str, Any]:
    """An actor as listed, with the actors merged into it: ``merged`` (their ids and names;
    absent when there are none, so an unmerged actor reads as before), their names among its
    aliases, their documents among its documents."""
    if not merged:
        return node
    out = {**node, "merged": [{"id": m["id"], "name": m["name"]} for m in merged]}
    aliases = list(node.get("aliases") or [])
    for m in merged:
        aliases += [a for a in [m["name"], *(m["aliases"] or [])] if a and a not in aliases]
    out["aliases"] = aliases
    docs = set(node.get("doc_ids") or [])
    for m in merged:
        docs |= set(m["doc_ids"] or [])
    out["doc_ids"] = sorted(docs)
    return out


def with_merged_relations(
    answer: dict[str, Any],
    merged: list[dict[str, Any]],
    detail: Callable[[str], dict[str, Any] | None],
) -> dict[str, Any]:
    """An actor's page (``catalog.actor_detail``'s answer) with the relations of the actors
    merged into it, each end that was a merged actor read as this one; ties between two
    names of this one are left out, as the subgraph readers leave them."""
    out = with_merged(answer, merged)
    if not merged:
        return out
    me, names = answer["id"], {m["id"] for m in merged} | {answer["id"]}
    relations = list(answer.get("relations") or [])
    for m in merged:
        page = detail(m["id"])
        for r in (page or {}).get("relations") or []:
            if r["other_id"] in names:
                continue
            source = me if r["source"] in names else r["source"]
            target = me if r["target"] in names else r["target"]
            relations.append({**r, "source": source, "target": target})
    relations.sort(key=lambda r: (r["kind"] or "", r["other_name"] or "", r["key"]))
    out["relations"] = relations
    return out
