"""Uploads, ingestion jobs and documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status

from govgraph.errors import NotFound
from graph_schema.catalog import document_detail
from graph_schema.reader import list_documents
from graph_schema.writer import delete_document
from ingest.model import DocumentKind

from ..deps import JobsDep, ReadKey, SettingsDep, StoreDep, WriteKey, graph_changed
from ..jobs import UploadedFile
from ..problems import ProblemException

router = APIRouter(tags=["documents"])

# Read in chunks so an oversized upload is refused without holding it all in memory.
_CHUNK = 1024 * 1024


def _read_limited(upload: UploadFile, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := upload.file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ProblemException(
                413,
                "Payload Too Large",
                f"{upload.filename or 'upload'} is larger than the {limit // (1024 * 1024)} MB limit.",
            )
        parts.append(chunk)
    return b"".join(parts)


def _check_type(data: bytes, filename: str) -> None:
    from govgraph.errors import IngestError
    from ingest import sniff

    if not data:
        raise ProblemException(422, "Empty File", f"{filename} is empty.")
    try:
        sniff(data, filename)
    except IngestError as exc:
        raise ProblemException(415, "Unsupported Media Type", exc.message) from exc


@router.post(
    "/documents",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload documents or transcripts for ingestion",
    description="Multipart upload of one or more files (PDF, DOCX, TXT, Markdown, HTML, "
    "WebVTT/SRT transcripts). Returns 202 with a job; poll `GET /jobs/{id}`.",
    responses={
        413: {"description": "A file is over the upload limit"},
        415: {"description": "A file is of an unsupported type"},
    },
)
def upload_documents(
    _: WriteKey,
    settings: SettingsDep,
    jobs: JobsDep,
    response: Response,
    files: Annotated[list[UploadFile], File(description="One or more files")],
    kind: Annotated[
        DocumentKind | None, Form(description="Override the detected document kind")
    ] = None,
) -> dict[str, Any]:
    if not files:
        raise ProblemException(422, "Invalid request", "No files were uploaded.")
    uploaded = []
    for i, upload in enumerate(files):
        name = upload.filename or f"upload-{i}"
        data = _read_limited(upload, settings.max_upload_bytes)
        _check_type(data, name)
        uploaded.append(UploadedFile(name, data))
    job = jobs.submit(uploaded, kind)
    response.headers["Location"] = f"/jobs/{job['id']}"
    return job


@router.get("/jobs/{job_id}", summary="An ingestion job, with per-file results")
def get_job(job_id: str, _: ReadKey, jobs: JobsDep) -> dict[str, Any]:
    return jobs.get(job_id)


@router.post("/jobs/{job_id}/retry", summary="Run a failed job (or its failed files) again")
def retry_job(job_id: str, _: WriteKey, jobs: JobsDep) -> dict[str, Any]:
    return jobs.retry(job_id)


@router.get("/documents", summary="Documents in the graph, newest first")
def get_documents(
    _: ReadKey,
    store: StoreDep,
    kind: Annotated[list[DocumentKind] | None, Query(description="Only these kinds")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    items, total = list_documents(
        store, kinds=[k.value for k in kind] if kind else None, skip=offset, limit=limit
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/documents/{document_id}", summary="One document's metadata")
def get_document(document_id: str, _: ReadKey, store: StoreDep) -> dict[str, Any]:
    doc = document_detail(store, document_id)
    if doc is None:
        raise NotFound(f"No document with id {document_id}.")
    return doc


@router.delete(
    "/documents/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a document and every fact only it supported",
)
def remove_document(document_id: str, _: WriteKey, store: StoreDep, request: Request) -> Response:
    if not delete_document(store, document_id):
        raise NotFound(f"No document with id {document_id}.")
    graph_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
