"""The shape of the benches' synthetic governance graph (bench/api_latency.py writes it to a
store, bench/analysis_speed.py builds it in memory): one place, so both measure the same
graph."""

from __future__ import annotations

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
