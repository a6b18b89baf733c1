"""Where a candidate name starts and ends, and whether a person's title heads it.

General boundary rules of the actor ruler (nlp/components/actor_ruler.py), each from the
shape of the words, never from a list of bodies:

- a list marker opening a line is not part of a name ("I. Consejo o COMEPREV: ...",
  "c. Conductive Energy Devices"); a capital with a point is an honorific and stays
  ("H. Ayuntamiento");
- a statistical NER span ends at its last capitalised word ("presentar al Consejo
  opiniones, propuestas ...");
- a name the patterns cut before a coordinated complement runs on to the acronym it
  defines ("Fiscalía Especializada en Delitos contra X y por Razones de Y (FEDRY)"): the
  acronym right after the continuation says where the name ends;
- a name headed by a person's title names the post or its holder, not a body ("Dr Lidia
  Marr", "Secretario de Obras de Dunmore", "Chief of Police").
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

__all__ = [
    "extend_to_defined_acronym",
    "opens_with_list_marker",
    "role_title",
    "titled_name",
    "without_lowercase_tail",
]

# Roman numerals or a lowercase letter with "." or ")". Capital letters are left alone.
_LIST_MARKER_RE = re.compile(r"^(?:[IVX]{1,4}|[ivx]{1,4}|[a-z])[.)]$")
_AND_WORDS = frozenset({"and", "&", "y", "e"})


def opens_with_list_marker(span: Span) -> bool:
    tok = span[0]
    return bool(_LIST_MARKER_RE.match(tok.text)) and _line_start(tok)


def _line_start(tok: Token) -> bool:
    return tok.i == 0 or "\n" in tok.doc[tok.i - 1].whitespace_ or tok.doc[tok.i - 1].is_space


def without_lowercase_tail(span: Span) -> Span:
    """The span without the lowercase words it ran into after a capitalised start."""
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].is_lower and span.doc[end - 1].is_alpha:
        end -= 1
    if end == span.end or not span.doc[span.start].text[:1].isupper():
        return span
    return Span(span.doc, span.start, end, label=span.label)


def titled_name(span: Span, connectors: frozenset[str]) -> bool:
    """A title and two to four capitalised words, none a connector: "Dr Lidia Marr"."""
    rest = span[1:]
    return 2 <= len(rest) <= 4 and all(t.is_title and t.lower_ not in connectors for t in rest)


def role_title(
    span: Span,
    titles: frozenset[str],
    ranks: frozenset[str],
    connectors: frozenset[str],
    org_heads: frozenset[str],
) -> bool:
    """A person's title opens the name and no institutional head comes before its first
    complement ("Secretario de Obras de Dunmore", "Chief of Police", "Comisario Julián
    Prado"); "Sheriff's Office" and "General Assembly" have their head first. A police rank
    also names units ("Detective Division"), so it counts only before a person's name."""
    first = span[0].lower_.rstrip(".")
    if first in ranks and first not in titles:
        return titled_name(span, connectors) and not any(t.lower_ in org_heads for t in span)
    if first not in titles:
        return False
    for tok in span[1:]:
        if tok.lower_ in connectors and tok.lower_ not in _AND_WORDS:
            break
        if tok.lower_ in org_heads:
            return False
    return True


# Lowercase words a name's coordinated continuation may hold: "y por Razones de Género".
_CONTINUATION_WORDS = frozenset(
    {
        *("y", "e", "and", "&", "de", "del", "la", "las", "los", "el", "por", "para"),
        *("en", "contra", "sobre", "of", "the", "for", "on", "against", "in"),
    }
)
_MAX_CONTINUATION = 8
_DETERMINERS = frozenset({"the", "a", "an", "el", "la", "los", "las", "un", "una"})


def extend_to_defined_acronym(span: Span, heads: frozenset[str]) -> Span:
    """The span run on over "and"/"y" and a continuation of capitalised words and
    connectors up to a bracketed acronym that follows it ("... y por Razones de Género
    (FEVG)"), when the acronym starts with the name's initial. Not over a second body: a
    determiner after "and" or an institutional head (``heads``) in the continuation ("y
    la Secretaría de Educación (SE)"). Otherwise the span."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ not in _AND_WORDS:
        return span
    if doc[span.end + 1].lower_ in _DETERMINERS:
        return span
    j = span.end + 1
    limit = min(len(doc), j + _MAX_CONTINUATION)
    titled = False
    while j < limit and (doc[j].lower_ in _CONTINUATION_WORDS or doc[j].is_title):
        if doc[j].is_title and doc[j].lower_ in heads:
            return span
        titled = titled or doc[j].is_title
        j += 1
    if not (titled and j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")"):
        return span
    acr = doc[j + 1].text
    if not (len(acr) >= 3 and acr.isupper() and acr[0] == span[0].text[:1].upper()):
        return span
    if doc[j - 1].lower_ in _CONTINUATION_WORDS:
        return span  # the continuation ends in a connector: not a name's end
    return Span(doc, span.start, j, label=span.label)
