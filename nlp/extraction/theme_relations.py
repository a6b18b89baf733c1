"""Theme cues in a passage -> works_on / addresses / mandate relations to Theme nodes."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from graph_schema.model import Label, RelationKind
from nlp.components.themes import BODY_WORD, THEMES_KEY
from nlp.extraction.state import PassageResult
from nlp.relations import LinkedMention, RawRelation, is_table, remits, table_rows


def theme_hits(pr: PassageResult) -> list[Span]:
    """The passage's theme cues; a word that names a body ("not police", "the police
    station") counts only inside a body's name, as that body's own remit."""
    out = []
    for t in pr.doc.spans.get(THEMES_KEY, []):
        if t.kb_id_ == BODY_WORD and not any(
            m.span.start <= t.start and t.end <= m.span.end for m in pr.mentions
        ):
            continue
        out.append(t)
    return out


def theme_relations(
    pr: PassageResult, self_id: str | None, implied: LinkedMention | None = None
) -> Iterable[RawRelation]:
    doc = pr.doc
    theme_spans = theme_hits(pr)
    if not theme_spans:
        return []
    if is_table(doc.text):
        return _table_theme_relations(pr, theme_spans)
    out: list[RawRelation] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        hits = [t for t in theme_spans if sent.start <= t.start < sent.end]
        if not hits:
            continue
        ms = [m for m in pr.mentions if sent.start <= m.span.start < sent.end]
        s_remits = remits(sent, ms)
        subjects = [(m.entity_id, m.label) for m in _theme_holders(ms)]
        if implied is not None and not any(
            t.dep_ in {"nsubj", "nsubjpass", "nsubj:pass"} for t in sent
        ):
            subjects.append((implied.entity_id, implied.label))
        if self_id and {t.lower_ for t in sent} & {
            "we",
            "our",
            "us",
            "nosotros",
            "nuestro",
            "nuestra",
        }:
            subjects.append((self_id, Label.Actor))
        for theme_id in dict.fromkeys(t.label_ for t in hits):
            cue = next(t.text for t in hits if t.label_ == theme_id)
            named_in = [
                m
                for m in ms
                for t in hits
                if t.label_ == theme_id and m.span.start <= t.start and t.end <= m.span.end
            ]
            if len(named_in) == sum(t.label_ == theme_id for t in hits):
                # Only inside names ("the Drug Control Agency"): the theme is that body's
                # own remit, not the topic of the sentence.
                holders = [(m.entity_id, m.label) for m in named_in]
            else:
                # "Under the Safe Markets Initiative, the City will repair lighting": a
                # programme named in the clause that carries the theme word addresses it.
                clauses = {_clause(t.root).i for t in hits if t.label_ == theme_id}
                framed = [
                    (m.entity_id, m.label)
                    for m in ms
                    if m.label in {Label.Policy, Label.Programme}
                    and _clause(m.span.root).i in clauses
                ]
                holders = [*subjects, *framed]
            # "The Act gives X responsibility for survivor services": X holds a mandate on
            # the theme of what it is given, whoever the sentence's subject is
            given = {
                r.holder.entity_id: r.cue
                for r in s_remits
                for t in hits
                if t.label_ == theme_id and t.root.i in r.scope
            }
            holders += [(m.entity_id, m.label) for m in ms if m.entity_id in given]
            for eid, label in dict.fromkeys(holders):
                if label is Label.Person:
                    continue
                if eid in given:
                    kind, why = RelationKind.mandate, f"remit '{given[eid]}': theme cue '{cue}'"
                elif label in {Label.Policy, Label.Programme}:
                    kind, why = RelationKind.addresses, f"theme cue '{cue}'"
                else:
                    kind, why = RelationKind.works_on, f"theme cue '{cue}'"
                out.append(
                    RawRelation(
                        kind,
                        eid,
                        label,
                        theme_id,
                        Label.Theme,
                        0.5,
                        why,
                        sent.start_char,
                        sent.end_char,
                    )
                )
    return out


def _table_theme_relations(pr: PassageResult, theme_spans: list[Span]) -> list[RawRelation]:
    """A theme word in a table row is about that row only: its item, lead and partners (a
    funder column pays for the work, as "with funding from X" does in a sentence)."""
    out: list[RawRelation] = []
    for row in table_rows(pr.doc.text):
        hits = [t for t in theme_spans if row.start <= t.start_char < row.end]
        if not hits:
            continue
        ms = [
            m
            for m in pr.mentions
            for c_start, c_end, role in row.cells
            if role != "funder" and c_start <= m.span.start_char and m.span.end_char <= c_end
        ]
        for theme_id in dict.fromkeys(t.label_ for t in hits):
            cue = next(t.text for t in hits if t.label_ == theme_id)
            for eid, label in dict.fromkeys((m.entity_id, m.label) for m in ms):
                if label is Label.Person:
                    continue
                kind = (
                    RelationKind.addresses
                    if label in {Label.Policy, Label.Programme}
                    else RelationKind.works_on
                )
                out.append(
                    RawRelation(
                        kind,
                        eid,
                        label,
                        theme_id,
                        Label.Theme,
                        0.5,
                        f"theme cue '{cue}' (table row)",
                        row.start,
                        row.end,
                    )
                )
    return out


_HOLDER_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "poss"})


def _clause(tok: Token) -> Token:
    """The verb (or root) whose clause a token belongs to."""
    node = tok
    for _ in range(12):
        if node.pos_ in {"VERB", "AUX"} or node.head == node:
            return node
        node = node.head
    return node


def _theme_holders(ms: list[LinkedMention]) -> list[LinkedMention]:
    """Who a theme word in the sentence is about: the acting subjects, not every name.

    "The Ossel Youth Trust, with funding from the Harbour Fund, runs knife-crime
    workshops": the Trust works on knife crime, the funder does not. A sentence with a
    single entity of a label keeps it (headings, fragments, "X: youth violence").
    """
    if len({m.entity_id for m in ms}) <= 1:
        return ms
    out = []
    for m in ms:
        tok = m.span.root
        # "..., which runs ...": the antecedent of a relative clause acts in it
        if any(c.dep_ in {"relcl", "acl:relcl"} for c in tok.children):
            out.append(m)
            continue
        # climb through the noun phrase ("the ONR team", "staff of the ONR")
        for _ in range(3):
            if tok.dep_ in _HOLDER_DEPS or (
                tok.dep_ in {"conj", "appos"} and tok.head.dep_ in _HOLDER_DEPS
            ):
                out.append(m)
                break
            if (
                tok.dep_ not in {"compound", "pobj", "prep", "nmod", "appos", "conj"}
                or tok.head == tok
            ):
                break
            tok = tok.head
    return out
