"""People and the bodies they belong to (member_of)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.syntax import _mention_of
from nlp.relations.vocab import _SUBJ_DEPS

_HEADED_BY = ("head", "lead", "led", "direct", "run", "manag", "encabez", "dirig")


_MEMBER_PREPS = frozenset({"of", "at", "from", "with", "in", "de", "del", "en"})


def _prepositional_objects(node: Token) -> list[Token]:
    """Objects of node's "of/at/from/de ..." complements, in both parse schemes: the English
    model hangs the object under the preposition (coordinator -prep-> of -pobj-> X), the
    Spanish model's Universal Dependencies hang the preposition under the object
    (coordinador -nmod-> X -case-> de)."""
    out = [
        g
        for c in node.children
        if c.lower_ in _MEMBER_PREPS
        for g in c.children
        if g.dep_ in {"pobj", "obj"}
    ]
    out += [
        c
        for c in node.children
        if c.dep_ == "nmod"
        and any(g.dep_ == "case" and g.lower_ in _MEMBER_PREPS for g in c.children)
    ]
    return out


def _memberships(
    sent: Span,
    inside: Sequence[LinkedMention],
    self_id: str | None,
    has_self: bool,
    quote: tuple[int, int],
) -> list[RawRelation]:
    """People and the bodies they belong to: "Inspector X is our liaison", "Dr Y, head of
    the Z", "Sergeant W from the Port Division", "the Office, headed by Dr V"."""
    people = [m for m in inside if m.label is Label.Person]
    if not people:
        return []
    orgs = [m for m in inside if m.label is Label.Actor]
    found: list[tuple[LinkedMention, str, Label]] = []
    for p in people:
        root = p.span.root
        # "X is our liaison" (the speaker's organisation)
        if root.dep_ in _SUBJ_DEPS and has_self and self_id:
            for attr in (c for c in root.head.children if c.dep_ in {"attr", "acomp"}):
                if any(
                    c.dep_ == "poss" and c.lower_ in {"our", "my", "nuestro", "nuestra"}
                    for c in attr.children
                ):
                    found.append((p, self_id, Label.Actor))
        # "Dr Y, head of the Z" / "Sergeant W from the Z"
        nodes = [root, *(c for c in root.children if c.dep_ in {"appos", "acl"})]
        nodes += [g for n in nodes[1:] for g in n.children if g.dep_ == "appos"]
        for node in nodes[1:]:
            # "Amara X, Coordinator, Harbour Youth Network" (a signature line)
            m = _mention_of(node, orgs)
            if m is not None:
                found.append((p, m.entity_id, m.label))
        for node in nodes:
            for obj in _prepositional_objects(node):
                m = _mention_of(obj, orgs)
                if m is not None:
                    found.append((p, m.entity_id, m.label))
        # "the Office ..., headed by Dr V": agent of a heading verb
        if root.dep_ == "pobj" and root.head.dep_ == "agent":
            verb = root.head.head
            if verb.lower_.startswith(_HEADED_BY):
                top = verb
                while top.dep_ == "conj" and top.head != top:  # "established ... and headed by"
                    top = top.head
                noun = top.head if top.dep_ in {"acl", "relcl"} else None
                if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in {"of", "de"}:
                    noun = noun.head.head  # "N1 of N2 headed by X": the phrase's head is N1
                if noun is not None and _mention_of(noun, orgs) is None and noun.dep_ == "appos":
                    noun = noun.head  # "the DCF, a directorate of X headed by Dr V"
                subj = next((c for c in verb.children if c.dep_ in _SUBJ_DEPS), None)
                for t in (noun, subj):
                    m = _mention_of(t, orgs) if t is not None else None
                    if m is not None:
                        found.append((p, m.entity_id, m.label))
    out: list[RawRelation] = []
    seen: set[tuple[str, str]] = set()
    for p, oid, olabel in found:
        if (p.entity_id, oid) in seen:
            continue
        seen.add((p.entity_id, oid))
        out.append(
            RawRelation(
                RelationKind.member_of,
                p.entity_id,
                Label.Person,
                oid,
                olabel,
                0.6,
                "member_of: role of a person",
                *quote,
            )
        )
    return out
