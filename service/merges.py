"""Undoing an entity merge on the stored graph.

The resolver merged an alias onto an entity ("Riverside Council" onto "Riverside City
Council"); an analyst says they are different. Undo records the split (so no later run makes
the merge again), extracts every document that used the alias again from its stored passages
(each rewritten in one transaction, like any new version), and only then strips the alias
from the entity. An interrupted undo is resumed by running it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from govgraph.errors import Conflict, NotFound
from graph_schema import queries as q
from graph_schema.documents import stored_document
from graph_schema.ledger import begin_split, finish_split, get_merge, get_split
from graph_schema.model import Label
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from nlp.resolution import display_name, normalise

from .pipeline import ProgressCallback, extract_with_graph

__all__ = ["UndoResult", "undo_merge"]


@dataclass(frozen=True)
class UndoResult:
    merge_id: str
    entity_id: str
    alias: str
    documents: tuple[str, ...]  # re-extracted
    now_resolved_to: tuple[str, ...]  # the entity ids the alias's mentions resolve to now


def undo_merge(
    store: GraphStore, merge_id: str, *, on_progress: ProgressCallback | None = None
) -> UndoResult:
    merge = get_merge(store, merge_id)
    if merge is not None:
        begin_split(store, merge)
    split = get_split(store, merge_id)
    if split is None:
        raise NotFound(
            f"No merge with id {merge_id}.", hint="List them with `govgraph merges list`."
        )
    if not split.get("pending"):
        raise Conflict(f"Merge {merge_id} was already undone.")

    documents = [d for d in (stored_document(store, i) for i in split["doc_ids"]) if d]
    resolved: set[str] = set()
    if documents:
        run = extract_with_graph(store, documents, drop_merges=frozenset({merge_id}))
        for i, batch in enumerate(run.batches):
            if on_progress:
                on_progress(f"re-extracting {batch.document.title}", i, len(run.batches))
            write_document(store, batch, rewrite=True)
            resolved |= {
                m.entity_id for m in batch.mentions if normalise(m.text) == split["alias_key"]
            }

    label = Label(split["label"])
    rows = store.read(q.entities_by_ids(label), {"ids": [split["entity_id"]]})
    if rows:
        node = rows[0]["node"]
        names = [node.get("name") or node["id"], *(node.get("aliases") or [])]
        kept = sorted({n for n in names if normalise(n) != split["alias_key"]})
        name = node.get("name") if node.get("name") in kept else None
        name = name or display_name(kept or [node["id"]])
        finish_split(store, split, name=name, aliases=[n for n in kept if n != name])
    else:  # the entity is gone (only the alias's documents supported it): nothing to strip
        finish_split(store, split, name=split["alias"], aliases=[])
    return UndoResult(
        merge_id=merge_id,
        entity_id=split["entity_id"],
        alias=split["alias"],
        documents=tuple(d.id for d in documents),
        now_resolved_to=tuple(sorted(resolved)),
    )
