"""Document(s) -> GraphBatch(es): runs the pipeline, resolves entities, links relations.

Corpus-level: ``extract_documents`` resolves all documents against one ``Resolver`` so ids
agree across documents, learning acronyms from every document before resolving any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from govgraph.settings import Settings
from graph_schema.model import AliasMerge, EntityNode, GraphBatch
from ingest.model import Document
from nlp.components.actor_classifier import ActorClass
from nlp.components.actor_ruler import ACRONYMS_KEY, SPANS_KEY
from nlp.components.name_context import described_everywhere
from nlp.decide import ActorCandidate, active_actor_decision
from nlp.decide.relation import PassageContext, RelationCandidate, decide_relations
from nlp.extraction.actor_decision import decide_actors
from nlp.extraction.candidate_facts import candidate_facts, hold_mentions
from nlp.extraction.corpus_names import CorpusNames
from nlp.extraction.document import extract_one
from nlp.extraction.document_themes import inherit_themes
from nlp.extraction.names import ref_heads, resolve_names
from nlp.extraction.references import resolve_refs
from nlp.extraction.state import DocState, PassageResult
from nlp.extraction.undo import split_batch
from nlp.lexicon import intl_orgs, org_lexicon
from nlp.pipeline import load_pipeline
from nlp.resolution import MergeLedger, Resolver, normalise

_BATCH_SIZE = 64


class ExtractionRun(BaseModel):
    """The result of extracting a corpus: one batch per document, plus the merge ledger."""

    model_config = ConfigDict(frozen=True)

    batches: tuple[GraphBatch, ...]
    ledger: MergeLedger
    pipeline_meta: dict[str, dict[str, object]] = {}
    # Every actor candidate with its decision score; rejected ones are in no batch.
    candidates: tuple[ActorCandidate, ...] = ()
    # Every actor-actor tie with its decision score; rejected ones are in no batch.
    relation_candidates: tuple[RelationCandidate, ...] = ()

    @property
    def entities(self) -> tuple[EntityNode, ...]:
        seen: dict[str, EntityNode] = {}
        for batch in self.batches:
            for e in batch.entities:
                seen.setdefault(e.id, e)
        return tuple(seen.values())

    def undo(self, merge_id: str) -> ExtractionRun:
        """Split one merged alias back out into its own entity, in every batch."""
        rec = self.ledger.get(merge_id)
        if rec.undone:
            return self
        norm = normalise(rec.alias)
        new_batches = [
            split_batch(b, rec.entity_id, rec.alias, norm).model_copy(
                update={
                    "merges": tuple(
                        m for m in b.merges if (m.entity_id, m.alias_key) != (rec.entity_id, norm)
                    )
                }
            )
            for b in self.batches
        ]
        return ExtractionRun(
            batches=tuple(new_batches),
            ledger=self.ledger.undo(merge_id),
            pipeline_meta=self.pipeline_meta,
        )


def extract_document(
    document: Document, *, known: Sequence[EntityNode] = (), settings: Settings | None = None
) -> GraphBatch:
    return extract_documents([document], known=known, settings=settings).batches[0]


def extract_documents(
    documents: Sequence[Document],
    *,
    known: Sequence[EntityNode] = (),
    known_merges: Sequence[AliasMerge] = (),
    splits: Iterable[tuple[str, str]] = (),
    settings: Settings | None = None,
) -> ExtractionRun:
    """Extract a corpus in one resolution run.

    ``known``: entities already in the graph (new names resolve onto their ids);
    ``known_merges``: the graph's merge ledger, so a document that uses an alias merged
    earlier reports it too; ``splits``: (normalised alias, entity id) merges an analyst undid.
    """
    resolver = Resolver(known, splits=splits)
    for org in intl_orgs():
        if org.acronym:
            resolver.learn_acronym(org.acronym, org.name)
        if org.same_as:
            resolver.learn_translation(org.name, org.same_as)
    states: list[DocState] = []
    meta: dict[str, dict[str, object]] = {}
    # Type/level evidence is per entity, not per document: an organisation a header
    # classifies keeps that class where a plan names it in passing.
    decisions: dict[str, list[ActorClass]] = defaultdict(list)
    for document in documents:
        nlp = load_pipeline(document.language, settings)
        meta[nlp.meta["govgraph"]["language"]] = dict(nlp.meta["govgraph"])
        docs = nlp.pipe((p.text for p in document.passages), batch_size=_BATCH_SIZE)
        states.append(
            DocState(
                document,
                [PassageResult(p, d) for p, d in zip(document.passages, docs, strict=True)],
                decisions=decisions,
            )
        )
        for pr in states[-1].passages:
            for acr, long_form in pr.doc.user_data.get(ACRONYMS_KEY, {}).items():
                resolver.learn_acronym(acr, long_form)
    described_everywhere((pr.doc for state in states for pr in state.passages), SPANS_KEY)
    for state in states:
        resolve_names(state, resolver, settings)
    corpus = CorpusNames(states, resolver, ref_heads(org_lexicon()))
    for state in states:
        resolve_refs(state, resolver, corpus)
    held = hold_mentions(states)  # what the actor decision is about to drop
    candidates = decide_actors(states, resolver)
    batches = inherit_themes([extract_one(state, resolver, settings) for state in states])
    # Entity nodes carry the final names/aliases of the whole run, not the state at the time
    # their document was processed, so every batch agrees.
    final = {n.id: n for n in resolver.nodes()}
    batches = [
        b.model_copy(
            update={
                "entities": tuple(
                    final[e.id].model_copy(
                        update={"properties": {**final[e.id].properties, **e.properties}}
                    )
                    if e.id in final
                    else e
                    for e in b.entities
                )
            }
        )
        for b in batches
    ]
    decision = active_actor_decision()
    batches = candidate_facts(
        states,
        held,
        batches,
        candidates,
        resolver,
        settings,
        decision.threshold if decision else None,
    )
    # A merge is reported only onto an entity the batch holds: an actor the decision layer
    # rejected keeps its aliases in the ledger, but its document writes no node for it.
    batches = [
        b.model_copy(
            update={
                "merges": tuple(
                    m
                    for m in _ledger_entries(state, resolver, known_merges)
                    if m.entity_id in {e.id for e in b.entities}
                )
            }
        )
        for b, state in zip(batches, states, strict=True)
    ]
    batches, relation_candidates = decide_relations(
        batches, _passage_contexts(states), {c.entity_id: c.score for c in candidates}
    )
    return ExtractionRun(
        batches=tuple(batches),
        ledger=resolver.ledger,
        pipeline_meta=meta,
        candidates=candidates,
        relation_candidates=relation_candidates,
    )


def _passage_contexts(states: Sequence[DocState]) -> dict[str, PassageContext]:
    """What the relation decision reads of each passage: its Doc and resolved mentions."""
    return {
        pr.passage.id: PassageContext(pr.passage, pr.doc, pr.mentions, state.document.id)
        for state in states
        for pr in state.passages
    }


def _ledger_entries(
    state: DocState, resolver: Resolver, known_merges: Sequence[AliasMerge]
) -> tuple[AliasMerge, ...]:
    """The merges this document's mentions rely on, made in this run or an earlier one."""
    by_key: dict[tuple[str, str], AliasMerge] = {
        (m.entity_id, m.alias_key): m for m in known_merges
    }
    for rec in resolver.ledger.records:
        if rec.undone:
            continue
        key = (rec.entity_id, normalise(rec.alias))
        if key not in by_key and key in state.used_aliases:
            by_key[key] = AliasMerge(
                label=resolver.entity(rec.entity_id).label,
                entity_id=rec.entity_id,
                alias=rec.alias,
                alias_key=key[1],
                rule=rec.rule,
                score=rec.score,
            )
    return tuple(
        sorted((m for k, m in by_key.items() if k in state.used_aliases), key=lambda m: m.id)
    )
