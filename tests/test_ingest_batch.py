"""Batch API: collecting files, outcomes that survive failures, progress events."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_fixtures import pdf_bytes

from govgraph.errors import EmptyFile
from ingest import ProgressEvent, collect_files, read_documents


def _tree(root: Path) -> None:
    (root / "sub" / ".hidden_dir").mkdir(parents=True)
    (root / "b.md").write_text("# Plan\n\nThe city council adopts the plan.\n")
    (root / "sub" / "a.pdf").write_bytes(pdf_bytes([["The police attend. " * 5]] * 2))
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / ".secret.txt").write_text("hidden")
    (root / "sub" / ".hidden_dir" / "x.txt").write_text("hidden")


def test_batch_collect_files_recursive_sorted_without_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    files = collect_files([tmp_path])
    assert files == sorted(files)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "b.md",
        "sub/a.pdf",
        "sub/empty.txt",
    ]
    assert collect_files([tmp_path / "b.md", tmp_path / "b.md"]) == [tmp_path / "b.md"]


def test_batch_read_documents_goes_on_after_failures(tmp_path: Path) -> None:
    _tree(tmp_path)
    events: list[ProgressEvent] = []
    outcomes = list(read_documents([tmp_path], on_progress=events.append))
    assert [o.path.name for o in outcomes] == ["b.md", "a.pdf", "empty.txt"]
    assert outcomes[0].ok and outcomes[1].ok and not outcomes[2].ok
    assert isinstance(outcomes[2].error, EmptyFile)
    assert outcomes[1].document is not None and outcomes[1].document.page_count == 2
    finished = [e for e in events if e.finished]
    assert [(e.file_index, e.file_total) for e in finished] == [(0, 3), (1, 3), (2, 3)]
    pages = [
        (e.pages_done, e.page_total)
        for e in events
        if e.file_index == 1 and not e.finished and e.page_total
    ]
    assert pages == [(1, 2), (2, 2)]


@pytest.mark.corpus
def test_batch_whole_corpus_ingests_or_refuses_for_the_right_reason(corpus_dir: Path) -> None:
    import shutil

    from govgraph.errors import NoTextLayer

    folders = [
        corpus_dir / "pdfs",
        corpus_dir / "transcripts",
        corpus_dir / "scenario-dev" / "docs",
        corpus_dir / "scenario-dev" / "transcripts",
    ]
    # One outcome per file, whatever the corpus holds today (it grows between sessions).
    outcomes = list(read_documents(folders))
    assert len(outcomes) == len(collect_files(folders)) >= 14
    for outcome in outcomes:
        if "Type3_no_text_layer" in outcome.path.name and not shutil.which("tesseract"):
            assert isinstance(outcome.error, NoTextLayer)
            continue
        assert outcome.document is not None, (outcome.path, outcome.error)
        assert outcome.document.passages
        for p in outcome.document.passages:
            assert p.page is not None or p.turn is not None or not outcome.document.page_count
