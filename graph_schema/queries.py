"""All Cypher govgraph runs, as parameterised query builders.

Values always travel as parameters. Labels and relationship types cannot be parameters in
Cypher, so builders that need one take a ``Label`` / ``RelType`` enum member and interpolate
its value: the vocabulary is closed and never comes from user input (``_label`` checks).

Dialect: the common subset of Neo4j 5 and ArcadeDB's OpenCypher (see DESIGN.md): no APOC,
no full-text indexes, no reliance on ``elementId()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from .model import Label, RelType

__all__ = ["batched"]

T = TypeVar("T")

BATCH_SIZE = 1000


def batched(rows: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """Split rows into UNWIND batches: large enough to amortise round trips, small enough
    to keep one statement's memory bounded on the server."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _label(label: Label) -> str:
    if not isinstance(label, Label):
        raise TypeError(f"not a graph label: {label!r}")
    return label.value


def _rel(rel: RelType) -> str:
    if not isinstance(rel, RelType):
        raise TypeError(f"not a relationship type: {rel!r}")
    return rel.value


# --- schema -----------------------------------------------------------------------------


def unique_constraint(label: Label, prop: str = "id") -> str:
    name = f"{label.value.lower()}_{prop}_unique"
    return (
        f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{_label(label)}) REQUIRE n.{prop} IS UNIQUE"
    )


def node_index(label: Label, prop: str) -> str:
    name = f"{label.value.lower()}_{prop}_idx"
    return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{_label(label)}) ON (n.{prop})"


APPLIED_MIGRATIONS = (
    "MATCH (m:Migration) RETURN m.version AS version, m.name AS name, "
    "m.checksum AS checksum, m.applied_at AS applied_at ORDER BY m.version"
)
RECORD_MIGRATION = (
    "MERGE (m:Migration {version: $version}) "
    "SET m.name = $name, m.checksum = $checksum, m.applied_at = $applied_at"
)
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN name"
PING = "RETURN 1 AS ok"

# --- documents ----------------------------------------------------------------------------

DOCUMENT_BY_ID = "MATCH (d:Document {id: $id}) RETURN d {.*} AS document"
DOCUMENT_VERSIONS = (
    "MATCH (d:Document {source_path: $source_path}) WHERE d.id <> $id RETURN d.id AS id"
)
# An upload's identity: the source it names explicitly, and whether its bare file name is taken.
DOCUMENT_SOURCE = "MATCH (d:Document {id: $id}) RETURN d.source_path AS source_path"
DOCUMENTS_NAMED = (
    "MATCH (d:Document {source_path: $source_path}) WHERE d.id <> $id RETURN d.id AS id LIMIT 1"
)
CREATE_DOCUMENT = "CREATE (d:Document) SET d = $props"
CREATE_PASSAGES = (
    "MATCH (d:Document {id: $document_id}) "
    "UNWIND $rows AS row "
    "CREATE (p:Passage) SET p = row "
    "CREATE (p)-[:IN_DOCUMENT]->(d)"
)
LIST_DOCUMENTS = (
    "MATCH (d:Document) "
    "WHERE ($kinds IS NULL OR d.kind IN $kinds) "
    "RETURN d {.*} AS document ORDER BY d.ingested_at DESC, d.id SKIP $skip LIMIT $limit"
)
COUNT_DOCUMENTS = (
    "MATCH (d:Document) WHERE ($kinds IS NULL OR d.kind IN $kinds) RETURN count(d) AS n"
)
DOCUMENT_SUPPORT = "MATCH (d:Document {id: $id}) RETURN d.supports AS supports"
EVIDENCE_OF_DOCUMENT = (
    "MATCH (e:Evidence {document_id: $id}) "
    "RETURN DISTINCT e.key AS key, e.rel_type AS rel_type, e.source_label AS source_label, "
    "e.source_id AS source_id, e.target_label AS target_label, e.target_id AS target_id"
)
DELETE_EVIDENCE_OF_DOCUMENT = "MATCH (e:Evidence {document_id: $id}) DETACH DELETE e"
DELETE_PASSAGES_OF_DOCUMENT = "MATCH (p:Passage {document_id: $id}) DETACH DELETE p"
DELETE_DOCUMENT_NODE = "MATCH (d:Document {id: $id}) DETACH DELETE d"


# --- entities, mentions, relations, evidence -------------------------------------------------


def merge_entities(label: Label) -> str:
    """Upsert entity nodes. A node keeps every alias and every supporting document; its other
    properties follow the most confident classification seen so far.

    ``alias_docs`` (which document used which alias, see ``alias_support``) is computed by
    the writer from the node's current value, read in the same transaction."""
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{_label(label)} {{id: row.id}}) "
        "ON CREATE SET n.name = row.name, n.aliases = row.aliases, n.doc_ids = [$document_id], "
        "n.alias_docs = row.alias_docs, n.confidence = row.confidence "
        "ON MATCH SET "
        "n.aliases = n.aliases + [a IN row.aliases WHERE NOT a IN n.aliases], "
        "n.alias_docs = row.alias_docs, "
        "n.doc_ids = CASE WHEN $document_id IN n.doc_ids THEN n.doc_ids "
        "ELSE n.doc_ids + $document_id END "
        "WITH n, row, coalesce(n.confidence, 0.0) <= row.confidence AS better "
        "SET n += CASE WHEN better THEN row.props ELSE {} END, "
        "n.confidence = CASE WHEN better THEN row.confidence ELSE n.confidence END"
    )


def create_mentions(label: Label) -> str:
    return (
        "UNWIND $rows AS row "
        "MATCH (p:Passage {id: row.passage_id}) "
        f"MATCH (n:{_label(label)} {{id: row.entity_id}}) "
        "CREATE (p)-[:MENTIONS {text: row.text, char_start: row.char_start, "
        "char_end: row.char_end}]->(n)"
    )


def merge_relations(rel: RelType, source: Label, target: Label) -> str:
    """One relationship per key; a second document adds its support, never a duplicate."""
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{_label(source)} {{id: row.source_id}}) "
        f"MATCH (b:{_label(target)} {{id: row.target_id}}) "
        f"MERGE (a)-[r:{_rel(rel)} {{key: row.key}}]->(b) "
        "ON CREATE SET r.kind = row.kind, r.confidence = row.confidence, "
        "r.doc_ids = [$document_id], r.evidence_count = row.evidence_count "
        "ON MATCH SET "
        "r.confidence = CASE WHEN row.confidence > r.confidence THEN row.confidence "
        "ELSE r.confidence END, "
        "r.doc_ids = CASE WHEN $document_id IN r.doc_ids THEN r.doc_ids "
        "ELSE r.doc_ids + $document_id END, "
        "r.evidence_count = r.evidence_count + row.evidence_count"
    )


CREATE_EVIDENCE = (
    "UNWIND $rows AS row "
    "MATCH (p:Passage {id: row.passage_id}) "
    "CREATE (e:Evidence) SET e = row "
    "CREATE (e)-[:CITES]->(p)"
)


def release_relations(rel: RelType, source: Label, target: Label) -> str:
    """Withdraw one document's support from relationships; delete those left unsupported."""
    return (
        "UNWIND $rows AS row "
        f"MATCH (:{_label(source)} {{id: row.source_id}})"
        f"-[r:{_rel(rel)} {{key: row.key}}]->(:{_label(target)} {{id: row.target_id}}) "
        "SET r.doc_ids = [x IN r.doc_ids WHERE x <> $document_id] "
        "WITH r WHERE size(r.doc_ids) = 0 DELETE r"
    )


def recount_relations(rel: RelType, source: Label, target: Label) -> str:
    """After a document's evidence is gone: each relationship's stored evidence count is
    recounted from the Evidence nodes left, and one with no evidence left is deleted (its
    ``doc_ids`` may name a document whose evidence for it was never written)."""
    return (
        "UNWIND $rows AS row "
        f"MATCH (:{_label(source)} {{id: row.source_id}})"
        f"-[r:{_rel(rel)} {{key: row.key}}]->(:{_label(target)} {{id: row.target_id}}) "
        "OPTIONAL MATCH (e:Evidence {key: row.key}) "
        "WITH r, count(e) AS n "
        "SET r.evidence_count = n "
        "WITH r, n WHERE n = 0 DELETE r"
    )


def release_entities(label: Label) -> str:
    """Withdraw one document's support from entities; delete those left unsupported."""
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{_label(label)} {{id: id}}) "
        "SET n.doc_ids = [x IN n.doc_ids WHERE x <> $document_id] "
        "WITH n WHERE size(n.doc_ids) = 0 DETACH DELETE n"
    )


def alias_docs_of(label: Label) -> str:
    return (
        f"UNWIND $ids AS id MATCH (n:{_label(label)} {{id: id}}) "
        "RETURN n.id AS id, n.alias_docs AS alias_docs"
    )


def release_aliases(label: Label) -> str:
    """Withdraw one document's aliases from the entities that outlive it: an alias stays
    while some document that still supports the entity used it. A node written before
    ``alias_docs`` existed and not migrated keeps its aliases (nothing says which to drop).
    """
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{_label(label)} {{id: id}}) WHERE n.alias_docs IS NOT NULL "
        "SET n.alias_docs = [x IN n.alias_docs "
        "WHERE NOT any(p IN $prefixes WHERE x STARTS WITH p)] "
        "WITH n "
        "SET n.aliases = [a IN coalesce(n.aliases, []) "
        "WHERE any(d IN n.doc_ids WHERE (d + '|' + a) IN n.alias_docs "
        "OR ('~' + d + '|' + a) IN n.alias_docs)]"
    )


def backfill_alias_docs(label: Label) -> str:
    """Migration: on nodes written before ``alias_docs`` nothing says which document used
    which alias, so every supporting document carries every alias weakly (``~``, see
    ``alias_support``): a delete never drops an alias another document may have used.
    Idempotent: only nodes without ``alias_docs`` are touched."""
    return (
        f"MATCH (n:{_label(label)}) WHERE n.alias_docs IS NULL "
        "SET n.alias_docs = reduce(acc = [], d IN coalesce(n.doc_ids, []) | "
        "acc + [a IN coalesce(n.aliases, []) | '~' + d + '|' + a])"
    )


# --- reads for the analysis layer and the API -----------------------------------------------


def entities_by_ids(label: Label) -> str:
    return f"UNWIND $ids AS id MATCH (n:{_label(label)} {{id: id}}) RETURN n {{.*}} AS node"


def all_entities(label: Label) -> str:
    return f"MATCH (n:{_label(label)}) RETURN n {{.*}} AS node"


# Written from the theme (indexed id) towards the actors: ArcadeDB plans the pattern from
# its first node, and ``(a)-[r]->(t:Theme {id: $theme})`` scans every WORKS_ON and
# RESPONSIBLE_FOR relationship (1.25 s on a 5k-actor graph) before checking the theme.
ACTORS_ON_THEME = (
    "MATCH (t:Theme {id: $theme})<-[r:WORKS_ON|RESPONSIBLE_FOR]-(a) "
    "WHERE (a:Actor OR a:Person) AND r.confidence >= $min_confidence "
    "RETURN DISTINCT a.id AS id"
)
POLICIES_ON_THEME = (
    "MATCH (t:Theme {id: $theme})<-[r:ADDRESSES]-(p) "
    "WHERE (p:Policy OR p:Programme) AND r.confidence >= $min_confidence "
    "RETURN DISTINCT p.id AS id"
)

_RELATION_FIELDS = (
    "RETURN r.key AS key, r.kind AS kind, a.id AS source, b.id AS target, "
    "r.confidence AS confidence, r.doc_ids AS doc_ids, r.review AS review, "
    # A review's correction of kind or direction (graph_schema/relation_decisions).
    "r.decided_kind AS decided_kind, r.reversed AS reversed"
)
ALL_RELATIONS = (
    "MATCH (a)-[r]->(b) WHERE r.key IS NOT NULL AND r.confidence >= $min_confidence "
    + _RELATION_FIELDS
)


def relations_from(label: Label) -> str:
    """Fact relationships leaving the given nodes (anchored on the label's id index)."""
    return (
        f"UNWIND $ids AS id MATCH (a:{_label(label)} {{id: id}})-[r]->(b) "
        "WHERE r.key IS NOT NULL AND r.confidence >= $min_confidence " + _RELATION_FIELDS
    )


def relations_to(label: Label) -> str:
    """Fact relationships arriving at the given nodes. The pattern is written from the
    indexed end: ArcadeDB plans ``(a)-[r]->(b:L {id: id})`` as a scan of every relationship
    (6 s for 10 ids on 50k relationships), ``(b:L {id: id})<-[r]-(a)`` as an index lookup."""
    return (
        f"UNWIND $ids AS id MATCH (b:{_label(label)} {{id: id}})<-[r]-(a) "
        "WHERE r.key IS NOT NULL AND r.confidence >= $min_confidence " + _RELATION_FIELDS
    )


# Evidence for the analysis layer, in three flat reads instead of one join: the evidence
# rows themselves (an Evidence node carries its document_id and passage_id, set together by
# the writer), then each distinct passage (page, turn, speaker) and document (title, kind)
# once: a theme's subgraph has ~50k evidence rows but ~5k passages and ~50 documents.
_EVIDENCE_FIELDS = (
    "RETURN e.key AS key, e.document_id AS document_id, e.passage_id AS passage_id, "
    "e.quote AS quote, e.char_start AS char_start, e.char_end AS char_end, "
    "e.confidence AS confidence, e.cue AS cue"
)
EVIDENCE_FOR_KEYS = "UNWIND $keys AS k MATCH (e:Evidence {key: k}) " + _EVIDENCE_FIELDS
ALL_EVIDENCE = "MATCH (e:Evidence) " + _EVIDENCE_FIELDS
PASSAGES_BY_IDS = (
    "UNWIND $ids AS id MATCH (p:Passage {id: id}) "
    "RETURN p.id AS id, p.page AS page, p.turn AS turn, p.speaker AS speaker"
)
DOCUMENTS_BY_IDS = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) "
    "RETURN d.id AS id, d.title AS title, d.kind AS kind"
)
ALL_DOCUMENTS = "MATCH (d:Document) RETURN d {.*} AS document ORDER BY d.id"
# What read_subgraph needs of each document: not ``supports`` (one entry per entity the
# document mentions, ~1,500 strings per document on a 5k-actor graph).
DOCUMENT_VIEWS = (
    "MATCH (d:Document) RETURN d.id AS id, d.title AS title, d.kind AS kind, "
    "d.language AS language, d.source_path AS source_path, d.date AS date, "
    "d.page_count AS page_count, d.passage_count AS passage_count ORDER BY d.id"
)
# The graph's version for read caches: graph_schema/version.py; what changed under it:
# view.CHANGE_STAMPS.


# Actors a review merged into another (graph_schema/actor_merge_decisions): few, read for a
# theme's cut, which takes a merge group whole.
# The actors merged into others (all, or into $ids), with what the listings give their
# targets: one scan of the actors, where a lookup per target would be one each.
MERGED_INTO_ACTORS = (
    "MATCH (m:Actor) WHERE m.merged_into IS NOT NULL "
    "AND ($ids IS NULL OR m.merged_into IN $ids) "
    "RETURN m.merged_into AS into, m.id AS id, m.name AS name, m.aliases AS aliases, "
    "m.doc_ids AS doc_ids ORDER BY into, m.id"
)
MERGED_ACTORS = (
    "MATCH (a:Actor) WHERE a.merged_into IS NOT NULL RETURN a.id AS id, a.merged_into AS into "
    "UNION ALL MATCH (p:Person) WHERE p.merged_into IS NOT NULL "
    "RETURN p.id AS id, p.merged_into AS into"
)


# --- API listings ---------------------------------------------------------------------------

# An actor the analyst rejected ("not an actor") is not listed; /actors/{id} still shows it.
# Nor is one merged into another (actor_merge_decisions): its names find the one it is
# (``$named``: the targets of the merged actors whose names match, catalog.list_actors).
# ``$review``: "unreviewed" (no verdict yet) or "accepted" keeps only those (null: both).
# ``$document``: only actors that document supports, or that an actor it supports was
# merged into (``$in_document``: those targets, catalog.list_actors).
_ACTOR_FILTER = (
    "MATCH (a:Actor) "
    "WHERE coalesce(a.review, '') <> 'rejected' AND a.merged_into IS NULL "
    "AND ($type IS NULL OR a.type = $type) AND ($level IS NULL OR a.level = $level) "
    "AND ($review IS NULL OR coalesce(a.review, 'unreviewed') = $review) "
    "AND ($document IS NULL OR $document IN coalesce(a.doc_ids, []) OR a.id IN $in_document) "
    "AND ($q IS NULL OR toLower(a.name) CONTAINS $q "
    "OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) CONTAINS $q) OR a.id IN $named) "
    "AND ($theme IS NULL OR EXISTS { MATCH (a)-[:WORKS_ON|RESPONSIBLE_FOR]->(:Theme {id: $theme}) }) "
)
# Paged in the database: each order ends on the id, so a page is a stable slice of it.
LIST_ACTORS = _ACTOR_FILTER + "RETURN a {.*} AS node ORDER BY a.name, a.id SKIP $skip LIMIT $limit"
# Least certain first (the workbench's list): the actor decision's confidence, then the
# weaker of its type and level confidences; absent confidences count as 0.
LIST_ACTORS_BY_CONFIDENCE = (
    _ACTOR_FILTER + "WITH a, coalesce(a.confidence, 0.0) AS c, "
    "coalesce(a.type_confidence, 0.0) AS tc, coalesce(a.level_confidence, 0.0) AS lc "
    "WITH a, c, CASE WHEN tc < lc THEN tc ELSE lc END AS weaker "
    "RETURN a {.*} AS node ORDER BY c, weaker, a.name, a.id SKIP $skip LIMIT $limit"
)
COUNT_ACTORS = _ACTOR_FILTER + "RETURN count(a) AS n"
ACTOR_BY_ID = "MATCH (a:Actor {id: $id}) RETURN a {.*} AS node"
SOME_ACTOR_IDS = "MATCH (a:Actor) RETURN a.id AS id LIMIT $limit"
# The API's /actors/{id} in one statement (one round trip): the actor, its fact relationships
# (ordered and cut before anything is projected, ~3x faster on ArcadeDB), and per relationship
# its most confident evidence, at most $max_evidence, with the total count. The document's
# title and kind come from the passage's IN_DOCUMENT edge, not a second lookup by id.
# An actor without relationships gives one row of nulls in each list (dropped by the reader).
ACTOR_DETAIL = (
    "MATCH (a:Actor {id: $id}) "
    "OPTIONAL MATCH (a)-[r]-(b) WHERE r.key IS NOT NULL "
    "WITH a, r, b ORDER BY r.kind, b.name LIMIT $limit "
    "OPTIONAL MATCH (e:Evidence {key: r.key})-[:CITES]->(p:Passage)-[:IN_DOCUMENT]->(d:Document) "
    "WITH a, r, b, e, p, d ORDER BY e.confidence DESC, p.id "
    "WITH a, r, b, count(e) AS evidence_count, collect({document_id: d.id, "
    "document_title: d.title, document_kind: d.kind, passage_id: p.id, page: p.page, "
    "turn: p.turn, speaker: p.speaker, quote: e.quote, char_start: e.char_start, "
    "char_end: e.char_end, confidence: e.confidence, cue: e.cue})[..$max_evidence] AS evidence "
    "RETURN a {.*} AS node, collect({key: r.key, kind: r.kind, source: startNode(r).id, "
    "target: endNode(r).id, other_id: b.id, other_name: b.name, other_label: labels(b)[0], "
    "confidence: r.confidence, review: r.review, decided_kind: r.decided_kind, "
    "reversed: r.reversed, doc_ids: r.doc_ids, evidence: evidence, "
    "evidence_count: evidence_count}) AS relations"
)


def list_named(label: Label) -> str:
    return (
        f"MATCH (n:{_label(label)}) "
        "WHERE ($q IS NULL OR toLower(n.name) CONTAINS $q) "
        "RETURN n {.*} AS node ORDER BY n.name, n.id SKIP $skip LIMIT $limit"
    )


def count_named(label: Label) -> str:
    return (
        f"MATCH (n:{_label(label)}) WHERE ($q IS NULL OR toLower(n.name) CONTAINS $q) "
        "RETURN count(n) AS n"
    )


THEMES_WITH_COUNTS = (
    "MATCH (t:Theme) "
    "OPTIONAL MATCH (x)-[r:WORKS_ON|RESPONSIBLE_FOR|ADDRESSES]->(t) "
    "RETURN t.id AS id, t.name AS name, count(DISTINCT x) AS linked ORDER BY t.id"
)

# --- jobs and API keys (service records kept in the graph) ----------------------------------

CREATE_JOB = "CREATE (j:Job) SET j = $props"
UPDATE_JOB = "MATCH (j:Job {id: $id}) SET j += $props RETURN j {.*} AS job"
JOB_BY_ID = "MATCH (j:Job {id: $id}) RETURN j {.*} AS job"
JOBS_BY_STATUS = (
    "MATCH (j:Job) WHERE j.status IN $statuses RETURN j {.*} AS job ORDER BY j.created_at"
)
CREATE_API_KEY = "CREATE (k:ApiKey) SET k = $props"
API_KEY_BY_PREFIX = "MATCH (k:ApiKey {prefix: $prefix}) RETURN k {.*} AS key"
LIST_API_KEYS = "MATCH (k:ApiKey) RETURN k {.*} AS key ORDER BY k.created_at"
REVOKE_API_KEY = (
    "MATCH (k:ApiKey) WHERE k.id = $id OR k.prefix = $id "
    "SET k.revoked_at = coalesce(k.revoked_at, $now) RETURN k {.*} AS key"
)


# --- the merge ledger -------------------------------------------------------------------------
# (:AliasMerge) records which surface name was resolved onto which entity, by which rule, and
# which documents use it; (:AliasSplit) records an undone merge so it is never made again.

RECORD_ALIAS_MERGES = (
    "UNWIND $rows AS row "
    "MERGE (m:AliasMerge {id: row.id}) "
    "ON CREATE SET m.label = row.label, m.entity_id = row.entity_id, m.alias = row.alias, "
    "m.alias_key = row.alias_key, m.rule = row.rule, m.score = row.score, "
    "m.doc_ids = [$document_id], m.created_at = $now "
    "ON MATCH SET m.doc_ids = CASE WHEN $document_id IN m.doc_ids THEN m.doc_ids "
    "ELSE m.doc_ids + $document_id END"
)
RELEASE_ALIAS_MERGES = (
    "MATCH (m:AliasMerge) WHERE $document_id IN m.doc_ids "
    "SET m.doc_ids = [x IN m.doc_ids WHERE x <> $document_id] "
    "WITH m WHERE size(m.doc_ids) = 0 DELETE m"
)
ALIAS_MERGE_BY_ID = "MATCH (m:AliasMerge {id: $id}) RETURN m {.*} AS merge"
LIST_ALIAS_MERGES = (
    "MATCH (m:AliasMerge) WHERE $entity_id IS NULL OR m.entity_id = $entity_id "
    "RETURN m {.*} AS merge ORDER BY m.entity_id, m.alias SKIP $skip LIMIT $limit"
)
COUNT_ALIAS_MERGES = (
    "MATCH (m:AliasMerge) WHERE $entity_id IS NULL OR m.entity_id = $entity_id RETURN count(m) AS n"
)
# A split a review re-joined (``rejoined_at``, service/actor_splits) is kept, not listed: the
# resolver may make that merge again.
LIST_ALIAS_SPLITS = (
    "MATCH (s:AliasSplit) WHERE s.rejoined_at IS NULL "
    "RETURN s {.*} AS split ORDER BY s.created_at, s.id"
)
# Undoing a merge: the split is recorded first (pending while its documents are extracted
# again), then the ledger entry goes and the entity loses the alias.
BEGIN_ALIAS_SPLIT = (
    "MERGE (s:AliasSplit {id: $id}) "
    "SET s.label = $label, s.entity_id = $entity_id, s.alias = $alias, "
    "s.alias_key = $alias_key, s.rule = $rule, s.doc_ids = $doc_ids, s.pending = true, "
    "s.created_at = $now, s.rejoined_at = null"
)
ALIAS_SPLIT_BY_ID = "MATCH (s:AliasSplit {id: $id}) RETURN s {.*} AS split"
DELETE_ALIAS_MERGE = "MATCH (m:AliasMerge {id: $id}) DELETE m"
FINISH_ALIAS_SPLIT = "MATCH (s:AliasSplit {id: $id}) SET s.pending = false"
# Undoing a review's split: the merges may be made again; ``doc_ids`` widens to every document
# the split-off actors are in, which are extracted again (the view re-reads them by it).
REJOIN_ALIAS_SPLITS = (
    "UNWIND $ids AS id MATCH (s:AliasSplit {id: id}) SET s.rejoined_at = $now, s.doc_ids = $doc_ids"
)


def set_entity_names(label: Label) -> str:
    return (
        f"MATCH (n:{_label(label)} {{id: $id}}) SET n.name = $name, n.aliases = $aliases "
        "RETURN n.id AS id"
    )


PASSAGES_OF_DOCUMENT = (
    "MATCH (p:Passage {document_id: $id}) RETURN p {.*} AS passage ORDER BY p.index"
)


# --- locations ----------------------------------------------------------------------------------

LIST_LOCATIONS = (
    "MATCH (l:Location) OPTIONAL MATCH (a)-[:LOCATED_IN]->(l) "
    "RETURN l.id AS id, l.name AS name, l.aliases AS aliases, count(a) AS actors "
    "ORDER BY actors DESC, name"
)
# Written from the indexed end (see relations_to).
ACTORS_LOCATED_IN = (
    "UNWIND $ids AS id MATCH (l:Location {id: id})<-[r:LOCATED_IN]-(a) "
    "WHERE r.confidence >= $min_confidence RETURN DISTINCT a.id AS id"
)
