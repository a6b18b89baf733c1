"""The quotes of the evidence on a page of findings, in one query that returns one row.

The analytic view holds a digest for each quote (graph_schema/view.py); a response fills in
the quotes of what it returns. Looked up by each Evidence node's unique id (derived from
the relation key, passage and span, ``model.evidence_id``), not by walking CITES to the
passage, and collected into a single record: the driver's cost is per record, and the
walk returned every passage's whole text, which no response uses. A cached /gaps page of 50
findings (~300 evidence) spent 100 ms of its 120-180 ms there on a 5k-actor graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import evidence_id
from .store import GraphStore
from .view import EvidenceKey

__all__ = ["evidence_quotes"]

_QUOTES_BY_ID = (
    "UNWIND $ids AS i MATCH (e:Evidence {id: i}) RETURN collect([e.id, e.quote]) AS rows"
)


def evidence_quotes(store: GraphStore, keys: Iterable[EvidenceKey]) -> dict[EvidenceKey, str]:
    """Each given evidence's quote; evidence whose node is gone (a write since) is absent."""
    ids = {evidence_id(*key): key for key in keys}
    if not ids:
        return {}
    rows = store.query(_QUOTES_BY_ID, {"ids": sorted(ids)})
    return {ids[i]: quote or "" for row in rows for i, quote in row["rows"] if i in ids}
