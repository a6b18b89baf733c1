"""Stable pseudonyms for interview speakers, so no real label or name leaves ingest.

A pseudonym depends only on the document and the order in which speakers first speak,
so re-ingesting the same file yields the same names. Numbered labels keep their number
("P2" -> "Participant 2") because the number is already anonymous and analysts quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ingest.model import Document, DocumentKind, Passage, Respondent, SpeakerRole

from ._names import (
    THIRD_PERSON,
    header_people,
    intro_names,
    name_variants,
    replace_names,
    strip_names,
    titled_names,
)

__all__ = ["in_text", "pseudonymise_document", "pseudonyms"]

_NUMBER = re.compile(r"(\d{1,3})\s*$")
# Brackets keep a pseudonym from reading as a name to extraction or to a reader.
_PERSON_PREFIX = "[person "


def _nouns(kind: DocumentKind) -> tuple[str, str]:
    """(interviewer noun, respondent noun) for a kind of record."""
    if kind is DocumentKind.fgd:
        return "Facilitator", "Participant"
    if kind is DocumentKind.kii:
        return "Interviewer", "Respondent"
    return "Moderator", "Speaker"


def pseudonyms(speakers: Iterable[tuple[str, SpeakerRole]], kind: DocumentKind) -> dict[str, str]:
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


# --- names in headers and turn text -------------------------------------------------------

_PEOPLE_KEYS = (
    "respondent",
    "interviewee",
    "informant",
    "participant",
    "organis",
    "organiz",
    "member",
    "entrevistad",
    "informante",
    "participante",
    "name",
    "nombre",
)
_INTERVIEWER_KEYS = (
    "interviewer",
    "facilitator",
    "moderator",
    "note",
    "entrevistador",
    "moderador",
    "facilitador",
)


def _header_names(document: Document, fields: Mapping[str, str]) -> dict[str, str]:
    """Name -> pseudonym for every person the header names, with their name parts."""
    respondents = [r.speaker for r in document.respondents if r.speaker]
    interviewers = sorted(
        {
            p.speaker
            for p in document.passages
            if p.speaker and p.speaker_role is SpeakerRole.interviewer
        }
    )
    _, noun = _nouns(document.kind)
    names: dict[str, str] = {}
    for key, value in fields.items():
        if any(k in key for k in _INTERVIEWER_KEYS):
            pseudonym = interviewers[0] if len(interviewers) == 1 else THIRD_PERSON
        elif any(k in key for k in _PEOPLE_KEYS):
            pseudonym = respondents[0] if len(respondents) == 1 else THIRD_PERSON
        else:
            continue
        for number, name, _ in header_people(value):
            own = pseudonym
            if number is not None:
                own = next((s for s in respondents if s.endswith(f" {number}")), f"{noun} {number}")
            for variant in name_variants(name):
                names.setdefault(variant, own)
    return names


def _turn_names(document: Document, known: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Names the turns give away: self-introductions (the speaker's own), and the titled
    forms ("Mr Odhiambo"), which name third persons."""
    names = dict(known)
    third: list[str] = []
    for passage in document.passages:
        for name in intro_names(passage.text):
            own = passage.speaker or THIRD_PERSON
            for variant in name_variants(name):
                names.setdefault(variant, own)
        third += titled_names(passage.text)
    return names, third


def in_text(pseudonym: str) -> str:
    """How a pseudonym reads inside a quote: '[participant 2]'. Capitalised and numbered,
    'Participant 2 does not coordinate with X' reads as a body's name to the statistical
    NER (ORG), and the speaker became an Actor; bracketed lower case reads as no name."""
    return pseudonym if pseudonym.startswith("[") else f"[{pseudonym.lower()}]"


def _add_third_persons(
    names: dict[str, str], found: Iterable[str], protected: frozenset[str] = frozenset()
) -> None:
    """Each person not already pseudonymised gets their own '[person N]', shared by the
    parts of their name: full names are placed first, so 'Kamau' or 'Ms Kamau' alone joins
    'Wanjiru Kamau' (and a part of a header name keeps the speaker's pseudonym)."""
    known = {n.lower() for n in names}
    count = len({p for p in names.values() if p.startswith(_PERSON_PREFIX)})
    for name in sorted(dict.fromkeys(found), key=lambda n: -len(n.split())):
        if name.lower() in known:
            continue
        count += 1
        for variant in name_variants(name):
            if variant.lower() in known or (variant != name and variant.lower() in protected):
                continue
            names[variant] = f"{_PERSON_PREFIX}{count}]"
            known.add(variant.lower())


def _redact_passages(passages: Iterable[Passage], names: Mapping[str, str]) -> tuple[Passage, ...]:
    """Replace names in passage texts, shifting later spans of the same turn or page so
    every span stays exact for the redacted text."""
    shift: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    out: list[Passage] = []
    for passage in sorted(passages, key=lambda p: p.index):
        space = ("turn", passage.turn) if passage.turn is not None else ("page", passage.page)
        text, _ = replace_names(passage.text, names)
        # Shifts caused by earlier passages of this space that end before this one starts.
        before = sum(d for end, d in shift.get(space, []) if end <= passage.char_start)
        start = passage.char_start + before
        out.append(
            passage.model_copy(
                update={"text": text, "char_start": start, "char_end": start + len(text)}
            )
        )
        delta = len(text) - len(passage.text)
        if delta:
            shift.setdefault(space, []).append((passage.char_end, delta))
    return tuple(out)


def _strip_respondent(
    respondent: Respondent, names: list[str], fields: Mapping[str, str]
) -> Respondent:
    def clean(value: str | None) -> str | None:
        return (strip_names(value, names) or None) if value else value

    role, organisation = clean(respondent.role), clean(respondent.organisation)
    if respondent.role and role is None and organisation is not None:
        # 'Respondent: Jane Doe, Centre Coordinator' was read as name + organisation.
        role, organisation = organisation, None
    return respondent.model_copy(
        update={
            "role": role,
            "organisation": organisation,
            "organisation_type": clean(respondent.organisation_type),
            "level": clean(respondent.level),
        }
    )


def pseudonymise_document(
    document: Document,
    header_fields: Mapping[str, str] | None = None,
    *,
    other_names: Iterable[str] = (),
    protected_words: frozenset[str] = frozenset(),
) -> Document:
    """The document with every person name the header, the turns' own phrasing or
    ``other_names`` (NER finds) give replaced by a pseudonym, before anything stores it.
    A part of an ``other_names`` name that is one of ``protected_words`` (words of the
    bodies the document names) is replaced only within the full name.

    Header names and self-introductions become their speaker's pseudonym, written
    "[respondent 1]" in text (see ``in_text``); every other person becomes "[person N]",
    the same N for every mention of them in the document.
    """
    fields = dict(header_fields or {})
    names, third = _turn_names(document, _header_names(document, fields))
    found = [*third, *(n.strip() for n in other_names if n.strip())]
    _add_third_persons(names, found, frozenset(w.lower() for w in protected_words))
    if not names:
        return document
    names = {name: in_text(pseudonym) for name, pseudonym in names.items()}
    header_only = list(names)
    metadata = {
        k: (strip_names(v, header_only) if k.startswith("header.") else replace_names(v, names)[0])
        for k, v in document.metadata.items()
    }
    return document.model_copy(
        update={
            "title": replace_names(document.title, names)[0] or document.title,
            "place": replace_names(document.place, names)[0] if document.place else None,
            "metadata": metadata,
            "respondents": tuple(
                _strip_respondent(r, header_only, fields) for r in document.respondents
            ),
            "passages": _redact_passages(document.passages, names),
        }
    )
