"""A stored document read back into the ingestion contract, so it can be extracted again
without its original file (after an analyst undoes a merge, for instance)."""

from __future__ import annotations

import json

from ingest.model import Document, DocumentKind, Passage, PassageKind, Respondent, SpeakerRole

from . import queries as q
from .store import GraphStore

__all__ = ["stored_document"]


def stored_document(store: GraphStore, document_id: str) -> Document | None:
    rows = store.read(q.DOCUMENT_BY_ID, {"id": document_id})
    if not rows:
        return None
    d = dict(rows[0]["document"])
    passages = [dict(r["passage"]) for r in store.read(q.PASSAGES_OF_DOCUMENT, {"id": document_id})]
    return Document(
        id=d["id"],
        title=d["title"],
        kind=DocumentKind(d["kind"]),
        language=d["language"],
        source_path=d["source_path"],
        media_type=d["media_type"],
        page_count=d.get("page_count"),
        date=d.get("date"),
        place=d.get("place"),
        metadata=json.loads(d.get("metadata") or "{}"),
        respondents=tuple(Respondent(**r) for r in json.loads(d.get("respondents") or "[]")),
        warnings=tuple(d.get("warnings") or ()),
        passages=tuple(
            Passage(
                id=p["id"],
                index=p["index"],
                text=p["text"],
                kind=PassageKind(p.get("kind") or PassageKind.text),
                page=p.get("page"),
                turn=p.get("turn"),
                char_start=p["char_start"],
                char_end=p["char_end"],
                speaker=p.get("speaker"),
                speaker_role=SpeakerRole(p["speaker_role"]) if p.get("speaker_role") else None,
                section=p.get("section"),
            )
            for p in passages
        ),
    )
