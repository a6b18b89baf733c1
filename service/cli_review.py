"""``govgraph actors show``, ``govgraph review`` and ``govgraph decisions list|undo|export``:
the analyst's review from the terminal.

The same functions as the API: ``actor_detail`` (GET /actors/{id}), ``queue_page`` (GET
/review/queue), ``record_decision`` / ``list_decisions`` / ``undo_decision`` (POST and GET
/decisions, DELETE /decisions/{id}). The author of a decision made here is the user running
the command. Registered on the main app (imported at the end of service.cli).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from govgraph.errors import GovgraphError, NotFound
from graph_schema.decisions import Action, TargetKind
from graph_schema.store import GraphStore
from service.cli import _fail, _settings, _store, app
from service.cli_catalog import actors_app
from service.review_queue import QueueItem, QueueKind

__all__ = ["actors_show", "decisions_export", "decisions_list", "decisions_undo", "review"]

decisions_app = typer.Typer(
    help="Review decisions: the audit list, undo, and export as evaluation gold.",
    no_args_is_help=True,
)
app.add_typer(decisions_app, name="decisions")

# Ids such as 'partnership:a:trust->a:x' hold rich emoji codes (':a:'): never replaced here.
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of tables.")]


def cli_author() -> str:
    """Who runs the command: the author of the decisions it records."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli"


_T = TypeVar("_T")


def _on_store(work: Callable[[GraphStore], _T]) -> _T:
    """``work`` on the configured store, which is closed after it; a GovgraphError (not
    found, refused, store unreachable) becomes the message and exit code of every command."""
    try:
        with _store(_settings()) as store:
            return work(store)
    except GovgraphError as exc:
        raise _fail(exc) from exc


def _json(item: Any) -> None:
    print(json.dumps(item, ensure_ascii=False, sort_keys=True, default=str))


def _where(e: dict[str, Any]) -> str:
    """A passage's place in its document: page, or turn and speaker."""
    title = e.get("document_title") or e.get("document_id")
    if e.get("turn") is not None:
        speaker = f", {e['speaker']}" if e.get("speaker") else ""
        return f"{title}, turn {e['turn']}{speaker}"
    return f"{title}, page {e['page']}" if e.get("page") is not None else str(title)


# --- actors show ------------------------------------------------------------------------------


@actors_app.command("show")
def actors_show(
    actor_id: Annotated[str, typer.Argument(help="The actor's id (see actors list).")],
    as_json: JsonOption = False,
) -> None:
    """One actor (as GET /actors/{id}): type and level with their cues, review state, and
    every relation with its best evidence."""
    from graph_schema.catalog import actor_detail

    actor = _on_store(lambda store: actor_detail(store, actor_id))
    if actor is None:
        raise _fail(NotFound(f"No actor with id {actor_id}.", hint="see: govgraph actors list"))
    if as_json:
        _json(actor)
        return
    console.print(f"[bold]{escape(actor['name'])}[/] ({escape(actor['id'])})")
    for field in ("type", "level"):
        cue = actor.get(f"{field}_cue")
        confidence = actor.get(f"{field}_confidence")
        told = f" - {cue}" if cue else ""
        sure = f" ({confidence:.2f})" if isinstance(confidence, int | float) else ""
        console.print(f"{field}: {actor.get(field) or '-'}{sure}{escape(told)}")
    console.print(f"review: {actor.get('review') or 'unreviewed'}")
    if actor.get("merged_into"):  # a review's merge_into: read as that actor everywhere
        console.print(f"merged into: {escape(actor['merged_into'])}")
    if actor.get("merged"):
        merged = ", ".join(f"{m['name']} ({m['id']})" for m in actor["merged"])
        console.print(f"merged into this one: {escape(merged)}")
    console.print(f"aliases: {escape(', '.join(actor.get('aliases') or []) or '-')}")
    table = Table(title=f"Relations ({len(actor['relations'])})")
    for col in ("kind", "other", "confidence", "review", "evidence", "best quote"):
        table.add_column(col, overflow="fold")
    for r in actor["relations"]:
        arrow = "->" if r["direction"] == "out" else "<-"
        best = r["evidence"][0] if r["evidence"] else None
        table.add_row(
            r["kind"],
            escape(f"{arrow} {r['other_name']} ({r['other_id']})"),
            f"{r['confidence']:.2f}",
            r.get("review") or "-",
            str(r["evidence_count"]),
            escape(f"{best['quote']} [{_where(best)}]") if best else "-",
        )
    console.print(table)


# --- review -----------------------------------------------------------------------------------

_KEYS = {"a": Action.accept, "r": Action.reject}
_CHOICES = ("a", "r", "s", "q")


def _ask(*, err: bool) -> str:
    """One key: a, r, s or q (asked again otherwise); the end of the input quits."""
    while True:
        try:
            key = str(typer.prompt("[a]ccept / [r]eject / [s]kip / [q]uit", err=err))
        except typer.Abort:
            return "q"
        key = key.strip().lower()[:1]
        if key in _CHOICES:
            return key
        err_console.print("press a, r, s or q")


def _show_item(n: int, total: int, item: QueueItem) -> None:
    console.rule(f"{n}/{total}  {item.target_kind.value}  score {item.score:.2f}")
    console.print(f"[bold]{escape(item.summary)}[/]  ({escape(item.target_id)})")
    if item.target_kind is QueueKind.actor:
        console.print(f"type {item.type or '-'}, level {item.level or '-'}")
    for reason in item.reasons:
        console.print(f"  [yellow]{reason.signal}[/] +{reason.weight:.2f}: {escape(reason.detail)}")
    for e in item.evidence:
        console.print(f"  [cyan]{escape(_where(e.model_dump()))}[/]")
        console.print(f"    \u201c{escape(e.quote)}\u201d")
    if not item.evidence:
        console.print("  (no passage found)")


@app.command("review")
def review(
    kind: Annotated[QueueKind | None, typer.Option(help="Only actors or only relations.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Walk at most this many items.")] = 20,
    reason: Annotated[str, typer.Option(help="The reason recorded with each decision.")] = "",
    as_json: Annotated[
        bool,
        typer.Option("--json", help="One JSON line per item walked (item, key, decision)."),
    ] = False,
) -> None:
    """Walk the review queue (as GET /review/queue): for each item the reasons and the
    quotes with their document and page or turn; a accept, r reject, s skip, q quit."""
    from graph_schema.decisions import record_decision
    from graph_schema.view import AnalyticView
    from service.deps import AnswerCache
    from service.review_queue import queue_page
    from service.routes.gaps import gap_findings, gap_question

    author = cli_author()
    counts = {"a": 0, "r": 0, "s": 0}
    try:
        with _store(_settings()) as store:
            with console.status("ranking the review queue..."):
                state = AnalyticView(store).load()
                flt, filters = gap_question()  # GET /gaps' default question, as the route
                findings = gap_findings(state, AnswerCache(), AnswerCache(), flt, filters)
                items, total = queue_page(store, state, findings, kind=kind, limit=limit)
            if not items:
                err_console.print("nothing to review: the queue is empty")
            for n, item in enumerate(items, 1):
                if not as_json:
                    _show_item(n, total, item)
                key = _ask(err=as_json)  # with --json, stdout stays JSON lines
                if key == "q":
                    break
                decision = None
                if key in _KEYS:
                    decision = record_decision(
                        store,
                        TargetKind(item.target_kind.value),
                        item.target_id,
                        _KEYS[key],
                        author=author,
                        reason=reason,
                        evidence_ids=[e.passage_id for e in item.evidence],
                    )
                counts[key] += 1
                if as_json:
                    _json({"item": item.model_dump(mode="json"), "key": key, "decision": decision})
                elif decision is not None:
                    console.print(f"  {decision['action']}ed: {decision['id']}")
    except GovgraphError as exc:
        raise _fail(exc) from exc
    err_console.print(
        f"accepted {counts['a']}, rejected {counts['r']}, skipped {counts['s']} "
        f"({total} in the queue before this walk)"
    )


# --- decisions --------------------------------------------------------------------------------


@decisions_app.command("list")
def decisions_list(
    target: Annotated[
        str | None,
        typer.Option(
            "--target", help="Only decisions on this actor id, relation key or finding id."
        ),
    ] = None,
    kind: Annotated[TargetKind | None, typer.Option(help="Only on this kind of target.")] = None,
    author: Annotated[str | None, typer.Option(help="Only by this author.")] = None,
    include_undone: Annotated[
        bool, typer.Option("--include-undone", help="Also list undone decisions.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List review decisions, newest first (as GET /decisions)."""
    from graph_schema.decisions import list_decisions

    items, total = _on_store(
        lambda store: list_decisions(
            store,
            target_kind=kind,
            target_id=target,
            author=author,
            include_undone=include_undone,
            limit=limit,
        )
    )
    if as_json:
        for item in items:
            _json(item)
        return
    table = Table(title=f"Decisions ({len(items)} of {total})")
    for col in ("id", "target", "action", "value", "author", "made (UTC)", "undone"):
        table.add_column(col, overflow="fold")
    for d in items:
        value = json.dumps(d["value"], ensure_ascii=False) if d["value"] else ""
        table.add_row(
            d["id"],
            escape(f"{d['target_kind']} {d['target_id']}"),
            d["action"],
            escape(value),
            escape(d["author"]),
            d["created_at"],
            d.get("undone_at") or "",
        )
    console.print(table)
    if not items:
        err_console.print("no decisions recorded" + (f" on {target}" if target else ""))


@decisions_app.command("undo")
def decisions_undo(
    decision_id: Annotated[str, typer.Argument(help="The decision's id (see decisions list).")],
    as_json: JsonOption = False,
) -> None:
    """Undo a decision (as DELETE /decisions/{id}): its target gets back the state the other
    decisions leave; the decision stays in the audit list, marked undone. Undoing a split
    re-joins the names (their documents are extracted again)."""
    from service.actor_splits import undo_any_decision

    decision = _on_store(lambda store: undo_any_decision(store, decision_id))
    if as_json:
        _json(decision)
        return
    console.print(
        f"undid {decision['id']}: {decision['action']} on {decision['target_kind']} "
        f"{escape(decision['target_id'])}"
    )


@decisions_app.command("export")
def decisions_export(
    out: Annotated[Path, typer.Argument(help="The file to write (JSON).", dir_okay=False)],
    format: Annotated[
        str, typer.Option("--format", help="gold: the scenario gold format bench/ scores on.")
    ] = "gold",
    as_json: JsonOption = False,
) -> None:
    """Write the reviewed facts as evaluation data (bench/eval_extraction.py --gold OUT)."""
    from service.gold_export import export_gold

    if format != "gold":
        raise typer.BadParameter(f"unknown format {format!r}; known: gold", param_hint="--format")
    summary = _on_store(lambda store: export_gold(store, out))
    if as_json:
        _json(summary)
        return
    console.print(
        f"wrote {out}: {summary['actors']} actors, {summary['relations']} relations "
        f"from {summary['documents']} documents"
    )


# ``actors merge`` and ``actors split`` build on this module's helpers: imported once they
# exist (the same order under ``govgraph`` and ``python -m service.cli``).
from service import cli_actor_merges as _cli_actor_merges  # noqa: E402,F401
