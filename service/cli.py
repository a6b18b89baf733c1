"""The ``govgraph`` command line.

Every command builds its settings and store when it runs (never at import). Errors from the
govgraph tree become a red message, the hint, and a non-zero exit code: no tracebacks for
problems an analyst can fix.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govgraph import __version__
from govgraph.errors import GovgraphError
from govgraph.settings import Settings
from graph_schema.migrations import apply_migrations, migration_status
from graph_schema.store import GraphStore, open_store

__all__ = ["app"]

app = typer.Typer(
    name="govgraph",
    help="Knowledge graph of urban safety governance: who coordinates with whom, and where "
    "coordination is missing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Graph store schema: status and migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console()
err_console = Console(stderr=True)

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


def _fail(exc: GovgraphError, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    if exc.hint:
        err_console.print(f"[yellow]hint:[/] {exc.hint}", highlight=False)
    return typer.Exit(code)


@contextlib.contextmanager
def _store(settings: Settings, *, migrate: bool = True) -> Iterator[GraphStore]:
    where = settings.neo4j_uri or f"embedded store in {settings.data_dir}"
    with console.status(f"Connecting to the graph ({where})..."):
        store = open_store(settings)
    try:
        if migrate:
            apply_migrations(store)
        yield store
    finally:
        store.close()


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError: show it as configuration trouble
        err_console.print(f"[bold red]error:[/] invalid configuration: {exc}")
        raise typer.Exit(2) from exc


def _print_version(value: bool) -> None:
    # Eager: it must run before click asks for the missing command.
    if value:
        console.print(f"govgraph {__version__}")
        raise typer.Exit(0)


def check_theme_option(value: str | None) -> str | None:
    """Typer callback: a --theme outside the taxonomy is a usage error (exit 2) that lists
    the valid themes, never an empty answer."""
    from service.vocabulary import UnknownValue, check_theme

    if value is None:
        return None
    try:
        return check_theme(value)
    except UnknownValue as exc:
        raise typer.BadParameter(exc.message) from exc


def theme_help(what: str) -> str:
    from service.vocabulary import theme_ids

    return f"{what} One of: {', '.join(theme_ids())}."


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    pass


# --- db -------------------------------------------------------------------------------------


@db_app.command("status")
def db_status() -> None:
    """List schema migrations and whether each is applied."""
    settings = _settings()
    try:
        with _store(settings, migrate=False) as store:
            states = migration_status(store)
            uri = store.uri
    except GovgraphError as exc:
        raise _fail(exc) from exc
    table = Table(title=f"Schema migrations ({uri})")
    table.add_column("version", justify="right")
    table.add_column("name")
    table.add_column("applied (UTC)")
    for s in states:
        applied = s.applied_at or "[yellow]pending[/]"
        if s.drifted:
            applied += " [red](changed since applied)[/]"
        table.add_row(str(s.version), s.name, applied)
    console.print(table)
    pending = sum(1 for s in states if not s.applied_at)
    console.print(
        f"{len(states) - pending} applied, {pending} pending"
        + (" (run: govgraph db migrate)" if pending else "")
    )


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending schema migrations (also done automatically at start-up)."""
    settings = _settings()
    try:
        with _store(settings, migrate=False) as store:
            applied = apply_migrations(store)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    if not applied:
        console.print("Schema is up to date; nothing to apply.")
    for s in applied:
        console.print(f"applied migration {s.version}: {s.name}")


# --- ingest ---------------------------------------------------------------------------------


class _LoggedWarnings(logging.Handler):
    """Warnings logged while a batch runs (a model's version note, say): shown once in the
    summary instead of once per file in the middle of the progress bar."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: dict[str, None] = {}  # ordered set

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.setdefault(record.getMessage())


@contextlib.contextmanager
def _collect_logged_warnings() -> Iterator[_LoggedWarnings]:
    handler = _LoggedWarnings()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _print_ingest_warnings(report: object, run_notes: Iterable[str]) -> None:
    """Each document's warnings once per file, then the batch's own notes once per run."""
    lines = [
        f"{Path(o.path).name}: {w}"
        for o in report.outcomes  # type: ignore[attr-defined]
        for w in dict.fromkeys(o.warnings)
    ]
    lines += list(dict.fromkeys(run_notes))
    for line in lines:
        console.print(f"[yellow]warning[/] {line}", highlight=False, soft_wrap=True)


def _print_ingest_report(report: object, run_notes: Iterable[str] = ()) -> None:
    from service.pipeline import IngestReport

    assert isinstance(report, IngestReport)
    table = Table(title="Ingestion summary")
    for col in ("file", "status", "kind", "pages", "passages", "actors", "relations"):
        table.add_column(
            col, justify="right" if col in {"pages", "passages", "actors", "relations"} else "left"
        )
    colours = {"written": "green", "replaced": "green", "unchanged": "dim", "failed": "red"}
    for o in report.outcomes:
        table.add_row(
            Path(o.path).name,
            f"[{colours.get(o.status, 'white')}]{o.status}[/]",
            o.kind or "",
            str(o.pages or ""),
            str(o.passages or ""),
            str(o.actors or ""),
            str(o.relations or ""),
        )
    console.print(table)
    # Why each kind was chosen: a wrong kind changes the analysis (policy documents count for
    # absent_from_policy, interviews are pseudonymised), so the reason is shown, not hidden.
    for o in report.outcomes:
        if o.kind and o.kind_cue:
            console.print(
                f"[dim]kind of {Path(o.path).name}: {o.kind} ({o.kind_cue})[/]",
                highlight=False,
                soft_wrap=True,
            )
    for o in report.failed:
        err_console.print(f"[red]failed[/] {o.path}: {o.error}", highlight=False)
    _print_ingest_warnings(report, run_notes)
    console.print(
        f"{report.count('written') + report.count('replaced')} ingested, "
        f"{report.count('unchanged')} unchanged, {len(report.failed)} failed"
    )


def _run_ingest(
    store: GraphStore, settings: Settings, paths: list[Path], kind: str | None
) -> tuple[object, list[str]]:
    """The batch's report and the warnings logged while it ran."""
    from ingest.model import DocumentKind
    from service.pipeline import ingest_paths

    doc_kind = DocumentKind(kind) if kind else None
    with (
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
        _collect_logged_warnings() as logged,
    ):
        task = progress.add_task("ingesting", total=None)

        def on_progress(message: str, done: int, total: int) -> None:
            progress.update(task, description=message, completed=done, total=total)

        report = ingest_paths(
            store, paths, settings=settings, kind=doc_kind, on_progress=on_progress
        )
    return report, list(logged.messages)


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Override the detected document kind: policy, plan, report, law, kii, fgd, "
            "hearing, meeting, other.",
        ),
    ] = None,
) -> None:
    """Ingest documents and transcripts into the graph (one transaction per document)."""
    from ingest.model import DocumentKind

    if kind is not None and kind not in DocumentKind.__members__:
        err_console.print(
            f"[bold red]error:[/] unknown kind {kind!r}; choose one of: "
            + ", ".join(DocumentKind.__members__)
        )
        raise typer.Exit(2)
    missing = [p for p in paths if not p.exists()]
    if missing:
        err_console.print(
            f"[bold red]error:[/] no such file or folder: {', '.join(map(str, missing))}"
        )
        raise typer.Exit(2)
    settings = _settings()
    try:
        with _store(settings) as store:
            report, run_notes = _run_ingest(store, settings, paths, kind)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    _print_ingest_report(report, run_notes)
    from service.pipeline import IngestReport

    assert isinstance(report, IngestReport)
    if report.failed:
        raise typer.Exit(1)


# --- status and the demo ----------------------------------------------------------------------


def _print_status(store: GraphStore) -> None:
    counts = {}
    for label in (
        "Document",
        "Passage",
        "Actor",
        "Person",
        "Policy",
        "Programme",
        "Theme",
        "Evidence",
    ):
        counts[label] = store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
    relations = store.read("MATCH ()-[r]->() WHERE r.key IS NOT NULL RETURN count(r) AS n")[0]["n"]
    table = Table(title=f"govgraph status ({store.uri})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, n in counts.items():
        table.add_row(label, str(n))
    table.add_row("fact relationships", str(relations))
    console.print(table)
    states = migration_status(store)
    console.print(
        f"schema: {sum(1 for s in states if s.applied_at)}/{len(states)} migrations applied; "
        f"store: {'embedded ArcadeDB' if store.embedded else 'Neo4j'}"
    )


def _print_gaps(
    store: GraphStore,
    *,
    theme: str | None,
    limit: int,
    min_score: float,
    location: str | None = None,
) -> int:
    from analysis import GapFilters, find_gaps
    from graph_schema.reader import SubgraphFilter, read_subgraph

    sub = read_subgraph(store, SubgraphFilter(theme=theme))
    findings = find_gaps(
        sub,
        filters=GapFilters(themes=frozenset({theme}) if theme else None, min_score=min_score),
    )
    if location is not None:
        from graph_schema.locations import actors_located_in

        here = actors_located_in(store, location)
        findings = [f for f in findings if here.intersection(f.actor_ids)]
    if not findings:
        scope = f"on theme {theme!r}" if theme else "in the graph"
        scope += f" in {location}" if location else ""
        console.print(f"No coordination gaps found {scope} (minimum score {min_score}).")
        return 0
    shown = findings[:limit]
    console.rule(
        f"Coordination gaps{f' on {theme}' if theme else ''}: top {len(shown)} of {len(findings)}"
    )
    for n, f in enumerate(shown, 1):
        theme_txt = f" · {f.theme}" if f.theme else ""
        console.print(f"[bold]{n}. {f.kind.value}[/]{theme_txt}  [dim]score {f.score:.2f}[/]")
        console.print(f"   {f.explanation}", highlight=False)
        for ev in f.evidence[:2]:
            loc = f"p. {ev.page}" if ev.page else (f"turn {ev.turn}" if ev.turn is not None else "")
            quote = ev.quote if len(ev.quote) <= 160 else ev.quote[:157] + "..."
            console.print(f'   [dim]{ev.document_title} {loc}:[/] "{quote}"', highlight=False)
    return len(findings)


@app.command("gaps")
def gaps_command(
    theme: Annotated[
        str | None,
        typer.Option(help=theme_help("Only this theme."), callback=check_theme_option),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many findings to show.")] = 15,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="Hide weaker findings.")] = 0.3,
    location: Annotated[
        str | None, typer.Option(help="Only findings about actors located in this place.")
    ] = None,
) -> None:
    """Print the coordination-gap findings, best-evidenced first."""
    settings = _settings()
    try:
        with _store(settings) as store:
            _print_gaps(store, theme=theme, limit=limit, min_score=min_score, location=location)
    except GovgraphError as exc:
        raise _fail(exc) from exc


@app.command("status")
def status_command() -> None:
    """Show what the graph holds."""
    settings = _settings()
    try:
        with _store(settings) as store:
            _print_status(store)
    except GovgraphError as exc:
        raise _fail(exc) from exc


@app.command("demo")
def demo_command(
    examples: Annotated[
        list[Path] | None,
        typer.Option(help="Folders or files to ingest (default: the bundled examples)."),
    ] = None,
    report_out: Annotated[
        Path,
        typer.Option("--report", help="Where to write the coordination-gap report (HTML)."),
    ] = Path("out/demo-report.html"),
) -> None:
    """The main job on the bundled examples: ingest, show the gaps, write the report."""
    from service.cli_reports import report_command

    # Only the source material: examples/ also holds gold labels and a README.
    sources = examples or [EXAMPLES_DIR / "docs", EXAMPLES_DIR / "transcripts"]
    settings = _settings()
    console.rule("govgraph demo")
    try:
        with _store(settings) as store:
            console.print(f"graph store ready: {store.uri}")
            ingested, run_notes = _run_ingest(store, settings, sources, None)
            _print_ingest_report(ingested, run_notes)
            _print_status(store)
            _print_gaps(store, theme=None, limit=10, min_score=0.3)
            report_out.parent.mkdir(parents=True, exist_ok=True)
            # The report command opens its own connection; it reuses this embedded server.
            report_command(out=report_out, fmt="html", theme=None, level=None, min_score=0.3)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    console.print(f"report: {report_out.resolve().as_uri()}")
    # Where the analyst goes next: the review workbench is the way to check what was found.
    console.print(
        "next: govgraph gaps --theme THEME | govgraph serve "
        "(review workbench at /web/, API docs at /docs)"
    )


# --- the API and its keys ---------------------------------------------------------------------

keys_app = typer.Typer(help="API keys (read / write scopes), stored hashed.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scope: Annotated[
        list[str] | None, typer.Option(help="read and/or write (write includes read).")
    ] = None,
) -> None:
    """Create an API key. It is shown once; only its hash is stored."""
    from service.auth import Scope, create_api_key

    scope = scope or ["read"]
    bad = [s for s in scope if s not in Scope.__members__]
    if bad:
        err_console.print(f"[bold red]error:[/] unknown scope {bad}; use read or write")
        raise typer.Exit(2)
    settings = _settings()
    try:
        with _store(settings) as store:
            secret, key = create_api_key(store, name, {Scope(s) for s in scope})
    except GovgraphError as exc:
        raise _fail(exc) from exc
    console.print(f"created key {key.prefix} ({', '.join(sorted(key.scopes))}) for {name!r}")
    console.print("store it now, it will not be shown again:")
    print(secret)


@keys_app.command("list")
def keys_list() -> None:
    """List API keys (prefix, name, scopes, revoked)."""
    from graph_schema.records import list_api_keys

    settings = _settings()
    try:
        with _store(settings) as store:
            keys = list_api_keys(store)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    table = Table(title="API keys")
    for col in ("prefix", "name", "scopes", "created (UTC)", "revoked (UTC)"):
        table.add_column(col)
    for k in keys:
        table.add_row(
            k["prefix"],
            k.get("name", ""),
            ",".join(k.get("scopes", [])),
            k.get("created_at", ""),
            k.get("revoked_at") or "",
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key's prefix (see keys list).")],
) -> None:
    """Revoke an API key; requests with it are refused from now on."""
    from graph_schema.records import revoke_api_key

    settings = _settings()
    try:
        with _store(settings) as store:
            record = revoke_api_key(store, key)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    if record is None:
        err_console.print(f"[bold red]error:[/] no API key with prefix {key!r}")
        raise typer.Exit(1)
    console.print(f"revoked key {record['prefix']} ({record.get('name', '')})")


# serve, actor and relation listings (and, through cli_catalog, the review commands),
# merge-ledger, report, export and Bloom commands live in their own modules and register on
# ``app``.
from service import cli_candidates as _cli_candidates  # noqa: E402,F401
from service import cli_catalog as _cli_catalog  # noqa: E402,F401
from service import cli_merges as _cli_merges  # noqa: E402,F401
from service import cli_reports as _cli_reports  # noqa: E402,F401
from service import serve as _serve  # noqa: E402,F401


def run() -> None:  # pragma: no cover - console entry for `python -m service.cli`
    app(prog_name="govgraph")


if __name__ == "__main__":  # pragma: no cover
    # ``python -m service.cli``: this copy is ``__main__``, while the command modules above
    # registered on the app of the imported ``service.cli``; run that one.
    from service.cli import run as run_registered

    run_registered()
    sys.exit(0)
