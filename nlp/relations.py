"""Links relation cues to resolved mentions: typed relations with evidence, incl. negatives.

Runs after resolution (it needs entity ids), one passage Doc at a time. Per sentence:

- the participants are the actor/person mentions, the policy/programme mentions, and in a
  respondent's turn the respondent's organisation when the sentence speaks as "we/our/I";
- a negated sentence yields only ``negative_coordination`` (never a positive relation);
- otherwise the strongest cue decides the kind; the source is the grammatical subject
  (an actor mention, the respondent's "we", or for pronoun/"Members" subjects the topic
  actor of the previous sentence), the targets are the other participants;
- "funded by X" makes X the source (dependency agent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from graph_schema.model import Label, RelationKind
from nlp.components.relation_cues import NEG_KEY, REL_CUES_KEY, inflections, is_spanish_lemma
from nlp.lexicon import relation_lexicon

__all__ = ["LinkedMention", "RawRelation", "link_relations"]

_SELF_WORDS = frozenset(
    {"we", "our", "us", "ours", "i", "my", "me", "nosotros", "nuestra", "nuestro", "nuestros",
     "nuestras", "nos"}
)
_ANAPHORA = frozenset({"they", "them", "their", "it", "its", "he", "she", "ellos", "ellas"})
_ACTOR_LABELS = frozenset({Label.Actor, Label.Person})
_POLICY_LABELS = frozenset({Label.Policy, Label.Programme})
_PAIR_PRIORITY = (
    RelationKind.mou,
    RelationKind.funding,
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.mandate,
)
_POLICY_PRIORITY = (RelationKind.funding, RelationKind.implements, RelationKind.mandate)
_STRONG_NEG_PHRASE_CONF = 0.75
_WEAK_NEG_CONF = 0.55


@dataclass(frozen=True)
class LinkedMention:
    span: Span
    entity_id: str
    label: Label
    anaphoric: bool = False


@dataclass(frozen=True)
class RawRelation:
    kind: RelationKind
    source_id: str
    source_label: Label
    target_id: str
    target_label: Label
    confidence: float
    cue: str
    char_start: int  # quote span within the passage
    char_end: int


@dataclass(frozen=True)
class _CoordForms:
    exact: frozenset[str]  # English inflected forms
    stems: tuple[str, ...]  # Spanish verb stems ("coordin" also catches "coordinación")


_coord_forms: _CoordForms | None = None


def _coordination_forms() -> _CoordForms:
    global _coord_forms
    if _coord_forms is None:
        exact: set[str] = set()
        stems: list[str] = []
        for lemma in relation_lexicon().coordination_lemmas:
            if is_spanish_lemma(lemma):
                stems.append(lemma[:-2])
            else:
                exact |= inflections(lemma)
        # "coordination", "cooperation" are how English says it without a verb.
        exact |= {"coordination", "cooperation", "contact", "collaboration", "referral"}
        _coord_forms = _CoordForms(frozenset(exact), tuple(s for s in stems if len(s) >= 3))
    return _coord_forms


def _is_coord_token(tok_lower: str, forms: _CoordForms) -> bool:
    return tok_lower in forms.exact or any(tok_lower.startswith(s) for s in forms.stems)


def link_relations(
    doc: Doc,
    mentions: Sequence[LinkedMention],
    *,
    self_id: str | None = None,
    speaks_for_self: bool = False,
) -> list[RawRelation]:
    out: list[RawRelation] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    cues = list(doc.spans.get(REL_CUES_KEY, []))
    negs = list(doc.spans.get(NEG_KEY, []))
    coord_forms = _coordination_forms()
    prev_actor: LinkedMention | None = None
    prev_sent: Span | None = None
    for sent in sents:
        inside = [m for m in mentions if sent.start <= m.span.start < sent.end]
        actors = _unique([m for m in inside if m.label in _ACTOR_LABELS])
        policies = _unique([m for m in inside if m.label in _POLICY_LABELS])
        s_cues = [c for c in cues if sent.start <= c.start < sent.end]
        s_negs = [n for n in negs if sent.start <= n.start < sent.end]
        words = {t.lower_ for t in sent}
        has_self = bool(speaks_for_self and self_id and words & _SELF_WORDS)
        quote = (sent.start_char, sent.end_char)

        if s_negs:
            out.extend(
                _negative(sent, s_negs, actors, self_id if speaks_for_self else None,
                          has_self, prev_actor, prev_sent, coord_forms)
            )
        elif s_cues:
            out.extend(_positive(sent, s_cues, actors, policies, self_id, has_self,
                                 prev_actor, quote))
        if actors:
            prev_actor = actors[-1]
        prev_sent = sent
    return out


def _unique(ms: list[LinkedMention]) -> list[LinkedMention]:
    seen: set[str] = set()
    out = []
    for m in ms:
        if m.entity_id not in seen:
            seen.add(m.entity_id)
            out.append(m)
    return out


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
    coord_verb = next(
        (t for t in sent if t.pos_ in {"VERB", "AUX", "NOUN", ""} and _is_coord_token(t.lower_, coord_forms)),
        None,
    )
    if phrase is None and coord_verb is None:
        return []
    cue = phrase.text if phrase is not None else f"{negs[0].text} ... {coord_verb.text if coord_verb else ''}"
    conf = _STRONG_NEG_PHRASE_CONF if phrase is not None else _WEAK_NEG_CONF
    start, end = sent.start_char, sent.end_char
    others = [a for a in actors if a.entity_id != self_id]
    pairs: list[tuple[str, Label, LinkedMention]] = []
    if self_id is not None and (has_self or len(others) == 1):
        targets = others
        if not targets and prev_actor is not None and prev_sent is not None and (
            {t.lower_ for t in sent} & _ANAPHORA
        ):
            # "I invited the Office once. They did not come." -> the previous sentence's actor
            targets = [prev_actor]
            start = prev_sent.start_char
        pairs = [(self_id, Label.Actor, t) for t in targets if t.entity_id != self_id]
    elif len(others) >= 2:
        pairs = [(others[0].entity_id, others[0].label, others[1])]
        conf = min(conf, 0.6)
    return [
        RawRelation(RelationKind.negative_coordination, sid, slabel, t.entity_id, t.label, conf,
                    f"negation: {cue}", start, end)
        for sid, slabel, t in pairs
    ]


def _subject(sent: Span, actors: list[LinkedMention], self_id: str | None, has_self: bool,
             prev_actor: LinkedMention | None) -> tuple[str, Label] | None:
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
        refers_back = low in _ANAPHORA or tok.pos_ == "NOUN" or any(
            c.lower_ in _ANAPHORA for c in tok.children
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


def _agent(sent: Span, actors: list[LinkedMention]) -> LinkedMention | None:
    """The actor inside a "by ..." phrase: "funded by a single UNODC grant" -> UNODC."""
    for m in actors:
        root = m.span.root
        for anc in [root, *root.ancestors]:
            if anc.lower_ in {"by", "por"} and anc.dep_ in {"agent", "prep", "case"}:
                return m
            if anc.pos_ in {"VERB", "AUX"}:
                break
        if root.head.lower_ in {"by", "por"} or any(c.lower_ in {"por"} for c in root.children):
            return m
    return None


def _positive(
    sent: Span,
    cues: list[Span],
    actors: list[LinkedMention],
    policies: list[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
    quote: tuple[int, int],
) -> list[RawRelation]:
    kinds = {RelationKind(c.label_): c for c in cues}
    out: list[RawRelation] = []
    subject = _subject(sent, actors, self_id, has_self, prev_actor)
    agent = _agent(sent, actors)
    # actor -> policy/programme
    if policies:
        kind = next((k for k in _POLICY_PRIORITY if k in kinds), None)
        src: tuple[str, Label] | None = subject
        if kind is RelationKind.funding and agent is not None:
            src = (agent.entity_id, agent.label)
        if src is None and actors:
            src = (actors[0].entity_id, actors[0].label)
        if kind is not None and src is not None and src[1] in _ACTOR_LABELS:
            rel_kind = RelationKind.implements if kind is RelationKind.mandate else kind
            for p in policies:
                out.append(RawRelation(rel_kind, src[0], src[1], p.entity_id, p.label, 0.6,
                                       f"{kind.value}: {kinds[kind].text}", *quote))
    # actor <-> actor
    kind = next((k for k in _PAIR_PRIORITY if k in kinds), None)
    if kind is None:
        return out
    if kind is RelationKind.funding and agent is not None:
        source: tuple[str, Label] | None = (agent.entity_id, agent.label)
    else:
        source = subject
    conf = 0.65 if source is not None else 0.45
    if source is None:
        if len(actors) < 2:
            return out
        source = (actors[0].entity_id, actors[0].label)
    for t in actors:
        if t.entity_id == source[0]:
            continue
        out.append(RawRelation(kind, source[0], source[1], t.entity_id, t.label, conf,
                               f"{kind.value}: {kinds[kind].text}", *quote))
    return out
