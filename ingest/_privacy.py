"""Stable pseudonyms for interview speakers, so no real label or name leaves ingest.

A pseudonym depends only on the document and the order in which speakers first speak,
so re-ingesting the same file yields the same names. Numbered labels keep their number
("P2" -> "Participant 2") because the number is already anonymous and analysts quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.model import DocumentKind, SpeakerRole

__all__ = ["pseudonyms"]

_NUMBER = re.compile(r"(\d{1,3})\s*$")


def _nouns(kind: DocumentKind) -> tuple[str, str]:
    """(interviewer noun, respondent noun) for a kind of record."""
    if kind is DocumentKind.fgd:
        return "Facilitator", "Participant"
    if kind is DocumentKind.kii:
        return "Interviewer", "Respondent"
    return "Moderator", "Speaker"


def pseudonyms(
    speakers: Iterable[tuple[str, SpeakerRole]], kind: DocumentKind
) -> dict[str, str]:
    """Map each speaker label (in order of first turn) to its pseudonym."""
    ordered: dict[str, SpeakerRole] = {}
    for label, role in speakers:
        ordered.setdefault(label, role)
    interviewer_noun, respondent_noun = _nouns(kind)
    interviewers = [label for label, role in ordered.items() if role is SpeakerRole.interviewer]
    others = [label for label, role in ordered.items() if role is not SpeakerRole.interviewer]

    names: dict[str, str] = {}
    for i, label in enumerate(interviewers, start=1):
        names[label] = interviewer_noun if len(interviewers) == 1 else f"{interviewer_noun} {i}"

    numbered: dict[str, int] = {}
    for label in others:
        if ordered[label] is SpeakerRole.respondent and (m := _NUMBER.search(label)):
            numbered[label] = int(m.group(1))
    taken = set(numbered.values())
    next_free = 1
    for label in others:
        number = numbered.get(label)
        if number is None or list(numbered.values()).count(number) > 1:
            while next_free in taken:
                next_free += 1
            number = next_free
            taken.add(number)
        noun = respondent_noun if ordered[label] is SpeakerRole.respondent else "Speaker"
        names[label] = f"{noun} {number}"
    return names
