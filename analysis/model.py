"""Result models of the analysis layer: coordination-gap findings and network metrics.

All frozen: the service serialises them as they are, and tests compare them by value.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph_schema.model import EvidenceView
from graph_schema.plain import built

__all__ = [
    "ActorMetrics",
    "ActorRef",
    "BrokerageCounts",
    "Finding",
    "GapFilters",
    "GapKind",
    "NetworkMetrics",
    "PolicyRef",
    "ThemeArticulation",
    "finding_id",
]


class GapKind(StrEnum):
    shared_mandate_no_link = "shared_mandate_no_link"
    level_disconnect = "level_disconnect"
    negative_evidence = "negative_evidence"
    single_point_of_failure = "single_point_of_failure"
    absent_from_policy = "absent_from_policy"
    policy_without_implementer = "policy_without_implementer"
    isolated_actor = "isolated_actor"


class ActorRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    type: str | None = None
    level: str | None = None


class PolicyRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    label: str = "Policy"


def finding_id(
    kind: GapKind | str,
    actor_ids: list[str] | tuple[str, ...],
    theme: str | None,
    policy_ids: tuple[str, ...] = (),
) -> str:
    """Stable across runs and input order: the same gap keeps its id when the graph grows.

    Policies take part only for policy-centred kinds, where the actor list can be empty.
    """
    parts = [str(kind), ",".join(sorted(actor_ids)), theme or "", ",".join(sorted(policy_ids))]
    digest = hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"gap_{digest[:16]}"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: GapKind
    actors: tuple[ActorRef, ...]
    theme: str | None
    score: float = Field(ge=0.0, le=1.0)
    explanation: str
    evidence: tuple[EvidenceView, ...] = ()
    policies: tuple[PolicyRef, ...] = ()
    # Actors that explain the finding without being its subject (the other side of a
    # level disconnect, the partners cut off by a single point of failure ...).
    context_actors: tuple[ActorRef, ...] = ()

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)


def new_finding(
    *,
    id: str,
    kind: GapKind,
    actors: tuple[ActorRef, ...],
    theme: str | None,
    score: float,
    explanation: str,
    evidence: tuple[EvidenceView, ...] = (),
    policies: tuple[PolicyRef, ...] = (),
    context_actors: tuple[ActorRef, ...] = (),
) -> Finding:
    """``Finding(...)`` for the rules, whose values already have the fields' types (refs and
    evidence views built once per context): built without pydantic's validation, which a
    theme's thousands of pair findings paid per finding. The score bound is still checked."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"a finding's score is in [0, 1], not {score}")
    return built(
        Finding,
        {
            "id": id,
            "kind": kind,
            "actors": actors,
            "theme": theme,
            "score": score,
            "explanation": explanation,
            "evidence": evidence,
            "policies": policies,
            "context_actors": context_actors,
        },
    )


class GapFilters(BaseModel):
    """What the analyst asks for. Everything optional; defaults keep only confident findings."""

    model_config = ConfigDict(frozen=True)

    themes: frozenset[str] | None = None
    # Unordered: ("local", "national") keeps findings whose actors span exactly those levels
    # (a single-actor finding passes when its actor is at one of them).
    level_pair: tuple[str, str] | None = None
    document_kinds: frozenset[str] | None = None
    document_ids: frozenset[str] | None = None
    # Relations (and evidence passages) below this confidence are ignored entirely.
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    # Noise cap; see docs/gaps.md for why 0.3.
    min_score: float = Field(default=0.3, ge=0.0, le=1.0)
    kinds: frozenset[GapKind] | None = None
    limit: int | None = Field(default=None, ge=1)


class BrokerageCounts(BaseModel):
    """Gould–Fernandez roles: how many (a -> ego -> c) triads put ego in each role."""

    model_config = ConfigDict(frozen=True)

    coordinator: int = 0  # a, ego, c all in one group
    itinerant: int = 0  # a and c share a group, ego is outside it (also called consultant)
    representative: int = 0  # ego in a's group, c elsewhere: ego speaks for its group
    gatekeeper: int = 0  # ego in c's group, a elsewhere: ego lets outsiders in
    liaison: int = 0  # a, ego, c in three different groups

    @property
    def total(self) -> int:
        return (
            self.coordinator + self.itinerant + self.representative + self.gatekeeper + self.liaison
        )


class ActorMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    actor: ActorRef
    group: str
    degree: int
    degree_centrality: float
    betweenness: float
    constraint: float | None  # undefined (None) for an actor without ties
    effective_size: float | None
    brokerage: BrokerageCounts


class ThemeArticulation(BaseModel):
    model_config = ConfigDict(frozen=True)

    theme: str
    articulation_points: tuple[ActorRef, ...]


class NetworkMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    group_by: str
    directed: bool
    actors: tuple[ActorMetrics, ...]
    articulation_points: tuple[ActorRef, ...]
    by_theme: tuple[ThemeArticulation, ...]
