"""``govgraph merges``: inspect the entity-merge ledger and undo a merge.

Registered on the main app (imported at the end of service.cli).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from govgraph.errors import GovgraphError
from service.cli import _fail, _settings, _store, app, console

__all__ = ["merges_list", "merges_undo"]

merges_app = typer.Typer(
    help="The entity-merge ledger: which names were merged, by which rule; undo a merge.",
    no_args_is_help=True,
)
app.add_typer(merges_app, name="merges")


@merges_app.command("list")
def merges_list(
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only merges onto this entity id.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List merged aliases: alias -> entity, the rule that merged them, the documents using it."""
    from graph_schema.ledger import list_merges

    settings = _settings()
    try:
        with _store(settings) as store:
            items, total = list_merges(store, entity_id=entity, limit=limit)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    if as_json:
        for item in items:
            print(json.dumps(item, ensure_ascii=False, sort_keys=True))
        return
    table = Table(title=f"Merges ({len(items)} of {total})")
    for col in ("id", "alias", "entity", "rule", "score", "documents"):
        table.add_column(col, overflow="fold")
    for m in items:
        table.add_row(
            m["id"],
            m["alias"],
            m["entity_id"],
            m["rule"],
            f"{m['score']:.0f}",
            str(len(m["doc_ids"])),
        )
    console.print(table)
    if not items:
        console.print("no merges recorded" + (f" for {entity}" if entity else ""))


@merges_app.command("undo")
def merges_undo(
    merge_id: Annotated[str, typer.Argument(help="The ledger entry id (see merges list).")],
) -> None:
    """Undo a merge: the alias becomes its own entity and is never merged back.

    The documents that used the alias are extracted again from their stored passages.
    """
    from service.merges import undo_merge

    settings = _settings()
    try:
        with _store(settings) as store, console.status(f"undoing {merge_id}..."):
            result = undo_merge(store, merge_id)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    console.print(
        f"undid {result.merge_id}: {result.alias!r} is no longer {result.entity_id}; "
        f"{len(result.documents)} document(s) re-extracted; "
        f"now resolves to {', '.join(result.now_resolved_to) or 'nothing'}"
    )
