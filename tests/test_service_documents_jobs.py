"""Ingestion jobs under a per-file time limit: a stuck file fails alone, with its reason,
and neither the other files of its job nor the jobs queued behind it wait for it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import ingest
from govgraph.errors import EmptyFile
from govgraph.settings import Settings
from graph_schema.store import GraphStore
from service.deadline import FileTimeout, WorkerDied, run_with_deadline
from service.jobs import JobRunner, JobStatus, UploadedFile

GOOD = b"# Plan\n\nThe Riverton City Council works with the Riverton Youth Trust on youth safety.\n"
OTHER = b"# Brief\n\nThe Eastfield Women's Network runs a night shelter in Eastfield.\n"
STUCK_FOR_S = 120  # far past the limit: only a kill ends it in time


@pytest.fixture(autouse=True)
def _without_fitted_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")


@pytest.fixture
def stuck_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that never returns on files named stuck*: a parser caught in a loop."""
    real = ingest.read_document

    def reading(path: Path, **kwargs):  # type: ignore[no-untyped-def]
        if path.name.split("-", 1)[-1].startswith("stuck"):
            time.sleep(STUCK_FOR_S)
        return real(path, **kwargs)

    monkeypatch.setattr(ingest, "read_document", reading)


def test_service_jobs_stuck_file_times_out_alone_and_the_queue_goes_on(
    settings: Settings, store: GraphStore, tmp_path: Path, stuck_parser: None
) -> None:
    cfg = settings.model_copy(update={"data_dir": tmp_path, "file_timeout_s": 3.0})
    runner = JobRunner(store, cfg)
    runner.start()
    started = time.monotonic()
    try:
        first = runner.submit(
            [UploadedFile("stuck.txt", b"never read"), UploadedFile("plan.md", GOOD)]
        )
        behind = runner.submit([UploadedFile("brief.md", OTHER)])
        assert runner.wait_idle(timeout=STUCK_FOR_S / 2)
    finally:
        runner.stop()
    assert time.monotonic() - started < STUCK_FOR_S / 2

    job = runner.get(first["id"])
    assert job["status"] == JobStatus.done
    by_name = {r["path"]: r for r in job["results"]}
    assert by_name["stuck.txt"]["status"] == "failed"
    assert by_name["stuck.txt"]["error_type"] == "FileTimeout"
    assert by_name["stuck.txt"]["error"].startswith("timed out after 3 s")
    assert by_name["plan.md"]["status"] == "written"
    later = runner.get(behind["id"])
    assert later["status"] == JobStatus.done and later["results"][0]["status"] == "written"
    assert not (tmp_path / "uploads" / first["id"]).exists()  # a timeout is final: not kept


def test_service_jobs_stuck_extraction_fails_only_its_file(
    settings: Settings, store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extraction runs past the limit on one document: the job's joint run is stopped, each
    document is extracted alone, and only the stuck one fails."""
    import nlp

    real = nlp.extract_documents

    def extracting(documents, **kwargs):  # type: ignore[no-untyped-def]
        if any(d.title.startswith("stuck") for d in documents):
            time.sleep(STUCK_FOR_S)
        return real(documents, **kwargs)

    monkeypatch.setattr(nlp, "extract_documents", extracting)
    cfg = settings.model_copy(update={"data_dir": tmp_path, "file_timeout_s": 3.0})
    runner = JobRunner(store, cfg)
    runner.start()
    try:
        job = runner.submit(
            [
                UploadedFile("stuck-notes.md", b"# stuck notes\n\nNothing here."),
                UploadedFile("plan.md", GOOD),
            ]
        )
        assert runner.wait_idle(timeout=STUCK_FOR_S / 2)
    finally:
        runner.stop()
    by_name = {r["path"]: r for r in runner.get(job["id"])["results"]}
    assert by_name["stuck-notes.md"]["status"] == "failed"
    assert by_name["stuck-notes.md"]["error"].startswith("timed out after 3 s")
    assert by_name["plan.md"]["status"] == "written"


def _slow(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def _fails() -> None:
    raise EmptyFile("nothing in it", hint="upload another")


def _dies() -> None:
    import os

    os._exit(3)


def test_service_deadline_returns_raises_and_kills() -> None:
    assert run_with_deadline(_slow, (0.0,), 5) == "done"
    with pytest.raises(EmptyFile) as failed:
        run_with_deadline(_fails, (), 5)
    assert failed.value.hint == "upload another"
    started = time.monotonic()
    with pytest.raises(FileTimeout, match=r"timed out after 0\.5 s"):
        run_with_deadline(_slow, (30.0,), 0.5)
    assert time.monotonic() - started < 5
    with pytest.raises(WorkerDied, match="exit code 3"):
        run_with_deadline(_dies, (), 5)


def test_service_settings_file_timeout_default_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).file_timeout_s == 300  # type: ignore[call-arg]
    monkeypatch.setenv("GOVGRAPH_FILE_TIMEOUT_S", "2.5")
    assert Settings(_env_file=None).file_timeout_s == 2.5  # type: ignore[call-arg]
