"""Which kind of document a non-transcript is, from words in its title and first pages.

A concept note or project brief describes or proposes a programme; it adopts nothing, so
it is a report, not an instrument (policy, plan, law) that binds its issuer. Minutes
with their attendees are a meeting's record even without speaker turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import DocumentKind

__all__ = ["KindGuess", "guess_document_kind", "guess_kind", "looks_like_a_transcript"]

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
            r"|concept note|project brief|proceedings|informe|reporte|evaluaci[óo]n|estudio"
            r"|diagn[óo]stico|monitoreo|ficha|nota conceptual|relator[íi]a"
            r"|memorias? del? (?:taller|foro|encuentro))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Not "minutes" alone: "30 minutes" is no record of a meeting.
        DocumentKind.meeting,
        re.compile(
            r"\b(?:minutes of|meeting minutes|attendees|in attendance|apologies:"
            r"|actas? de (?:la )?(?:sesi[óo]n|reuni[óo]n)|minuta|asistentes)",
            re.IGNORECASE,
        ),
    ),
)
_HEAD_CHARS = 5000
_TITLE_WEIGHT = 5
_TOP_CHARS = 300  # the opening lines name the genre ("Policy Brief No. 3")
_TOP_WEIGHT = 3


# Below this score the guess rests on a word or two in the body, no title or opening-line
# cue: the summary says so, and that --kind sets it.
_CONFIDENT_SCORE = _TOP_WEIGHT

# Words that name an interview or group discussion in a file name or a document's opening:
# such a file read with no speaker turns has lost every speaker's side (issue 10.6).
_TRANSCRIPT_WORDS = re.compile(
    r"(?:^|[\W_])(?:kii|fgd|interviews?|transcripts?|transcripci[óo]n|entrevistas?"
    r"|focus[\W_]?groups?|grupos?[\W_]focal(?:es)?)(?:$|[\W_\d])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KindGuess:
    kind: DocumentKind
    cue: str  # why, in words, for the ingest summary ("title: 'Action Plan'")
    confident: bool


def guess_kind(title: str | None, head: str) -> KindGuess:
    """Most cue hits wins; a cue in the title or the opening lines counts several times."""
    best, best_score, best_cue = DocumentKind.other, 0, "no genre word in title or text"
    for kind, pattern in _CUES:
        in_title = pattern.findall(title) if title else []
        in_top = pattern.findall(head[:_TOP_CHARS])
        in_head = pattern.findall(head[:_HEAD_CHARS])
        score = len(in_head) + _TOP_WEIGHT * len(in_top) + _TITLE_WEIGHT * len(in_title)
        if score > best_score:
            if in_title:
                cue = f"title word '{in_title[0]}'"
            elif in_top:
                cue = f"opening word '{in_top[0]}'"
            else:
                cue = f"{len(in_head)} body word(s) such as '{in_head[0]}'"
            best, best_score, best_cue = kind, score, cue
    # "other" is no guess at all (no genre word anywhere): nothing to warn about.
    return KindGuess(best, best_cue, best is DocumentKind.other or best_score >= _CONFIDENT_SCORE)


def guess_document_kind(title: str | None, head: str) -> DocumentKind:
    return guess_kind(title, head).kind


def looks_like_a_transcript(filename: str, title: str | None, head: str) -> str | None:
    """The interview word in the file name, title or opening lines, or None."""
    for where, text in (("file name", filename), ("title", title or ""), ("opening", head[:300])):
        if m := _TRANSCRIPT_WORDS.search(text):
            return f"{where} says '{m.group(0).strip(' _-.').lower()}'"
    return None
