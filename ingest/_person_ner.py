"""Person names the statistical NER finds in interview and focus-group turns (issue 16.2).

The header and fixed phrasings (``_names``) catch the names a transcript announces; people
mentioned in passing ("Odhiambo from the county office") only a statistical model sees.
Ingest keeps no model of its own: it borrows the extraction pipeline ``nlp.load_pipeline``
has already loaded and cached for the document's language, so a process loads spaCy once.
The import is deferred to the call so that ingest, which otherwise knows nothing of nlp,
costs nothing for documents that are not pseudonymised.

Precision first: a PERSON hit that overlaps a span the actor ruler names as a body
(ACTOR, POLICY, PROGRAMME, REF, WEAK), or that shares a word with any such span in the
document, is not a name ("Mama Salama Network" tagged PERSON stays). Only the components up
to the actor ruler run; the classifier, themes and relation cues are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

from ._names import looks_like_name, strip_title

__all__ = ["PERSON_LABELS", "PersonFinds", "ner_person_names"]

# spaCy's English models say PERSON, its Spanish (WikiNER) models say PER.
PERSON_LABELS = frozenset({"PERSON", "PER"})
_BODY_LABELS = frozenset({"ACTOR", "POLICY", "PROGRAMME", "REF", "WEAK"})
_STOP_AFTER = "govgraph_actor_ruler"
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_PARTICLES = frozenset({"de", "del", "la", "van", "von", "da", "dos", "das"})
# Words that join a name to the body after it ("X of the Y", "X de la Y", "X from Y").
_LINKS = frozenset(
    {"de", "del", "la", "las", "los", "el", "of", "the", "from", "at", "en", ",", "-"}
)


@dataclass(frozen=True)
class PersonFinds:
    """Names found, and the words of the document's body names: a single word of a
    person's name that also names a body ('Grace' of 'Amazing Grace Foundation') is only
    replaced as part of the full name, never alone."""

    names: tuple[str, ...]
    body_words: frozenset[str]


def _pipeline(language: str):  # type: ignore[no-untyped-def]
    from nlp.components.actor_ruler import SPANS_KEY
    from nlp.pipeline import load_pipeline

    pipeline = load_pipeline(language)
    names = pipeline.pipe_names
    skip = names[names.index(_STOP_AFTER) + 1 :] if _STOP_AFTER in names else []
    return pipeline, skip, SPANS_KEY


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(' ,.;:!?"“”()[]')
    return strip_title(_POSSESSIVE.sub("", text))


def _before_body(ent: Span, body_tokens: set[int]) -> Span | None:
    """The hit up to where a body's name starts: 'María Fernández de la Fundación X' tagged
    PER as a whole is 'María Fernández'. None when the hit starts inside a body."""
    end = next((i for i in range(ent.start, ent.end) if i in body_tokens), ent.end)
    while end > ent.start and ent.doc[end - 1].lower_ in _LINKS:
        end -= 1
    return ent.doc[ent.start : end] if end > ent.start else None


def _proper(span: Span) -> bool:
    """Every word a proper noun: 'Bueno, ...' tagged PER is an interjection, not a name."""
    return all(t.pos_ == "PROPN" or t.lower_ in _PARTICLES for t in span if t.is_alpha)


def ner_person_names(texts: Iterable[str], language: str) -> PersonFinds:
    """Distinct person names (titles and possessives stripped) in ``texts``, in order of
    first mention; none inside a body's name, none a body's name in one word."""
    pipeline, skip, spans_key = _pipeline(language)
    found: list[str] = []
    body_words: set[str] = set()
    for doc in pipeline.pipe(list(texts), disable=skip):
        bodies = [s for s in doc.spans.get(spans_key, []) if s.label_ in _BODY_LABELS]
        body_tokens = {i for s in bodies for i in range(s.start, s.end)}
        body_words.update(t.lower_ for s in bodies for t in s if t.is_alpha)
        for ent in doc.ents:
            if ent.label_ not in PERSON_LABELS:
                continue
            span = _before_body(ent, body_tokens)
            if span is None or not _proper(span):
                continue
            name = _clean(span.text)
            if looks_like_name(name) and name not in found:
                found.append(name)
    names = tuple(n for n in found if len(n.split()) > 1 or n.lower() not in body_words)
    return PersonFinds(names, frozenset(body_words))
