"""Quotes of the findings' evidence by Evidence id (graph_schema/evidence_quotes.py) against
the store's own read of the same evidence, on the real store."""

from __future__ import annotations

from test_graph_schema_reader import _random_graph

from graph_schema.evidence_quotes import evidence_quotes
from graph_schema.reader import SubgraphFilter, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView
from graph_schema.writer import delete_document


def test_evidence_quotes_are_the_stored_quotes(store: GraphStore) -> None:
    doc_ids = _random_graph(store)
    state = AnalyticView(store).load()
    flt = SubgraphFilter(theme="policing")
    stored, cut = read_subgraph(store, flt), state.subgraph(flt)
    pairs = [
        (want, state.evidence_key(got))
        for r_want, r_got in zip(stored.relations, cut.relations, strict=True)
        for want, got in zip(r_want.evidence, r_got.evidence, strict=True)
    ]
    assert len(pairs) > 5 and all(key is not None for _, key in pairs)  # not vacuous
    keys = [key for _, key in pairs if key is not None]
    found = evidence_quotes(store, keys)
    assert {key: found[key] for key in keys} == {key: want.quote for want, key in pairs if key}
    assert evidence_quotes(store, []) == {}
    # Evidence gone since the view's state (its document deleted) is left out.
    assert delete_document(store, doc_ids[0])
    left = evidence_quotes(store, keys)
    gone = {key for want, key in pairs if key and want.document_id == doc_ids[0]}
    assert gone and set(left) == set(keys) - gone
