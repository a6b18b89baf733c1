"""The service's side of the analytic view (graph_schema/view.py): quotes for the findings
a response returns, and /actors/{id} answered from it.

Findings are computed and cached on the view's subgraphs, whose evidence carries quote
digests; only the findings on the page being sent get their quotes, in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis import Finding
from graph_schema.actor_merge_reads import merged_page
from graph_schema.catalog import actor_detail
from graph_schema.evidence_quotes import evidence_quotes
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView, EvidenceKey, ViewState
from graph_schema.view_actors import Stale, actor_detail_from_view

__all__ = ["actor_page", "with_quotes"]


def actor_page(view: AnalyticView, store: GraphStore, actor_id: str) -> dict[str, Any] | None:
    """/actors/{id} from the view. The answer's own query carries the graph version
    (graph_schema/view_actors): when another process wrote since, the view catches up and
    answers again; the store's own query if a write raced that too."""
    state = view.state()
    got = actor_detail_from_view(store, state, actor_id)
    if isinstance(got, Stale):
        state = view.refresh()
        got = actor_detail_from_view(store, state, actor_id)
    if isinstance(got, Stale):
        return actor_detail(store, actor_id)  # which folds the merges itself
    # The actors a review merged into this one are its own (graph_schema/actor_merge_reads);
    # the view knows them, so an actor nobody merged into costs no query.
    merged = [i for i, into in state.snapshot.merges.items() if into == actor_id]
    return merged_page(store, got, lambda i: actor_page(view, store, i), merged)


def with_quotes(view: AnalyticView, state: ViewState, findings: Sequence[Finding]) -> list[Finding]:
    """The findings with each evidence's quote in place of its digest. Evidence whose node
    is gone since (a write between the answer and this call) keeps an empty quote."""
    keys: dict[tuple[str, str], EvidenceKey | None] = {}
    for f in findings:
        for ev in f.evidence:
            if (ev.passage_id, ev.quote) not in keys:
                keys[(ev.passage_id, ev.quote)] = state.evidence_key(ev)
    found = evidence_quotes(view.store, (k for k in keys.values() if k is not None))

    def quote(passage_id: str, digest: str) -> str:
        key = keys[(passage_id, digest)]
        return found.get(key, "") if key is not None else ""

    return [
        f.model_copy(
            update={
                "evidence": tuple(
                    ev.model_copy(update={"quote": quote(ev.passage_id, ev.quote)})
                    for ev in f.evidence
                )
            }
        )
        if f.evidence
        else f
        for f in findings
    ]
