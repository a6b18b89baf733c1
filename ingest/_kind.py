"""Which kind of document a non-transcript is, from words in its title and first pages."""

from __future__ import annotations

import re

from ingest.model import DocumentKind

__all__ = ["guess_document_kind"]

_CUES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    (
        DocumentKind.law,
        re.compile(
            r"\b(?:law|act|decree|circular|resolution|regulations?|bylaws?|ordinance"
            r"|memorandum of understanding|MoU|ley|decreto|resoluci[óo]n|reglamento|ordenanza"
            r"|convenio|acuerdo)\b",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.plan,
        re.compile(
            r"\b(?:plan|action plan|work ?plan|programme of action|plan de acci[óo]n|planes)\b",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.policy,
        re.compile(
            r"\b(?:policy|policies|strategy|strategic framework|policy brief|guidelines|white paper"
            r"|pol[íi]tica|estrategia|lineamientos)\b",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.report,
        re.compile(
            r"\b(?:report|deliverable|assessment|evaluation|study|survey|review|monitoring"
            r"|informe|reporte|evaluaci[óo]n|estudio|diagn[óo]stico|monitoreo|ficha)\b",
            re.IGNORECASE,
        ),
    ),
)
_HEAD_CHARS = 5000
_TITLE_WEIGHT = 5
_TOP_CHARS = 300  # the opening lines name the genre ("Policy Brief No. 3")
_TOP_WEIGHT = 3


def guess_document_kind(title: str | None, head: str) -> DocumentKind:
    """Most cue hits wins; a cue in the title counts several times."""
    best, best_score = DocumentKind.other, 0
    for kind, pattern in _CUES:
        score = len(pattern.findall(head[:_HEAD_CHARS]))
        score += _TOP_WEIGHT * len(pattern.findall(head[:_TOP_CHARS]))
        if title:
            score += _TITLE_WEIGHT * len(pattern.findall(title))
        if score > best_score:
            best, best_score = kind, score
    return best
