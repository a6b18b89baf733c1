"""The synthetic graph bench/api_latency.py writes to a store through the project's own
writer (one GraphBatch per document), and the one more document it ingests afterwards."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.synthetic_shape import (
    ACTOR_KINDS,
    DOCS,
    EVIDENCE_PER_RELATION,
    PASSAGES_PER_DOC,
    TYPES_BY_LEVEL,
    add_actor_ties,
)
from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    GraphBatch,
    Label,
    RelationFact,
    RelationKind,
)
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from ingest.model import Document, DocumentKind, Passage
from service.vocabulary import theme_ids

# The service's own theme vocabulary (the API refuses any other id with 422): 12 of its themes.
THEMES = tuple(theme_ids()[:12])


@dataclass(frozen=True)
class Synthetic:
    actors: list[EntityNode]
    themes: list[EntityNode]
    home: dict[str, list[str]]  # actor id -> its themes (primary first)
    relations: list[tuple[RelationKind, str, str]]  # actor-actor and works_on


def synthesize(n_actors: int, n_relations: int, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    themes = [EntityNode(label=Label.Theme, id=t, name=t.replace("_", " ")) for t in THEMES]
    actors, home = [], {}
    members: dict[str, list[str]] = {t: [] for t in THEMES}
    for i in range(n_actors):
        level = rng.choices(list(TYPES_BY_LEVEL), weights=(4, 2, 1, 5))[0]
        ident = f"actor:{i:05d}"
        actors.append(
            EntityNode(
                label=Label.Actor,
                id=ident,
                name=f"Synthetic {level} actor {i}",
                aliases=(f"SA{i}",),
                properties={
                    "type": rng.choice(TYPES_BY_LEVEL[level]),
                    "level": level,
                    "type_confidence": 0.9,
                },
            )
        )
        primary = rng.choice(THEMES)
        mine = [primary] + ([rng.choice(THEMES)] if rng.random() < 0.5 else [])
        home[ident] = list(dict.fromkeys(mine))
        members[primary].append(ident)
    relations: list[tuple[RelationKind, str, str]] = [
        (RelationKind.works_on, a, t) for a, ts in home.items() for t in ts
    ]
    add_actor_ties(rng, relations, home, members, n_relations)
    rng.shuffle(relations)
    return Synthetic(actors, themes, home, relations)


def document_id(d: int) -> str:
    return hashlib.sha256(f"synthetic-document-{d}".encode()).hexdigest()


def batches(syn: Synthetic, docs: int = DOCS, first: int = 0) -> Iterator[GraphBatch]:
    """One GraphBatch per document, numbered from ``first`` (the relations split evenly)."""
    by_id = {e.id: e for e in (*syn.actors, *syn.themes)}
    per_doc = -(-len(syn.relations) // docs)
    for d in range(first, first + docs):
        doc_id = document_id(d)
        text = "The municipality works with its partners on community safety. " * 3
        passages = tuple(
            Passage(
                id=f"{doc_id}:{i}",
                index=i,
                text=text,
                page=1 + i // 10,
                char_start=0,
                char_end=len(text),
            )
            for i in range(PASSAGES_PER_DOC)
        )
        kind = DocumentKind.kii if d % 3 == 0 else DocumentKind.plan
        document = Document(
            id=doc_id,
            title=f"Synthetic document {d}",
            kind=kind,
            language="en",
            source_path=f"synthetic/{d:02d}.md",
            media_type="text/markdown",
            passages=passages,
        )
        facts = []
        used: set[str] = set()
        mine = syn.relations[(d - first) * per_doc : (d - first + 1) * per_doc]
        for j, (rk, s, t) in enumerate(mine):
            used |= {s, t}
            evidence = tuple(
                EvidenceRecord(
                    passage_id=passages[(j + k * 37) % PASSAGES_PER_DOC].id,
                    quote=text[:60],
                    char_start=k,
                    char_end=60 + k,
                    confidence=0.8,
                    cue="synthetic",
                )
                for k in range(EVIDENCE_PER_RELATION)
            )
            facts.append(
                RelationFact(
                    kind=rk,
                    source_label=Label.Actor,
                    source_id=s,
                    target_label=Label.Theme if rk is RelationKind.works_on else Label.Actor,
                    target_id=t,
                    confidence=0.6 + 0.4 * ((j * 13) % 10) / 10,
                    evidence=evidence,
                )
            )
        yield GraphBatch(
            document=document,
            entities=tuple(by_id[i] for i in sorted(used)),
            relations=tuple(facts),
        )


def build_graph(store: GraphStore, n_actors: int, n_relations: int) -> Synthetic:
    syn = synthesize(n_actors, n_relations)
    for batch in batches(syn):
        write_document(store, batch)
    return syn


def one_more_document(syn: Synthetic, relations: int = 100, seed: int = 3) -> GraphBatch:
    """Document number DOCS: ``relations`` new actor ties (inside the first theme's
    community, so its /gaps answer changes), as one more ingested interview would add."""
    rng = random.Random(seed)
    members = [a for a, ts in syn.home.items() if ts[0] == THEMES[0]]
    known = set(syn.relations)
    new: list[tuple[RelationKind, str, str]] = []
    while len(new) < relations:
        fact = (rng.choice(ACTOR_KINDS[:2]), rng.choice(members), rng.choice(members))
        if fact[1] != fact[2] and fact not in known:
            known.add(fact)
            new.append(fact)
    return next(batches(Synthetic(syn.actors, syn.themes, syn.home, new), docs=1, first=DOCS))
