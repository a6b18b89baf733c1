"""Remits: a body given a responsibility, and the mandate tie from giver to holder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.components.relation_cues import inflections, is_spanish_lemma
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.syntax import _agent_token, _is_passive, _mention_of, _unique
from nlp.relations.vocab import _OBJ_DEPS, _RECIPIENT_DEPS, _SUBJ_DEPS


@dataclass(frozen=True)
class Remit:
    """A body given a responsibility: "P gives X responsibility for Z", "X is responsible
    for Z", "Y tasks X with Z". ``scope`` holds the token ids of Z (what the remit is on);
    ``giver`` is who gives it, when the sentence says."""

    holder: LinkedMention
    giver: LinkedMention | None
    scope: frozenset[int]
    cue: str


# what a body can be given: "the task of", "responsibility for", "the lead on"
_REMIT_NOUNS = frozenset(
    {
        "responsibility",
        "responsibilities",
        "task",
        "tasks",
        "mandate",
        "role",
        "duty",
        "duties",
        "lead",
        "leadership",
        "remit",
        "responsabilidad",
        "responsabilidades",
        "tarea",
        "tareas",
        "mandato",
        "función",
        "funciones",
        "atribución",
        "atribuciones",
        "encargo",
    }
)


_GIVE_LEMMAS = frozenset(
    {
        "give",
        "assign",
        "entrust",
        "grant",
        "confer",
        "delegate",
        "dar",
        "otorgar",
        "asignar",
        "conferir",
        "encomendar",
        "atribuir",
        "delegar",
        "confiar",
    }
)


# "Y tasks X with Z", "mandates X to Z", "X is charged with Z"
_TASK_LEMMAS = frozenset(
    {
        "task",
        "mandate",
        "charge",
        "entrust",
        "instruct",
        "designate",
        "direct",
        "encargar",
        "encomendar",
        "instruir",
        "designar",
        "facultar",
    }
)


def _verb_forms(lemmas: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """English inflections and Spanish stems: the pipeline runs without a lemmatizer."""
    english = {f for lemma in lemmas if not is_spanish_lemma(lemma) for f in inflections(lemma)}
    stems = tuple(lemma[:-2] for lemma in lemmas if is_spanish_lemma(lemma) and len(lemma) > 5)
    return frozenset(english), stems


def _is_verb_of(tok: Token, forms: tuple[frozenset[str], tuple[str, ...]]) -> bool:
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    return tok.lower_ in forms[0] or (len(tok) > 4 and tok.lower_.startswith(forms[1]))


_GIVE_FORMS = _verb_forms(_GIVE_LEMMAS)


_TASK_FORMS = _verb_forms(_TASK_LEMMAS)


_REMIT_ADJS = frozenset(
    {"responsible", "accountable", "responsable", "encargado", "encargada", "competente"}
)


def remits(sent: Span, mentions: Sequence[LinkedMention]) -> list[Remit]:
    """Who the sentence gives a responsibility, on what (see ``Remit``)."""
    actors = [m for m in mentions if m.label is Label.Actor]
    if not actors:
        return []
    everyone = list(mentions)
    out: list[Remit] = []

    def holders(tok: Token | None) -> list[LinkedMention]:
        if tok is None:
            return []
        found = [_mention_of(t, actors) for t in (tok, *tok.conjuncts)]
        return _unique([m for m in found if m is not None])

    def subject(v: Token) -> Token | None:
        kids = [*v.children]
        kids += [g for c in v.children if c.dep_ in {"aux", "auxpass"} for g in c.children]
        return next((c for c in kids if c.dep_ in _SUBJ_DEPS), None)

    def add(hold: list[LinkedMention], giver: Token | None, scope: list[Token], cue: str) -> None:
        ids = frozenset(t.i for t in scope)
        g = _mention_of(giver, everyone) if giver is not None else None
        for h in hold:
            if ids and (g is None or g.entity_id != h.entity_id):
                out.append(Remit(h, g, ids, cue))

    for tok in sent:
        low = tok.lower_
        if _is_verb_of(tok, _GIVE_FORMS):
            remit = next(
                (c for c in tok.children if c.dep_ in _OBJ_DEPS and c.lower_ in _REMIT_NOUNS),
                None,
            )
            if remit is None:
                continue
            hold = holders(next((c for c in tok.children if c.dep_ in _RECIPIENT_DEPS), None))
            if not hold:
                # "assigns the task of X to the Department" / "asigna a la Secretaría la tarea"
                to = [
                    c
                    for node in (tok, remit)
                    for c in node.children
                    if c.lower_ in {"to", "a", "al"} and c.dep_ in {"prep", "dative", "case"}
                ]
                for c in to:
                    hold += holders(next((g for g in c.children if g.dep_ == "pobj"), None))
                hold += [
                    m
                    for c in tok.children
                    if c.dep_ in {"obj", "iobj", "obl"}
                    and c != remit
                    and any(g.lower_ in {"a", "al"} for g in c.children)
                    for m in holders(c)
                ]
            if not hold and tok.i < remit.i:
                # "gives the Ministry responsibility for": whatever the parser made of it
                # (a second object, a compound), the body between verb and remit holds it
                hold = _unique(
                    [m for m in actors if tok.i < m.span.start and m.span.end <= remit.i]
                )
            scope = [t for t in remit.subtree if not any(t in m.span for m in hold)]
            add(_unique(hold), subject(tok), scope, f"{tok.text} {remit.text}")
        elif _is_verb_of(tok, _TASK_FORMS):
            objs = [c for c in tok.children if c.dep_ in _OBJ_DEPS]
            # "encarga a la Dirección la prevención": the object marked by "a" is the holder
            marked = [c for c in objs if any(g.lower_ in {"a", "al"} for g in c.children)]
            comp = [
                c
                for c in tok.children
                if c.dep_ in {"xcomp", "ccomp"}
                or (c.dep_ == "prep" and c.lower_ in {"with", "to", "con", "de"})
            ]
            if marked:
                comp += [c for c in objs if c not in marked]
            if not comp:
                continue
            scope = [t for c in comp for t in c.subtree]
            if _is_passive(tok):
                hold = holders(next((c for c in tok.children if c.dep_ in _SUBJ_DEPS), None))
                giver = _agent_token(tok)
            else:
                first = marked or objs
                hold = holders(first[0] if first else None)
                giver = subject(tok)
            add(hold, giver, scope, tok.text)
        elif low in _REMIT_ADJS or (low == "charge" and tok.head.lower_ == "in"):
            # "X is responsible for Z", "X es responsable de Z", "X is in charge of Z"
            head = tok.head.head if low == "charge" else tok
            pred = head.head if head.dep_ in {"acomp", "amod", "attr", "pobj"} else head
            comp = [c for c in tok.children if c.dep_ in {"prep", "xcomp", "nmod", "obl"}]
            if not comp:
                continue
            scope = [t for c in comp for t in c.subtree]
            hold = holders(subject(pred))
            if not hold and tok.dep_ == "amod":
                # "the Office, (the body) responsible for Z"
                node = tok.head
                hold = holders(node) or holders(node.head if node.dep_ == "appos" else None)
            add(hold, None, scope, f"{tok.text} {comp[0].text}")
    return out


def _grants(
    sent: Span, inside: Sequence[LinkedMention], quote: tuple[int, int]
) -> list[RawRelation]:
    """ "Y gives X the task of Z", "Y tasks X with Z": the giver mandates the holder."""
    out: list[RawRelation] = []
    for r in remits(sent, inside):
        if r.giver is None:
            continue
        out.append(
            RawRelation(
                RelationKind.mandate,
                r.giver.entity_id,
                r.giver.label,
                r.holder.entity_id,
                r.holder.label,
                0.65,
                f"mandate: {r.cue}",
                *quote,
            )
        )
    return out
