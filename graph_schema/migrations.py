"""Versioned, idempotent schema migrations, recorded in the graph as ``(:Migration)`` nodes.

Each migration is a list of statements that are safe to run twice (``IF NOT EXISTS``, or a
data change guarded by ``WHERE ... IS NULL``).
A migration's checksum is recorded with it: if the code's statements for an applied version
change, ``status`` reports the drift instead of silently pretending all is well.
Schema statements run one per transaction: Neo4j refuses schema and data changes together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from govgraph.errors import MigrationError, StoreError

from . import queries as q
from .model import ENTITY_LABELS, Label
from .store import GraphStore
from .version import CREATE_VERSION

__all__ = ["MIGRATIONS", "Migration", "MigrationState", "apply_migrations", "migration_status"]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]

    @property
    def checksum(self) -> str:
        return hashlib.sha256("\n".join(self.statements).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MigrationState:
    version: int
    name: str
    applied_at: str | None  # ISO-8601 UTC; None while pending
    drifted: bool = False  # applied, but the code's statements have changed since


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "uniqueness constraints on every MERGE key",
        (
            *(
                q.unique_constraint(label)
                for label in (
                    Label.Document,
                    Label.Passage,
                    Label.Actor,
                    Label.Person,
                    Label.Policy,
                    Label.Programme,
                    Label.Theme,
                    Label.Location,
                    Label.Evidence,
                    Label.Job,
                    Label.ApiKey,
                )
            ),
            q.unique_constraint(Label.Migration, "version"),
        ),
    ),
    Migration(
        2,
        "lookup indexes for provenance, versions and filters",
        (
            q.node_index(Label.Document, "source_path"),
            q.node_index(Label.Document, "kind"),
            q.node_index(Label.Passage, "document_id"),
            q.node_index(Label.Evidence, "document_id"),
            q.node_index(Label.Evidence, "key"),
            q.node_index(Label.Actor, "name"),
            q.node_index(Label.Actor, "level"),
            q.node_index(Label.Actor, "type"),
            q.node_index(Label.Policy, "name"),
            q.node_index(Label.Programme, "name"),
            q.node_index(Label.Job, "status"),
            q.node_index(Label.ApiKey, "prefix"),
        ),
    ),
    Migration(
        3,
        "the merge ledger",
        (
            q.unique_constraint(Label.AliasMerge),
            q.unique_constraint(Label.AliasSplit),
            q.node_index(Label.AliasMerge, "entity_id"),
        ),
    ),
    Migration(
        4,
        "which document used which alias (so a delete drops the aliases only it used)",
        tuple(q.backfill_alias_docs(label) for label in ENTITY_LABELS),
    ),
    Migration(
        5,
        "review decisions: unique id, lookup by target",
        # Re-application reads every decision on the targets of each document written
        # (DECISIONS_OF_TARGETS): without the target index that is a label scan per write.
        (
            q.unique_constraint(Label.Decision),
            q.node_index(Label.Decision, "target_id"),
        ),
    ),
    Migration(
        6,
        "below-threshold actor candidates: unique id, lookup by document and by entity",
        # A document write or delete replaces its candidates (by document_id); a promotion
        # finds every document's candidate of one entity (by entity_id).
        (
            q.unique_constraint(Label.Candidate),
            q.node_index(Label.Candidate, "document_id"),
            q.node_index(Label.Candidate, "entity_id"),
        ),
    ),
    Migration(
        7,
        "the graph version stamp, bumped by every write of facts",
        # Caches asked for the version on every request by reading every Document record
        # (graph_schema/version.py): the stamp is one node, made here for existing stores.
        (q.unique_constraint(Label.GraphVersion), CREATE_VERSION),
    ),
)


def _applied(store: GraphStore) -> dict[int, dict[str, object]]:
    try:
        rows = store.read(q.APPLIED_MIGRATIONS)
    except StoreError as exc:  # pragma: no cover - the store itself is broken
        raise MigrationError(f"Could not read the applied migrations: {exc.message}") from exc
    return {int(r["version"]): r for r in rows if r.get("version") is not None}


def migration_status(store: GraphStore) -> list[MigrationState]:
    applied = _applied(store)
    states = []
    for m in MIGRATIONS:
        row = applied.get(m.version)
        states.append(
            MigrationState(
                m.version,
                m.name,
                str(row["applied_at"]) if row else None,
                drifted=row is not None and row.get("checksum") != m.checksum,
            )
        )
    return states


def apply_migrations(store: GraphStore) -> list[MigrationState]:
    """Apply every pending migration in order; return the ones applied now."""
    applied = _applied(store)
    done: list[MigrationState] = []
    for m in MIGRATIONS:
        if m.version in applied:
            continue
        for statement in m.statements:

            def run(tx: ManagedTransaction, statement: str = statement) -> None:
                tx.run(statement).consume()

            try:
                store.execute_write(run, action=f"Migration {m.version} ({m.name})")
            except StoreError as exc:
                raise MigrationError(
                    f"Migration {m.version} ({m.name}) failed at: {statement}\n{exc.message}"
                ) from exc
        now = datetime.now(UTC).isoformat(timespec="seconds")

        def record(tx: ManagedTransaction, m: Migration = m, now: str = now) -> None:
            tx.run(
                q.RECORD_MIGRATION,
                version=m.version,
                name=m.name,
                checksum=m.checksum,
                applied_at=now,
            ).consume()

        store.execute_write(record, action=f"Recording migration {m.version}")
        done.append(MigrationState(m.version, m.name, now))
    if 7 in applied:
        # A store emptied by hand keeps its Migration records (the tests', the bench's):
        # the stamp is made again here, before any writer, so concurrent first writes do
        # not race to create it (on ArcadeDB the loser fails on the unique constraint).
        store.execute_write(
            lambda tx: tx.run(CREATE_VERSION).consume(), action="Making the graph version"
        )
    return done
