"""``govgraph actors merge ID --into ID2`` and ``govgraph actors split ID --name ALIAS``: an
actor's merge_into and split decisions from the terminal.

The same functions as POST /actors/{id}/decisions (``record_decision``, ``split_actor``);
undone, like every decision, with ``govgraph decisions undo``. A refused decision is the
CLI's message and a non-zero exit, as a 422 is the API's. Registered on the actors command
group (imported at the end of service.cli_review).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.markup import escape

from govgraph.errors import GovgraphError
from graph_schema.store import GraphStore
from service.cli_catalog import actors_app
from service.cli_review import JsonOption, _json, _on_store, cli_author, console

__all__ = ["actors_merge", "actors_split"]

ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept with the decision).")]


class Refused(GovgraphError):
    """A decision that does not fit its actor (the API's 422): the message and exit 1."""


def _decided(work: Callable[[GraphStore], dict[str, Any]]) -> dict[str, Any]:
    from graph_schema.decisions import InvalidDecision

    def refusing(store: GraphStore) -> dict[str, Any]:
        try:
            return work(store)
        except InvalidDecision as exc:
            raise Refused(str(exc)) from exc

    return _on_store(refusing)


@actors_app.command("merge")
def actors_merge(
    actor_id: Annotated[str, typer.Argument(help="The actor that is another one (its id).")],
    into: Annotated[str, typer.Option("--into", help="The id of the actor it is the same as.")],
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Merge an actor into another (as POST /actors/{id}/decisions merge_into): its relations,
    evidence and names are read as the other's everywhere, also after re-ingestion."""
    from graph_schema.decisions import Action, TargetKind, record_decision

    decision = _decided(
        lambda store: record_decision(
            store,
            TargetKind.actor,
            actor_id,
            Action.merge_into,
            author=cli_author(),
            value={"into": into},
            reason=reason,
        )
    )
    if as_json:
        _json(decision)
        return
    console.print(
        f"merged {escape(actor_id)} into {escape(into)} ({decision['id']}); "
        f"undo with: govgraph decisions undo {decision['id']}"
    )


@actors_app.command("split")
def actors_split(
    actor_id: Annotated[str, typer.Argument(help="The actor whose names are split off.")],
    names: Annotated[
        list[str],
        typer.Option("--name", help="An alias that is another actor (repeat for more)."),
    ],
    reason: ReasonOption = "",
    as_json: JsonOption = False,
) -> None:
    """Split aliases off an actor (as POST /actors/{id}/decisions split): they become their
    own actor with the mentions and evidence that used them; their documents are extracted
    again, and later ones keep them apart."""
    from service.actor_splits import split_actor

    decision = _decided(
        lambda store: split_actor(store, actor_id, names, author=cli_author(), reason=reason)
    )
    if as_json:
        _json(decision)
        return
    now = ", ".join(decision["previous"].get("actors") or []) or "-"
    console.print(
        f"split {escape(', '.join(names))} off {escape(actor_id)}: now {escape(now)} "
        f"({decision['id']}); undo with: govgraph decisions undo {decision['id']}"
    )
