"""The graph model: vocabulary, the write contract (GraphBatch) and the read contract (Subgraph).

Labels and relationship types are closed enums. Cypher cannot take a label as a parameter,
so the query builders interpolate only these enum values, never user input.

Support and provenance: every entity node and every fact relationship keeps ``doc_ids``, the
documents that support it. Relationship evidence lives in ``Evidence`` nodes (a relationship
cannot point at a passage) keyed by the relationship's ``key``, each citing one Passage.
Deleting or replacing a document removes its passages and evidence, and then every fact whose
``doc_ids`` became empty. Facts other documents also support stay.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ingest.model import Document

__all__ = [
    "POSITIVE_RELATIONS",
    "SYMMETRIC_KINDS",
    "ActorLevel",
    "ActorType",
    "ActorView",
    "AliasMerge",
    "CandidateFact",
    "DocumentView",
    "EntityNode",
    "EvidenceRecord",
    "EvidenceView",
    "GraphBatch",
    "Label",
    "Mention",
    "PolicyView",
    "RelType",
    "RelationFact",
    "RelationKind",
    "RelationView",
    "Subgraph",
    "merge_id",
    "relation_key",
]

Scalar = str | int | float | bool
PropertyValue = Scalar | list[str] | list[int] | list[float] | None


class Label(StrEnum):
    Document = "Document"
    Passage = "Passage"
    Actor = "Actor"
    Person = "Person"
    Policy = "Policy"
    Programme = "Programme"
    Theme = "Theme"
    Location = "Location"
    Evidence = "Evidence"
    Migration = "Migration"  # schema bookkeeping, one node per applied migration
    Job = "Job"  # persisted ingestion jobs (service)
    ApiKey = "ApiKey"  # hashed API keys (service)
    AliasMerge = "AliasMerge"  # the merge ledger: one node per alias resolved onto an entity
    AliasSplit = "AliasSplit"  # an undone merge: this alias must never resolve onto that entity
    Decision = "Decision"  # a review decision on an actor, relation or gap finding
    # A span the actor decision scored below its threshold, kept per document for review
    # (never an actor unless promoted: no reader of actors, relations or gaps matches it).
    Candidate = "Candidate"
    GraphVersion = "GraphVersion"  # one node: the graph's version stamp (graph_schema/version)


ENTITY_LABELS = (
    Label.Actor,
    Label.Person,
    Label.Policy,
    Label.Programme,
    Label.Theme,
    Label.Location,
)


class ActorType(StrEnum):
    government = "government"
    police_justice = "police_justice"
    ngo = "ngo"
    community_group = "community_group"
    faith_group = "faith_group"
    private_sector = "private_sector"
    academia = "academia"
    international_org = "international_org"


class ActorLevel(StrEnum):
    local = "local"
    national = "national"
    international = "international"
    non_state = "non_state"


class RelationKind(StrEnum):
    """What nlp says about a pair; names follow the gold annotations of scenario-dev."""

    partnership = "partnership"
    coordinates = "coordinates"
    funding = "funding"
    mou = "mou"
    mandate_overlap = "mandate_overlap"
    negative_coordination = "negative_coordination"
    implements = "implements"  # actor -> policy/programme (leads or carries it out)
    mandate = "mandate"  # actor -> theme or policy it is responsible for
    works_on = "works_on"  # actor -> theme, seen acting on it
    addresses = "addresses"  # policy/programme -> theme
    member_of = "member_of"  # person -> actor, actor -> actor (sub-unit, seat on a body)
    located_in = "located_in"  # actor -> location it is based in or serves


# Kinds whose direction carries no meaning: "A partners with B" is "B partners with A". The
# extraction aggregates them, the relation decision keys them and the scorer matches them
# either way round.
SYMMETRIC_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.mou,
        RelationKind.mandate_overlap,
        RelationKind.negative_coordination,
    }
)


class RelType(StrEnum):
    """Relationship types as stored. Never also used as a node label (ArcadeDB rule)."""

    IN_DOCUMENT = "IN_DOCUMENT"  # Passage -> Document
    MENTIONS = "MENTIONS"  # Passage -> entity
    CITES = "CITES"  # Evidence -> Passage
    PARTNERS_WITH = "PARTNERS_WITH"
    COORDINATES_WITH = "COORDINATES_WITH"
    FUNDS = "FUNDS"
    HAS_AGREEMENT_WITH = "HAS_AGREEMENT_WITH"
    OVERLAPS_MANDATE_WITH = "OVERLAPS_MANDATE_WITH"
    DOES_NOT_COORDINATE_WITH = "DOES_NOT_COORDINATE_WITH"
    IMPLEMENTS = "IMPLEMENTS"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
    WORKS_ON = "WORKS_ON"
    ADDRESSES = "ADDRESSES"
    MEMBER_OF = "MEMBER_OF"
    LOCATED_IN = "LOCATED_IN"


REL_TYPE_OF: dict[RelationKind, RelType] = {
    RelationKind.partnership: RelType.PARTNERS_WITH,
    RelationKind.coordinates: RelType.COORDINATES_WITH,
    RelationKind.funding: RelType.FUNDS,
    RelationKind.mou: RelType.HAS_AGREEMENT_WITH,
    RelationKind.mandate_overlap: RelType.OVERLAPS_MANDATE_WITH,
    RelationKind.negative_coordination: RelType.DOES_NOT_COORDINATE_WITH,
    RelationKind.implements: RelType.IMPLEMENTS,
    RelationKind.mandate: RelType.RESPONSIBLE_FOR,
    RelationKind.works_on: RelType.WORKS_ON,
    RelationKind.addresses: RelType.ADDRESSES,
    RelationKind.member_of: RelType.MEMBER_OF,
    RelationKind.located_in: RelType.LOCATED_IN,
}
KIND_OF_REL_TYPE: dict[RelType, RelationKind] = {v: k for k, v in REL_TYPE_OF.items()}

# Relations that count as an existing link between two actors when looking for gaps.
POSITIVE_RELATIONS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.member_of,
    }
)


def relation_key(kind: RelationKind, source_id: str, target_id: str) -> str:
    """One stored relationship per (kind, source, target); evidence accumulates on it."""
    return f"{kind.value}:{source_id}->{target_id}"


def evidence_id(key: str, passage_id: str, char_start: int, char_end: int) -> str:
    raw = f"{key}|{passage_id}|{char_start}|{char_end}".encode()
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def merge_id(label: Label, entity_id: str, alias_key: str) -> str:
    """Stable across runs: the same alias merged onto the same entity is the same record."""
    raw = f"{label.value}|{entity_id}|{alias_key}".encode()
    return "merge-" + hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]


# ---------------------------------------------------------------------------------------
# Write contract: what nlp produces for one document.
# ---------------------------------------------------------------------------------------


class EntityNode(BaseModel):
    """An Actor, Person, Policy, Programme, Theme or Location with a stable canonical id."""

    model_config = ConfigDict(frozen=True)

    label: Label
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    # Label-specific properties, e.g. Actor: type, level, type_confidence, type_cue ...
    properties: dict[str, PropertyValue] = Field(default_factory=dict)


class Mention(BaseModel):
    model_config = ConfigDict(frozen=True)

    passage_id: str
    label: Label
    entity_id: str
    text: str
    char_start: int = Field(ge=0)  # within the passage text
    char_end: int = Field(ge=0)


class EvidenceRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    passage_id: str
    quote: str
    char_start: int = Field(ge=0)  # of the quote within the passage text
    char_end: int = Field(ge=0)
    confidence: float = Field(ge=0.0, le=1.0)
    cue: str = ""  # the rule or words that decided it, for the analyst


class RelationFact(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: RelationKind
    source_label: Label
    source_id: str
    target_label: Label
    target_id: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: tuple[EvidenceRecord, ...] = Field(min_length=1)

    @property
    def key(self) -> str:
        return relation_key(self.kind, self.source_id, self.target_id)


class AliasMerge(BaseModel):
    """One entry of the merge ledger: a document used ``alias`` for the entity, and the
    resolver put it there by ``rule`` (in this run, or in an earlier one)."""

    model_config = ConfigDict(frozen=True)

    label: Label
    entity_id: str
    alias: str
    alias_key: str  # the normalised alias the resolver matched on
    rule: str  # exact | acronym | translation | short_form | surname | fuzzy
    score: float

    @property
    def id(self) -> str:
        return merge_id(self.label, self.entity_id, self.alias_key)


class CandidateFact(BaseModel):
    """An actor candidate of one document that the decision layer scored below threshold:
    not an actor, in no relation; kept with what a reviewer needs to promote it. Its
    ``mentions`` (label Actor) and ``ties`` (the relations the extraction would have kept
    had it been an actor) are what a promotion writes."""

    model_config = ConfigDict(frozen=True)

    entity_id: str = Field(min_length=1)  # the resolver's id: its identity across runs
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    score: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(ge=0.0, le=1.0)
    # The classifier's guess (type, level, their confidence and cue), for the reviewer.
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()
    ties: tuple[RelationFact, ...] = ()

    def id_in(self, document_id: str) -> str:
        return candidate_id(document_id, self.entity_id)


def candidate_id(document_id: str, entity_id: str) -> str:
    raw = f"{document_id}|{entity_id}".encode()
    return "candidate-" + hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]


class GraphBatch(BaseModel):
    """Everything one document contributes to the graph; written in one transaction."""

    model_config = ConfigDict(frozen=True)

    document: Document
    entities: tuple[EntityNode, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[RelationFact, ...] = ()
    merges: tuple[AliasMerge, ...] = ()
    candidates: tuple[CandidateFact, ...] = ()


# ---------------------------------------------------------------------------------------
# Read contract: what the reader hands the analysis layer.
# ---------------------------------------------------------------------------------------


class DocumentView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    kind: str
    language: str
    source_path: str
    date: str | None = None
    page_count: int | None = None
    passage_count: int = 0


class EvidenceView(BaseModel):
    model_config = ConfigDict(frozen=True)

    document_id: str
    document_title: str
    document_kind: str
    passage_id: str
    page: int | None
    turn: int | None
    speaker: str | None
    quote: str
    char_start: int
    char_end: int
    confidence: float
    cue: str


class ActorView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    label: str = "Actor"  # Actor or Person
    type: str | None = None
    level: str | None = None
    aliases: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # via WORKS_ON / RESPONSIBLE_FOR


class PolicyView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    label: str  # Policy or Programme
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


class RelationView(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    kind: RelationKind
    source: str
    target: str
    confidence: float
    doc_ids: tuple[str, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()


class Subgraph(BaseModel):
    model_config = ConfigDict(frozen=True)

    documents: tuple[DocumentView, ...] = ()
    actors: tuple[ActorView, ...] = ()
    policies: tuple[PolicyView, ...] = ()
    relations: tuple[RelationView, ...] = ()
