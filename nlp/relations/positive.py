"""Positive ties from cues: parse links first, a one-pair co-occurrence fallback."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.relations.frames import _frame
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.modality import _irrealis
from nlp.relations.syntax import _subject
from nlp.relations.vocab import (
    _ACTOR_LABELS,
    _OBJ_DEPS,
    _PAIR_PRIORITY,
    _POLICY_LABELS,
    _POLICY_PRIORITY,
    _REACH_OUT,
    _SELF_SUFFIX,
)


def _positive(
    sent: Span,
    cues: list[Span],
    actors: list[LinkedMention],
    policies: list[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
    quote: tuple[int, int],
    all_mentions: Sequence[LinkedMention] = (),
    prev_policy: LinkedMention | None = None,
    granted: Sequence[RawRelation] = (),
    implied: tuple[str, Label] | None = None,
) -> list[RawRelation]:
    inside = list(all_mentions) or [*actors, *policies]
    # Every mention counts for the parse ("the Department ... (DSD) ... the DSD team").
    actors_all = [m for m in inside if m.label in _ACTOR_LABELS]
    policies_all = [m for m in inside if m.label in _POLICY_LABELS]
    # A cue word inside a name ("Chamber", "Support Trust") says nothing about relations.
    cues = [c for c in cues if not any(m.span.start <= c.start < m.span.end for m in inside)]
    cues = [c for c in cues if not _irrealis(c)]
    # "recognises the mandates of the Ministry": a noun names a remit, not a tie
    cues = [
        c
        for c in cues
        if not (c.label_ == RelationKind.mandate.value and len(c) == 1 and c.root.pos_ == "NOUN")
        # "costs will be met from the budget", "targets were met": not a meeting
        and not (
            c.label_ == RelationKind.coordinates.value
            and c.root.lower_.startswith("met")
            and any(ch.dep_ in {"auxpass", "nsubjpass"} for ch in c.root.children)
        )
    ]
    if not cues:
        return []
    out: list[RawRelation] = []
    # a remit given in the sentence is the tie between giver and holder
    seen: set[tuple[RelationKind, str, str]] = {(r.kind, r.source_id, r.target_id) for r in granted}
    # Longer cues first: "funded by" decides before "funded".
    frames = [
        _frame(c, actors_all, policies_all, self_id, has_self, prev_actor, prev_policy, implied)
        for c in sorted(cues, key=lambda c: (-(c.end - c.start), c.start))
    ]
    linked_any = bool(granted)
    for fr in frames:
        for source in (fr.source, *fr.co_sources):
            if source is None or source[1] not in _ACTOR_LABELS:
                continue
            for tid, tlabel in fr.targets:
                rel = _kind_for(fr.kind, tlabel)
                if rel is None or tid == source[0]:
                    continue
                if (
                    fr.kind is RelationKind.coordinates
                    and rel is RelationKind.implements
                    and _part_of_object(fr.cue, [m for m in policies_all if m.entity_id == tid])
                ):
                    # "coordinate the deployment of the Programme": a hand in it, not its
                    # delivery (that is "coordinates the Programme")
                    rel = RelationKind.coordinates
                if fr.needs_self and (
                    self_id not in (source[0], tid)
                    or (source[0] == self_id and fr.cue.root.lower_.startswith(_REACH_OUT))
                ):
                    # "they send us children" is a tie; "we called the Bureau" an attempt
                    continue
                key = (rel, source[0], tid)
                # one tie per pair and sentence: the longest cue decides ("funded by a
                # UNODC grant" is not also a grant the other way round)
                if any(
                    k[1:] == key[1:] or (k[0] is rel and {k[1], k[2]} == {source[0], tid})
                    for k in seen
                ):
                    continue
                seen.add(key)
                linked_any = True
                out.append(
                    RawRelation(
                        rel,
                        source[0],
                        source[1],
                        tid,
                        tlabel,
                        0.65,
                        f"{fr.kind.value}: {fr.cue.text}",
                        *quote,
                    )
                )
    if linked_any:
        return out
    # No parse link: fall back to co-occurrence only when the sentence has one clear pair.
    # testimony-only verbs never tie two other bodies by co-occurrence
    # and a cue inside a modifier clause ("every child referred under ...") is not the
    # sentence's predication
    kinds = {
        RelationKind(c.label_): c
        for c in cues
        if not c.label_.endswith(_SELF_SUFFIX) and not _in_modifier_clause(c.root)
    }
    # the cue's own subject first ("I was trained, UNICEF paid for the course")
    labels = {k.value for k in kinds}
    subject = (
        next(
            (fr.source for fr in frames if fr.source is not None and fr.cue.label_ in labels), None
        )
        or _subject(sent, actors, self_id, has_self, prev_actor)
        or implied
    )
    participants = [(m.entity_id, m.label) for m in actors]
    if subject is not None and subject not in participants:
        participants.insert(0, subject)
    if (
        RelationKind.funding in kinds
        and has_self
        and self_id
        and (self_id, Label.Actor) not in participants
    ):
        participants.append((self_id, Label.Actor))  # "I was trained, X paid for it"
    if policies and subject is not None and subject[1] in _ACTOR_LABELS:
        kind = next((k for k in _POLICY_PRIORITY if k in kinds), None)
        if kind is not None and len(policies) == 1:
            p = policies[0]
            rel_kind = RelationKind.implements if kind is RelationKind.mandate else kind
            out.append(
                RawRelation(
                    rel_kind,
                    subject[0],
                    subject[1],
                    p.entity_id,
                    p.label,
                    0.5,
                    f"{kind.value}: {kinds[kind].text}",
                    *quote,
                )
            )
    kind = next((k for k in _PAIR_PRIORITY if k in kinds), None)
    if kind is not None and len(participants) == 2:
        (s_id, s_label), (t_id, t_label) = participants
        if subject is not None and subject[0] == t_id:
            (s_id, s_label), (t_id, t_label) = (t_id, t_label), (s_id, s_label)
        out.append(
            RawRelation(
                kind,
                s_id,
                s_label,
                t_id,
                t_label,
                0.45,
                f"{kind.value}: {kinds[kind].text}",
                *quote,
            )
        )
    return out


def _part_of_object(cue: Span, ms: Sequence[LinkedMention]) -> bool:
    """The mention hangs from the cue verb's object through "of" ("the deployment of P",
    "la implementación del P"), not the object itself."""
    v = cue.root
    for m in ms:
        node = m.span.root
        if node.dep_ == "pobj" and node.head.lower_ in {"of", "de", "del"}:
            noun = node.head.head
        elif node.dep_ in {"nmod", "obl"} and any(
            c.dep_ == "case" and c.lower_ in {"de", "del"} for c in node.children
        ):
            noun = node.head  # UD: the case marker is the mention's child
        else:
            continue
        if noun != v and noun.pos_ == "NOUN" and noun.head == v and noun.dep_ in _OBJ_DEPS:
            return True
    return False


def _in_modifier_clause(tok: Token) -> bool:
    return any(node.dep_ in {"acl", "relcl", "acl:relcl"} for node in (tok, *tok.ancestors))


def _kind_for(kind: RelationKind, target: Label) -> RelationKind | None:
    """Cue kind -> relation kind for this target: actor pairs vs actor -> policy/programme."""
    if target in _POLICY_LABELS:
        if kind in {RelationKind.implements, RelationKind.funding}:
            return kind
        # "X is responsible for this Directive", "X coordinates the Mechanism": X carries
        # the instrument out; mandates are given by one body to another.
        if kind in {RelationKind.mandate, RelationKind.coordinates, RelationKind.partnership}:
            return RelationKind.implements
        return None
    if kind is RelationKind.implements:
        return None
    return kind
