"""Uploads, ingestion jobs and documents."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status

from govgraph.errors import NotFound
from graph_schema.catalog import document_detail
from graph_schema.reader import list_documents
from graph_schema.writer import delete_document
from ingest.model import DocumentKind

from ..deps import JobsDep, ReadKey, SettingsDep, StoreDep, WriteKey, graph_changed
from ..jobs import UploadedFile
from ..problems import ProblemException
from ..query_params import single_valued_query

router = APIRouter(tags=["documents"], dependencies=[Depends(single_valued_query)])

# Read in chunks so an oversized upload is refused without holding it all in memory.
_CHUNK = 1024 * 1024


def _mib(n: int) -> str:
    return f"{n / 1_048_576:g} MiB"


def _read_limited(upload: UploadFile, limit: int, budget: int) -> bytes:
    """Read one file, refusing it past ``limit`` and the request past ``budget`` bytes left."""
    parts: list[bytes] = []
    size = 0
    while chunk := upload.file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ProblemException(
                413,
                "Payload Too Large",
                f"{upload.filename or 'upload'} is larger than the {_mib(limit)} limit.",
            )
        if size > budget:
            raise _request_too_large()
        parts.append(chunk)
    return b"".join(parts)


def _request_too_large() -> ProblemException:
    return ProblemException(
        413,
        "Payload Too Large",
        "The files of this request together are over the request size limit.",
        hint="Upload them in several requests, or raise GOVGRAPH_MAX_REQUEST_BYTES.",
    )


def _refusal(data: bytes, filename: str) -> tuple[int, str, str] | None:
    """Why this file cannot be ingested (status, error type, message), or None."""
    from govgraph.errors import IngestError
    from ingest import sniff

    if not data:
        return 422, "EmptyFile", f"{filename} is empty."
    try:
        sniff(data, filename)
    except IngestError as exc:
        return 415, type(exc).__name__, exc.message
    return None


@router.post(
    "/documents",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload documents or transcripts for ingestion",
    description="Multipart upload of one or more files (PDF, DOCX, TXT, Markdown, HTML, "
    "WebVTT/SRT transcripts). Returns 202 with a job; poll `GET /jobs/{id}`. A file that "
    "cannot be ingested fails alone in the job's results while the others go in; the "
    "request is refused only when none of its files can be. A file whose name another "
    "document already has is kept beside it; `replace` names the document one file is a "
    "new version of.",
    responses={
        400: {"description": "The multipart body could not be parsed"},
        413: {"description": "A file, or the request, is over the upload limit"},
        415: {"description": "No file of the request is of a supported type"},
    },
)
def upload_documents(
    _: WriteKey,
    settings: SettingsDep,
    jobs: JobsDep,
    store: StoreDep,
    request: Request,
    response: Response,
    files: Annotated[list[UploadFile], File(description="One or more files")],
    # Not ``X | None``: a multipart field cannot carry a null, so the schema must not offer
    # one (leave the field out instead); the default None means "not sent".
    kind: Annotated[DocumentKind, Form(description="Override the detected document kind")] = None,  # type: ignore[assignment]
    replace: Annotated[
        str,  # noqa: RUF013
        Form(
            min_length=1,
            max_length=200,
            description="Id of the document the uploaded file is a new version of",
        ),
    ] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_request_bytes:
        raise _request_too_large()  # before reading any of it
    if not files:
        raise ProblemException(422, "Invalid request", "No files were uploaded.")
    if replace is not None:
        if len(files) != 1:
            raise ProblemException(
                422, "Invalid request", "`replace` names one document: upload exactly one file."
            )
        if document_detail(store, replace) is None:
            raise NotFound(f"No document with id {replace} to replace.")
    uploaded: list[UploadedFile] = []
    refusals: list[tuple[int, str, str]] = []
    budget = settings.max_request_bytes
    for i, upload in enumerate(files):
        name = upload.filename or f"upload-{i}"
        data = _read_limited(upload, settings.max_upload_bytes, budget)
        budget -= len(data)
        refused = _refusal(data, name)
        if refused is None:
            uploaded.append(UploadedFile(name, data))
        else:
            refusals.append(refused)
            uploaded.append(UploadedFile(name, b"", error=refused[2], error_type=refused[1]))
    if len(refusals) == len(uploaded):
        code, _kind, detail = refusals[0]
        # Nothing to ingest: refuse the request as a whole, as a single bad file always was.
        raise ProblemException(
            code, "Empty File" if code == 422 else "Unsupported Media Type", detail
        )
    job = jobs.submit(uploaded, kind, replace=replace)
    response.headers["Location"] = f"/jobs/{job['id']}"
    return job


# Not ``:path`` like the documents: job ids are ours and never hold "/", and a ``:path`` GET
# would also match ``/jobs/{id}/retry`` (405s would then advertise an undocumented GET). The
# app does not redirect slashes, so "/jobs/a%2Fb" is a plain 404, never another job.
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
    return {"items": [_shown(d) for d in items], "total": total, "limit": limit, "offset": offset}


# ``:path`` because an id may contain "/" (sent as %2F, which the server decodes): the whole
# rest of the path is the id, answered 404 when unknown. A plain segment would not match
# ``<id>/`` and the router would redirect it (307) to ``<id>``, another document.
@router.get("/documents/{document_id:path}", summary="One document's metadata")
def get_document(document_id: str, _: ReadKey, store: StoreDep) -> dict[str, Any]:
    doc = document_detail(store, document_id)
    if doc is None:
        raise NotFound(f"No document with id {document_id}.")
    return _shown(doc)


def _shown(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without the server's own paths: the CLI stores where it read a file,
    which tells an API client about the server's disk; clients see the file name."""
    source = doc.get("source_path")
    if isinstance(source, str) and PurePath(source).is_absolute():
        return {**doc, "source_path": PurePath(source).name}
    return doc


@router.delete(
    "/documents/{document_id:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a document and every fact only it supported",
)
def remove_document(document_id: str, _: WriteKey, store: StoreDep, request: Request) -> Response:
    if not delete_document(store, document_id):
        raise NotFound(f"No document with id {document_id}.")
    graph_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
