"""The ingestion pipeline: files -> Documents -> extraction -> one transaction per document.

Shared by the CLI (``govgraph ingest``) and the API's background jobs. A failing file never
stops the batch: its error is reported in the result and the other files go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ingest
import nlp
from govgraph.errors import GovgraphError
from govgraph.settings import Settings
from graph_schema.ledger import ledger, splits
from graph_schema.model import EntityNode, GraphBatch, Label
from graph_schema.queries import all_entities
from graph_schema.store import GraphStore
from graph_schema.writer import WriteResult, WriteStatus, write_document
from ingest.model import Document, DocumentKind

__all__ = [
    "FileOutcome",
    "IngestReport",
    "ProgressCallback",
    "extract_with_graph",
    "ingest_documents",
    "ingest_paths",
]


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: str  # written | replaced | unchanged | failed
    document_id: str | None = None
    title: str | None = None
    kind: str | None = None
    pages: int | None = None
    passages: int = 0
    actors: int = 0
    relations: int = 0
    error: str | None = None  # the analyst-facing message when failed
    error_type: str | None = None
    warnings: tuple[str, ...] = ()  # the document's reading warnings, for the ingest summary
    kind_cue: str | None = None  # why the kind was chosen (ingest's metadata["kind_cue"])


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


ProgressCallback = Callable[[str, int, int], None]  # (message, done, total)


def known_entities(store: GraphStore, forget: frozenset[str] = frozenset()) -> list[EntityNode]:
    """Entities already in the graph, so new documents resolve onto the same ids; not those
    in ``forget`` (a re-joined split's actors, which the names must not resolve onto)."""
    known: list[EntityNode] = []
    for label in (Label.Actor, Label.Person, Label.Policy, Label.Programme):
        for row in store.read(all_entities(label)):
            node = row["node"]
            if node["id"] in forget:
                continue
            props = {
                k: v
                for k, v in node.items()
                if k not in {"id", "name", "aliases", "doc_ids"} and not isinstance(v, dict)
            }
            known.append(
                EntityNode(
                    label=label,
                    id=node["id"],
                    name=node.get("name") or node["id"],
                    aliases=tuple(node.get("aliases") or ()),
                    properties=props,
                )
            )
    return known


def extract_with_graph(
    store: GraphStore,
    documents: Sequence[Document],
    *,
    extra_splits: Sequence[tuple[str, str]] = (),
    drop_merges: frozenset[str] = frozenset(),
    forget: frozenset[str] = frozenset(),
) -> nlp.ExtractionRun:
    """Extract documents against what the graph already knows: its entities (names resolve
    onto their ids; but not onto those in ``forget``), its merge ledger, and the merges
    analysts undid."""
    return nlp.extract_documents(
        documents,
        known=known_entities(store, forget),
        known_merges=[m for m in ledger(store) if m.id not in drop_merges],
        splits=[(s["alias_key"], s["entity_id"]) for s in splits(store)] + list(extra_splits),
    )


def _outcome(path: str, doc: Document, batch: GraphBatch, result: WriteResult) -> FileOutcome:
    return FileOutcome(
        path=path,
        status=result.status.value,
        document_id=doc.id,
        title=doc.title,
        kind=doc.kind.value,
        pages=doc.page_count,
        passages=len(doc.passages),
        actors=sum(1 for e in batch.entities if e.label is Label.Actor),
        relations=len(batch.relations),
        warnings=doc.warnings,
        kind_cue=doc.metadata.get("kind_cue"),
    )


def _failure(path: str, exc: GovgraphError) -> FileOutcome:
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return FileOutcome(path=path, status="failed", error=message, error_type=type(exc).__name__)


def ingest_documents(
    store: GraphStore,
    documents: Sequence[tuple[str, Document]],
    *,
    on_progress: ProgressCallback | None = None,
    extract: Callable[[GraphStore, Sequence[Document]], nlp.ExtractionRun] | None = None,
) -> list[FileOutcome]:
    """Extract and write already-read documents. Unchanged ones skip extraction entirely.
    ``extract`` replaces ``extract_with_graph`` (the API's jobs run it under a deadline)."""
    outcomes: list[FileOutcome] = []
    fresh: list[tuple[str, Document]] = []
    for path, doc in documents:
        if store.read("MATCH (d:Document {id: $id}) RETURN d.id AS id", {"id": doc.id}):
            outcomes.append(
                FileOutcome(
                    path=path,
                    status=WriteStatus.unchanged.value,
                    document_id=doc.id,
                    title=doc.title,
                    kind=doc.kind.value,
                    pages=doc.page_count,
                    passages=len(doc.passages),
                    warnings=doc.warnings,
                    kind_cue=doc.metadata.get("kind_cue"),
                )
            )
        else:
            fresh.append((path, doc))
    if not fresh:
        return outcomes
    run = (extract or extract_with_graph)(store, [d for _, d in fresh])
    for i, ((path, doc), batch) in enumerate(zip(fresh, run.batches, strict=True)):
        if on_progress:
            on_progress(f"writing {Path(path).name}", i, len(fresh))
        try:
            result = write_document(store, batch)
        except GovgraphError as exc:
            outcomes.append(_failure(path, exc))
            continue
        outcomes.append(_outcome(path, doc, batch, result))
    return outcomes


def ingest_paths(
    store: GraphStore,
    paths: Iterable[Path],
    *,
    settings: Settings,
    kind: DocumentKind | None = None,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Read every file under ``paths``, then extract and write them; report per file."""
    report = IngestReport()
    files = ingest.collect_files(list(paths))
    documents: list[tuple[str, Document]] = []
    for i, file in enumerate(files):
        if on_progress:
            on_progress(f"reading {file.name}", i, len(files))
        try:
            documents.append((str(file), ingest.read_document(file, kind=kind, settings=settings)))
        except GovgraphError as exc:
            report.outcomes.append(_failure(str(file), exc))
    report.outcomes.extend(ingest_documents(store, documents, on_progress=on_progress))
    order = {str(f): i for i, f in enumerate(files)}
    report.outcomes.sort(key=lambda o: order.get(o.path, len(order)))
    return report
