"""The govgraph exception tree: one root, so callers can catch everything we raise.

    GovgraphError
    ├── ConfigError                 bad or missing settings
    ├── ModelNotAvailable           no usable spaCy model installed
    ├── StoreError                  anything about the graph store
    │   ├── StoreStartError         the embedded server could not start
    │   ├── StoreUnavailable        no answer from a configured server
    │   ├── ConstraintViolation     a uniqueness constraint refused a write
    │   ├── MigrationError          a schema migration failed
    │   └── WriteError              a document's batch could not be written
    ├── IngestError                 a file could not become a Document
    │   ├── UnsupportedFormat       not a type we read
    │   ├── EmptyFile               zero bytes or no content at all
    │   ├── FileTooLarge            over the configured size limit
    │   ├── EncryptedDocument       password-protected
    │   ├── CorruptDocument         truncated or damaged
    │   ├── NoTextLayer             no usable text (scanned, or a broken font encoding)
    │   └── TextDecodingError       text whose encoding could not be determined
    └── NotFound                    a requested document, actor, job... does not exist

Every error carries a human ``message`` meant for the analyst, and ``hint`` where we know
what to do about it. The CLI prints both; the API turns them into problem+json bodies.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "Conflict",
    "ConstraintViolation",
    "CorruptDocument",
    "EmptyFile",
    "EncryptedDocument",
    "FileTooLarge",
    "GovgraphError",
    "IngestError",
    "MigrationError",
    "ModelNotAvailable",
    "NoTextLayer",
    "NotFound",
    "StoreError",
    "StoreStartError",
    "StoreUnavailable",
    "TextDecodingError",
    "UnsupportedFormat",
    "WriteError",
]


class GovgraphError(Exception):
    """Root of every error govgraph raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class ConfigError(GovgraphError):
    pass


class ModelNotAvailable(GovgraphError):
    pass


class StoreError(GovgraphError):
    pass


class StoreStartError(StoreError):
    pass


class StoreUnavailable(StoreError):
    pass


class ConstraintViolation(StoreError):
    pass


class MigrationError(StoreError):
    pass


class WriteError(StoreError):
    pass


class IngestError(GovgraphError):
    """A file could not be turned into a Document. ``path`` names the file."""

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path


class UnsupportedFormat(IngestError):
    pass


class EmptyFile(IngestError):
    pass


class FileTooLarge(IngestError):
    pass


class EncryptedDocument(IngestError):
    pass


class CorruptDocument(IngestError):
    pass


class NoTextLayer(IngestError):
    pass


class TextDecodingError(IngestError):
    pass


class NotFound(GovgraphError):
    pass


class Conflict(GovgraphError):
    """The request contradicts the current state (e.g. undoing a merge already undone)."""
