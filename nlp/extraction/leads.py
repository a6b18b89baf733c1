"""List heads ("X shall:") and programmes whose lead is still open.

Both change who a passage's relations belong to: list items continue the head's duties, and
nobody carries out a programme whose lead "will be determined".
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from graph_schema.model import Label, RelationKind
from ingest.model import Passage
from nlp.extraction.state import DocState, PassageResult
from nlp.lexicon import cue_regex, relation_lexicon
from nlp.relations import LinkedMention, RawRelation, is_table, table_rows

LIST_ITEM = re.compile(r"\s*(?:\(?[a-zA-Z]\)|\(?[ivxIVX]{1,4}\)|\d{1,2}[.)]|[-•*▪–])\s")
_LIST_MODALS = frozenset(
    {"shall", "will", "must", "should", "deberá", "deberán", "debe", "deben", "habrá", "habrán"}
)


@cache
def _undetermined() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = relation_lexicon()
    return (
        re.compile(cue_regex(lex.undetermined_phrases), re.IGNORECASE),
        re.compile(cue_regex(lex.lead_words), re.IGNORECASE),
    )


def leaderless_programmes(state: DocState) -> frozenset[str]:
    """Programmes this document says have no lead yet: "the lead agency for P will be
    determined", or a lead column reading "to be determined" in P's row."""
    open_, lead = _undetermined()
    out: set[str] = set()
    for pr in state.passages:
        progs = [m for m in pr.mentions if m.label in {Label.Policy, Label.Programme}]
        if not progs or not open_.search(pr.passage.text):
            continue
        if is_table(pr.doc.text):
            for row in table_rows(pr.doc.text):
                cells = [(a, b) for a, b, role in row.cells if role == "lead"]
                if not any(open_.search(pr.doc.text[a:b]) for a, b in cells):
                    continue
                out.update(
                    m.entity_id
                    for m in progs
                    for a, b, role in row.cells
                    if role == "item" and a <= m.span.start_char and m.span.end_char <= b
                )
            continue
        for sent in pr.doc.sents:
            if open_.search(sent.text) and lead.search(sent.text):
                out.update(m.entity_id for m in progs if sent.start <= m.span.start < sent.end)
    return frozenset(out)


def without_lead(
    raw: list[tuple[Passage, RawRelation]], leaderless: frozenset[str]
) -> list[tuple[Passage, RawRelation]]:
    """No body carries out a programme whose lead is still open: "Under P, the City will
    ..." is the City's commitment to P (it owns it), and "the lead agency for P will be
    determined" names no lead at all."""
    if not leaderless:
        return raw
    open_, _ = _undetermined()
    out: list[tuple[Passage, RawRelation]] = []
    for passage, rel in raw:
        if rel.kind is RelationKind.implements and rel.target_id in leaderless:
            if open_.search(passage.text[rel.char_start : rel.char_end]) or rel.cue.startswith(
                "table:"
            ):
                continue  # a partner column under an open lead commits to nothing yet
            rel = replace(
                rel,
                kind=RelationKind.mandate,
                cue=f"commits to a programme with no lead yet ({rel.cue})",
            )
        out.append((passage, rel))
    return out


def find_list_head(pr: PassageResult) -> LinkedMention | None:
    """ "3.1 The Committees shall:" / "La Secretaría deberá:": the body whose duties the list
    below goes on with (only a modal heading: "Members shall be:" lists who, not what)."""
    text = pr.passage.text.rstrip()
    if not text.endswith(":") or not pr.mentions:
        return None
    last = list(pr.doc.sents)[-1] if pr.doc.has_annotation("SENT_START") else pr.doc[:]
    if not any(t.lower_ in _LIST_MODALS for t in last[-4:]):
        return None
    return next(
        (
            m
            for m in pr.mentions
            if m.label is Label.Actor
            and last.start <= m.span.start < last.end
            and m.span.root.dep_ in {"nsubj", "nsubjpass", "nsubj:pass"}
        ),
        None,
    )
