"""``govgraph actors list`` and ``govgraph relations list``: what was extracted, from the CLI.

The same reads as the API: actors through ``graph_schema.catalog.list_actors`` (``GET
/actors``), relations through ``graph_schema.reader.read_subgraph`` (the read behind ``GET
/gaps`` and the exports), documents through ``list_documents`` (``GET /documents``). Filters
from closed vocabularies are checked before the store is opened (exit 2 with the valid values).

Registered on the main app (imported at the end of service.cli).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Annotated, Any

import typer
from rich.table import Table

from govgraph.errors import GovgraphError
from graph_schema.store import GraphStore
from service.cli import (
    _fail,
    _settings,
    _store,
    app,
    check_theme_option,
    console,
    err_console,
    theme_help,
)

__all__ = ["actors_list", "relations_list"]

actors_app = typer.Typer(help="Actors the graph holds: filter, search, list.", no_args_is_help=True)
relations_app = typer.Typer(
    help="Relations between actors, policies and themes, with their evidence.",
    no_args_is_help=True,
)
app.add_typer(actors_app, name="actors")
app.add_typer(relations_app, name="relations")

# Every actor of a graph in one read when a filter has to be applied after it (--document):
# well above the largest graph measured (5k actors).
_ALL = 1_000_000


def _vocabulary_option(name: str) -> Callable[[str | None], str | None]:
    """Typer callback: a value outside the vocabulary ``name`` is a usage error (exit 2)
    listing the valid values."""

    def check_value(value: str | None) -> str | None:
        from service.vocabulary import UnknownValue, check

        if value is None:
            return None
        try:
            return check(name, value)
        except UnknownValue as exc:
            raise typer.BadParameter(exc.message) from exc

    return check_value


def _one_of(name: str, what: str) -> str:
    from service.vocabulary import vocabulary

    return f"{what} One of: {', '.join(vocabulary(name))}."


TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type", help=_one_of("type", "Actor type."), callback=_vocabulary_option("type")
    ),
]
LevelOption = Annotated[
    str | None,
    typer.Option(help=_one_of("level", "Actor level."), callback=_vocabulary_option("level")),
]
ThemeOption = Annotated[
    str | None, typer.Option(help=theme_help("Theme."), callback=check_theme_option)
]
SearchOption = Annotated[
    str | None, typer.Option("--q", help="Case-insensitive search in names and aliases.")
]
DocumentOption = Annotated[
    str | None,
    typer.Option(
        "--document", help="Only what this document supports: its id, file name or title."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")]


class _UnknownDocument(GovgraphError):
    pass


def _resolve_document(store: GraphStore, wanted: str) -> str:
    """The id of the one document ``wanted`` names (id, file name or title)."""
    from graph_schema.catalog import document_detail
    from graph_schema.reader import list_documents

    if document_detail(store, wanted) is not None:
        return wanted
    docs, _ = list_documents(store, limit=_ALL)
    key = wanted.strip().lower()
    found = [
        d
        for d in docs
        if key in {str(d.get("title", "")).lower(), PurePath(d.get("source_path", "")).name.lower()}
    ]
    if len(found) == 1:
        return str(found[0]["id"])
    if found:
        raise _UnknownDocument(
            f"{len(found)} documents are named {wanted!r}",
            hint="pass one of their ids: " + ", ".join(str(d["id"]) for d in found),
        )
    names = sorted({PurePath(d.get("source_path", "")).name for d in docs})
    raise _UnknownDocument(
        f"no document {wanted!r} in the graph",
        hint=("known files: " + ", ".join(names[:20]) + (" ..." if len(names) > 20 else ""))
        if names
        else "the graph holds no documents yet (govgraph ingest PATH)",
    )


def _print_json_lines(items: list[dict[str, Any]]) -> None:
    for item in items:
        print(json.dumps(item, ensure_ascii=False, sort_keys=True, default=str))


def _print_table(table: Table, shown: int, total: int, what: str) -> None:
    console.print(table)
    if not shown:
        err_console.print(f"no {what} match these filters")
    elif shown < total:
        console.print(f"{shown} of {total} {what} shown; raise --limit to see more")


# --- actors -----------------------------------------------------------------------------------


def _actors(
    store: GraphStore,
    *,
    type: str | None,
    level: str | None,
    theme: str | None,
    q_text: str | None,
    document: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    from graph_schema.catalog import list_actors

    # GET /actors has no document filter; the catalog's listing has, in its query.
    doc_id = _resolve_document(store, document) if document is not None else None
    return list_actors(
        store, type=type, level=level, theme=theme, q_text=q_text, document=doc_id, limit=limit
    )


def _read(
    query: Callable[[GraphStore], tuple[list[dict[str, Any]], int]],
) -> tuple[list[dict[str, Any]], int]:
    """Run one listing read on the store; an unknown --document exits 2, a store error 1."""
    try:
        with _store(_settings()) as store:
            return query(store)
    except _UnknownDocument as exc:
        raise _fail(exc, code=2) from exc
    except GovgraphError as exc:
        raise _fail(exc) from exc


@actors_app.command("list")
def actors_list(
    type: TypeOption = None,
    level: LevelOption = None,
    theme: ThemeOption = None,
    q: SearchOption = None,
    document: DocumentOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List actors (as GET /actors): name, type, level, aliases, supporting documents."""
    items, total = _read(
        lambda store: _actors(
            store, type=type, level=level, theme=theme, q_text=q, document=document, limit=limit
        )
    )
    if as_json:
        _print_json_lines(items)
        return
    table = Table(title=f"Actors ({len(items)} of {total})")
    for col in ("name", "type", "level", "aliases", "docs", "id"):
        table.add_column(col, overflow="fold", justify="right" if col == "docs" else "left")
    for a in items:
        aliases = [x for x in a.get("aliases") or () if x != a.get("name")]
        table.add_row(
            a.get("name", ""),
            a.get("type") or "",
            a.get("level") or "",
            "; ".join(aliases[:3]) + (" ..." if len(aliases) > 3 else ""),
            str(len(a.get("doc_ids") or ())),
            a["id"],
        )
    _print_table(table, len(items), total, "actors")


# --- relations --------------------------------------------------------------------------------


def _relations(
    store: GraphStore,
    *,
    kind: str | None,
    type: str | None,
    level: str | None,
    theme: str | None,
    q_text: str | None,
    document: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    from graph_schema.reader import SubgraphFilter, read_subgraph
    from service.vocabulary import theme_labels

    doc_id = _resolve_document(store, document) if document is not None else None
    sub = read_subgraph(
        store,
        SubgraphFilter(
            theme=theme,
            levels=frozenset({level}) if level else None,
            document_ids=frozenset({doc_id}) if doc_id else None,
        ),
    )
    nodes: dict[str, dict[str, Any]] = {
        **{a.id: {"name": a.name, "label": a.label, "type": a.type} for a in sub.actors},
        **{p.id: {"name": p.name, "label": p.label, "type": None} for p in sub.policies},
    }
    labels = theme_labels()

    def end(node_id: str) -> dict[str, Any]:
        known = nodes.get(node_id)
        if known is not None:
            return {"id": node_id, **known}
        theme_id = node_id.removeprefix("theme:")
        return {
            "id": node_id,
            "name": labels.get(theme_id, node_id),
            "label": "Theme",
            "type": None,
        }

    wanted = q_text.lower() if q_text else None
    kept: list[dict[str, Any]] = []
    for r in sub.relations:
        source, target = end(r.source), end(r.target)
        if kind is not None and r.kind.value != kind:
            continue
        if type is not None and type not in {source["type"], target["type"]}:
            continue
        if wanted is not None and not any(wanted in e["name"].lower() for e in (source, target)):
            continue
        kept.append(
            {
                "key": r.key,
                "kind": r.kind.value,
                "source": source,
                "target": target,
                "confidence": r.confidence,
                "doc_ids": list(r.doc_ids),
                "evidence": [e.model_dump(mode="json") for e in r.evidence],
            }
        )
    # Best-evidenced first, as an analyst reads them; the key keeps ties in a fixed order.
    kept.sort(key=lambda r: (-r["confidence"], -len(r["evidence"]), r["key"]))
    return kept[:limit], len(kept)


@relations_app.command("list")
def relations_list(
    kind: Annotated[
        str | None,
        typer.Option(
            help=_one_of("relation_kind", "Relation kind."),
            callback=_vocabulary_option("relation_kind"),
        ),
    ] = None,
    type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help=_one_of("type", "Only relations with an actor of this type at either end."),
            callback=_vocabulary_option("type"),
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            help=_one_of("level", "Only actors of this level (people are always kept)."),
            callback=_vocabulary_option("level"),
        ),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            help=theme_help("The theme's actors and policies and their direct ties."),
            callback=check_theme_option,
        ),
    ] = None,
    q: Annotated[
        str | None, typer.Option("--q", help="Case-insensitive search in either end's name.")
    ] = None,
    document: DocumentOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON lines with every evidence passage.")
    ] = False,
) -> None:
    """List relations, most confident first: kind, both ends, confidence, evidence."""
    items, total = _read(
        lambda store: _relations(
            store,
            kind=kind,
            type=type,
            level=level,
            theme=theme,
            q_text=q,
            document=document,
            limit=limit,
        )
    )
    if as_json:
        _print_json_lines(items)
        return
    table = Table(title=f"Relations ({len(items)} of {total})")
    for col in ("source", "kind", "target", "conf.", "evidence", "first quote"):
        table.add_column(col, overflow="fold", justify="right" if col == "conf." else "left")
    for r in items:
        first = r["evidence"][0] if r["evidence"] else None
        quote = ""
        if first is not None:
            text = first["quote"]
            quote = f'"{text if len(text) <= 90 else text[:87] + "..."}"'
        table.add_row(
            r["source"]["name"],
            r["kind"],
            r["target"]["name"],
            f"{r['confidence']:.2f}",
            str(len(r["evidence"])),
            quote,
        )
    _print_table(table, len(items), total, "relations")


# ``actors show`` and the review commands add to ``actors_app``: imported once it exists (under
# ``python -m service.cli`` this module is still importing when service.cli's imports run).
from service import cli_review as _cli_review  # noqa: E402,F401
