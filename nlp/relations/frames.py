"""The frame of one cue: its kind, source and targets from the parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.relations.mentions import LinkedMention
from nlp.relations.syntax import (
    _agents,
    _argument_tokens,
    _between_pair,
    _first_person,
    _group_subject,
    _is_passive,
    _refers,
    _subject_token,
)
from nlp.relations.vocab import (
    _ACTOR_LABELS,
    _IT_WORDS,
    _MUTUAL_KINDS,
    _POLICY_LABELS,
    _POSS_RELATIVES,
    _REL_DEPS,
    _REL_PRONOUNS,
    _SELF_SUFFIX,
    _SELF_WORDS,
    _SUBJ_DEPS,
)


@dataclass(frozen=True)
class _Frame:
    """One cue with its arguments: who acts, on whom."""

    kind: RelationKind
    cue: Span
    source: tuple[str, Label] | None
    targets: tuple[tuple[str, Label], ...]
    syntactic: bool  # arguments came from the parse, not from co-occurrence
    needs_self: bool = False  # "they bring us ...": a tie only with the speaker's body
    co_sources: tuple[tuple[str, Label], ...] = ()  # further conjoined agents


def _frame(
    cue: Span,
    actors: list[LinkedMention],
    policies: list[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
    prev_policy: LinkedMention | None = None,
    implied: tuple[str, Label] | None = None,
) -> _Frame:
    label = cue.label_
    needs_self = label.endswith(_SELF_SUFFIX)
    kind = RelationKind(label.removesuffix(_SELF_SUFFIX))
    head = cue.root
    # "under the Plan", "through the programme": the preposition's verb has the subject,
    # the preposition's object is the target.
    v = head.head if head.pos_ == "ADP" and head.head != head else head
    everyone = [*actors, *policies]
    named = frozenset(t.i for m in everyone for t in m.span)
    subj = _subject_token(v, cue, named)
    if subj is None:
        # the subject may be part of the cue itself ("Members include")
        subj = next((t for t in cue if t.dep_ in _SUBJ_DEPS), None)
    if needs_self and subj is not None and subj.head != v and subj.head != v.head:
        subj = None  # "we tell people to call X": the speaker does not call X
    agents = _agents(v) if _is_passive(v) or kind is RelationKind.funding else []
    args = _argument_tokens(head, subj)
    # "referrals from X" with "from" hung on the verb: every cue word brings its arguments
    seen_args = {t.i for t in args}
    for t in cue:
        if t.i not in seen_args:
            extra = [a for a in _argument_tokens(t, subj) if a.i not in seen_args]
            args += extra
            seen_args |= {a.i for a in extra}
    pair = _between_pair(args, actors)
    if pair is not None:
        a, b = pair
        return _Frame(
            kind, cue, (a.entity_id, a.label), ((b.entity_id, b.label),), True, needs_self
        )
    src = _group_subject(subj, cue, prev_actor, everyone)
    if src is None and subj is not None:
        relative = subj.lower_ in _REL_PRONOUNS or any(
            c.lower_ in _POSS_RELATIVES for c in subj.children
        )
        # Spanish parses tag a relative clause "acl" ("cuya Pastoral colabora con X")
        if relative and (v.dep_ in _REL_DEPS or v.dep_ == "acl"):
            # "the Mechanism (NRM) for victims of trafficking, which is coordinated by the
            # Commission": the antecedent, or the named noun phrase it hangs from
            ante: Token | None = v.head
            src = None
            for _ in range(4):
                if ante is None:
                    break
                if ante.dep_ == "attr":
                    # "They are the ones who bring us ...": the copula's subject
                    ante = next((c for c in ante.head.children if c.dep_ in _SUBJ_DEPS), ante)
                src = _refers(ante, everyone, self_id, has_self, prev_actor)
                if src is not None or ante.dep_ not in {"pobj", "prep", "appos", "compound"}:
                    break
                ante = ante.head if ante.head != ante else None
            if src is None:
                # a misattached clause: the closest name just before its antecedent
                near = [m for m in everyone if 0 <= v.head.i - m.span.end <= 5]
                if near:
                    m = max(near, key=lambda m: m.span.end)
                    src = (m.entity_id, m.label)
        else:
            src = _refers(subj, everyone, self_id, has_self, prev_actor)
    elif src is None and implied is not None and not _is_passive(v):
        src = implied  # "b) coordinate the deployment of ..." under "X shall:"
    elif src is None and subj is None and has_self and self_id and _first_person(v):
        src = (self_id, Label.Actor)  # "Con Salud Municipal coordinamos": the verb says "we"
    if src is None and v.dep_ == "acl" and _is_passive(v):
        # "the Youth Programme (YP), implemented by X, ...": a passive participle acts on
        # the noun it modifies, which the cue's own subtree does not contain
        src = _refers(v.head, everyone, self_id, has_self, prev_actor)
    targets: list[tuple[str, Label]] = []
    agent_refs = [
        r for r in (_refers(a, everyone, self_id, has_self, prev_actor) for a in agents) if r
    ]
    if agent_refs:
        # "X is funded/chaired/run by Y (and Z)": Y and Z act on X.
        if src is not None:
            targets.append(src)
        src = agent_refs[0]
    arg_ids = {t.i for t in args}
    # "iobj": a dative clitic ("la Parroquia nos facilita su salón", UD's indirect object)
    self_deps = {"dobj", "pobj", "obj", "iobj", "dative"} | (set() if needs_self else {"poss"})
    if (
        has_self
        and self_id
        and any(
            t.lower_ in _SELF_WORDS
            and (
                t.dep_ in self_deps
                # "comes to our league" is a visit; "they took my name" is not a tie
                or (t.dep_ == "poss" and t.head.dep_ == "pobj")
            )
            for t in args
        )
    ):
        # "pays the salaries of our mentors", "they helped us"
        targets.append((self_id, Label.Actor))
    in_agent = {i for a in agents for i in range(a.left_edge.i, a.right_edge.i + 1)}
    for m in everyone:
        if m.span.root.i in arg_ids or any(t.i in arg_ids for t in m.span):
            ref = (m.entity_id, m.label)
            if ref != src and ref not in targets and m.span.root.i not in in_agent:
                targets.append(ref)
    if not targets and kind in _MUTUAL_KINDS and subj is not None and src is not None:
        # "A and B meet every month", "el IMM y la Fiscalía sesionan en una mesa": with no
        # object, a mutual tie verb ties its conjoined subjects to each other. Only named
        # conjuncts count (no anaphora: "X and they" is not a second body).
        for c in subj.conjuncts:
            mate = _refers(c, actors, self_id, has_self, None)
            if mate is None or mate == src or mate in targets or mate[1] not in _ACTOR_LABELS:
                continue
            targets.append(mate)
    if (
        prev_policy is not None
        and kind in {RelationKind.implements, RelationKind.funding}
        and not any(t[1] in _POLICY_LABELS for t in targets)
        and any(t.lower_ in _IT_WORDS and t.dep_ in {"dobj", "obj", "pobj"} for t in args)
    ):
        # "Tell me about the Beat Programme." - "We run it in six wards."
        targets.append((prev_policy.entity_id, prev_policy.label))
    return _Frame(kind, cue, src, tuple(targets), True, needs_self, tuple(agent_refs[1:]))
