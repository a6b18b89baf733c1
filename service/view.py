"""The service's side of the analytic view (graph_schema/view.py): quotes for the findings
a response returns, and /actors/{id} answered from it.

Findings are computed and cached on the view's subgraphs, whose evidence carries quote
digests; only the findings on the page being sent get their quotes, in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis import Finding
from graph_schema.catalog import actor_detail
from graph_schema.store import GraphStore
from graph_schema.view import AnalyticView, EvidenceKey, ViewState
from graph_schema.view_actors import Stale, actor_detail_from_view

__all__ = ["actor_page", "with_quotes"]


def actor_page(view: AnalyticView, store: GraphStore, actor_id: str) -> dict[str, Any] | None:
    """/actors/{id} from the view. The answer's own query carries the graph version
    (graph_schema/view_actors): when another process wrote since, the view catches up and
    answers again; the store's own query if a write raced that too."""
    got = actor_detail_from_view(store, view.state(), actor_id)
    if isinstance(got, Stale):
        got = actor_detail_from_view(store, view.refresh(), actor_id)
    return actor_detail(store, actor_id) if isinstance(got, Stale) else got


def with_quotes(view: AnalyticView, state: ViewState, findings: Sequence[Finding]) -> list[Finding]:
    """The findings with each evidence's quote in place of its digest. Evidence whose node
    is gone since (a write between the answer and this call) keeps an empty quote."""
    keys: dict[tuple[str, str], EvidenceKey | None] = {}
    for f in findings:
        for ev in f.evidence:
            if (ev.passage_id, ev.quote) not in keys:
                keys[(ev.passage_id, ev.quote)] = state.evidence_key(ev)
    found = view.quotes(k for k in keys.values() if k is not None)

    def quote(passage_id: str, digest: str) -> str:
        key = keys[(passage_id, digest)]
        return found[key][0] if key is not None and key in found else ""

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
