"""Background ingestion jobs: persisted in the graph, run one at a time by a worker thread.

Uploaded files are saved under ``<data dir>/uploads/<job id>/`` before the job is queued, so a
restart can resume it. At start-up, jobs left ``queued`` or ``running`` are queued again when
their files are still there, and marked ``failed`` with the reason when they are not.
One worker: extraction is CPU-bound and writes are serialised per document anyway.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from govgraph.errors import GovgraphError, NotFound
from govgraph.settings import Settings
from graph_schema.records import create_job, get_job, jobs_with_status, update_job
from graph_schema.store import GraphStore
from ingest.model import DocumentKind

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


def _safe_name(filename: str, index: int) -> str:
    base = Path(filename).name or f"upload-{index}"
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or f"upload-{index}"
    return f"{index:03d}-{base[:120]}"


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
        on_graph_change: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        # Called after a job wrote, replaced or deleted something (the answer warm-up).
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

    def submit(self, files: list[UploadedFile], kind: DocumentKind | None = None) -> dict[str, Any]:
        job_id = str(uuid.uuid4())
        folder = self.upload_root / job_id
        folder.mkdir(parents=True)
        stored = []
        for i, f in enumerate(files):
            path = folder / _safe_name(f.filename, i)
            path.write_bytes(f.data)
            stored.append({"filename": f.filename, "path": str(path), "size": len(f.data)})
        create_job(
            self.store,
            {
                "id": job_id,
                "status": JobStatus.queued.value,
                "kind": kind.value if kind else None,
                "files": json.dumps(stored),
                "results": "[]",
                "attempts": 0,
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
        missing = [
            f["filename"] for f in json.loads(record["files"]) if not Path(f["path"]).exists()
        ]
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
            missing = [f["filename"] for f in files if not Path(f["path"]).exists()]
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
        from ingest import read_document
        from service.pipeline import FileOutcome, _failure, ingest_documents

        record = get_job(self.store, job_id)
        if record is None:
            return
        attempts = int(record.get("attempts") or 0) + 1
        update_job(self.store, job_id, status=JobStatus.running.value, attempts=attempts)
        kind = DocumentKind(record["kind"]) if record.get("kind") else None
        files = json.loads(record["files"])
        outcomes: list[FileOutcome] = []
        documents = []
        for f in files:
            try:
                doc = read_document(Path(f["path"]), kind=kind, settings=self.settings)
            except GovgraphError as exc:
                outcomes.append(_failure(f["filename"], exc))
                continue
            # Provenance names the uploaded file, not our storage path.
            documents.append((f["filename"], doc.model_copy(update={"source_path": f["filename"]})))
        try:
            outcomes.extend(ingest_documents(self.store, documents))
        except GovgraphError as exc:
            update_job(self.store, job_id, status=JobStatus.failed.value, error=exc.message)
            return
        results = [{k: v for k, v in o.__dict__.items() if v is not None} for o in outcomes]
        update_job(
            self.store, job_id, status=JobStatus.done.value, results=json.dumps(results), error=None
        )
        if not any(o.status == "failed" for o in outcomes):
            shutil.rmtree(self.upload_root / job_id, ignore_errors=True)
        if self.on_graph_change and any(o.status in {"written", "replaced"} for o in outcomes):
            self.on_graph_change()
