"""Where actors are: (:Actor)-[:LOCATED_IN]->(:Location), so gaps can be asked per place.

Two general cues, each anchored on a passage so the fact has evidence:

- the place is part of the body's name: local and national bodies are named after the
  place they serve ("Brenmoor City Council", "Municipality of Eastfield", "Ministry of the
  Interior of Norland", "Gobierno del Estado de Jalisco");
- the mention is placed explicitly: "the women's shelter in Eastside", "based in X",
  "la fiscalía en X", where X is a place the statistical NER tagged (GPE / LOC).

Only place names the NER or a naming pattern gives are used: no gazetteer of places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span

from graph_schema.model import Label, RelationKind

from .lexicon import org_lexicon
from .relations import LinkedMention, RawRelation
from .resolution import Resolver

__all__ = ["located_in", "names_with_places", "place_names"]

_PLACE_ENTS = frozenset({"GPE", "LOC"})
_NAME = r"[A-ZÁÉÍÓÚÑ][\w'’\-]+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w'’\-]+){0,2}"
# "Brenmoor City Council", "Eastfield District Police": place words before the unit word.
_PLACE_FIRST = re.compile(
    rf"^(?:the\s+)?(?P<place>{_NAME}?)\s+(?:City|County|Municipal|Metropolitan|District|"
    r"Town|Borough|Provincial|Province|State|Regional|Region|Village|Ward)\b"
)
# "Municipality of Eastfield", "Government of Norland", "Ayuntamiento de Zapopan".
_PLACE_AFTER = re.compile(
    r"\b(?:City|County|Municipality|District|Borough|Province|State|Town|Region|Republic|"
    r"Government|Ministry\s+of\s+[\w\s]+?|Municipio|Ayuntamiento|Estado|(?P<ciudad>Ciudad)|"
    r"Gobierno(?:\s+del?\s+(?:la\s+)?(?:Estado|Ciudad|Municipio))?|Alcald[ií]a|Provincia)"
    rf"\s+(?:of|de|del|de\s+la)\s+(?:the\s+)?(?P<place>{_NAME})\s*$"
)
_PLACED_BY = frozenset({"in", "en", "at", "of"})
# Unit words that are never a place on their own ("City Council" has no place in it).
_NOT_PLACES = frozenset(
    {
        "the",
        "city",
        "county",
        "state",
        "national",
        "federal",
        "district",
        "regional",
        "local",
        "metropolitan",
        "municipal",
        "provincial",
        "central",
        "general",
        "republic",
        "la",
        "el",
    }
)


def place_names(docs: Iterable[Doc]) -> set[str]:
    """Places the statistical NER found in these passages."""
    return {
        e.text.strip()
        for doc in docs
        for e in doc.ents
        if e.label_ in _PLACE_ENTS and _is_place_name(e.text)
    }


def _is_place_name(text: str) -> bool:
    words = text.strip().split()
    heads = _org_heads()
    return (
        0 < len(words) <= 4
        and words[0][:1].isupper()
        and text.lower().strip() not in _NOT_PLACES
        and any(c.isalpha() for c in text)
        # "Directorate for Children", "Mothers' Circle": an organisation's name, not a place
        and not any(w.lower().strip("'’") in heads for w in words)
    )


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    return frozenset().union(*org_lexicon().org_heads.values())


def _names_place(name: str, place: str) -> bool:
    """A known place inside a body's name: leading ("Marisco Port Authority") or after "of"
    ("University of Valdora"), never the head noun ("Mothers' Circle")."""
    if name == place:
        return False
    p = re.escape(place)
    return bool(
        re.match(rf"(?:the\s+)?{p}(?:['’]s)?\s+\S", name)
        or re.search(rf"\b(?:of|in|de|del|de\s+la|en)\s+(?:the\s+)?{p}\b", name)
    )


def _place_in_name(name: str) -> str | None:
    for pattern in (_PLACE_FIRST, _PLACE_AFTER):
        m = pattern.search(name)
        if m and m.group("place") and _is_place_name(m.group("place")):
            place = m.group("place").strip()
            if m.groupdict().get("ciudad"):  # "Ciudad de México" is the city's own name
                place = f"Ciudad de {place}"
            if place.lower() not in _NOT_PLACES:
                return place
    return None


def names_with_places(names: Iterable[str]) -> set[str]:
    """Places named inside body names ("Municipality of Eastfield" -> "Eastfield")."""
    return {p for p in map(_place_in_name, names) if p}


def _known_at(doc: Doc, i: int, known_places: set[str]) -> Span | None:
    """The longest known place name starting at token ``i``."""
    for n in (4, 3, 2, 1):
        if i + n <= len(doc) and doc[i : i + n].text in known_places:
            return doc[i : i + n]
    return None


def located_in(
    doc: Doc,
    mentions: Sequence[LinkedMention],
    resolver: Resolver,
    *,
    known_places: set[str],
    document_id: str,
) -> list[RawRelation]:
    """LOCATED_IN facts for the actor mentions of one passage."""
    out: list[RawRelation] = []
    ents = {e.start: e for e in doc.ents if e.label_ in _PLACE_ENTS and _is_place_name(e.text)}
    for m in mentions:
        if m.label is not Label.Actor or m.anaphoric:
            continue
        span: Span = m.span
        place = _place_in_name(span.text)
        cue = "the place is in the name"
        confidence = 0.8
        if place is None:
            place = next((p for p in sorted(known_places) if _names_place(span.text, p)), None)
        if place is None:
            # "the shelter in Eastside": a place right after the mention.
            nxt = span.end
            if nxt + 1 < len(doc) and doc[nxt].lower_ in _PLACED_BY - {"of"}:
                after = ents.get(nxt + 1) or _known_at(doc, nxt + 1, known_places)
                if after is not None:
                    place, cue, confidence = (
                        after.text.strip(),
                        f"{doc[nxt].text} {after.text}",
                        0.7,
                    )
                    span = doc[span.start : after.end]
        if place is None:
            continue
        loc_id = resolver.resolve(place, Label.Location, document_id=document_id)
        out.append(
            RawRelation(
                kind=RelationKind.located_in,
                source_id=m.entity_id,
                source_label=Label.Actor,
                target_id=loc_id,
                target_label=Label.Location,
                confidence=confidence,
                cue=cue,
                char_start=span.start_char,
                char_end=span.end_char,
            )
        )
    return out
