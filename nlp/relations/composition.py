"""Who sits on a body: "the Steering Committee comprises A, B and C" -> A, B, C member_of it.

The verbs are data (``composition`` in nlp/data/relation_cues.json). An active verb takes
the body as its subject and the members as its object ("the Forum brings together A and
B", "la Mesa reúne a A y B"); a passive participle takes them from its "of" / "por"
complement ("the Board is composed of A and B", "el Consejo, integrado por A y B"). A seat
on a shared body is how the analysis sees members coordinate (analysis/_context.py
body_partners), so each member gets member_of -> the body, never ties to each other.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.lexicon import Composition, relation_lexicon
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.syntax import _mention_of, _unique
from nlp.relations.vocab import _SUBJ_DEPS

__all__ = ["compositions"]

_CONFIDENCE = 0.6
_OBJECT_DEPS = frozenset({"dobj", "obj"})
_PASSIVE_SUBJ = frozenset({"nsubjpass", "nsubj:pass", "nsubj"})


def _active(tok: Token, comp: Composition) -> bool:
    if comp.matches(tok.lower_, comp.active_words):
        return True
    # "brings together": the particle is the verb's child
    return any(
        f"{tok.lower_} {c.lower_}" in comp.active_phrases
        for c in tok.children
        if c.dep_ in {"prt", "advmod", "compound:prt"}
    )


def _passive_members(tok: Token, comp: Composition) -> list[Token]:
    """The complement after "composed of" / "made up of" / "integrado por"."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "prt")]  # "made up of"
    out: list[Token] = []
    for h in heads:
        for c in h.children:
            if c.dep_ in {"prep", "agent"} and c.lower_ in comp.passive_preps:
                out += [g for g in c.children if g.dep_ in {"pobj", "obj"}]
            # Universal Dependencies (Spanish): the noun carries its preposition as "case"
            if c.dep_ in {"obl", "obl:agent", "nmod"} and any(
                g.dep_ == "case" and g.lower_ in comp.passive_preps for g in c.children
            ):
                out.append(c)
    return out


def compositions(
    sent: Span, actors: Sequence[LinkedMention], quote: tuple[int, int]
) -> list[RawRelation]:
    comp = relation_lexicon().composition
    bodies = [m for m in actors if m.label is Label.Actor]
    if comp is None or len(bodies) < 3:  # a body and at least two members
        return []
    out: list[RawRelation] = []
    for tok in sent:
        body_tok: Token | None = None
        member_roots: list[Token] = []
        if tok.pos_ in {"VERB", "AUX"} and _active(tok, comp):
            body_tok = next((c for c in tok.children if c.dep_ in _SUBJ_DEPS), None)
            member_roots = [c for c in tok.children if c.dep_ in _OBJECT_DEPS]
        elif comp.matches(tok.lower_, comp.passive_words):
            member_roots = _passive_members(tok, comp)
            if not member_roots:
                continue
            if tok.dep_ in {"acl", "amod"}:  # "the Council, composed of ..."
                body_tok = tok.head
            else:
                body_tok = next((c for c in tok.children if c.dep_ in _PASSIVE_SUBJ), None)
        if body_tok is None or not member_roots:
            continue
        body = _mention_of(body_tok, bodies)
        if body is None:
            continue
        named = [_mention_of(t, bodies) for r in member_roots for t in r.subtree]
        members = _unique([m for m in named if m is not None and m.entity_id != body.entity_id])
        if len(members) < 2:
            # one "member" is as often a partner or an object as a seat ("convenes X")
            continue
        cue = " ".join([tok.text, *(c.text for c in tok.children if c.dep_ == "prt")])
        out += [
            RawRelation(
                RelationKind.member_of,
                m.entity_id,
                m.label,
                body.entity_id,
                body.label,
                _CONFIDENCE,
                f"member_of: composition '{cue}'",
                *quote,
            )
            for m in members
        ]
    return out
