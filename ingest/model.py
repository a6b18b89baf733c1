"""The ingestion contract: a Document made of Passages with exact provenance.

``nlp`` consumes these values and never sees files. Every Passage can be traced back to
its source: page (PDFs and paged records) or turn (transcripts), and the character span of
its text within that page's or turn's extracted text.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "TRANSCRIPT_KINDS",
    "Document",
    "DocumentKind",
    "Passage",
    "PassageKind",
    "Respondent",
    "SpeakerRole",
]


class DocumentKind(StrEnum):
    policy = "policy"
    plan = "plan"
    report = "report"
    law = "law"  # laws, decrees, agreements, MoUs
    kii = "kii"  # key-informant interview
    fgd = "fgd"  # focus group discussion
    hearing = "hearing"  # public hearing, official stenographic record
    meeting = "meeting"  # consultation or meeting minutes/transcript
    other = "other"


TRANSCRIPT_KINDS = frozenset(
    {DocumentKind.kii, DocumentKind.fgd, DocumentKind.hearing, DocumentKind.meeting}
)


class PassageKind(StrEnum):
    text = "text"
    heading = "heading"
    table = "table"
    turn = "turn"  # one speaker turn (or a paragraph of a long turn)
    footnote = "footnote"  # a PDF page's footnote, kept out of the body text


class SpeakerRole(StrEnum):
    interviewer = "interviewer"  # interviewer, moderator, facilitator, chair asking questions
    respondent = "respondent"  # KII respondent or FGD participant
    official = "official"  # named speaker in a hearing or official record
    unknown = "unknown"


class Respondent(BaseModel):
    """What a transcript header says about a speaker, already pseudonymised if required."""

    model_config = ConfigDict(frozen=True)

    speaker: str  # the label used in Passage.speaker (a pseudonym for KII/FGD)
    role: str | None = None  # "District Commander", "market vendor"
    organisation: str | None = None  # "Valdora Metropolitan Police Command"
    organisation_type: str | None = None  # free text from the header: "State police service"
    level: str | None = None  # free text from the header: "national institution"


class Passage(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # f"{document_id}:{index}"
    index: int = Field(ge=0)  # position in the document's reading order
    text: str
    kind: PassageKind = PassageKind.text
    page: int | None = Field(default=None, ge=1)  # 1-based page number, when paged
    turn: int | None = Field(default=None, ge=0)  # 0-based turn index, in transcripts
    char_start: int = Field(ge=0)  # span of ``text`` within its page's / turn's text
    char_end: int = Field(ge=0)
    speaker: str | None = None
    speaker_role: SpeakerRole | None = None
    section: str | None = None  # nearest heading above, when known

    @model_validator(mode="after")
    def _span_is_consistent(self) -> Passage:
        if self.char_end < self.char_start:
            raise ValueError("char_end must not be before char_start")
        return self


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[0-9a-f]{64}$")  # sha256 of the file's bytes
    title: str
    kind: DocumentKind
    language: str  # ISO 639-1: "en", "es"; "und" when undetermined
    source_path: str  # where it was read from; also the key that links versions
    media_type: str  # "application/pdf", "text/plain", ...
    page_count: int | None = None
    date: str | None = None  # ISO date when the document or header gives one
    place: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    respondents: tuple[Respondent, ...] = ()
    passages: tuple[Passage, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. pages skipped for having no text layer

    @property
    def is_transcript(self) -> bool:
        return self.kind in TRANSCRIPT_KINDS

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.passages)
