"""A quote in its place: the document's passages in order, with page or turn and speaker,
the quoted passage anchored (``#quoted``) and the quote's span highlighted.

Reads the stored document through ``stored_document`` (the same read a merge undo
re-extracts from), so what shows is the text the evidence spans index into.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govgraph.errors import NotFound
from graph_schema.documents import stored_document

from ..deps import StoreDep
from ..problems import ProblemException
from .render import render
from .session import WebKey

__all__ = ["router"]

router = APIRouter(prefix="/web", include_in_schema=False)

Offset = Annotated[int | None, Query(ge=0, le=10_000_000)]


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: str,
    key: WebKey,
    store: StoreDep,
    passage: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    start: Offset = None,
    end: Offset = None,
) -> HTMLResponse:
    document = stored_document(store, document_id)
    if document is None:
        raise NotFound(f"No document with id {document_id}.")
    quoted = None
    if passage is not None:
        quoted = next((p for p in document.passages if p.id == passage), None)
        if quoted is None:
            raise NotFound(f"Document {document_id} has no passage {passage}.")
    span = None
    if start is not None or end is not None:
        if quoted is None or start is None or end is None:
            raise ProblemException(
                422, "Invalid request", "A highlight needs passage, start and end together."
            )
        if not start <= end <= len(quoted.text):
            raise ProblemException(
                422,
                "Invalid request",
                f"The span {start}-{end} is outside the passage ({len(quoted.text)} characters).",
            )
        span = (start, end)
    return render(
        request,
        "document.html",
        key,
        page="document",
        document=document,
        quoted_id=quoted.id if quoted else None,
        span=span,
    )
