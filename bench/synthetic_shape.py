"""The shape of the benches' synthetic governance graph (bench/api_latency.py writes it to a
store, bench/analysis_speed.py builds it in memory): one place, so both measure the same
graph."""

from __future__ import annotations

import random

from graph_schema.model import RelationKind

TYPES_BY_LEVEL = {
    "local": ("government", "police_justice"),
    "national": ("government", "police_justice"),
    "international": ("international_org",),
    "non_state": ("ngo", "community_group", "faith_group", "private_sector", "academia"),
}
ACTOR_KINDS = (
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.funding,
    RelationKind.mou,
    RelationKind.mandate_overlap,
    RelationKind.negative_coordination,
)
DOCS = 50
PASSAGES_PER_DOC = 100
EVIDENCE_PER_RELATION = 2


def add_actor_ties(
    rng: random.Random,
    facts: list[tuple[RelationKind, str, str]],
    home: dict[str, list[str]],
    members: dict[str, list[str]],
    n_relations: int,
) -> None:
    """Append random actor-actor ties to ``facts`` until it holds ``n_relations``: 85% of an
    actor's ties inside its primary theme's community (``members``), the kinds weighted
    towards partnership and coordination, no self-tie and no fact twice."""
    ids = list(home)
    seen = set(facts)
    while len(facts) < n_relations:
        source = rng.choice(ids)
        pool = members[home[source][0]] if rng.random() < 0.85 else ids
        target = rng.choice(pool)
        kind = rng.choices(ACTOR_KINDS, weights=(5, 5, 2, 2, 1, 1))[0]
        fact = (kind, source, target)
        if source != target and fact not in seen:
            seen.add(fact)
            facts.append(fact)
