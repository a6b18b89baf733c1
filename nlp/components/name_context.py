"""What the words around a name say about it: described as an organisation, or only a
modifier inside a hyphenated compound.

Both are read from the surface, not from one corpus' sentences:

- **Described organisations.** A proper name the text itself calls an organisation, by an
  appositive ("Vijana Amani Kisima (VAK), a registered youth group", "Casa Abierta,
  organización de la sociedad civil") or a copula ("Mama Salama is a community-based
  organisation", "Madres Unidas es una asociación"), names a body even when it carries no
  institutional head word and the statistical NER reads it as a place or a person. The
  description's head noun is one of the lexicon's organisation heads (``org_heads``), less
  the programme and policy heads ("X, a programme of ..." describes a programme).
- **Compound modifiers.** An acronym glued by tight hyphens into a compound ("a UN-to-UN
  agreement", "the EU-Lumara summit") modifies the compound; it is not a mention of the
  acronym's body. A participle after the hyphen ("UNODC-funded") still names the body as
  the one acting, so that mention stays.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

__all__ = [
    "DESCRIBED_KEY",
    "compound_modifier",
    "described_everywhere",
    "described_organisations",
]

# doc.user_data: {(start, end): description} of the names the text describes
DESCRIBED_KEY = "govgraph_described"

# Articles that open a description: "a registered youth group", "una asociación civil".
_ARTICLES = frozenset({"a", "an", "un", "una"})
_COPULAS = frozenset({"is", "was", "es", "era", "fue"})
# Words between the article and the head noun: "a registered youth group", "a
# community-based organisation", "a non-governmental street outreach organisation".
_MAX_MODIFIERS = 5
# Pronouns and other capitalised function words that open a sentence ("It is a group").
_NOT_NAMES = frozenset(
    {
        *("it", "this", "that", "he", "she", "we", "they", "there", "here", "what", "which"),
        *("who", "the", "el", "la", "los", "las", "esta", "este", "ella", "ellos", "ellas"),
    }
)


def described_organisations(doc: Doc, heads: frozenset[str]) -> list[tuple[Span, str]]:
    """Proper names the text describes as an organisation, as ACTOR spans with their
    description ("a registered youth group", which can say the body's type; "" when the
    words are no plain noun phrase). ``heads``: the
    lowercase nouns that make a description an organisation's ("group", "asociación")."""
    out: list[tuple[Span, str]] = []
    for tok in doc:
        if tok.lower_ not in heads or not tok.is_lower:
            continue
        if tok.i + 1 < len(doc) and _noun_continues(doc[tok.i + 1]):
            continue  # "a youth group leader": the description is of a person
        start = _description_start(doc, tok.i)
        if start is None:
            continue
        name = _name_before(doc, start)
        if name is not None:
            words = doc[start + 1 : tok.i]
            # A function word among the modifiers ("a la clínica de adicciones del centro")
            # makes the words a phrase, not a kind of body: no description to type it by.
            kind = "" if any(t.is_stop for t in words) else doc[start : tok.i + 1].text
            out.append((name, kind))
    return out


def described_everywhere(docs: Iterable[Doc], spans_key: str) -> None:
    """A name described as an organisation once is one wherever the corpus names it: its
    other mentions labelled PROGRAMME or POLICY by their head word ("... Initiative") become
    ACTOR, so they resolve onto the one body instead of a programme of the same name."""
    docs = list(docs)
    names = {
        doc[start:end].text.lower()
        for doc in docs
        for start, end in doc.user_data.get(DESCRIBED_KEY, ())
    }
    if not names:
        return
    for doc in docs:
        spans = list(doc.spans.get(spans_key, []))
        if any(s.label_ in _INSTRUMENTS and s.text.lower() in names for s in spans):
            doc.spans[spans_key] = [
                Span(doc, s.start, s.end, label="ACTOR")
                if s.label_ in _INSTRUMENTS and s.text.lower() in names
                else s
                for s in spans
            ]


_INSTRUMENTS = frozenset({"PROGRAMME", "POLICY"})


def _noun_continues(tok: Token) -> bool:
    return tok.is_alpha and tok.is_lower and tok.pos_ in {"NOUN", "PROPN"}


def _description_start(doc: Doc, head: int) -> int | None:
    """Where the description ending at ``head`` starts: its article, or (Spanish, no
    article) the head itself right after a comma. None when the words before the head are
    not a description's modifiers."""
    i = head
    for _ in range(_MAX_MODIFIERS + 1):
        prev = doc[i - 1] if i > 0 else None
        if prev is None:
            return None
        if prev.lower_ in _ARTICLES:
            return i - 1
        if prev.text == "," and i == head:
            return i  # "Casa Abierta, organización de la sociedad civil"
        if not (prev.text == "-" or (prev.is_alpha and prev.is_lower)):
            return None
        i -= 1
    return None


def _name_before(doc: Doc, start: int) -> Span | None:
    """The proper name a description starting at ``start`` is about: "<Name>, <desc>",
    "<Name> (ACR), <desc>" or "<Name> is <desc>"."""
    j = start
    if j > 0 and doc[j - 1].lower_ in _COPULAS:
        j -= 1
    elif j > 0 and doc[j - 1].text == ",":
        j -= 1
        # "Vijana Amani Kisima (VAK), a registered youth group": skip the acronym
        if j >= 3 and doc[j - 1].text == ")" and doc[j - 3].text == "(":
            j -= 3
    else:
        return None
    end = j
    while j > 0 and _name_word(doc[j - 1]):
        j -= 1
    if j == end:
        return None
    # "the Mama Salama Community Initiative": the name, not its article
    span = Span(doc, j, end, label="ACTOR")
    if len(span) == 1 and (span[0].lower_ in _NOT_NAMES or span[0].is_sent_start):
        return None  # "It is a group", a capitalised sentence opener
    if not any(t.pos_ == "PROPN" or t.is_upper for t in span):
        return None
    return span


def _name_word(tok: Token) -> bool:
    return (
        (tok.is_title or (tok.is_upper and len(tok) > 1))
        and tok.is_alpha
        and tok.lower_ not in _NOT_NAMES
    )


def compound_modifier(span: Span) -> bool:
    """A one-word span glued by a tight hyphen to a word beside it, inside a compound that
    is not a name of its own: "UN" in "a UN-to-UN agreement". A participle after the hyphen
    ("UNODC-funded", "EU-led") keeps the mention."""
    if len(span) != 1:
        return False
    doc, i = span.doc, span.start
    before = (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 2].whitespace_
        and not doc[i - 1].whitespace_
    )
    after = (
        i + 2 < len(doc)
        and doc[i + 1].text == "-"
        and not doc[i].whitespace_
        and not doc[i + 1].whitespace_
        and doc[i + 2].is_alpha
    )
    if after and doc[i + 2].is_lower and doc[i + 2].tag_ in {"VBN", "VBD"}:
        return False
    return before or after
