"""The intermediate value every format reader returns, before ids and privacy are applied."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import DocumentKind, PassageKind, Respondent, SpeakerRole

__all__ = ["Block", "Parsed"]


@dataclass(frozen=True, slots=True)
class Block:
    """One future Passage. ``text`` is exactly ``source[char_start:char_end]``."""

    text: str
    char_start: int
    char_end: int
    kind: PassageKind = PassageKind.text
    page: int | None = None
    turn: int | None = None
    speaker: str | None = None
    speaker_role: SpeakerRole | None = None
    section: str | None = None


@dataclass(slots=True)
class Parsed:
    """What a format reader found; ``read_document`` turns it into a Document."""

    media_type: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    page_count: int | None = None
    kind: DocumentKind | None = None  # a reader's own guess, e.g. from a transcript header
    date: str | None = None
    place: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    respondents: list[Respondent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    is_transcript: bool = False
    header_fields: dict[str, str] = field(default_factory=dict)  # raw, never stored
