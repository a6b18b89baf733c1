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

from ._names import HONORIFICS, looks_like_name, split_person, strip_title

__all__ = ["PERSON_LABELS", "PersonFinds", "ner_person_names"]

# spaCy's English models say PERSON, its Spanish (WikiNER) models say PER.
PERSON_LABELS = frozenset({"PERSON", "PER"})
_BODY_LABELS = frozenset({"ACTOR", "POLICY", "PROGRAMME", "REF", "WEAK"})
# Statistical labels that say a name is a place, a body, a group or a thing.
_NOT_PERSON_LABELS = frozenset(
    {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "MISC"}
)
_STOP_AFTER = "govgraph_actor_ruler"
# Words after which a capitalised name is a place or a thing, not a person.
_PLACE_CUES = r"(?:in|at|near|around|across|throughout|inside|outside|the|en|cerca\s+de)"
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
    from nlp.lexicon import org_lexicon
    from nlp.pipeline import load_pipeline

    pipeline = load_pipeline(language)
    names = pipeline.pipe_names
    skip = names[names.index(_STOP_AFTER) + 1 :] if _STOP_AFTER in names else []
    # The lexicon's person titles and police ranks, and the honorifics _names strips.
    lex = org_lexicon()
    titles = lex.person_titles | lex.police_ranks | HONORIFICS
    return pipeline, skip, SPANS_KEY, titles


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


def _strip_determiner(span: Span) -> Span:
    return span[1:] if len(span) > 1 and span[0].lower_ in _LINKS else span


def _proper(span: Span) -> bool:
    """Every word a proper noun: 'Bueno, ...' tagged PER is an interjection, not a name."""
    return all(t.pos_ == "PROPN" or t.lower_ in _PARTICLES for t in span if t.is_alpha)


def _titled(span: Span, titles: frozenset[str]) -> bool:
    """'Mr. Oloo', 'Inspector Kovar', 'la licenciada Arreola': a title or rank before it."""
    doc, i = span.doc, span.start
    if span[0].lower_.rstrip(".") in titles:
        return True
    if i > 0 and doc[i - 1].text == "." and i > 1:
        i -= 1
    return i > 0 and doc[i - 1].lower_.rstrip(".") in titles


def _placed(name: str, text: str) -> bool:
    """The text uses the name as a place or a thing: 'in Mlango Saba', 'the Safer Kivari
    project', 'X (ACR)'. People are not 'in' or 'the' anything."""
    name = re.escape(name)
    before = re.search(rf"\b{_PLACE_CUES}\s+{name}\b", text, re.IGNORECASE)
    # 'Razones de Género (FEVIG)': a name with its acronym is a body's.
    return before is not None or re.search(rf"\b{name}\s*\([A-Z]{{2,}}", text) is not None


def _header_words(values: Iterable[str]) -> set[str]:
    """Words of the bodies and places a header names, without the people it names:
    'P2 - Founder, Mama Salama Community Initiative' gives mama, salama, community, ..."""
    words: set[str] = set()
    for value in values:
        for item in re.split(r"[;\n]", value):
            name, rest = split_person(re.sub(r"^\s*[A-Z]{1,2}\d{1,3}\b[\s:.,-]*", "", item))
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", rest if name else item))
    return words


def ner_person_names(
    texts: Iterable[str], language: str, header_values: Iterable[str] = ()
) -> PersonFinds:
    """Distinct person names (titles and possessives stripped) in ``texts``, in order of
    first mention, the statistical NER's PERSON/PER hits that survive what the document
    itself shows. Untitled hits are mostly places, programmes and short names of bodies
    ('Hope Harbour', 'Mtoni'), so an untitled one-word hit is never taken on its own (it is
    replaced when it is part of a name taken) and an untitled longer one is dropped when
    the document tags it, or all its words, as a place or a body elsewhere (header fields
    included), or uses it after 'in', 'at', 'the' ... A titled hit ('Mr. Oloo') is taken."""
    pipeline, skip, spans_key, titles = _pipeline(language)
    texts = list(texts)
    found: dict[str, bool] = {}  # name -> titled
    other: set[str] = set()  # texts named as a place or a body somewhere in the document
    lower: set[str] = set()  # words the document writes in lower case
    body_texts: set[str] = set()
    for doc in pipeline.pipe(texts, disable=skip):
        spans = list(doc.spans.get(spans_key, []))
        bodies = [s for s in spans if s.label_ in _BODY_LABELS]
        body_tokens = {i for s in bodies for i in range(s.start, s.end)}
        others = bodies + [e for e in doc.ents if e.label_ in _NOT_PERSON_LABELS]
        other.update(_clean(_strip_determiner(s).text).lower() for s in others)
        body_texts.update(_clean(_strip_determiner(s).text).lower() for s in bodies)
        lower.update(t.text for t in doc if t.is_lower and t.is_alpha)
        lower.update(t.lower_ for t in doc if t.is_stop)
        # The actor ruler's own PERSON spans are titled people ("Dr Y, head of Z").
        hits = [e for e in doc.ents if e.label_ in PERSON_LABELS]
        hits += [s for s in spans if s.label_ == "PERSON"]
        for hit in hits:
            span = _before_body(hit, body_tokens)
            if span is None or not _proper(span):
                continue
            name = _clean(span.text)
            if looks_like_name(name):
                found[name] = found.get(name, False) or _titled(span, titles)
    # Words of bodies (the ruler's and the header's) protect a name's parts from being
    # replaced alone; the statistical place labels only count against a whole hit (they
    # are often wrong on names: 'Fernández sí vino' tagged LOC).
    body_words = {w for s in body_texts for w in s.split()} | _header_words(header_values)
    words = {w for text in other for w in text.split()} | body_words
    joined = "\n".join(texts)
    names = []
    for name, titled in found.items():
        parts = [w.lower() for w in name.split() if w.lower() not in _PARTICLES]
        if len(parts) == 1 and (parts[0] in lower or parts[0] in words):
            continue  # 'Detail', 'Supe': a common word capitalised; 'Salama' of a body
        if not titled and (
            len(parts) == 1
            or name.lower() in other
            or all(w in words for w in parts)
            or _placed(name, joined)
        ):
            continue
        names.append(name)
    return PersonFinds(tuple(names), frozenset(body_words))
