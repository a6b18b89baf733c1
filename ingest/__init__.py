"""Files to typed Documents with exact provenance (see ingest.model for the contract).

    read_document(path)        one file -> Document, or raises an IngestError subclass
    read_bytes(data, filename) uploaded bytes -> Document
    collect_files(paths)       files and folders -> sorted files, hidden ones skipped
    read_documents(paths)      a batch -> IngestOutcome per file; failures don't stop it

ingest never talks to the database or the network.
"""

from ._reader import (
    IngestOutcome,
    PageCallback,
    ProgressEvent,
    collect_files,
    read_bytes,
    read_document,
    read_documents,
)
from ._sniff import Format, sniff
from .model import (
    Document,
    DocumentKind,
    Passage,
    PassageKind,
    Respondent,
    SpeakerRole,
)

__all__ = [
    "Document",
    "DocumentKind",
    "Format",
    "IngestOutcome",
    "PageCallback",
    "Passage",
    "PassageKind",
    "ProgressEvent",
    "Respondent",
    "SpeakerRole",
    "collect_files",
    "read_bytes",
    "read_document",
    "read_documents",
    "sniff",
]
