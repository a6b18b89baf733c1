"""The fitted actor decision (nlp/decide) applied to every candidate of the corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache

from graph_schema.model import Label
from nlp.decide import ActorCandidate, active_actor_decision, actor_features, observe_mention
from nlp.extraction.state import DocState
from nlp.lexicon import intl_orgs, org_lexicon
from nlp.resolution import Resolver


@cache
def _gazetteer_names() -> frozenset[str]:
    return frozenset(
        n.lower() for org in intl_orgs() for n in (org.name, org.acronym) if n is not None
    )


def decide_actors(states: Sequence[DocState], resolver: Resolver) -> tuple[ActorCandidate, ...]:
    """Score every actor candidate of the corpus (nlp/decide); a rejected one loses its
    mentions (so it takes part in no relation) and stays only as a scored candidate."""
    decision = active_actor_decision()
    obs: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    docs: dict[str, set[str]] = defaultdict(set)
    languages: dict[str, Counter[str]] = defaultdict(Counter)
    speaker_orgs: set[str] = set()
    for state in states:
        doc_id = state.document.id
        for own in {state.self_id, *state.speaker_ids.values()}:
            if own is not None and resolver.entity(own).label is Label.Actor:
                speaker_orgs.add(own)
                docs[own].add(doc_id)
                languages[own][state.document.language] += 1
        for pr in state.passages:
            for m in pr.mentions:
                if m.label is Label.Actor and resolver.entity(m.entity_id).label is Label.Actor:
                    obs[m.entity_id].append(observe_mention(m.span, pr.passage, doc_id))
                    docs[m.entity_id].add(doc_id)
                    languages[m.entity_id][state.document.language] += 1
    lex, gaz = org_lexicon(), _gazetteer_names()
    out: list[ActorCandidate] = []
    rejected: set[str] = set()
    for eid in sorted(set(obs) | speaker_orgs):
        entry = resolver.entity(eid)
        feats = actor_features(
            entry.name,
            entry.aliases,
            obs.get(eid, []),
            lex=lex,
            gazetteer=gaz,
            language=languages[eid].most_common(1)[0][0],
            speaker_org=eid in speaker_orgs,
        )
        score = decision.score(feats) if decision is not None else None
        accepted = score is None or decision is None or decision.accepts(score)
        if not accepted:
            rejected.add(eid)
        out.append(
            ActorCandidate(
                entity_id=eid,
                name=entry.name,
                aliases=tuple(sorted(entry.aliases)),
                documents=tuple(sorted(docs[eid])),
                score=None if score is None else round(score, 4),
                accepted=accepted,
                features=feats,
            )
        )
    if rejected:
        for state in states:
            for pr in state.passages:
                pr.mentions = [m for m in pr.mentions if m.entity_id not in rejected]
            if state.self_id in rejected:
                state.self_id = None
            mixed = bool(state.speaker_ids)
            state.speaker_ids = {k: v for k, v in state.speaker_ids.items() if v not in rejected}
            if mixed and not state.speaker_ids:
                # a group of several organisations, none of them an actor: nobody's "we"
                # falls back to the first organisation the header names
                state.self_id = None
    return tuple(out)
