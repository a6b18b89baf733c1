"""Themes read at document or corpus level rather than in one sentence.

An instrument addresses what its own text keeps returning to; a body that carries out a
programme works on the programme's themes.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graph_schema.model import EntityNode, GraphBatch, Label, RelationFact, RelationKind
from ingest.model import DocumentKind, Passage
from nlp.extraction.issuer import TITLE_PASSAGES
from nlp.extraction.state import DocState
from nlp.extraction.theme_relations import theme_hits
from nlp.relations import RawRelation

_INSTRUMENT_KINDS = frozenset({DocumentKind.policy, DocumentKind.plan, DocumentKind.law})

# An instrument's own text is on topic: one cue occurrence is enough (counts were doubled
# for lowercase cues until the cue index stopped matching a word twice; 2 meant one then).
_MIN_DOC_THEME_HITS = 1


def instrument_themes(
    state: DocState, instruments: frozenset[str]
) -> list[tuple[Passage, RawRelation]]:
    """A strategy, plan or law addresses the themes its own text keeps returning to."""
    if state.document.kind not in _INSTRUMENT_KINDS:
        return []
    title = next(
        (
            (pr, m)
            for pr in state.passages[:TITLE_PASSAGES]
            for m in pr.mentions
            if m.label in {Label.Policy, Label.Programme}
        ),
        None,
    )
    own = set(instruments)
    if title is not None:
        own.add(title[1].entity_id)
    if not own:
        return []
    counts: Counter[str] = Counter(t.label_ for pr in state.passages for t in theme_hits(pr))
    where = title or next(
        ((pr, m) for pr in state.passages for m in pr.mentions if m.entity_id in own), None
    )
    if where is None:
        return []
    pr, m = where
    out: list[tuple[Passage, RawRelation]] = []
    for eid in sorted(own):
        label = Label.Programme if eid.startswith("programme:") else Label.Policy
        for theme_id, n in counts.items():
            if n >= _MIN_DOC_THEME_HITS:
                out.append(
                    (
                        pr.passage,
                        RawRelation(
                            RelationKind.addresses,
                            eid,
                            label,
                            theme_id,
                            Label.Theme,
                            0.45,
                            f"theme of the instrument's own text ({n} cues)",
                            m.span.start_char,
                            m.span.end_char,
                        ),
                    )
                )
    return out


_INHERITED = 0.8  # a theme inherited through a programme is weaker than one seen in text


def inherit_themes(batches: list[GraphBatch]) -> list[GraphBatch]:
    """A body that carries out a programme works on the programme's themes ("the Board
    runs the Safe Schools Programme", which addresses violence against children), wherever
    in the corpus the programme's themes were read."""
    addressed: dict[str, set[str]] = defaultdict(set)
    theme_nodes: dict[str, EntityNode] = {}
    for b in batches:
        for r in b.relations:
            if r.kind is RelationKind.addresses:
                addressed[r.source_id].add(r.target_id)
        theme_nodes.update({e.id: e for e in b.entities if e.label is Label.Theme})
    out: list[GraphBatch] = []
    for b in batches:
        have = {(r.kind, r.source_id, r.target_id) for r in b.relations}
        new: list[RelationFact] = []
        for r in b.relations:
            if r.kind is not RelationKind.implements or r.source_label is not Label.Actor:
                continue
            for theme in sorted(addressed.get(r.target_id, ())):
                key = (RelationKind.works_on, r.source_id, theme)
                if key in have or theme not in theme_nodes:
                    continue
                have.add(key)
                conf = round(r.confidence * _INHERITED, 3)
                ev = r.evidence[0].model_copy(
                    update={"confidence": conf, "cue": f"carries out {r.target_id} ({theme})"}
                )
                new.append(
                    RelationFact(
                        kind=RelationKind.works_on,
                        source_label=Label.Actor,
                        source_id=r.source_id,
                        target_label=Label.Theme,
                        target_id=theme,
                        confidence=conf,
                        evidence=(ev,),
                    )
                )
        if not new:
            out.append(b)
            continue
        ids = {e.id for e in b.entities}
        extra = [theme_nodes[t] for t in dict.fromkeys(f.target_id for f in new) if t not in ids]
        out.append(
            b.model_copy(
                update={
                    "relations": (*b.relations, *new),
                    "entities": (*b.entities, *extra),
                }
            )
        )
    return out
