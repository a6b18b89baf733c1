"""Note-style interview summaries: one speaker's account, reported in the third person.

An interview written up from notes has no speaker labels: "The respondent explained that
...", "La entrevistada señaló que ...". It is still the respondent speaking, so their
"we" and their "nobody from X has ever come" must keep the respondent's side. A text reads
as such a summary from its structure, not from any one sentence:

- it says it is an interview (``KII``, ``interview``, ``entrevista`` in its opening), and
- several of its prose paragraphs report speech: a reporting verb after a noun for the
  interviewee ("the respondent ... explained"), or opening a sentence or clause ("Señaló
  que ...", "Agregó que ..."), with the interviewee named as the reporting subject in at
  least two of them.

The verbs and nouns are data (``reporting_verbs.json``, with their source).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NoteSummary", "find_note_summary"]

_LEXICON = Path(__file__).with_name("reporting_verbs.json")
_INTERVIEW_WORD = re.compile(r"\bKII\b|\binterview\w*|\bentrevista\w*", re.IGNORECASE)
_OPENING_CHARS = 600
_PROSE_WORDS = 20  # shorter paragraphs are headings, list items, sign-offs
_MIN_REPORTING = 3
_MIN_SHARE = 0.3
_MIN_NAMED_SUBJECT = 2
_SUBJECT_GAP = r"(?:[\w,]+\s+){0,4}?"  # "La entrevistada, por su parte, señaló"


@dataclass(frozen=True, slots=True)
class NoteSummary:
    preamble: str  # what comes before the account (title, the interview's circumstances)
    account: str  # the respondent's account, paragraphs separated by blank lines
    statements: int  # paragraphs that report the respondent's speech


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lexicon = json.loads(_LEXICON.read_text(encoding="utf-8"))

    def alternation(groups: dict[str, list[str]]) -> str:
        words = sorted({w for ws in groups.values() for w in ws}, key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)

    subjects, verbs = alternation(lexicon["subjects"]), alternation(lexicon["verbs"])
    named = re.compile(rf"\b(?:{subjects})\s+{_SUBJECT_GAP}(?:{verbs})\b", re.IGNORECASE)
    opening = re.compile(
        rf"(?:^|[.;:!?]\s+|,\s+)(?:{verbs})\b(?:,|\s+(?:que|that)\b)", re.IGNORECASE
    )
    return named, opening


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each blank-line-separated paragraph."""
    out = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*$)", text, re.DOTALL):
        out.append((m.start(), m.group(0)))
    return out


def find_note_summary(text: str) -> NoteSummary | None:
    """The respondent's account in a third-person interview summary, or None."""
    if not _INTERVIEW_WORD.search(text[:_OPENING_CHARS]):
        return None
    named, opening = _patterns()
    prose = [(start, p) for start, p in _paragraphs(text) if len(p.split()) >= _PROSE_WORDS]
    reporting = [(start, p) for start, p in prose if named.search(p) or opening.search(p)]
    with_subject = sum(1 for _, p in reporting if named.search(p))
    if (
        len(reporting) < _MIN_REPORTING
        or len(reporting) < _MIN_SHARE * len(prose)
        or with_subject < _MIN_NAMED_SUBJECT
    ):
        return None
    first = reporting[0][0]
    return NoteSummary(text[:first].strip(), text[first:].strip(), len(reporting))
