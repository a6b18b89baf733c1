"""One document's state -> its GraphBatch: entities, mentions and relations with evidence.

Runs after the corpus-wide passes (names, references, actor decision), so every mention
already points at its final entity.
"""

from __future__ import annotations

from govgraph.settings import Settings
from graph_schema.model import EntityNode, GraphBatch, Label, Mention
from ingest.model import Passage, SpeakerRole
from nlp.extraction.affiliations import rank_affiliations
from nlp.extraction.aggregate import aggregate_relations
from nlp.extraction.classify import classify_entities
from nlp.extraction.document_locations import document_locations
from nlp.extraction.document_themes import instrument_themes
from nlp.extraction.issuer import document_voice, issuer
from nlp.extraction.leads import LIST_ITEM, find_list_head, leaderless_programmes, without_lead
from nlp.extraction.state import DocState
from nlp.extraction.theme_relations import theme_relations
from nlp.extraction.tie_themes import tie_themes
from nlp.lexicon import themes
from nlp.relations import LinkedMention, RawRelation, link_relations
from nlp.resolution import Resolver


def extract_one(state: DocState, resolver: Resolver, settings: Settings | None) -> GraphBatch:
    document = state.document
    entities: dict[str, EntityNode] = {}
    mentions: list[Mention] = []
    for pr in state.passages:
        for m in pr.mentions:
            entry = resolver.entity(m.entity_id)
            entities.setdefault(
                m.entity_id, EntityNode(label=entry.label, id=entry.id, name=entry.name)
            )
            mentions.append(
                Mention(
                    passage_id=pr.passage.id,
                    label=m.label,
                    entity_id=m.entity_id,
                    text=m.span.text,
                    char_start=m.span.start_char,
                    char_end=m.span.end_char,
                )
            )
    for own in {state.self_id, *state.speaker_ids.values()}:
        if own is not None:
            entry = resolver.entity(own)
            entities.setdefault(own, EntityNode(label=entry.label, id=entry.id, name=entry.name))

    authority, instruments = issuer(state, resolver)
    voice = document_voice(state)
    international = frozenset(
        eid
        for eid, ds in state.decisions.items()
        if any(
            d.level and d.level.value == "international" and d.level.confidence >= 0.85 for d in ds
        )
    )
    raw: list[tuple[Passage, RawRelation]] = []
    last_policy: LinkedMention | None = None
    list_head: LinkedMention | None = None  # "X shall:" above a list of what X shall do
    asked: LinkedMention | None = None  # the body the interviewer's question names
    for pr in state.passages:
        implied = list_head if list_head is not None and LIST_ITEM.match(pr.passage.text) else None
        speaks = bool(
            document.is_transcript
            and pr.passage.speaker_role in {SpeakerRole.respondent, SpeakerRole.official, None}
            and pr.passage.speaker is not None
        )
        own = (
            state.speaker_ids.get(pr.passage.speaker or "") if state.speaker_ids else state.self_id
        )
        if voice is not None:
            # a report's "we" is the body its title block names
            speaks, own = True, voice
        for rel in link_relations(
            pr.doc,
            pr.mentions,
            self_id=own,
            speaks_for_self=speaks,
            authority=authority,
            instruments=instruments,
            international=international,
            context_policy=last_policy,
            implied_subject=(implied.entity_id, implied.label) if implied else None,
            context_actor=asked if speaks else None,
        ):
            raw.append((pr.passage, rel))
        if pr.passage.speaker_role is SpeakerRole.interviewer:
            # "Have you heard of the X?" - "Nobody here has ever seen them."
            asked = next((m for m in pr.mentions if m.label is Label.Actor), None)
        last_policy = next(
            (m for m in reversed(pr.mentions) if m.label in {Label.Policy, Label.Programme}),
            last_policy,
        )
        raw.extend((pr.passage, r) for r in theme_relations(pr, own if speaks else None, implied))
        # the list runs on over passages of items; a new "X shall:" starts another
        list_head = find_list_head(pr) or implied
    raw = without_lead(raw, leaderless_programmes(state))
    raw.extend(tie_themes(state, raw))
    raw.extend(instrument_themes(state, instruments))
    raw.extend(document_locations(state, resolver))
    theme_nodes = {t.id: t for t in themes()}
    for _, rel in raw:
        if rel.target_label is Label.Theme and rel.target_id not in entities:
            # Theme ids are the bare taxonomy ids (what analysts type in ?theme=); other
            # entity ids carry a label prefix, so they cannot collide.
            theme = theme_nodes[rel.target_id]
            entities[rel.target_id] = EntityNode(
                label=Label.Theme,
                id=rel.target_id,
                name=theme.label,
                properties={"description": theme.description},
            )
        for eid in (rel.source_id, rel.target_id):
            if eid not in entities:
                entry = resolver.entity(eid)
                entities[eid] = EntityNode(label=entry.label, id=entry.id, name=entry.name)
    props = classify_entities(state, resolver, entities)
    raw.extend(rank_affiliations(state, raw, props))
    final_entities = tuple(
        e.model_copy(update={"properties": {**e.properties, **props.get(e.id, {})}})
        for e in entities.values()
    )
    return GraphBatch(
        document=document,
        entities=final_entities,
        mentions=tuple(mentions),
        relations=aggregate_relations(raw),
    )
