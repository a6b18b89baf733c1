"""Agreements between bodies (MoU, protocol, convenio) and duties laid by an issued instrument."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.syntax import _agents, _is_passive, _mention_of, _refers
from nlp.relations.vocab import _ACTOR_LABELS, _POLICY_LABELS, _SUBJ_DEPS

_AGREEMENT_NOUNS = frozenset(
    {
        "agreement",
        "agreements",
        "memorandum",
        "memoranda",
        "mou",
        "mous",
        "protocol",
        "protocols",
        "pact",
        "accord",
        "contract",
        "convenio",
        "convenios",
        "acuerdo",
        "acuerdos",
    }
)


_FUNDING_AGREEMENTS = frozenset({"grant", "funding", "financing", "loan", "subsidy", "donor"})


_AGREEING_VERBS = frozenset(
    {
        "sign",
        "signed",
        "signs",
        "signing",
        "conclude",
        "concluded",
        "have",
        "has",
        "had",
        "agree",
        "agreed",
        "renew",
        "renewed",
        "enter",
        "entered",
        "firmar",
        "firmaron",
        "firmó",
        "suscribir",
        "suscribieron",
        "tener",
        "tienen",
        "tenemos",
    }
)


# "works under an agreement with X", "opera bajo un convenio con X": the agreement is the
# frame the clause's work is done in, so the one who does the work is a party to it.
_UNDER_WORDS = frozenset({"under", "bajo"})


def _working_under(tok: Token) -> Token | None:
    """The verb of a clause done under this agreement noun, if it is one."""
    if tok.dep_ == "pobj" and tok.head.lower_ in _UNDER_WORDS and tok.head.dep_ == "prep":
        return tok.head.head if tok.head.head != tok.head else None
    if any(c.dep_ == "case" and c.lower_ in _UNDER_WORDS for c in tok.children):
        return tok.head if tok.head != tok else None
    return None


def _with_phrases(tok: Token) -> list[Token]:
    """ "with X" / "between X and Y" on the agreement noun or on the words of its name
    ("Memorandum of Understanding with X": "with" hangs on "Understanding")."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        node = stack.pop()
        for c in node.children:
            if c.lower_ in {"between", "with", "entre", "con"} and c.dep_ in {"prep", "case"}:
                out.append(c)
            elif c.lower_ in {"of", "de"} and c.dep_ == "prep":
                stack.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _agreements(
    sent: Span,
    inside: Sequence[LinkedMention],
    self_id: str | None,
    has_self: bool,
    prev_actor: LinkedMention | None,
    quote: tuple[int, int],
) -> list[RawRelation]:
    """Agreements between bodies: "A and B signed a referral protocol", "the Memorandum of
    Understanding signed between A and B", "we have a protocol with A", "since the MoU
    with A was signed, B ...". The agreement may be a named instrument or a common noun."""
    actors = [m for m in inside if m.label in _ACTOR_LABELS]
    if not actors:
        return []
    out: list[RawRelation] = []
    seen: set[frozenset[str]] = set()
    for tok in sent:
        if tok.lower_ not in _AGREEMENT_NOUNS:
            continue
        inst = _mention_of(tok, inside)
        if inst is not None and inst.label not in _POLICY_LABELS:
            continue  # "Agreement" inside a body's name
        if inst is not None:
            tok = inst.span.root
        parties: list[tuple[str, Label]] = []

        def add(t: Token | None, parties: list[tuple[str, Label]] = parties) -> None:
            if t is None:
                return
            for x in (t, *t.conjuncts):
                ref = _refers(x, actors, self_id, has_self, prev_actor)
                if ref is not None and ref not in parties:
                    parties.append(ref)

        # "between A and B" / "with A" on the noun, its participle or its verb
        scopes = [tok, *[c for c in tok.children if c.dep_ in {"acl", "relcl"}]]
        verb = tok.head if tok.dep_ in {"dobj", "obj", "nsubjpass", "nsubj:pass"} else None
        if verb is not None:
            scopes.append(verb)
        acl_agreeing = any(
            c.dep_ in {"acl", "relcl"} and c.lower_ in _AGREEING_VERBS for c in tok.children
        )
        worker = _working_under(tok)
        if (
            worker is None
            and not acl_agreeing
            and (verb is None or verb.lower_ not in _AGREEING_VERBS)
        ):
            continue  # "we use the protocol with X", "to discuss a protocol with X"
        # "a grant agreement with X": money, not a memorandum
        funds = any(
            c.lower_ in _FUNDING_AGREEMENTS
            for c in tok.children
            if c.dep_ in {"compound", "amod", "nmod"}
        )
        withs = [p for node in scopes for p in _with_phrases(node)]
        for prep in withs:
            add(next((g for g in prep.children if g.dep_ in {"pobj", "obj"}), None))
        if worker is not None:
            # the doer of the work done under it: "sessions are delivered by X under a grant
            # agreement with Y", "X conducts the survey under a Memorandum with Y"
            doers = _agents(worker) if _is_passive(worker) else []
            if not doers:
                doers = [c for c in worker.children if c.dep_ in _SUBJ_DEPS][:1]
            if not doers:
                # a parse with no subject ("UN-Habitat implements ..." read as a compound
                # modifier of the verb): the name left of the verb on it is the subject
                doers = [c for c in worker.lefts if _mention_of(c, actors) is not None][:1]
            doer = next(
                (r for r in (_refers(d, actors, self_id, has_self, None) for d in doers) if r),
                None,
            )
            if doer is not None and funds:
                # working under a grant: the other party pays for the work
                out.extend(
                    RawRelation(
                        RelationKind.funding,
                        other[0],
                        other[1],
                        doer[0],
                        doer[1],
                        0.6,
                        f"funding: {tok.text}",
                        *quote,
                    )
                    for other in parties
                    if other[0] != doer[0]
                )
                continue
            if doer is not None and doer not in parties:
                parties.append(doer)
        if verb is not None and tok.dep_ in {"dobj", "obj"}:
            subj = next((c for c in verb.children if c.dep_ in _SUBJ_DEPS), None)
            signer = _refers(subj, actors, self_id, has_self, prev_actor) if subj else None
            if funds and signer is not None:
                # the signer pays: "UNICEF signed a grant agreement with the Directorate"
                others = list(parties)
                for other in others:
                    if other[0] != signer[0]:
                        out.append(
                            RawRelation(
                                RelationKind.funding,
                                signer[0],
                                signer[1],
                                other[0],
                                other[1],
                                0.6,
                                f"funding: {tok.text}",
                                *quote,
                            )
                        )
                continue
            add(subj)
        if len(parties) == 1:
            # "since the MoU with A was signed, B has ...": the main clause's subject
            root = sent.root
            add(next((c for c in root.children if c.dep_ in _SUBJ_DEPS), None))
        if len(parties) == 1 and has_self and self_id and (self_id, Label.Actor) not in parties:
            parties.append((self_id, Label.Actor))
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                if a[0] == b[0] or frozenset((a[0], b[0])) in seen:
                    continue
                seen.add(frozenset((a[0], b[0])))
                out.append(
                    RawRelation(
                        RelationKind.mou,
                        a[0],
                        a[1],
                        b[0],
                        b[1],
                        0.65,
                        f"mou: {tok.text}",
                        *quote,
                    )
                )
    return out


_DUTY_MODALS = frozenset({"shall", "must", "deberá", "deberán"})


def _as_authority(m: LinkedMention, authority: str, instruments: frozenset[str]) -> LinkedMention:
    """ "This Circular establishes ...": the instrument as subject speaks for its issuer."""
    if m.entity_id in instruments and m.span.root.dep_ in _SUBJ_DEPS:
        return LinkedMention(m.span, authority, Label.Actor, anaphoric=True)
    return m


def _duties(
    sent: Span, actors: list[LinkedMention], authority: str, quote: tuple[int, int]
) -> list[RawRelation]:
    """ "The Agency shall deliver ...": in an issued instrument, a duty laid on another body
    is a mandate from the issuer."""
    out: list[RawRelation] = []
    for tok in sent:
        if tok.lower_ not in _DUTY_MODALS or tok.dep_ not in {"aux", "ROOT"}:
            continue
        verb = tok.head if tok.dep_ == "aux" else tok
        for subj in (c for c in verb.children if c.dep_ in _SUBJ_DEPS):
            for x in (subj, *subj.conjuncts):
                m = _mention_of(x, actors)
                if m is None:
                    for child in x.subtree:  # "DSC Chairs", "staff of the Agency"
                        if child.dep_ in {"compound", "poss"}:
                            m = _mention_of(child, actors)
                            if m is not None:
                                break
                if m is None or m.entity_id == authority or m.label is not Label.Actor:
                    continue
                out.append(
                    RawRelation(
                        RelationKind.mandate,
                        authority,
                        Label.Actor,
                        m.entity_id,
                        m.label,
                        0.6,
                        f"mandate: {tok.text} (issued instrument)",
                        *quote,
                    )
                )
    return out
