"""A parsed Transcript to blocks and respondents, with speakers pseudonymised when required."""

from __future__ import annotations

import re

from ingest.model import DocumentKind, PassageKind, Respondent, SpeakerRole

from ._blocks import Block, Parsed
from ._header import LISTED_PREFIX
from ._header_sentences import respondent_from_sentences
from ._names import split_person
from ._privacy import pseudonyms
from ._roles import speaker_roles
from ._segment import passage_spans
from ._transcript import Transcript

__all__ = ["transcript_to_parsed"]

_RESPONDENT_KEYS = (
    "respondent",
    "interviewee",
    "informant",
    "participant",
    "entrevistad",
    "informante",
    "participante",
)
# "Entrevistadora" contains "entrevistad": the one who asks is never the respondent.
_INTERVIEWER_KEYS = (
    "interviewer",
    "facilitator",
    "moderator",
    "entrevistador",
    "moderador",
    "facilitador",
)
_PERSON_KEYS = (
    *_RESPONDENT_KEYS,
    *_INTERVIEWER_KEYS,
    "name",
    "nombre",
    "note-taker",
    "notetaker",
)
_PLACE_KEYS = ("place", "location", "venue", "lugar", "site", "sede")
_LEVEL_WORDS = re.compile(
    r"\b(?:level|non-state|national|local|international|regional|provincial|district|community"
    r"|neighbourhood|neighborhood|municipal|federal|state-level|nivel|nacional|estatal"
    r"|internacional|comunitario)\b",
    re.IGNORECASE,
)
_MEMBERS_OF = re.compile(r"\bmembers? of (?:the )?(.+)$", re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^)]*\)")
_SENTENCE_HEAD_CHARS = 3000  # the circumstances of an interview come before its turns
_TRAILING_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")
_ROLE_ORG = re.compile(r"\s+(?:DE(?:L| LA| LOS| LAS)?|OF(?: THE)?)\s+", re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    parts = re.split(r";|\.\s+|\.$", text)
    return [" ".join(p.split()).strip(" ,") for p in parts if p.strip(" ,.")]


def _split_top_level_comma(text: str) -> tuple[str, str | None]:
    """'Coordinator (female, 30s), Eastgate Youth Centre' -> ('Coordinator (...)', 'Eastgate...')."""
    depth = 0
    last = -1
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            last = i
    if last < 0:
        return text, None
    return text[:last].strip(), text[last + 1 :].strip() or None


def _field(fields: dict[str, str], keys: tuple[str, ...], *, without: tuple[str, ...] = ()) -> str:
    """The value of the field that best names one of ``keys``: a key that is the word
    itself ("Entrevistado", "Respondent") wins over one that only contains it ("Entrevista
    a informante clave: KII-04" is the interview's code, not its respondent)."""
    found = [
        (not any(key.split()[0].startswith(k) for k in keys), i, value)
        for i, (key, value) in enumerate(fields.items())
        if key.split() and any(k in key for k in keys) and not any(w in key for w in without)
    ]
    return min(found)[2] if found else ""


# "Subdirector de Operaciones de la Secretaría de Seguridad Ciudadana Municipal (SSCM)",
# "Director of the Kivari Youth Trust": a role, then "of the" / "de la" and a name that
# runs to the end of the clause. The article marks where the organisation starts (the
# role's own complement, "de Operaciones", has none).
_ROLE_OF_ORG = re.compile(
    r"^(?P<role>[^\W\d_][^,;]*?)\s+(?:of the|de la|del|de los|de las)\s+"
    r"(?P<org>[A-ZÁÉÍÓÚÑ][^,;]*?)\s*$"
)


def _header_description(fields: dict[str, str]) -> Respondent:
    """What the header says about the respondent(s); speaker is filled in later."""
    who = _field(fields, _RESPONDENT_KEYS, without=_INTERVIEWER_KEYS)
    organisation = _field(
        fields,
        ("organisation", "organization", "institution", "institución", "organización", "agency"),
        without=("type", "level", "tipo"),
    )
    type_level = next(
        (
            v
            for k, v in fields.items()
            if ("type" in k or "tipo" in k) and ("org" in k or "institu" in k)
        ),
        "",
    )
    level = _field(fields, ("level", "nivel"), without=("type", "tipo"))

    role = None
    if who:
        clauses = _clauses(who)
        first = clauses[0] if clauses else who
        if not organisation:
            for clause in clauses[1:]:
                if m := _MEMBERS_OF.search(clause):
                    organisation = m.group(1)
            if not organisation and len(clauses) == 1:
                first, org = _split_top_level_comma(first)
                organisation = org or ""
            if not organisation and (m := _ROLE_OF_ORG.match(_PARENS.sub("", first).strip())):
                # keep a trailing acronym with its name: "... Municipal (SSCM)"
                acronym = _TRAILING_PARENS.search(first)
                first = m.group("role")
                organisation = m.group("org") + (
                    f" ({acronym.group(1)})"
                    if acronym and not _LEVEL_WORDS.search(acronym.group(1))
                    else ""
                )
        role = _PARENS.sub("", first).strip() or None
        if not level and not type_level:
            level = ", ".join(
                c for c in clauses[1:] if _LEVEL_WORDS.search(c) and not _MEMBERS_OF.search(c)
            )
    # "Directorate of Children's Services (national)": a header table's level in brackets.
    if (m := _TRAILING_PARENS.search(organisation)) and _LEVEL_WORDS.search(m.group(1)):
        organisation = organisation[: m.start()].strip()
        level = level or m.group(1).strip()
    org_type = None
    if type_level:
        parts = _clauses(type_level)
        org_type = parts[0] if parts else None
        if not level:
            level = ", ".join(p for p in parts[1:] if _LEVEL_WORDS.search(p))
    return Respondent(
        speaker="",
        role=role,
        organisation=organisation or None,
        organisation_type=org_type,
        level=level or None,
    )


def _from_details(speaker: str, details: str) -> Respondent:
    """'SECRETARIO EJECUTIVO DEL SISTEMA NACIONAL ...' -> role and organisation."""
    parts = _ROLE_ORG.split(details, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return Respondent(speaker=speaker, role=details, organisation=parts[1].strip())
    return Respondent(speaker=speaker, role=details)


def _from_listing(speaker: str, entry: str) -> Respondent:
    """'Site supervisor, Sentinel Shield Security Ltd, Soko Mpya market (male, 40s)' from a
    header's participant list -> role before the first comma, organisation after it; a
    leading person's name ('Jane Doe, site supervisor, ...') is dropped."""
    name, rest = split_person(_PARENS.sub("", entry))
    role, _, organisation = (rest if name else _PARENS.sub("", entry)).partition(",")
    role, organisation = role.strip(), organisation.strip()
    if not organisation and (m := _ROLE_OF_ORG.match(role)):
        role, organisation = m.group("role"), m.group("org")
    return Respondent(speaker=speaker, role=role or None, organisation=organisation or None)


def transcript_to_parsed(
    transcript: Transcript, kind: DocumentKind, *, pseudonymise: bool, media_type: str
) -> Parsed:
    role_of = speaker_roles([(turn.label, turn.text.text) for turn in transcript.turns], kind)
    roles = list(role_of.items())  # in order of first appearance, for stable pseudonyms
    names = (
        pseudonyms(((label, role) for label, role in roles), kind)
        if pseudonymise
        else {label: label for label, _ in roles}
    )

    parsed = Parsed(
        media_type=media_type,
        title=transcript.title,
        kind=kind,
        date=transcript.date,
        is_transcript=True,
    )
    preamble = transcript.preamble.text
    for s, e in passage_spans(preamble):
        parsed.blocks.append(Block(preamble[s:e], s, e, page=transcript.preamble.page_at(s)))
    for index, turn in enumerate(transcript.turns):
        text = turn.text.text
        speaker = names.get(turn.label) if turn.label else None
        role = role_of.get(turn.label, SpeakerRole.unknown) if turn.label else SpeakerRole.unknown
        for s, e in passage_spans(text):
            parsed.blocks.append(
                Block(
                    text[s:e],
                    s,
                    e,
                    kind=PassageKind.turn,
                    page=turn.text.page_at(s),
                    turn=index,
                    speaker=speaker,
                    speaker_role=role,
                )
            )

    header = _header_description(transcript.fields)
    if header.organisation is None:
        # "The respondent works for X as Y": the header said it in a sentence, not a field.
        said_role, organisation = respondent_from_sentences(
            "\n".join([transcript.header_text, preamble[:_SENTENCE_HEAD_CHARS]])
        )
        if organisation:
            header = header.model_copy(
                update={"organisation": organisation, "role": header.role or said_role}
            )
    details: dict[str, str] = {}
    for turn in transcript.turns:
        if turn.label and turn.details:
            details.setdefault(turn.label, turn.details)
    respondent_labels = [
        label for label in dict(roles) if role_of[label] is not SpeakerRole.interviewer
    ]
    for label in respondent_labels:
        listed = transcript.fields.get(LISTED_PREFIX + label.lower())
        if label in details and not pseudonymise:
            parsed.respondents.append(_from_details(names[label], details[label]))
        elif listed:
            parsed.respondents.append(_from_listing(names[label], listed))
        elif role_of[label] is SpeakerRole.respondent and (
            len(respondent_labels) == 1 or kind is DocumentKind.fgd
        ):
            parsed.respondents.append(header.model_copy(update={"speaker": names[label]}))
        else:
            parsed.respondents.append(Respondent(speaker=names[label]))

    parsed.place = _field(transcript.fields, _PLACE_KEYS) or None
    for key, value in transcript.fields.items():
        if not any(k in key for k in _PERSON_KEYS):
            parsed.metadata[f"header.{key}"] = value
    parsed.metadata["transcript_layout"] = transcript.layout
    parsed.metadata["kind_cue"] = transcript.kind_cue
    return parsed
