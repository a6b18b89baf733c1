"""Documents built in memory for tests that skip file reading: one page, one passage a text."""

from __future__ import annotations

import hashlib

from graph_schema.model import GraphBatch, RelationKind
from ingest.model import Document, DocumentKind, Passage, Respondent, SpeakerRole

# Speaker labels that ask, not answer (interviews and focus groups).
ASKING = frozenset({"Interviewer", "Moderator", "Facilitator"})


def text_document(name: str, *texts: str, language: str = "en") -> Document:
    """A one-page report named ``name`` (also its source path), id derived from the name."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return Document(
        id=digest,
        title=name,
        kind=DocumentKind.report,
        language=language,
        source_path=name,
        media_type="text/plain",
        page_count=1,
        metadata={"author": "test"},
        passages=tuple(
            Passage(id=f"{digest}:{i}", index=i, text=t, page=1, char_start=0, char_end=len(t))
            for i, t in enumerate(texts)
        ),
    )


def turns_document(
    name: str,
    turns: list[tuple[str | None, str]],
    *,
    kind: DocumentKind = DocumentKind.kii,
    language: str = "en",
    respondents: tuple[Respondent, ...] = (),
) -> Document:
    """A transcript named ``name``: one passage per (speaker, text) turn; a speaker in
    ``ASKING`` is the interviewer, any other a respondent, ``None`` a text passage."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return Document(
        id=digest,
        title=name,
        kind=kind,
        language=language,
        source_path=name,
        media_type="text/plain",
        passages=tuple(
            Passage(
                id=f"{digest}:{i}",
                index=i,
                text=text,
                char_start=0,
                char_end=len(text),
                speaker=speaker,
                turn=i if speaker else None,
                speaker_role=(
                    None
                    if speaker is None
                    else SpeakerRole.interviewer
                    if speaker in ASKING
                    else SpeakerRole.respondent
                ),
                kind="turn" if speaker else "text",
            )
            for i, (speaker, text) in enumerate(turns)
        ),
        respondents=respondents,
    )


def works_on_pairs(batch: GraphBatch) -> set[tuple[str, str]]:
    """(body name, theme id) for every works_on relation of an extracted batch."""
    names = {e.id: e.name for e in batch.entities}
    return {
        (names[r.source_id], r.target_id)
        for r in batch.relations
        if r.kind is RelationKind.works_on
    }
