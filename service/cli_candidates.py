"""``govgraph candidates list|promote``: the actor candidates below their threshold, from
the terminal.

The same functions as the API: ``list_candidates`` (GET /candidates) and
``promote_candidate`` (POST /candidates/{id}/decisions). A promotion is undone with
``govgraph decisions undo ID``. The author is the user running the command. Registered on
the main app (imported at the end of service.cli).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from service.cli import app
from service.cli_review import JsonOption, _json, _on_store, cli_author, console, err_console

__all__ = ["candidates_list", "candidates_promote"]

candidates_app = typer.Typer(
    help="Actor candidates the decision scored below its threshold: list, promote.",
    no_args_is_help=True,
)
app.add_typer(candidates_app, name="candidates")


@candidates_app.command("list")
def candidates_list(
    document: Annotated[
        str | None, typer.Option("--document", help="Only in this document (its id).")
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Only scoring at least this.")
    ] = 0.0,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List candidates, highest score first (as GET /candidates)."""
    from graph_schema.candidates import list_candidates

    items, total = _on_store(
        lambda store: list_candidates(store, document=document, min_score=min_score, limit=limit)
    )
    if as_json:
        for item in items:
            _json(item)
        return
    table = Table(title=f"Candidates below threshold ({len(items)} of {total})")
    for col in ("id", "name", "score", "threshold", "type / level", "document", "ties", "review"):
        table.add_column(col, overflow="fold")
    for c in items:
        table.add_row(
            c["id"],
            escape(c["name"]),
            f"{c['score']:.2f}",
            f"{c['threshold']:.2f}",
            f"{c['type'] or '-'} / {c['level'] or '-'}",
            escape(str(c["document_title"] or c["document_id"])),
            str(c["ties"]),
            c["review"] or "",
        )
    console.print(table)
    if not items:
        err_console.print("no candidates below threshold")


@candidates_app.command("promote")
def candidates_promote(
    candidate_id: Annotated[str, typer.Argument(help="The candidate's id (see candidates list).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is an actor.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Promote a candidate (as POST /candidates/{id}/decisions): its entity becomes an actor
    with its mentions and the ties it lost, in every document, and after re-ingestion."""
    from graph_schema.candidate_decisions import promote_candidate

    decision = _on_store(
        lambda store: promote_candidate(store, candidate_id, author=cli_author(), reason=reason)
    )
    if as_json:
        _json(decision)
        return
    console.print(
        f"promoted {escape(decision['target_id'])} ({decision['id']}); "
        f"undo with: govgraph decisions undo {decision['id']}"
    )
