"""Background ingestion jobs: persisted in the graph, run one at a time by a worker thread.

Uploaded files are saved under ``<data dir>/uploads/<job id>/`` before the job is queued, so a
restart can resume it. At start-up, jobs left ``queued`` or ``running`` are queued again when
their files are still there, and marked ``failed`` with the reason when they are not.
One worker: extraction is CPU-bound and writes are serialised per document anyway. Each
file is read, and the job's files extracted, in a child process with a deadline
(``GOVGRAPH_FILE_TIMEOUT_S`` per file, see ``deadline``): a stuck file fails alone, and the
jobs queued behind it go on.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from govgraph.errors import GovgraphError, NotFound
from govgraph.settings import Settings
from graph_schema.queries import DOCUMENT_SOURCE, DOCUMENTS_NAMED
from graph_schema.records import create_job, get_job, jobs_with_status, update_job
from graph_schema.store import GraphStore
from ingest.model import Document, DocumentKind

from .deadline import FileTimeout, run_with_deadline

__all__ = ["JobRunner", "JobStatus", "UploadedFile"]

log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"  # every file handled; some may have failed (see results)
    failed = "failed"  # the job itself could not run


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes
    # Set when the upload route already refused this file (a JPEG among PDFs): it is never
    # written to disk and fails alone with this reason, while the other files go in.
    error: str | None = None
    error_type: str | None = None


# Failures that would happen again on the same bytes: the stored copy is deleted at once
# (a retry cannot help), so refused and broken uploads never pile up on disk.
_FINAL_ERRORS = frozenset(
    {
        "UnsupportedFormat",
        "EmptyFile",
        "FileTooLarge",
        "EncryptedDocument",
        "CorruptDocument",
        "NoTextLayer",
        "TextDecodingError",
        "IngestError",
        "Refused",
        "FileTimeout",  # the same bytes would hold the worker as long again
    }
)


def _safe_name(filename: str, index: int) -> str:
    base = Path(filename).name or f"upload-{index}"
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or f"upload-{index}"
    return f"{index:03d}-{base[:120]}"


def _lost(entry: dict[str, Any]) -> bool:
    """A file that should be on disk and is not (refused or finally failed ones never are)."""
    return bool(entry.get("path")) and not Path(entry["path"]).exists()


def job_view(record: dict[str, Any]) -> dict[str, Any]:
    """A job as the API shows it (JSON fields decoded, storage paths hidden)."""
    files = json.loads(record.get("files") or "[]")
    results = json.loads(record.get("results") or "[]")
    return {
        "id": record["id"],
        "status": record["status"],
        "kind": record.get("kind"),
        "created_at": record.get("created_at"),
        "updated_at": record.get("updated_at"),
        "attempts": record.get("attempts", 0),
        "error": record.get("error"),
        "files": [{"filename": f["filename"], "size": f["size"]} for f in files],
        "results": results,
        "failed_files": sum(1 for r in results if r.get("status") == "failed"),
    }


class JobRunner:
    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        *,
        on_graph_change: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        # Called after a job wrote, replaced or deleted something (the analytic view's
        # refresh).
        self.on_graph_change = on_graph_change
        self.upload_root = settings.data_dir / "uploads"
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self.upload_root.mkdir(parents=True, exist_ok=True)
        self._recover()
        self._thread = threading.Thread(target=self._work, name="govgraph-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None

    def wait_idle(self, timeout: float = 120.0) -> bool:
        """Block until no job is queued or running (tests and the demo use this)."""
        self._queue.join()
        return self._idle.wait(timeout)

    # -- API ---------------------------------------------------------------------------------

    def submit(
        self,
        files: list[UploadedFile],
        kind: DocumentKind | None = None,
        *,
        replace: str | None = None,
    ) -> dict[str, Any]:
        """Queue a job. ``replace`` names the document the (single) file is a new version of."""
        job_id = str(uuid.uuid4())
        folder = self.upload_root / job_id
        stored: list[dict[str, Any]] = []
        try:
            for i, f in enumerate(files):
                entry: dict[str, Any] = {"filename": f.filename, "size": len(f.data)}
                if f.error is not None:
                    entry.update(path=None, error=f.error, error_type=f.error_type or "Refused")
                else:
                    folder.mkdir(parents=True, exist_ok=True)
                    path = folder / _safe_name(f.filename, i)
                    path.write_bytes(f.data)
                    entry["path"] = str(path)
                stored.append(entry)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)  # a half-saved upload is not kept
            raise
        create_job(
            self.store,
            {
                "id": job_id,
                "status": JobStatus.queued.value,
                "kind": kind.value if kind else None,
                "files": json.dumps(stored),
                "results": "[]",
                "attempts": 0,
                "replace": replace,
            },
        )
        self._enqueue(job_id)
        record = get_job(self.store, job_id)
        assert record is not None
        return job_view(record)

    def get(self, job_id: str) -> dict[str, Any]:
        record = get_job(self.store, job_id)
        if record is None:
            raise NotFound(f"No job with id {job_id}.")
        return job_view(record)

    def retry(self, job_id: str) -> dict[str, Any]:
        record = get_job(self.store, job_id)
        if record is None:
            raise NotFound(f"No job with id {job_id}.")
        view = job_view(record)
        if view["status"] in {JobStatus.queued, JobStatus.running}:
            return view  # already on its way
        if view["status"] == JobStatus.done and not view["failed_files"]:
            return view  # nothing to retry
        missing = [f["filename"] for f in json.loads(record["files"]) if _lost(f)]
        if missing:
            raise NotFound(
                f"Job {job_id} cannot be retried: its uploaded files are gone ({', '.join(missing)}).",
                hint="upload the files again",
            )
        update_job(self.store, job_id, status=JobStatus.queued.value, error=None)
        self._enqueue(job_id)
        return self.get(job_id)

    # -- internals ------------------------------------------------------------------------

    def _enqueue(self, job_id: str) -> None:
        self._idle.clear()
        self._queue.put(job_id)

    def _recover(self) -> None:
        for record in jobs_with_status(
            self.store, [JobStatus.queued.value, JobStatus.running.value]
        ):
            files = json.loads(record.get("files") or "[]")
            missing = [f["filename"] for f in files if _lost(f)]
            if missing:
                update_job(
                    self.store,
                    record["id"],
                    status=JobStatus.failed.value,
                    error=f"Interrupted by a restart, and its files are gone: {', '.join(missing)}.",
                )
                continue
            note = "resumed after a restart" if record["status"] == JobStatus.running else None
            update_job(self.store, record["id"], status=JobStatus.queued.value, note=note)
            self._enqueue(record["id"])

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            try:
                if job_id is None:
                    return
                self._run(job_id)
            except Exception:  # a bug in one job must not kill the worker
                log.exception("job %s crashed", job_id)
                if job_id:
                    try:
                        update_job(
                            self.store,
                            job_id,
                            status=JobStatus.failed.value,
                            error="internal error; see the server log",
                        )
                    except GovgraphError:
                        log.exception("could not record the failure of job %s", job_id)
            finally:
                self._queue.task_done()
                if self._queue.unfinished_tasks == 0:
                    self._idle.set()

    def _run(self, job_id: str) -> None:
        from service.pipeline import FileOutcome

        record = get_job(self.store, job_id)
        if record is None:
            return
        attempts = int(record.get("attempts") or 0) + 1
        update_job(self.store, job_id, status=JobStatus.running.value, attempts=attempts)
        kind = DocumentKind(record["kind"]) if record.get("kind") else None
        files = json.loads(record["files"])
        earlier = {r.get("path"): r for r in json.loads(record.get("results") or "[]")}
        outcomes: list[FileOutcome] = []
        documents = []
        for f in files:
            if not f.get("path"):
                # Refused at upload, or failed for good in an earlier attempt: its reason stays.
                outcomes.append(_kept_failure(f, earlier.get(f["filename"])))
                continue
            outcome, doc = self._read_one(f, kind, record.get("replace"))
            if outcome is not None:
                outcomes.append(outcome)
            if doc is not None:
                documents.append((f["filename"], doc))
        try:
            outcomes.extend(self._ingest(documents))
        except GovgraphError as exc:
            update_job(self.store, job_id, status=JobStatus.failed.value, error=exc.message)
            return
        order = {f["filename"]: i for i, f in enumerate(files)}
        outcomes.sort(key=lambda o: order.get(o.path, len(order)))
        self._drop_final_failures(job_id, files, outcomes)
        results = [{k: v for k, v in o.__dict__.items() if v is not None} for o in outcomes]
        update_job(
            self.store,
            job_id,
            status=JobStatus.done.value,
            results=json.dumps(results),
            files=json.dumps(files),
            error=None,
        )
        if self.on_graph_change and any(o.status in {"written", "replaced"} for o in outcomes):
            try:
                self.on_graph_change()
            except Exception:  # the job is done; the view catches up on the next request
                log.exception("applying job %s to the analytic view failed", job_id)

    def _ingest(self, documents: list[tuple[str, Document]]) -> list[Any]:
        """Extract and write the job's documents together (names resolve across them), under
        a deadline of the per-file limit times their number. Past it, each is extracted
        alone, as if uploaded one by one, so only the stuck one fails."""
        from service.pipeline import _failure, ingest_documents

        try:
            return ingest_documents(self.store, documents, extract=self._extract)
        except FileTimeout as exc:
            if len(documents) == 1:
                return [_failure(documents[0][0], exc)]
        outcomes: list[Any] = []
        for path, doc in documents:
            try:
                outcomes.extend(ingest_documents(self.store, [(path, doc)], extract=self._extract))
            except FileTimeout as exc:
                outcomes.append(_failure(path, exc))
        return outcomes

    def _extract(self, store: GraphStore, documents: Sequence[Document]) -> Any:
        """``extract_with_graph`` with the extraction itself in a child under the deadline:
        the graph is read here (the child never uses the driver), the spaCy pipelines are
        loaded here once (every child inherits them instead of loading its own)."""
        from graph_schema.ledger import ledger, splits
        from nlp.pipeline import load_pipeline
        from service.pipeline import known_entities

        for language in sorted({d.language for d in documents}):
            load_pipeline(language)
        args = (
            list(documents),
            known_entities(store),
            ledger(store),
            [(s["alias_key"], s["entity_id"]) for s in splits(store)],
        )
        return run_with_deadline(_extract, args, self.settings.file_timeout_s * len(documents))

    def _read_one(
        self, f: dict[str, Any], kind: DocumentKind | None, replace: str | None
    ) -> tuple[Any, Document | None]:
        """One file to a Document, or its failure; never raises, so one file fails alone."""
        from service.pipeline import FileOutcome, _failure

        try:
            doc = run_with_deadline(
                _read_file, (Path(f["path"]), kind, self.settings), self.settings.file_timeout_s
            )
        except GovgraphError as exc:
            return _failure(f["filename"], exc), None
        except Exception as exc:  # a parser bug on one file must not fail its neighbours
            log.exception("reading %s failed", f["filename"])
            return (
                FileOutcome(
                    path=f["filename"],
                    status="failed",
                    error=f"This file could not be read ({type(exc).__name__}: {exc}).",
                    error_type=type(exc).__name__,
                ),
                None,
            )
        source = _source_path(self.store, f["filename"], doc.id, replace)
        # Provenance names the uploaded file, not our storage path.
        return None, doc.model_copy(update={"source_path": source})

    def _drop_final_failures(
        self, job_id: str, files: list[dict[str, Any]], outcomes: list[Any]
    ) -> None:
        """Delete stored files that are done with: ingested, or failed in a way a retry
        cannot mend; keep only those a retry may still ingest (a store outage)."""
        retryable = {
            o.path
            for o in outcomes
            if o.status == "failed" and (o.error_type or "") not in _FINAL_ERRORS
        }
        for f in files:
            if f.get("path") and f["filename"] not in retryable:
                Path(f["path"]).unlink(missing_ok=True)
                f["path"] = None
        if not retryable:
            shutil.rmtree(self.upload_root / job_id, ignore_errors=True)


def _read_file(path: Path, kind: DocumentKind | None, settings: Settings) -> Document:
    """What the deadline's child runs (looked up at call time, so a replaced reader counts)."""
    import ingest

    return ingest.read_document(path, kind=kind, settings=settings)


def _extract(
    documents: list[Document], known: Any, known_merges: Any, splits: Any
) -> Any:  # nlp.ExtractionRun
    """What the extraction deadline's child runs (looked up at call time, like _read_file)."""
    import nlp

    return nlp.extract_documents(documents, known=known, known_merges=known_merges, splits=splits)


def _kept_failure(entry: dict[str, Any], earlier: dict[str, Any] | None) -> Any:
    from service.pipeline import FileOutcome

    if earlier is not None:
        return FileOutcome(**{k: v for k, v in earlier.items() if k in FileOutcome.__annotations__})
    return FileOutcome(
        path=entry["filename"],
        status="failed",
        error=entry.get("error") or "This file was not kept.",
        error_type=entry.get("error_type") or "Refused",
    )


def _source_path(store: GraphStore, filename: str, doc_id: str, replace: str | None) -> str:
    """The name a new upload is stored under. Same content keeps its id (unchanged); a new
    version replaces only the document named by ``replace``. Otherwise a file name already
    used by another document gets the content id added, so both are kept."""
    if replace:
        rows = store.read(DOCUMENT_SOURCE, {"id": replace})
        if rows:
            return str(rows[0]["source_path"])
    taken = store.read(DOCUMENTS_NAMED, {"source_path": filename, "id": doc_id})
    if not taken:
        return filename
    stem, dot, ext = filename.rpartition(".")
    short = doc_id[:12]
    return f"{stem} ({short}).{ext}" if dot and stem else f"{filename} ({short})"
