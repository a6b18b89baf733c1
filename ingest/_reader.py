"""The public entry points: one file, a batch of files, or uploaded bytes to Documents."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from govgraph.errors import EmptyFile, FileTooLarge, IngestError, UnsupportedFormat
from govgraph.settings import Settings
from ingest.model import Document, DocumentKind, Passage, PassageKind

from ._blocks import Parsed
from ._dates import find_date
from ._decode import decode_text
from ._kind import guess_kind, looks_like_a_transcript
from ._language import detect_language
from ._person_ner import ner_person_names
from ._privacy import pseudonymise_document
from ._sniff import Format, sniff
from ._text import markdown_blocks, plain_blocks
from ._transcript import Transcript, parse_transcript
from ._turns import transcript_to_parsed

__all__ = [
    "IngestOutcome",
    "PageCallback",
    "ProgressEvent",
    "collect_files",
    "read_bytes",
    "read_document",
    "read_documents",
]

PageCallback = Callable[[int, int], None]  # (pages done, page total) within one file


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Where a batch is: file ``file_index`` (0-based) of ``file_total``, and its pages."""

    path: Path
    file_index: int
    file_total: int
    pages_done: int = 0
    page_total: int | None = None  # None until known, and for unpaged formats
    finished: bool = False  # this file is done (read or failed)


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """One file of a batch: its Document, or the IngestError that stopped it."""

    path: Path
    document: Document | None = None
    error: IngestError | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def _too_large(size: int, settings: Settings, path: str) -> FileTooLarge:
    return FileTooLarge(
        f"The file is {size / 1_048_576:.1f} MiB, over the "
        f"{settings.max_file_bytes / 1_048_576:.1f} MiB limit.",
        path=path,
        hint="Split the document, or raise GOVGRAPH_MAX_FILE_BYTES.",
    )


def _empty(path: str) -> EmptyFile:
    return EmptyFile(
        "The file is empty (0 bytes).", path=path, hint="Check that the upload or copy completed."
    )


def read_document(
    path: Path,
    *,
    kind: DocumentKind | None = None,
    settings: Settings | None = None,
    on_page: PageCallback | None = None,
) -> Document:
    """Read one file into a Document. Raises an IngestError subclass when it can't."""
    settings = settings or Settings()
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnsupportedFormat("The file does not exist.", path=source) from None
    if path.is_dir():
        raise UnsupportedFormat(
            "This is a folder, not a file.",
            path=source,
            hint="Use read_documents or collect_files for folders.",
        )
    if size == 0:
        raise _empty(source)
    if size > settings.max_file_bytes:
        raise _too_large(size, settings, source)
    return _read(path.read_bytes(), path.name, source, kind, settings, on_page)


def read_bytes(
    data: bytes,
    *,
    filename: str,
    kind: DocumentKind | None = None,
    settings: Settings | None = None,
    on_page: PageCallback | None = None,
) -> Document:
    """Read uploaded bytes into a Document; ``filename`` is the client's name for them."""
    settings = settings or Settings()
    if not data:
        raise _empty(filename)
    if len(data) > settings.max_file_bytes:
        raise _too_large(len(data), settings, filename)
    return _read(data, filename, filename, kind, settings, on_page)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, and files under folders named (recursively), without hidden ones; sorted."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(Path(root) / f for f in files if not f.startswith("."))
        else:
            found.add(path)  # a missing file is reported by read_documents, not dropped
    return sorted(found)


def read_documents(
    paths: Iterable[Path],
    *,
    kind: DocumentKind | None = None,
    settings: Settings | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> Iterator[IngestOutcome]:
    """Read every file under ``paths``; a failed file is reported and the batch goes on."""
    settings = settings or Settings()
    files = collect_files(paths)
    total = len(files)

    def notify(event: ProgressEvent) -> None:
        if on_progress is not None:
            on_progress(event)

    for index, path in enumerate(files):
        notify(ProgressEvent(path, index, total))

        def on_page(done: int, pages: int, *, _path: Path = path, _index: int = index) -> None:
            notify(ProgressEvent(_path, _index, total, done, pages))

        try:
            document = read_document(path, kind=kind, settings=settings, on_page=on_page)
        except IngestError as error:
            notify(ProgressEvent(path, index, total, finished=True))
            yield IngestOutcome(path, error=error)
            continue
        notify(
            ProgressEvent(
                path, index, total, document.page_count or 0, document.page_count, finished=True
            )
        )
        yield IngestOutcome(path, document=document)


# --- one file ------------------------------------------------------------------------------


def _transcript_parsed(
    transcript: Transcript, fmt: Format, kind: DocumentKind | None, settings: Settings
) -> Parsed:
    """The transcript's blocks under the kind the user forced, or the one it was read as."""
    chosen = kind or transcript.kind
    parsed = transcript_to_parsed(
        transcript,
        chosen,
        media_type=fmt.value,
        pseudonymise=_pseudonymised(chosen, settings),
    )
    parsed.header_fields = dict(transcript.fields)  # for pseudonymise_document
    return parsed


def _parse_text(
    text: str, fmt: Format, kind: DocumentKind | None, settings: Settings, source: str
) -> Parsed:
    if not text.strip():
        raise EmptyFile("The file contains no text.", path=source)
    if fmt is not Format.markdown:
        transcript = parse_transcript(text)
        if transcript is not None:
            return _transcript_parsed(transcript, fmt, kind, settings)
    if fmt is Format.markdown:
        blocks, title = markdown_blocks(text)
    else:
        blocks, title = plain_blocks(text)
    return Parsed(media_type=fmt.value, blocks=blocks, title=title)


def _parse(
    data: bytes,
    fmt: Format,
    kind: DocumentKind | None,
    settings: Settings,
    source: str,
    on_page: PageCallback | None,
) -> Parsed:
    if fmt is Format.pdf:
        from ._pdf import read_pdf

        return read_pdf(data, path=source, settings=settings, on_page=on_page)
    if fmt is Format.docx:
        from ._docx import read_docx

        parsed, plain = read_docx(data, path=source)
    elif fmt is Format.html:
        from ._html import read_html

        parsed, plain = read_html(data, path=source)
    else:
        text, encoding = decode_text(data, path=source)
        parsed = _parse_text(text, fmt, kind, settings, source)
        parsed.metadata["encoding"] = encoding
        return parsed
    # Interviews are often delivered as Word files: look for turns in their text too.
    transcript = parse_transcript(plain) if plain.strip() else None
    if transcript is not None:
        turns = _transcript_parsed(transcript, fmt, kind, settings)
        turns.title = parsed.title or turns.title
        turns.metadata = {**parsed.metadata, **turns.metadata}
        return turns
    return parsed


def _read(
    data: bytes,
    filename: str,
    source: str,
    kind: DocumentKind | None,
    settings: Settings,
    on_page: PageCallback | None,
) -> Document:
    fmt = sniff(data, filename, path=source)
    parsed = _parse(data, fmt, kind, settings, source, on_page)
    doc_id = hashlib.sha256(data).hexdigest()
    texts = [b.text for b in parsed.blocks if b.kind is not PassageKind.table]
    if not any(t.strip() for t in texts) and not parsed.blocks:
        raise EmptyFile("The file has no text content.", path=source)

    chosen = kind or parsed.kind
    warnings = list(parsed.warnings)
    head = "\n".join(texts[:40])
    if kind is not None:
        parsed.metadata["kind_cue"] = "set by the user"
    elif chosen is None:
        guess = guess_kind(parsed.title, head)
        chosen = guess.kind
        parsed.metadata["kind_cue"] = guess.cue
        if not guess.confident:
            warnings.append(
                f"kind '{chosen.value}' is a weak guess ({guess.cue}); "
                "set it with --kind (or the upload's kind field) if it is wrong."
            )
    assert chosen is not None  # the user's, the transcript's, or the guess
    if not parsed.is_transcript and (why := looks_like_a_transcript(filename, parsed.title, head)):
        warnings.append(
            f"this looks like a transcript ({why}) but no speaker turns were found: it is read "
            "as plain text, without speakers. Check that each turn starts with its speaker's "
            "label (e.g. 'P1:' or 'Interviewer:')."
        )
    ext = Path(filename).suffix.lower()
    if ext and ext not in _EXTENSIONS_FOR[fmt]:
        warnings.append(
            f"The file is named '{ext}' but its content is {fmt.name}; read as {fmt.name}."
        )
    passages = tuple(
        Passage(
            id=f"{doc_id}:{i}",
            index=i,
            text=b.text,
            kind=b.kind,
            page=b.page,
            turn=b.turn,
            char_start=b.char_start,
            char_end=b.char_end,
            speaker=b.speaker,
            speaker_role=b.speaker_role,
            section=b.section,
        )
        for i, b in enumerate(parsed.blocks)
    )
    document = Document(
        id=doc_id,
        title=parsed.title or Path(filename).stem,
        kind=chosen,
        # A document that is all tables (a PDF fact sheet) still has a language.
        language=detect_language(texts)
        if any(t.strip() for t in texts)
        else detect_language(b.text for b in parsed.blocks),
        source_path=source,
        media_type=parsed.media_type,
        page_count=parsed.page_count,
        date=parsed.date or find_date("\n".join(texts[:10])[:2000]),
        place=parsed.place,
        metadata=parsed.metadata,
        respondents=tuple(parsed.respondents),
        passages=passages,
        warnings=tuple(warnings),
    )
    if parsed.is_transcript and _pseudonymised(chosen, settings):
        # Real names in the header and turns never leave ingest (issue 16).
        people = ner_person_names(
            (p.text for p in passages), document.language, parsed.header_fields.values()
        )
        document = pseudonymise_document(
            document,
            parsed.header_fields,
            other_names=people.names,
            protected_words=people.body_words,
        )
    return document


def _pseudonymised(kind: DocumentKind, settings: Settings) -> bool:
    """Speakers get pseudonyms unless the kind is an explicitly public record: a FGD
    misread as a report is still pseudonymised (the guess may be wrong, privacy may not)."""
    return (
        kind.value in settings.pseudonymise_kinds or kind.value not in settings.public_record_kinds
    )


_EXTENSIONS_FOR: dict[Format, frozenset[str]] = {
    Format.pdf: frozenset({".pdf"}),
    Format.docx: frozenset({".docx"}),
    Format.html: frozenset({".html", ".htm", ".xhtml"}),
    Format.markdown: frozenset({".md", ".markdown", ".txt"}),
    Format.text: frozenset({".txt", ".text", ".vtt", ".srt", ".md", ".markdown", ".csv", ".log"}),
}
