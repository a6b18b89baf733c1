"""Person -> police body affiliations implied by a rank ("Sergeant X")."""

from __future__ import annotations

import re
from collections import defaultdict

from graph_schema.model import Label, RelationKind
from ingest.model import Passage
from nlp.extraction.state import DocState
from nlp.lexicon import cue_regex, org_lexicon
from nlp.relations import LinkedMention, RawRelation

_RANK_WINDOW = 2  # passages (turns) either side


def rank_affiliations(
    state: DocState,
    raw: list[tuple[Passage, RawRelation]],
    props: dict[str, dict[str, object]],
) -> list[tuple[Passage, RawRelation]]:
    """A person with a police rank ("Sergeant X", "la inspectora Y") whose body the text
    does not state belongs to the police body named around them, when there is one."""
    lex = org_lexicon()
    if not lex.police_ranks:
        return []
    stated = {r.source_id for _, r in raw if r.kind is RelationKind.member_of}
    police_words = re.compile(cue_regex(lex.police_words), re.IGNORECASE)
    police = {
        eid
        for eid, p in props.items()
        if p.get("type") == "police_justice" and police_words.search(str(p.get("type_cue", "")))
    }
    if not police:
        return []
    seen: dict[str, list[tuple[int, LinkedMention]]] = defaultdict(list)
    for i, pr in enumerate(state.passages):
        for m in pr.mentions:
            if m.label is Label.Person and m.entity_id not in stated:
                words = m.span.text.lower().split()
                if words and (
                    words[0] in lex.police_ranks or " ".join(words[:2]) in lex.police_ranks
                ):
                    seen[m.entity_id].append((i, m))
    out: list[tuple[Passage, RawRelation]] = []
    for person, where in seen.items():
        near = {
            m.entity_id
            for i, _ in where
            for pr in state.passages[max(0, i - _RANK_WINDOW) : i + _RANK_WINDOW + 1]
            for m in pr.mentions
            if m.entity_id in police
        }
        if len(near) != 1:
            continue
        i, m = where[0]
        sent = m.span.sent
        out.append(
            (
                state.passages[i].passage,
                RawRelation(
                    RelationKind.member_of,
                    person,
                    Label.Person,
                    next(iter(near)),
                    Label.Actor,
                    0.5,
                    "member_of: police rank, the one police body named nearby",
                    sent.start_char,
                    sent.end_char,
                ),
            )
        )
    return out
