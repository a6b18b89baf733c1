"""CLI commands for reports, exports and the Neo4j Bloom perspective.

Registered on the main ``govgraph`` app (imported at the end of service.cli), kept apart so
the reporting commands do not grow service/cli.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from govgraph.errors import GovgraphError
from graph_schema.model import ActorLevel
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

__all__ = ["bloom_perspective_command", "export_command", "report_command"]

LevelOption = Annotated[
    list[ActorLevel] | None,
    typer.Option("--level", help="Keep only actors at this level (repeatable)."),
]


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


def _check_lang_option(value: str | None) -> str | None:
    """Typer callback: a language with no catalog is a usage error (exit 2) listing those
    that have one, like every other closed vocabulary of the CLI."""
    from reporting.locale import ReportLanguage

    if value is None or value in ReportLanguage.__members__:
        return value
    valid = ", ".join(ReportLanguage.__members__)
    raise typer.BadParameter(f"unknown language {value!r}; valid values: {valid}")


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html or docx.")] = "html",
    theme: Annotated[
        str | None,
        typer.Option(
            help=theme_help("One theme (id or label); default all."), callback=check_theme_option
        ),
    ] = None,
    level: LevelOption = None,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="Hide weaker findings.")] = 0.3,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Report language: en or es; default the language most documents are in.",
            callback=_check_lang_option,
        ),
    ] = None,
) -> None:
    """Write the coordination-gap summary report (Markdown, HTML or DOCX).

    With --format md the network figures are written next to the report as PNG and SVG
    (<out>_figures/) and linked; HTML and DOCX embed them.
    """
    from reporting import (
        ReportFormat,
        build_report,
        gather_report_inputs,
        render_figures,
        render_report,
    )
    from reporting.locale import dominant_language

    if fmt not in ReportFormat.__members__:
        err_console.print(f"[bold red]error:[/] unknown format {fmt!r}; choose md, html or docx")
        raise typer.Exit(2)
    settings = _settings()
    try:
        with _store(settings) as store:
            inputs, documents, filters = gather_report_inputs(
                store,
                theme=theme,
                levels=[lv.value for lv in level] if level else None,
                min_score=min_score,
            )
    except GovgraphError as exc:
        raise _fail(exc) from exc
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    language = lang or dominant_language(d.language for d in documents)
    report = build_report(inputs, documents, generated_at=generated, filters=filters, lang=language)
    figures = render_figures(report)
    links: dict[str, str] = {}
    if fmt == ReportFormat.md and figures:
        fig_dir = out.parent / f"{out.stem}_figures"
        fig_dir.mkdir(parents=True, exist_ok=True)
        for theme_id, fig in figures.items():
            stem = theme_id.replace(":", "_").replace("/", "_")
            (fig_dir / f"{stem}.png").write_bytes(fig.png)
            (fig_dir / f"{stem}.svg").write_text(fig.svg, encoding="utf-8")
            links[theme_id] = f"{fig_dir.name}/{stem}.png"
    _write(out, render_report(report, ReportFormat(fmt), figures, figure_links=links))
    findings = sum(len(s.findings) for s in report.sections)
    console.print(
        f"wrote {out} ({fmt}): {len(report.sections)} theme(s), {findings} finding(s), "
        f"{len(report.sources)} source(s)"
    )
    if report.note:
        console.print(f"[yellow]note:[/] {report.note}")


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Argument(help="graphml, gexf, csv (Kumu, zip) or json.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    theme: Annotated[
        str | None,
        typer.Option(
            help=theme_help("Only this theme's actors and neighbours."),
            callback=check_theme_option,
        ),
    ] = None,
    level: LevelOption = None,
) -> None:
    """Export the graph (or a theme/level slice) for Gephi, yEd, Kumu or scripts."""
    from reporting.exports import ExportFormat, export_graph
    from reporting.gather import resolve_theme

    if fmt not in ExportFormat.__members__:
        err_console.print(
            f"[bold red]error:[/] unknown format {fmt!r}; choose graphml, gexf, csv or json"
        )
        raise typer.Exit(2)
    from graph_schema.catalog import list_themes
    from graph_schema.reader import SubgraphFilter, read_subgraph

    settings = _settings()
    try:
        with _store(settings) as store:
            theme_id = resolve_theme(store, theme)[0] if theme else None
            sub = read_subgraph(
                store,
                SubgraphFilter(
                    theme=theme_id,
                    levels=frozenset(lv.value for lv in level) if level else None,
                ),
            )
            names = {str(r["id"]): str(r.get("name") or r["id"]) for r in list_themes(store)}
    except GovgraphError as exc:
        raise _fail(exc) from exc
    data = export_graph(sub, ExportFormat(fmt), theme_names=names)
    if fmt == "csv" and out.suffix.lower() != ".zip":
        # The csv export is a ZIP of nodes.csv and edges.csv (Kumu's two sheets); a .csv
        # name would make spreadsheets open binary garbage.
        fixed = out.with_suffix(".zip")
        err_console.print(f"[yellow]note:[/] csv export is a ZIP archive; writing {fixed}")
        out = fixed
    _write(out, data)
    kind = " (ZIP of nodes.csv and edges.csv)" if fmt == "csv" else ""
    console.print(
        f"wrote {out}{kind} ({fmt}): {len(sub.actors)} actors, {len(sub.policies)} policies/programmes, "
        f"{len(sub.relations)} relations"
    )


@app.command("bloom-perspective")
def bloom_perspective_command(
    out: Annotated[Path, typer.Option("--out", help="Perspective JSON file to write.")],
) -> None:
    """Write a Neo4j Bloom perspective for the govgraph schema (import it in Bloom)."""
    from reporting.bloom import perspective_json

    _write(out, perspective_json().encode())
    console.print(f"wrote {out}: import it in Bloom (Perspectives > Import), see docs/bloom.md")
