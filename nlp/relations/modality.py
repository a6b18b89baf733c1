"""Hypothetical, requested, attempted or conditional clauses: cues that report no tie."""

from __future__ import annotations

from spacy.tokens import Span

# A positive cue under these words reports a wish, a request or an attempt, not a tie:
# "we wrote to ask if our officers could attend", "they may attend only as observers",
# "we tried to join the Forum". Commitments ("will", "shall") are kept: plans are evidence.
_IRREALIS_GOVERNORS = frozenset(
    {
        "ask",
        "request",
        "try",
        "attempt",
        "hope",
        "want",
        "wish",
        "seek",
        "propose",
        "suggest",
        "intend",
        "demand",
        "beg",
        "urge",
        "like",
        "love",
        "prefer",
        "pedir",
        "solicitar",
        "intentar",
        "esperar",
        "querer",
        "desear",
        "proponer",
    }
)


_HYPOTHETICAL_MODALS = frozenset(
    {"could", "would", "should", "might", "may", "podría", "podrían", "debería", "deberían"}
)


_CONDITIONAL_MARKS = frozenset({"if", "whether", "unless", "si"})


def _in_conditional(span: Span) -> bool:
    """True when the mention sits in an "if/unless/whether" clause."""
    for tok in (span.root, *span.root.ancestors):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in tok.children):
            return True
        if tok.dep_ == "ROOT":
            break
    return False


def _irrealis(cue: Span) -> bool:
    """True when the cue's clause is hypothetical, requested or attempted, not reported."""
    head = cue.root
    for tok in (head, *head.ancestors):
        if tok.lemma_.lower() in _IRREALIS_GOVERNORS and tok is not head:
            return True
        for child in tok.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in _HYPOTHETICAL_MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return True
        if tok.dep_ in {"ROOT"}:
            break
    return False
