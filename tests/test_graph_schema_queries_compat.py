"""Dialect compatibility: every Cypher statement govgraph can issue runs on the embedded server.

DESIGN.md asks us to stay inside the common subset of Neo4j 5 and ArcadeDB's OpenCypher.
This runs each query builder, for every label / relationship type it can be given, with
parameters of the right shape inside a transaction that is rolled back, so a construct the
embedded server does not understand fails here rather than in an analyst's session.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from graph_schema import queries as q
from graph_schema.model import ENTITY_LABELS, REL_TYPE_OF, Label, RelType
from graph_schema.store import GraphStore

ROW: dict[str, Any] = {
    "id": "x",
    "name": "X",
    "aliases": ["X"],
    "confidence": 0.5,
    "props": {"type": "ngo"},
    "passage_id": "p",
    "entity_id": "x",
    "text": "X",
    "char_start": 0,
    "char_end": 1,
    "key": "k",
    "kind": "partnership",
    "source_id": "x",
    "target_id": "y",
    "evidence_count": 1,
    "label": "Actor",
    "alias": "X",
    "alias_key": "x",
    "rule": "fuzzy",
    "score": 95.0,
    "alias_docs": ["d|X", "~e|Y"],
}
PARAMS: dict[str, Any] = {
    "id": "x",
    "ids": ["x", "y"],
    "keys": ["k"],
    "rows": [ROW],
    "document_id": "d",
    "source_path": "s",
    "props": {"id": "x"},
    "kinds": None,
    "skip": 0,
    "limit": 5,
    "max_evidence": 5,
    "theme": "t",
    "min_confidence": 0.0,
    "type": None,
    "level": None,
    "q": "x",
    "named": ["x"],
    "statuses": ["queued"],
    "prefix": "abcd1234",
    "prefixes": ["d|", "~d|"],
    "now": "2026-01-01T00:00:00Z",
    "version": 1,
    "name": "n",
    "checksum": "c",
    "applied_at": "2026-01-01T00:00:00Z",
    "entity_id": None,
    "aliases": ["X"],
    "doc_ids": ["d"],
    "label": "Actor",
    "alias": "X",
    "alias_key": "x",
    "rule": "fuzzy",
}


def _statements() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in vars(q).items():
        if name.startswith("_") or name in {"batched"}:
            continue
        if isinstance(value, str) and value.lstrip().split(" ", 1)[0] in {
            "MATCH",
            "MERGE",
            "CREATE",
            "UNWIND",
            "RETURN",
            "SHOW",
        }:
            if not value.startswith("CREATE CONSTRAINT") and not value.startswith("CREATE INDEX"):
                out.append((name, value))
        elif inspect.isfunction(value) and value.__module__ == q.__name__:
            sig = inspect.signature(value)
            kinds = [p.annotation for p in sig.parameters.values()]
            if name in {"unique_constraint", "node_index"}:
                continue  # schema statements: exercised by the migrations tests
            if kinds == ["Label"]:
                out += [(f"{name}({lbl.value})", value(lbl)) for lbl in (*ENTITY_LABELS, Label.Job)]
            elif kinds == ["RelType", "Label", "Label"]:
                out += [
                    (f"{name}({rel.value})", value(rel, Label.Actor, Label.Actor))
                    for rel in REL_TYPE_OF.values()
                ]
    return out


STATEMENTS = _statements()


def test_graph_schema_queries_compat_covers_the_module() -> None:
    names = {n.split("(")[0] for n, _ in STATEMENTS}
    assert {"merge_entities", "merge_relations", "release_entities", "LIST_ACTORS"} <= names
    assert len(STATEMENTS) > 60


@pytest.mark.parametrize(("name", "statement"), STATEMENTS, ids=[n for n, _ in STATEMENTS])
def test_graph_schema_queries_compat_runs_on_embedded_server(
    store: GraphStore, name: str, statement: str
) -> None:
    params = {k: v for k, v in PARAMS.items() if f"${k}" in statement}
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(statement, params).consume()
        finally:
            tx.rollback()


def test_graph_schema_rel_types_never_reuse_a_label_name() -> None:
    # ArcadeDB keeps labels and relationship types in one namespace of types.
    assert not {r.value for r in RelType} & {lbl.value for lbl in Label}
