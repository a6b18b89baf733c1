"""The gap rules' indexes are built on first use: network metrics never build them (a cold
/network/metrics paid for them), and a context the gap rules read has them, equal to a
direct build from its facts."""

from __future__ import annotations

import analysis._context_cache as context_module
from analysis import GapFilters, find_gaps, network_metrics
from analysis import _rule_indexes as indexes
from analysis._context import POLICY_DOC_KINDS
from graph_schema.model import RelationKind

RULE_INDEXES = (
    "programmes_of",
    "body_partners",
    "negative_pairs_of",
    "policy_relations",
    "relations_citing",
    "relations_of",
)


def test_metrics_leave_the_rule_indexes_unbuilt(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(context_module, "_contexts", context_module._Contexts())
    from bench.analysis_speed import synthesize  # policies, plans and interviews

    sub = synthesize(300, 1500, seed=2)
    network_metrics(sub)
    (ctx,) = context_module._contexts._items.values()
    assert not set(RULE_INDEXES) & set(vars(ctx)), "metrics built a gap-rule index"
    find_gaps(sub, filters=GapFilters(min_score=0.0))
    assert set(RULE_INDEXES) <= set(vars(ctx)), "the gap rules read every index"
    by_policy = indexes.policy_relations(ctx.subgraph.relations, ctx.policies)
    assert ctx.policy_relations == by_policy
    assert ctx.relations_citing == indexes.relations_citing(
        ctx.subgraph.relations, by_policy, POLICY_DOC_KINDS
    )
    assert ctx.body_partners == _body_partners_from_ties(ctx)
    assert any(ctx.body_partners.values())
    assert ctx.relations_of == _relations_by_end(ctx)
    assert any(len(rels) > 1 for rels in ctx.relations_of.values())


def _relations_by_end(ctx) -> dict[str, tuple]:  # type: ignore[no-untyped-def,type-arg]
    """Each relation under the tie-graph node of each of its ends (one end if a loop)."""
    found: dict[str, list] = {}  # type: ignore[type-arg]
    for rel in ctx.subgraph.relations:
        for end in dict.fromkeys((rel.source, rel.target)):
            node = ctx.nodes.get(end)
            if node is not None:
                found.setdefault(node, []).append(rel)
    return {x: tuple(rels) for x, rels in found.items()}


def _body_partners_from_ties(ctx) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    """The definition, read off every tie's kinds (what the index is built without)."""
    body: dict[str, set[str]] = {x: set() for x in ctx.neighbours}
    for u, v, kinds in ctx.ties.edges(data="kinds"):
        if (
            kinds & {RelationKind.coordinates, RelationKind.member_of}
            and frozenset((u, v)) not in ctx.negatives
        ):
            body[u].add(v)
            body[v].add(u)
    return {x: frozenset(p) for x, p in body.items()}
