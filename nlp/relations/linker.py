"""Per-sentence driver: participants, negation first, then agreements, duties, remits, memberships, cues."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from graph_schema.model import Label, RelationKind
from nlp.components.relation_cues import NEG_KEY, REL_CUES_KEY
from nlp.relations.agreements import _agreements, _as_authority, _duties
from nlp.relations.composition import compositions
from nlp.relations.members import _memberships
from nlp.relations.mentions import LinkedMention, RawRelation, _coordination_forms
from nlp.relations.negative import _negative, free_segments
from nlp.relations.positive import _positive
from nlp.relations.remits import _grants
from nlp.relations.syntax import _first_person, _topic, _unique
from nlp.relations.tables import _table_relations, is_table
from nlp.relations.vocab import _ACTOR_LABELS, _POLICY_LABELS, _SELF_WORDS


def link_relations(
    doc: Doc,
    mentions: Sequence[LinkedMention],
    *,
    self_id: str | None = None,
    speaks_for_self: bool = False,
    authority: str | None = None,
    instruments: frozenset[str] = frozenset(),
    international: frozenset[str] = frozenset(),
    context_policy: LinkedMention | None = None,
    implied_subject: tuple[str, Label] | None = None,
    context_actor: LinkedMention | None = None,
) -> list[RawRelation]:
    """Relations of one passage Doc. ``authority`` is the body that issued the document
    (a ministry's circular or directive) and ``instruments`` the ids of that document's
    own instrument: what "this Circular establishes" and "X shall ..." say, it says.
    ``implied_subject`` acts in clauses with no subject of their own: the items of a list
    under "X shall:". ``context_actor`` is what "them/they" can mean from the start: the
    body the interviewer just asked about."""
    out: list[RawRelation] = []
    if authority is not None:
        mentions = [_as_authority(m, authority, instruments) for m in mentions]
    if is_table(doc.text):
        # rows are not sentences: columns say who leads, partners and funds
        return _table_relations(doc, mentions, international)
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    cues = list(doc.spans.get(REL_CUES_KEY, []))
    negs = list(doc.spans.get(NEG_KEY, []))
    coord_forms = _coordination_forms()
    prev_actor: LinkedMention | None = context_actor
    prev_sent: Span | None = None
    prev_policy = context_policy  # what "we run it" can mean
    for sent in sents:
        inside = [m for m in mentions if sent.start <= m.span.start < sent.end]
        actors = _unique([m for m in inside if m.label in _ACTOR_LABELS])
        policies = _unique([m for m in inside if m.label in _POLICY_LABELS])
        s_cues = [c for c in cues if sent.start <= c.start < sent.end]
        s_negs = [n for n in negs if sent.start <= n.start < sent.end]
        words = {t.lower_ for t in sent}
        # the speaker's side is in the sentence: "we"/"nos", or a first-person verb ending
        # with no pronoun at all (Spanish drops it: "coordinamos las referencias")
        has_self = bool(
            speaks_for_self
            and self_id
            and (words & _SELF_WORDS or any(_first_person(t) for t in sent if t.pos_ == "VERB"))
        )
        quote = (sent.start_char, sent.end_char)
        if sent.text.rstrip().endswith(("?", "¿")):
            # a question asserts nothing: "Does anyone from the Ministry come here?"
            prev_actor = _topic(sent, actors, prev_actor)
            prev_sent = sent
            continue

        if s_negs:
            out.extend(
                _negative(
                    sent,
                    s_negs,
                    actors,
                    self_id if speaks_for_self else None,
                    has_self,
                    prev_actor,
                    prev_sent,
                    coord_forms,
                )
            )
        grants: list[RawRelation] = []
        if not s_negs:
            mous = _agreements(sent, inside, self_id, has_self, prev_actor, quote)
            out.extend(mous)
            if authority is not None:
                out.extend(_duties(sent, actors, authority, quote))
            grants = _grants(sent, inside, quote)
            # "the Act gives X responsibility for Z" ties no two bodies: X's mandate on Z's
            # theme is read with the themes (a policy's mandates run from its owners to it)
            out.extend(g for g in grants if g.source_label in _ACTOR_LABELS)
        members = _memberships(sent, inside, self_id, has_self, quote)
        out.extend(members)
        if not s_negs:
            out.extend(compositions(sent, actors, quote))
        # With a negation in the sentence, only its clauses that hold none are read for
        # positive ties: "Con la Colectiva no tenemos relación; eso lo ve el Instituto,
        # ellas nos capacitan" denies one tie and reports another.
        for part in [sent] if not s_negs else free_segments(sent, s_negs):
            p_cues = [c for c in s_cues if part.start <= c.start < part.end]
            if not p_cues:
                continue
            p_inside, p_actors, p_policies = (
                [m for m in ms if part.start <= m.span.start < part.end]
                for ms in (inside, actors, policies)
            )
            out.extend(
                _positive(
                    part,
                    p_cues,
                    p_actors,
                    p_policies,
                    self_id,
                    has_self,
                    prev_actor,
                    quote,
                    all_mentions=p_inside,
                    prev_policy=prev_policy,
                    granted=grants,
                    implied=implied_subject,
                )
            )
        if policies:
            prev_policy = policies[-1]
        if members:
            # "Inspector X is our liaison": a member, not a partner of her own service
            pairs = {frozenset((m.source_id, m.target_id)) for m in members}
            out = [
                r
                for r in out
                if r.kind is RelationKind.member_of
                or (r.char_start, r.char_end) != quote
                or frozenset((r.source_id, r.target_id)) not in pairs
            ]
        prev_actor = _topic(sent, actors, prev_actor)
        prev_sent = sent
    return out
