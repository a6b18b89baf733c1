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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from graph_schema.model import Label, RelationKind
from nlp.components.relation_cues import NEG_KEY, REL_CUES_KEY, inflections, is_spanish_lemma
from nlp.lexicon import relation_lexicon

__all__ = [
    "LinkedMention",
    "RawRelation",
    "Remit",
    "TableRow",
    "is_table",
    "link_relations",
    "remits",
    "table_rows",
]

# Implementation matrices and partner tables: header words that give a column its role.
_LEAD_COLS = (
    "lead",
    "responsible",
    "implementing",
    "implemented by",
    "executing",
    "in charge",
    "owner",
    "responsable",
    "ejecutor",
    "a cargo",
    "encargad",
)
_PARTNER_COLS = ("partner", "support", "with", "socio", "colabor", "apoyo", "aliad")
_FUNDER_COLS = (
    "funded by",
    "funder",
    "donor",
    "funding source",
    "source of fund",
    "financed by",
    "financiado",
    "fuente de financ",
    "financiador",
)
_NUMBER_COLS = ("no", "no.", "#", "n°", "nº", "núm.", "ref", "id")

_SELF_WORDS = frozenset(
    {
        "we",
        "our",
        "us",
        "ours",
        "i",
        "my",
        "me",
        "nosotros",
        "nuestra",
        "nuestro",
        "nuestros",
        "nuestras",
        "nos",
    }
)
_THIRD_PERSON = frozenset({"they", "he", "she", "ellos", "ellas"})
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
        has_self = bool(speaks_for_self and self_id and words & _SELF_WORDS)
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
        if not s_negs and s_cues:
            out.extend(
                _positive(
                    sent,
                    s_cues,
                    actors,
                    policies,
                    self_id,
                    has_self,
                    prev_actor,
                    quote,
                    all_mentions=inside,
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
        if not acl_agreeing and (verb is None or verb.lower_ not in _AGREEING_VERBS):
            continue  # "we use the protocol with X", "to discuss a protocol with X"
        # "a grant agreement with X": money, not a memorandum
        funds = any(
            c.lower_ in _FUNDING_AGREEMENTS
            for c in tok.children
            if c.dep_ in {"compound", "amod", "nmod"}
        )
        for node in scopes:
            for prep in node.children:
                if prep.lower_ in {"between", "with", "entre", "con"} and prep.dep_ in {
                    "prep",
                    "case",
                }:
                    add(next((g for g in prep.children if g.dep_ in {"pobj", "obj"}), None))
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


def is_table(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(lines) >= 2 and all(ln.lstrip().startswith("|") for ln in lines[:2])


def _cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """(text, start, end) of each cell of a "| a | b |" row, as passage offsets."""
    out: list[tuple[str, int, int]] = []
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    for a, b in pairwise(bars):
        out.append((line[a + 1 : b].strip(), offset + a + 1, offset + b))
    return out


def _role(header: str) -> str | None:
    h = header.lower()
    for role, words in (("funder", _FUNDER_COLS), ("lead", _LEAD_COLS), ("partner", _PARTNER_COLS)):
        if any(w in h for w in words):
            return role
    return None


@dataclass(frozen=True)
class TableRow:
    """One data row of a "| a | b |" table: its span and each cell's (start, end, role) in
    passage characters; the item column (what the row is about) has role "item"."""

    start: int
    end: int
    cells: tuple[tuple[int, int, str | None], ...]


def table_rows(text: str) -> list[TableRow]:
    """The data rows of a table passage with the role of each cell (header words decide:
    lead, partner, funder; the first non-number column is the row's item)."""
    lines: list[tuple[str, int]] = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((ln, pos))
        pos += len(ln) + 1
    rows = [(ln, off) for ln, off in lines if ln.strip().startswith("|")]
    if len(rows) < 2:
        return []
    header = _cells(*rows[0])
    roles: list[str | None] = [_role(h) for h, _, _ in header]
    item = next(
        (i for i, (h, _, _) in enumerate(header) if h.lower().strip() not in _NUMBER_COLS), 0
    )
    # "| Partner | ... | Funded by |": the row is about its partner, whatever its header says
    roles[item] = "item"
    out: list[TableRow] = []
    for ln, off in rows[1:]:
        if set(ln.replace("|", "").strip()) <= set("-: "):
            continue  # the |---|---| separator
        cells = tuple(
            (c_start, c_end, roles[ci] if ci < len(roles) else None)
            for ci, (_, c_start, c_end) in enumerate(_cells(ln, off))
        )
        out.append(TableRow(off, off + len(ln), cells))
    return out


def _table_relations(
    doc: Doc, mentions: Sequence[LinkedMention], international: frozenset[str]
) -> list[RawRelation]:
    """Implementation matrices: the lead (and national or local partners) carry out the row's
    programme, partners work with the lead, a funder column funds the row's body or
    programme. International partners support rather than deliver."""
    out: list[RawRelation] = []
    for row in table_rows(doc.text):
        by_role: dict[str | None, list[LinkedMention]] = defaultdict(list)
        subject: list[LinkedMention] = []
        for c_start, c_end, role in row.cells:
            inside = _unique(
                [m for m in mentions if c_start <= m.span.start_char and m.span.end_char <= c_end]
            )
            if role == "item":
                subject = inside
            else:
                by_role[role].extend(m for m in inside if m.label in _ACTOR_LABELS)
        progs = [m for m in subject if m.label in _POLICY_LABELS]
        row_actors = [m for m in subject if m.label in _ACTOR_LABELS]
        leads, partners, funders = by_role["lead"], by_role["partner"], by_role["funder"]
        quote = (row.start, row.end)

        def rel(
            kind: RelationKind,
            s: LinkedMention,
            t: LinkedMention,
            cue: str,
            quote: tuple[int, int] = quote,
        ) -> None:
            if s.entity_id != t.entity_id:
                out.append(
                    RawRelation(
                        kind,
                        s.entity_id,
                        s.label,
                        t.entity_id,
                        t.label,
                        0.55,
                        f"table: {cue}",
                        *quote,
                    )
                )

        doers = [*leads, *(m for m in partners if m.entity_id not in international)]
        for p in progs:
            for a in doers:
                rel(RelationKind.implements, a, p, "lead/partner column")
        for a in leads:
            for b in partners:
                rel(RelationKind.partnership, a, b, "lead and partner columns")
        for f in funders:
            # "Directorate (DCF), City Council": the row's body is the first one named
            for t in row_actors[:1] or progs or leads:
                rel(RelationKind.funding, f, t, "funder column")
    return out


_HEADED_BY = ("head", "lead", "led", "direct", "run", "manag", "encabez", "dirig")
_MEMBER_PREPS = frozenset({"of", "at", "from", "with", "in", "de", "del", "en"})


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
            for prep in (c for c in node.children if c.lower_ in _MEMBER_PREPS):
                for obj in (g for g in prep.children if g.dep_ in {"pobj", "obj"}):
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
    scope: set[int] = set()
    for n in negs:
        head = n.root.head
        scope |= {n.root.i, head.i}
        scope |= {c.i for c in head.children if c.dep_ in {"xcomp", "dobj", "obj", "conj"}}
        if head.dep_ in {"aux", "auxpass"}:
            scope.add(head.head.i)
    coord_verb = next(
        (
            t
            for t in sent
            if t.pos_ in {"VERB", "AUX", "NOUN", ""}
            and _is_coord_token(t.lower_, coord_forms)
            and (t.i in scope or t.head.i in scope)
        ),
        None,
    )
    if phrase is None and coord_verb is None:
        return []
    cue = (
        phrase.text
        if phrase is not None
        else f"{negs[0].text} ... {coord_verb.text if coord_verb else ''}"
    )
    conf = _STRONG_NEG_PHRASE_CONF if phrase is not None else _WEAK_NEG_CONF
    start, end = sent.start_char, sent.end_char
    # "if Hope Harbour closes, I have nowhere to send them": a condition, not a report.
    others = [a for a in actors if a.entity_id != self_id and not _in_conditional(a.span)]
    pairs: list[tuple[str, Label, LinkedMention]] = []
    negated = negs[0].root.head
    subj = next((t for t in negated.children if t.dep_ in _SUBJ_DEPS), None)
    if self_id is not None and subj is not None and any(c.lower_ in _HERE for c in subj.children):
        has_self = True  # "nobody here", "no one here": the speaker's side
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
        # "there is no referral protocol between A and B": the two sides the sentence names,
        # not whichever two bodies come first
        a, b = _between_pair(list(sent), others) or (others[0], others[1])
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


_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj"})
_HERE = frozenset({"here", "aquí", "acá"})
# Cue kinds ending in this hold only between the speaker's organisation and another body:
# "they send us children", "we take them to X" (everyday verbs, ties only in testimony).
_SELF_SUFFIX = "_self"
_REACH_OUT = ("call", "llam")
# Children that start another predication: their actors are not the cue's arguments.
_CLAUSE_DEPS = frozenset({"advcl", "relcl", "ccomp", "parataxis", "acl:relcl", "acl"})
_MAX_CLIMB = 4
_GROUP_NOUNS = frozenset(
    {
        "member",
        "members",
        "membership",
        "partner",
        "partners",
        "participant",
        "participants",
        "miembros",
        "integrantes",
    }
)


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
_OBJ_DEPS = frozenset({"dobj", "obj"})
_RECIPIENT_DEPS = frozenset({"dative", "iobj"})


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
    # "WLAC lawyers", "staff of the ONR": a mention inside the noun phrase.
    for child in tok.subtree:
        if child.dep_ in {"compound", "poss", "pobj", "nmod"}:
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
    # "They ...", "Its members ...", "It is chaired by ...": the salient previous actor.
    if (low in _ANAPHORA or any(c.lower_ in _ANAPHORA for c in tok.children)) and prev_actor:
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


def _subject_token(v: Token, cue: Span) -> Token | None:
    """The subject of the cue's clause, climbing through xcomp/conj/prep chains."""
    node = v
    for _ in range(_MAX_CLIMB):
        # a subject the parser hung on the auxiliary ("X has co-organised") counts too
        kids = [*node.children]
        kids += [g for c in node.children if c.dep_ in {"aux", "auxpass"} for g in c.children]
        for c in kids:
            if c.dep_ in _SUBJ_DEPS and not (cue.start <= c.i < cue.end):
                return c
        if node.head == node or node.dep_ in _CLAUSE_DEPS:
            break
        node = node.head
    return None


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


_IT_WORDS = frozenset({"it", "lo", "la"})
_REL_PRONOUNS = frozenset({"which", "that", "who", "whom", "que", "quien", "quienes", "cual"})
_REL_DEPS = frozenset({"relcl", "acl:relcl"})


def _agents(v: Token) -> list[Token]:
    """ "implemented by A and B": every conjoined agent."""
    agent = _agent_token(v)
    if agent is None:
        return []
    return [agent, *agent.conjuncts]


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
    subj = _subject_token(v, cue)
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
        if subj.lower_ in _REL_PRONOUNS and v.dep_ in _REL_DEPS:
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
    self_deps = {"dobj", "pobj", "obj", "dative"} | (set() if needs_self else {"poss"})
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
    if (
        prev_policy is not None
        and kind in {RelationKind.implements, RelationKind.funding}
        and not any(t[1] in _POLICY_LABELS for t in targets)
        and any(t.lower_ in _IT_WORDS and t.dep_ in {"dobj", "obj", "pobj"} for t in args)
    ):
        # "Tell me about the Beat Programme." - "We run it in six wards."
        targets.append((prev_policy.entity_id, prev_policy.label))
    return _Frame(kind, cue, src, tuple(targets), True, needs_self, tuple(agent_refs[1:]))


# A positive cue under these words reports a wish, a request or an attempt, not a tie:
# "we wrote to ask if our officers could attend", "they may attend only as observers",
# "we tried to join the Forum". Commitments ("will", "shall") are kept: plans are evidence.
_IRREALIS_GOVERNORS = frozenset(
    {
        "ask",
        "request",
        "try",
        "attempt",
        "hope",
        "want",
        "wish",
        "seek",
        "propose",
        "suggest",
        "intend",
        "demand",
        "beg",
        "urge",
        "like",
        "love",
        "prefer",
        "pedir",
        "solicitar",
        "intentar",
        "esperar",
        "querer",
        "desear",
        "proponer",
    }
)
_HYPOTHETICAL_MODALS = frozenset(
    {"could", "would", "should", "might", "may", "podría", "podrían", "debería", "deberían"}
)
_CONDITIONAL_MARKS = frozenset({"if", "whether", "unless", "si"})


def _in_conditional(span: Span) -> bool:
    """True when the mention sits in an "if/unless/whether" clause."""
    for tok in (span.root, *span.root.ancestors):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in tok.children):
            return True
        if tok.dep_ == "ROOT":
            break
    return False


def _irrealis(cue: Span) -> bool:
    """True when the cue's clause is hypothetical, requested or attempted, not reported."""
    head = cue.root
    for tok in (head, *head.ancestors):
        if tok.lemma_.lower() in _IRREALIS_GOVERNORS and tok is not head:
            return True
        for child in tok.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in _HYPOTHETICAL_MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return True
        if tok.dep_ in {"ROOT"}:
            break
    return False


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
