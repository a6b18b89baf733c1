"""Dependency helpers: which mention a token refers to, subjects, agents, arguments, topics."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from graph_schema.model import Label
from nlp.relations.mentions import LinkedMention
from nlp.relations.vocab import (
    _ANAPHORA,
    _CLAUSE_DEPS,
    _GROUP_NOUNS,
    _MAX_CLIMB,
    _SELF_WORDS,
    _SUBJ_DEPS,
)


def _topic(
    sent: Span, actors: list[LinkedMention], prev: LinkedMention | None
) -> LinkedMention | None:
    """What the next sentence's "it/they/its members" is about: the subject, not the last
    name mentioned ("The Forum is the City's platform. It is chaired by the Mayor.")."""
    for m in actors:
        tok = m.span.root
        for _ in range(3):
            if tok.dep_ in _SUBJ_DEPS:
                return m
            if tok.dep_ not in {"appos", "conj", "compound"} or tok.head == tok:
                break
            tok = tok.head
    subj = next((t for t in sent if t.dep_ in _SUBJ_DEPS and t.head == sent.root), None)
    if (
        subj is not None
        and prev is not None
        and (subj.lower_ in _ANAPHORA or any(c.lower_ in _ANAPHORA for c in subj.children))
    ):
        return prev  # "It is chaired by the Mayor": still about the Forum
    if actors:
        return actors[0]
    return prev


def _unique(ms: list[LinkedMention]) -> list[LinkedMention]:
    seen: set[str] = set()
    out = []
    for m in ms:
        if m.entity_id not in seen:
            seen.add(m.entity_id)
            out.append(m)
    return out


def _mention_of(tok: Token, actors: Sequence[LinkedMention]) -> LinkedMention | None:
    for m in actors:
        if m.span.start <= tok.i < m.span.end:
            return m
    return None


def _refers(
    tok: Token,
    actors: Sequence[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
) -> tuple[str, Label] | None:
    """The entity a subject/agent token stands for: a mention, "we", or an anaphor."""
    m = _mention_of(tok, actors)
    if m is not None:
        return m.entity_id, m.label
    # "WLAC lawyers", "staff of the ONR": a mention inside the noun phrase; "flat": a
    # Spanish parse that hangs the name on a sentence adverb taken as the subject
    # ("Complementariamente, el Consejo Empresarial ... financia"); "appos": a common noun
    # named by its apposition ("the trafficking unit, the CTCPU, calls me").
    for child in tok.subtree:
        if child.dep_ in {"compound", "poss", "pobj", "nmod", "flat", "appos"}:
            m = _mention_of(child, actors)
            if m is not None and child.i < tok.i + 4:
                return m.entity_id, m.label
    low = tok.lower_
    if low in _SELF_WORDS or any(
        c.lower_ in _SELF_WORDS and c.dep_ == "poss" for c in tok.children
    ):
        if has_self and self_id:
            return self_id, Label.Actor
        return None
    # "They ...", "Its members ...", "It is chaired by ...": the closest body named before
    # the pronoun in its own sentence ("eso lo ve el Instituto, ellas nos capacitan"), else
    # the salient previous actor.
    if low in _ANAPHORA or any(c.lower_ in _ANAPHORA for c in tok.children):
        before = [
            m
            for m in actors
            if m.span.end <= tok.i and m.span.start >= tok.sent.start and m.label is Label.Actor
        ]
        if before:
            m = max(before, key=lambda m: m.span.end)
            return m.entity_id, m.label
        if prev_actor:
            return prev_actor.entity_id, prev_actor.label
    return None


def _group_subject(
    subj: Token | None,
    cue: Span,
    prev_actor: LinkedMention | None,
    everyone: Sequence[LinkedMention],
) -> tuple[str, Label] | None:
    """ "Members include A, B and C" / "Its members are ...": the group is the source.

    The group is the possessor ("the Forum's members") or, with none named, the actor the
    previous sentence was about.
    """
    if subj is None or (
        subj.lemma_.lower() not in _GROUP_NOUNS and subj.lower_ not in _GROUP_NOUNS
    ):
        return None
    for c in subj.children:
        if c.dep_ == "poss":
            m = _mention_of(c, everyone)
            if m is not None:
                return m.entity_id, m.label
    if prev_actor is not None:
        return prev_actor.entity_id, prev_actor.label
    return None


def _subject_token(v: Token, cue: Span, named: frozenset[int] = frozenset()) -> Token | None:
    """The subject of the cue's clause, climbing through xcomp/conj/prep chains.

    With two subjects on one verb (a parser error: "Adicionalmente, el IMM y la Fiscalía
    sesionan" makes the sentence adverb a subject too) the one inside a name (a token index
    in ``named``) is the subject."""
    node = v
    for _ in range(_MAX_CLIMB):
        # a subject the parser hung on the auxiliary ("X has co-organised") counts too
        kids = [*node.children]
        kids += [g for c in node.children if c.dep_ in {"aux", "auxpass"} for g in c.children]
        subjects = [c for c in kids if c.dep_ in _SUBJ_DEPS and not (cue.start <= c.i < cue.end)]
        if subjects:
            return next((c for c in subjects if c.i in named), subjects[0])
        if node.head == node or node.dep_ in _CLAUSE_DEPS:
            break
        node = node.head
    return None


def _first_person(v: Token) -> bool:
    """The clause's finite verb (or its auxiliary) is in the first person: in a pro-drop
    language ("coordinamos", "tenemos un acuerdo") the verb ending is the speaker's "we"."""
    heads = [v, *(c for c in v.children if c.dep_ in {"aux", "aux:pass", "auxpass"})]
    return any("1" in t.morph.get("Person", []) and t.pos_ in {"VERB", "AUX"} for t in heads)


def _agent_token(v: Token) -> Token | None:
    """The object of a "by" agent phrase on the cue verb (or the verb it is conjoined to)."""
    for node in (v, v.head):
        for c in node.children:
            if c.dep_ == "agent" or (c.lower_ in {"by", "por"} and c.dep_ in {"prep", "case"}):
                obj = next((g for g in c.children if g.dep_ in {"pobj", "obj"}), None)
                if obj is not None:
                    return obj
    return None


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass", "nsubj:pass", "agent"} for c in v.children) or (
        v.tag_ == "VBN" and v.dep_ in {"acl", "amod"}
    )


def _argument_tokens(v: Token, exclude: Token | None) -> list[Token]:
    """Tokens governed by the cue (its subtree), minus the subject and other clauses."""
    out: list[Token] = []
    stack = [v]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if exclude is not None and c == exclude:
                continue
            if c.dep_ in _CLAUSE_DEPS or (
                c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"} and t.pos_ in {"VERB", "AUX"}
            ):
                continue
            stack.append(c)
    return out


def _between_pair(
    tokens: list[Token], actors: Sequence[LinkedMention]
) -> tuple[LinkedMention, LinkedMention] | None:
    """ "between X and Y" / "entre X y Y": the two sides of a bilateral cue."""
    for t in tokens:
        if t.lower_ not in {"between", "entre"}:
            continue
        obj = next((c for c in t.children if c.dep_ in {"pobj", "obj"}), None)
        if obj is None:
            continue
        sides = [m for m in (_mention_of(x, actors) for x in obj.subtree) if m is not None]
        sides = _unique(sides)
        if len(sides) >= 2:
            return sides[0], sides[1]
    return None


def _subject(
    sent: Span,
    actors: list[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
) -> tuple[str, Label] | None:
    for tok in sent:
        if tok.dep_ not in {"nsubj", "nsubjpass", "nsubj:pass"}:
            continue
        for m in actors:
            if m.span.start <= tok.i < m.span.end:
                return m.entity_id, m.label
        low = tok.lower_
        if low in _SELF_WORDS and has_self and self_id:
            return self_id, Label.Actor
        # "They ...", "Its members ...", "Members include ...": the previous sentence's actor.
        refers_back = (
            low in _ANAPHORA
            or tok.pos_ == "NOUN"
            or any(c.lower_ in _ANAPHORA for c in tok.children)
        )
        if (
            (tok.head.dep_ == "ROOT" or tok.head == sent.root)
            and refers_back
            and prev_actor is not None
            and not any(a.entity_id == prev_actor.entity_id for a in actors)
        ):
            return prev_actor.entity_id, prev_actor.label
    if has_self and self_id:
        return self_id, Label.Actor
    return None


def _agents(v: Token) -> list[Token]:
    """ "implemented by A and B": every conjoined agent."""
    agent = _agent_token(v)
    if agent is None:
        return []
    return [agent, *agent.conjuncts]
