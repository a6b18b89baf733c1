"""Explicit non-coordination: a negated contact or a negation phrase between two sides."""

from __future__ import annotations

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.lexicon import relation_lexicon
from nlp.relations.mentions import LinkedMention, RawRelation, _CoordForms, _is_coord_token
from nlp.relations.modality import _in_conditional
from nlp.relations.syntax import _between_pair, _mention_of
from nlp.relations.vocab import (
    _ANAPHORA,
    _HERE,
    _SELF_WORDS,
    _STRONG_NEG_PHRASE_CONF,
    _SUBJ_DEPS,
    _THIRD_PERSON,
    _WEAK_NEG_CONF,
)

# Quantifiers over a group named before ("none of them"); "nobody" / "nadie" are left out:
# "nobody from the county has come" is the speaker's side, told by what it lacks.
_NONE_OF = frozenset({"none", "neither", "ninguno", "ninguna", "ningunos", "ningunas"})

_TIE_NOUNS = relation_lexicon().coordination_nouns


def _negative(
    sent: Span,
    negs: list[Span],
    actors: list[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
    prev_sent: Span | None,
    coord_forms: _CoordForms,
) -> list[RawRelation]:
    phrase = next((n for n in negs if len(n) > 1), None)
    # A single negation word must negate the contact itself: "nobody has come", "we never
    # meet them", "no coordination" - not "those are their staff, not police".
    scopes = [_neg_scope(n) for n in negs]
    scope: set[int] = set().union(*scopes)
    coord_verb = next(
        (
            t
            for t in sent
            if (
                (t.pos_ in {"VERB", "AUX", "NOUN", ""} and _is_coord_token(t.lower_, coord_forms))
                # a tie noun modifying the negated noun, often tagged an adjective: "no
                # referral protocol", "no liaison officer"
                or (t.dep_ in {"amod", "compound"} and t.lower_ in _TIE_NOUNS)
            )
            and (t.i in scope or t.head.i in scope)
        ),
        None,
    )
    if phrase is None and coord_verb is None:
        return []
    if phrase is None and coord_verb is not None:
        # "pressured to not file a complaint, and none of them went to X": the negation that
        # reaches the tie word is the statement's, not the first one in the sentence.
        own = [
            n for n, sc in zip(negs, scopes, strict=True) if {coord_verb.i, coord_verb.head.i} & sc
        ]
        negs = [*own, *(n for n in negs if n not in own)]
    cue = (
        phrase.text
        if phrase is not None
        else f"{negs[0].text} ... {coord_verb.text if coord_verb else ''}"
    )
    # A negation that is the tie word's own dependent ("did not come", "no contact") is as
    # explicit as a phrase; one reaching it through its clause ("do not have the authority
    # to share") is weaker.
    direct = coord_verb is not None and any(n.root.head.i == coord_verb.i for n in negs)
    conf = _STRONG_NEG_PHRASE_CONF if phrase is not None or direct else _WEAK_NEG_CONF
    start, end = sent.start_char, sent.end_char
    # "if Hope Harbour closes, I have nowhere to send them": a condition, not a report.
    others = [a for a in actors if a.entity_id != self_id and not _in_conditional(a.span)]
    # "With the Colectiva we have no relationship; the Women's Institute sees to that": a
    # semicolon or colon ends the clause the negation belongs to.
    others = _in_negated_segment(sent, negs, others)
    pairs: list[tuple[str, Label, LinkedMention]] = []
    negated = negs[0].root.head
    subj = next((t for t in negated.children if t.dep_ in _SUBJ_DEPS), None)
    topic_side = _existential_topic(negs[0], others, prev_actor, prev_sent)
    if topic_side is not None:
        # "Internal Affairs handles the administrative side. With the Prosecutor there is
        # no channel": a negated tie with no subject of its own is about the body the
        # previous sentence was about, and its other side is the one body in its clause.
        topic, other = topic_side
        return [
            RawRelation(
                RelationKind.negative_coordination,
                topic.entity_id,
                topic.label,
                other.entity_id,
                other.label,
                min(conf, 0.6),
                f"negation: {cue}",
                start,
                end,
            )
        ]
    if self_id is not None and subj is not None and any(c.lower_ in _HERE for c in subj.children):
        has_self = True  # "nobody here", "no one here": the speaker's side
    named_subject = _mention_of(subj, actors) if subj is not None else None
    if self_id is not None and named_subject is not None and named_subject.entity_id == self_id:
        # the speaker's (or a report's own) body named as the subject: "Casa Abierta no
        # tiene convenio con A ni con B" in Casa Abierta's report is its own side
        has_self = True
    if (
        self_id is not None
        and subj is not None
        and (
            (subj.pos_ in {"NOUN", "PROPN"} and _mention_of(subj, actors) is None)
            # "two users were pressured, and none of them went to Internal Affairs": a
            # quantifier over people just named, not the speaker's organisation
            or subj.lower_ in _NONE_OF
        )
        and not any(t.lower_ in _SELF_WORDS for t in negated.subtree)
    ):
        # "But Internal Affairs does not work with the Council", "Mama Salama has never had
        # an arrangement with UNICEF": a named third party's non-coordination, not the
        # speaker's. Its subject is no mention here, so the statement names one side only.
        self_id = None
    if (
        self_id is not None
        and not has_self
        and subj is not None
        and subj.lower_ in _THIRD_PERSON
        and prev_actor is not None
        and any(t.entity_id != prev_actor.entity_id for t in others)
    ):
        # "When the City held the consultation they were not invited": "they" are the
        # group just talked about, not the speaker's organisation.
        if prev_actor.entity_id == self_id:
            pairs = []
        else:
            pairs = [
                (prev_actor.entity_id, prev_actor.label, t)
                for t in others
                if t.entity_id != prev_actor.entity_id
            ]
    elif self_id is not None and (
        has_self
        or len(others) == 1
        or (
            # "I invited the Office once. They did not come."
            not others
            and subj is not None
            and subj.lower_ in _ANAPHORA
            and prev_sent is not None
            and any(t.lower_ in _SELF_WORDS for t in prev_sent)
        )
    ):
        targets = others
        if (
            not targets
            and prev_actor is not None
            and prev_sent is not None
            and ({t.lower_ for t in sent} & _ANAPHORA)
        ):
            # "I invited the Office once. They did not come." -> the previous sentence's actor
            targets = [prev_actor]
            start = prev_sent.start_char
        pairs = [(self_id, Label.Actor, t) for t in targets if t.entity_id != self_id]
    elif len(others) >= 2:
        # "there is no referral protocol between A and B", "A does not work with B": the
        # two sides the sentence names, never whichever two bodies come first ("The chair
        # noted that the group was not registered with the Department" names one side)
        sides = _between_pair(list(sent), others) or _negated_sides(negs, others)
        if sides is not None:
            a, b = sides
            pairs = [(a.entity_id, a.label, b)]
            conf = min(conf, 0.6)
    return [
        RawRelation(
            RelationKind.negative_coordination,
            sid,
            slabel,
            t.entity_id,
            t.label,
            conf,
            f"negation: {cue}",
            start,
            end,
        )
        for sid, slabel, t in pairs
    ]


def _existential_topic(
    neg: Span,
    others: list[LinkedMention],
    prev_actor: LinkedMention | None,
    prev_sent: Span | None,
) -> tuple[LinkedMention, LinkedMention] | None:
    """The two sides of a subjectless negated tie ("there is no channel with X", "con X no
    hay un canal"): the previous sentence's named subject and the one body named inside
    the negated clause. None when the clause has a subject, names no body or several, or
    the previous sentence's subject was not a named body."""
    if prev_actor is None or prev_sent is None:
        return None
    if not (prev_sent.start <= prev_actor.span.start < prev_sent.end):
        return None
    if prev_actor.span.root.dep_ not in _SUBJ_DEPS:
        return None
    clause = _clause_verb(neg.root)
    if clause.pos_ not in {"VERB", "AUX"} or not (
        clause.lemma_.lower() in _EXISTENTIAL or clause.lower_ in _EXISTENTIAL
    ):
        return None
    if any(c.dep_ in _SUBJ_DEPS and c.lower_ not in _EXPLETIVES for c in clause.children):
        return None
    inside = {t.i for t in clause.subtree}
    named = [m for m in others if m.span.root.i in inside]
    if len({m.entity_id for m in named}) != 1 or named[0].entity_id == prev_actor.entity_id:
        return None
    return prev_actor, named[0]


# Verbs of existence (lemmas, and the forms a pipeline without a lemmatizer shows) and
# their expletive subjects: "there is no X", "no hay X", "no existe X".
_EXISTENTIAL = frozenset(
    {"be", "exist", "haber", "existir", "hay", "había", "hubo", "existe", "existen", "existía"}
)
_EXPLETIVES = frozenset({"there"})


def _clause_verb(tok: Token) -> Token:
    """The verb a negation word belongs to: "not" -> "work", "no" (of "no engagement")
    -> "is"/"had", through an auxiliary or the negated noun."""
    head = tok.head
    if head.dep_ in {"aux", "auxpass", "aux:pass"}:
        head = head.head
    if head.pos_ in {"NOUN", "PROPN"} and head.dep_ in {"dobj", "obj", "attr", "pobj", "nsubj"}:
        head = head.head
    return head


def _negated_sides(
    negs: list[Span], others: list[LinkedMention]
) -> tuple[LinkedMention, LinkedMention] | None:
    """A negated clause's subject and another body in the same clause: "the Colectiva has
    no coordination with the Municipal Police". Both must be named."""
    for n in negs:
        verb = _clause_verb(n.root)
        subj = next((c for c in verb.children if c.dep_ in _SUBJ_DEPS), None)
        if subj is None:
            continue
        subj_side = next(
            (m for m in (_mention_of(t, others) for t in subj.subtree) if m is not None), None
        )
        if subj_side is None:
            continue
        in_subject = {t.i for t in subj.subtree}
        other_side = next(
            (
                m
                for t in verb.subtree
                if t.i not in in_subject
                and (m := _mention_of(t, others)) is not None
                and m.entity_id != subj_side.entity_id
            ),
            None,
        )
        if other_side is not None:
            return subj_side, other_side
    return None


_CLAUSE_BREAKS = frozenset({";", ":"})


def _neg_scope(n: Span) -> set[int]:
    """The tokens one negation word negates: its head, the head's complements, and the
    verb an auxiliary it hangs on belongs to."""
    head = n.root.head
    scope = {n.root.i, head.i}
    scope |= {c.i for c in head.children if c.dep_ in {"xcomp", "dobj", "obj", "conj"}}
    if head.dep_ in {"aux", "auxpass"}:
        scope.add(head.head.i)
    return scope


def _clause_segments(sent: Span) -> list[tuple[int, int]]:
    """The token ranges of a sentence between its clause breaks (";", ":")."""
    cuts = [t.i for t in sent if t.text in _CLAUSE_BREAKS]
    return list(zip([sent.start, *(c + 1 for c in cuts)], [*cuts, sent.end], strict=True))


def _in_negated_segment(
    sent: Span, negs: list[Span], mentions: list[LinkedMention]
) -> list[LinkedMention]:
    """The mentions between the clause breaks (";", ":") around the first negation."""
    at = negs[0].start
    start, end = next((lo, hi) for lo, hi in _clause_segments(sent) if lo <= at < hi)
    return [m for m in mentions if start <= m.span.start < end]


def free_segments(sent: Span, negs: list[Span]) -> list[Span]:
    """The parts of a sentence between clause breaks (";", ":") that hold no negation."""
    return [
        sent.doc[lo:hi]
        for lo, hi in _clause_segments(sent)
        if hi > lo and not any(lo <= n.start < hi for n in negs)
    ]
