"""Absence said without a tie word, read from the dependency parse.

"The Water Board has no office in the ward, so its seat stays empty", "we have never had
anybody from the Registry", "the Licensing Office only comes to inspect the stalls", "a
lack of coordination": none negates a tie verb, yet each says two bodies do not work
together. Four general constructions over the word classes of relation_cues.json
"absence" (their provenance is there). Each hit is a negation span of two or more tokens,
so the relation linker reads it as it reads an explicit negation phrase. Without a parse
there is no hit.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from nlp.lexicon import Absence, Composition

__all__ = ["absence_spans"]

# the adjective hangs on its linking verb ("is/stays empty", "sigue vacía") ...
_ON_VERB_DEPS = frozenset({"acomp", "attr", "oprd", "xcomp", "obj", "dobj"})
# ... or heads its clause with the copula on it ("la silla está vacía")
_COPULAR_DEPS = frozenset({"ROOT", "conj", "advcl", "ccomp"})
_OBJ_DEPS = frozenset({"dobj", "obj", "attr"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass"})
_PURPOSE_DEPS = frozenset({"xcomp", "advcl"})
_MAX_ADJACENT = 1  # a restriction word the parser hung elsewhere, right before its verb


def _is(tok: Token, forms: tuple[str, ...]) -> bool:
    return Composition.matches(tok.lower_, forms)


def _span(doc: Doc, a: Token, b: Token) -> Span:
    lo, hi = min(a.i, b.i), max(a.i, b.i)
    return Span(doc, lo, hi + 1, label="NEG")


def _empty_seat(doc: Doc, lex: Absence) -> list[Span]:
    """(1) "its seat stays empty", "la silla está vacía": a vacancy word as a predicate."""
    out = []
    for tok in doc:
        if tok.pos_ != "ADJ" or not _is(tok, lex.empty_words):
            continue
        if tok.dep_ in _ON_VERB_DEPS and tok.head.pos_ in {"VERB", "AUX"}:
            clause = tok.head
        elif tok.dep_ in _COPULAR_DEPS and any(c.dep_ == "cop" for c in tok.children):
            clause = tok
        else:
            continue  # "empty bottles": a modifier, not a predicate
        subj = next((c for c in clause.children if c.dep_ in _SUBJ_DEPS), None)
        out.append(_span(doc, subj if subj is not None else clause, tok))
    return out


def _negated_presence(doc: Doc, lex: Absence, neg_words: frozenset[str]) -> list[Span]:
    """(2) "has no office", "ningún representante", "never had anybody", "no hay nadie"."""
    out = []
    for neg in doc:
        if neg.lower_ not in neg_words:
            continue
        head = neg.head
        if head is not neg and head.pos_ in {"NOUN", "PROPN"} and _is(head, lex.presence_nouns):
            out.append(_span(doc, neg, head))  # "no office": the negation is its determiner
            continue
        for obj in head.children:
            if obj is neg or obj.dep_ not in _OBJ_DEPS:
                continue
            if _is(obj, lex.presence_nouns) or (
                _is(obj, lex.presence_pronouns) and _is(head, lex.having_words)
            ):
                out.append(_span(doc, neg, obj))
                break
    return out


def _purpose(verb: Token, lex: Absence) -> bool:
    return any(
        c.dep_ in _PURPOSE_DEPS
        and c.pos_ == "VERB"
        and any(m.lower_ in lex.purpose_marks for m in c.children if m.i < c.i)
        for c in verb.children
    )


def _restricted_attendance(doc: Doc, lex: Absence) -> list[Span]:
    """(3) "rarely visits", "only comes to inspect the stalls", "solo viene a multar"."""
    out = []
    for verb in doc:
        if verb.pos_ not in {"VERB", "AUX"} or not _is(verb, lex.attendance_words):
            continue
        near = [c for c in verb.children if c.dep_ == "advmod" and c.i < verb.i]
        near += [doc[i] for i in range(max(0, verb.i - _MAX_ADJACENT), verb.i)]
        for adv in near:
            if _is(adv, lex.rarity_words) or (
                _is(adv, lex.restrictive_words) and _purpose(verb, lex)
            ):
                out.append(_span(doc, adv, verb))
                break
    return out


def _lack_of_tie(doc: Doc, lex: Absence, tie_nouns: frozenset[str]) -> list[Span]:
    """(4) "a lack of coordination", "falta de coordinación": a lack noun over a tie noun."""
    out = []
    for tok in doc:
        if tok.lower_ not in tie_nouns:
            continue
        # "lack" -> "of" -> "coordination" (English), "falta" -> "coordinación" (Spanish)
        up = tok.head.head if tok.head.pos_ == "ADP" else tok.head
        if up is not tok and _is(up, lex.lack_words):
            out.append(_span(doc, up, tok))
    return out


def absence_spans(
    doc: Doc, lex: Absence | None, neg_words: frozenset[str], tie_nouns: frozenset[str]
) -> list[Span]:
    """Every absence statement in ``doc`` as a NEG span (two tokens or more)."""
    if lex is None or not doc.has_annotation("DEP"):
        return []
    found = [
        *_empty_seat(doc, lex),
        *_negated_presence(doc, lex, neg_words),
        *_restricted_attendance(doc, lex),
        *_lack_of_tie(doc, lex, tie_nouns),
    ]
    seen: set[tuple[int, int]] = set()
    out = []
    for s in found:
        if len(s) > 1 and (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            out.append(s)
    return out
