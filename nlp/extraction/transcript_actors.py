"""Who speaks in a transcript: the respondent's organisation, or each participant's.

A transcript's "we" means the speaker's organisation; the header (or a self-introduction)
says which one, so these actors exist before any passage is read.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Span

from govgraph.settings import Settings
from graph_schema.model import Label
from ingest.model import SpeakerRole
from nlp.components.actor_classifier import ActorClass, Decision, classify_name, level_from_text
from nlp.components.actor_ruler import SPANS_KEY
from nlp.extraction.state import DocState
from nlp.lexicon import org_lexicon
from nlp.pipeline import load_pipeline
from nlp.resolution import Resolver

# "I work for X", "we are from X", "I represent X", and a role in X: "I am the chairman of
# X", "I'm a social worker with X", "soy la coordinadora de X". A role needs its article
# ("I am happy with the police" names no employer); up to three role words.
_SELF_INTRO = re.compile(
    r"\b(?:I|we)(?:\s+(?:work|am|are)|\s*['’](?:m|re))\s+(?:for|with|at|in|from)\s+|"
    r"\b(?:I|we)(?:\s+(?:am|are|serve\s+as)|\s*['’](?:m|re))\s+(?:the|a|an)\s+"
    r"(?:[a-z][\w-]*\s+){1,3}?"
    r"(?:of|for|with|at|in)\s+|"
    r"\b(?:I|we)\s+represent\s+|\btrabajo\s+(?:en|para)\s+|"
    r"\bsoy\s+(?:el\s+|la\s+|un\s+|una\s+)?(?:[a-záéíóúñ]+\s+){1,3}?(?:de|del|en)\s+",
    re.IGNORECASE,
)
_HEADER_ORG = re.compile(
    r"^\s*(organi[sz]ation|organizaci[oó]n|institution|instituci[oó]n)\b",
    re.IGNORECASE | re.MULTILINE,
)


def respondent_actor(state: DocState, resolver: Resolver, settings: Settings | None) -> str | None:
    """The organisation a transcript's respondent speaks for, as an actor id."""
    document = state.document
    if not document.is_transcript:
        return None
    nlp = load_pipeline(document.language, settings)
    lex = org_lexicon()
    candidates: list[tuple[str, str]] = []  # (organisation text, header free text)
    for r in document.respondents:
        if r.organisation and not _participant_list(r.organisation):
            candidates.append(
                (r.organisation, " ".join(filter(None, [r.organisation_type, r.level])))
            )
    if not candidates:
        for pr in state.passages[:3]:
            for m in _HEADER_ORG.finditer(pr.passage.text):
                line = pr.passage.text[m.start() :].split("\n", 1)[0]
                candidates.append((line.split(":", 1)[-1], pr.passage.text))
        for pr in state.passages:
            intro = _SELF_INTRO.search(pr.passage.text)
            if intro and pr.passage.speaker_role is SpeakerRole.respondent:
                candidates.append((pr.passage.text[intro.end() : intro.end() + 120], ""))
                break
    for text, header in candidates:
        name = _first_actor(nlp, text) or _capitalised_name(text)
        if name is None:
            continue
        eid = resolver.resolve(name, Label.Actor, document_id=document.id)
        cls = classify_name(name, lex)
        if cls.type is None and name != _first_actor(nlp, text):
            cls = _UNHEADED
        if header:
            level = level_from_text(header, lex, confidence=0.9, source="respondent header")
            type_ = classify_name(header, lex).type
            cls = ActorClass(
                cls.type
                or (
                    Decision(type_.value, 0.7, "respondent header " + type_.cue) if type_ else None
                ),
                level or cls.level,
            )
        state.decisions[eid].append(cls)
        return eid
    return None


# State bodies are named with an institutional head word (Ministry, Department, Police...);
# a declared organisation whose name has none is most often a non-state group.
_UNHEADED = ActorClass(
    Decision("ngo", 0.35, "header organisation named without a state-body word"),
    Decision("non_state", 0.35, "header organisation named without a state-body word"),
)
_PARTICIPANT_ITEM = re.compile(
    r"^\s*(?:[A-Z]{1,2}|Participant|Participante|Respondent)\s*(\d{1,3})\b[\s:.,-]*(.*)$", re.DOTALL
)
_NUMBER_AT_END = re.compile(r"(\d{1,3})\s*$")


def participant_actors(
    state: DocState, resolver: Resolver, settings: Settings | None
) -> dict[str, str]:
    """Speaker -> organisation when the header lists one per participant.

    Focus groups mix organisations: "P1 caseworker, A; P2 outreach worker, B". Each
    participant's "we" is their own organisation, not the first one the header names.
    Numbered pseudonyms keep the label's number ("P2" -> "Participant 2").
    """
    document = state.document
    if not document.is_transcript:
        return {}
    listed = next(
        (
            r.organisation
            for r in document.respondents
            if r.organisation and _participant_list(r.organisation)
        ),
        None,
    )
    nlp = load_pipeline(document.language, settings)
    lex = org_lexicon()
    if listed is None:
        return _own_organisations(state, resolver, nlp)
    by_number: dict[str, str] = {}
    for item in re.split(r"[;\n]", listed):
        m = _PARTICIPANT_ITEM.match(item)
        if m is None:
            continue
        named = _first_actor(nlp, m.group(2))
        name = named or _capitalised_name(m.group(2))
        if name is None:
            continue
        eid = resolver.resolve(name, Label.Actor, document_id=document.id)
        # The header's type and level describe the whole group, not this organisation.
        cls = classify_name(name, lex)
        if named is None and cls.type is None:
            cls = _UNHEADED
        state.decisions[eid].append(cls)
        by_number.setdefault(m.group(1), eid)
    out: dict[str, str] = {}
    for r in document.respondents:
        num = _NUMBER_AT_END.search(r.speaker)
        if num is not None and num.group(1) in by_number:
            out[r.speaker] = by_number[num.group(1)]
    return out


def _own_organisations(state: DocState, resolver: Resolver, nlp: Language) -> dict[str, str]:
    """Speaker -> organisation when the header gives several participants each their own
    ("P1 - Programme coordinator, Tumaini Recovery Outreach", "P2 - Founder, Mama Salama
    ..."): each one's "we" is that organisation, and a participant whose organisation the
    header does not give speaks for none (not for the first one named)."""
    document = state.document
    own = [r for r in document.respondents if r.organisation]
    if len(own) < 2 or len({r.organisation for r in own}) < 2:
        return {}
    out: dict[str, str] = {}
    for r in own:
        organisation = str(r.organisation)
        name = _first_actor(nlp, organisation) or _capitalised_name(organisation)
        if name is not None:
            out[r.speaker] = resolver.resolve(name, Label.Actor, document_id=document.id)
    return out


def _participant_list(organisation: str) -> bool:
    """ "P1 caseworker, A; P2 teacher, B": one organisation per numbered participant."""
    items = [i for i in re.split(r"[;\n]", organisation) if i.strip()]
    return len(items) > 1 and sum(bool(_PARTICIPANT_ITEM.match(i)) for i in items) >= 2


def _first_actor(nlp: Language, text: str) -> str | None:
    doc = nlp(text.strip())
    spans: list[Span] = list(doc.spans.get(SPANS_KEY, []))
    return next((s.text for s in spans if s.label_ == "ACTOR"), None)


_CAP_NAME = re.compile(
    r"(?<![\w'])[A-Z][\w'’\-]*(?:\s+(?:(?:of|for|and|the|de|del|la|los|las|y|&)\s+)*[A-Z][\w'’\-]*)+"
)


def _capitalised_name(text: str) -> str | None:
    """A header field declares an organisation even when its name has no institutional head
    word ("outreach worker, Crossroads Outreach"): its first multi-word capitalised name."""
    for part in text.split(","):
        m = _CAP_NAME.search(part)
        if m is not None:
            return m.group(0).strip()
    return None
