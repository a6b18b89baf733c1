"""Single-subject gaps: isolated_actor, absent_from_policy, policy_without_implementer."""

from __future__ import annotations

import networkx as nx

from graph_schema.model import EvidenceView, RelationKind

from ._context import (
    INTERVIEW_KINDS,
    POLICY_DOC_KINDS,
    GapContext,
    evidence_strength,
    sector,
    top_theme,
)
from .model import Finding, GapKind, PolicyRef, finding_id

__all__ = ["absent_from_policy_findings", "isolated_findings", "unimplemented_findings"]

_ACTIVE_KINDS = frozenset({
    RelationKind.partnership, RelationKind.coordinates, RelationKind.funding,
    RelationKind.mou, RelationKind.implements, RelationKind.mandate, RelationKind.works_on,
})
_MAX_EVIDENCE = 4


def _passages(ctx: GapContext, actor: str, kinds: frozenset[str] | None = None
              ) -> list[EvidenceView]:
    out: dict[str, EvidenceView] = {}
    for rel in ctx.relations_of.get(actor, ()):
        if rel.kind not in _ACTIVE_KINDS and rel.kind != RelationKind.negative_coordination:
            continue
        for e in rel.evidence:
            if kinds is None or e.document_kind in kinds:
                out.setdefault(e.passage_id, e)
    return sorted(out.values(), key=lambda e: (-e.confidence, e.document_id, e.passage_id))


def isolated_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    state = {x for x in ctx.organisations() if sector(ctx.actors[x]) == "state"}
    if not state:
        return []  # nothing to be isolated from
    lengths = nx.multi_source_dijkstra_path_length(ctx.ties, state)
    findings: list[Finding] = []
    for x in ctx.organisations():
        if sector(ctx.actors[x]) != "non_state" or any(n in state for n in ctx.ties[x]):
            continue
        if ctx.ties.degree(x) == 0:
            base, how = 1.0, "has no tie to any other actor"
        elif x not in lengths:
            base, how = 0.75, "is tied only to actors that never reach government"
        else:
            # Reached through d-1 intermediaries: each halves how isolated it is.
            base = 0.5 ** (lengths[x] - 1)
            how = "reaches government only through other non-state actors"
        seen = _passages(ctx, x)
        presence = evidence_strength(len(seen) + len(ctx.actors[x].doc_ids))
        score = base * presence
        refusals = [r for pair, rels in ctx.negatives.items() if x in pair
                    for r in rels if next(iter(pair - {x})) in state]
        if refusals:
            score += (1.0 - score) * 0.5 * max(r.confidence for r in refusals)
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(Finding(
            id=finding_id(GapKind.isolated_actor, (x,), theme),
            kind=GapKind.isolated_actor,
            actors=(ctx.ref(x),),
            theme=theme,
            score=round(min(score, 1.0), 4),
            explanation=f"{ctx.name(x)} is a non-state actor that {how}"
                        + (f" (active on {theme})." if theme else "."),
            evidence=tuple([e for r in refusals for e in r.evidence] + seen[:_MAX_EVIDENCE]),
        ))
    return findings


def absent_from_policy_findings(ctx: GapContext, themes: frozenset[str] | None
                                ) -> list[Finding]:
    policy_docs = {d for d, v in ctx.documents.items() if v.kind in POLICY_DOC_KINDS}
    if not policy_docs:
        return []  # absence from policy needs policy documents to be absent from
    findings: list[Finding] = []
    for x in ctx.organisations():
        actor = ctx.actors[x]
        if set(actor.doc_ids) & policy_docs:
            continue
        if any(e.document_id in policy_docs for e in _passages(ctx, x)):
            continue
        heard = _passages(ctx, x, INTERVIEW_KINDS)
        if not heard:
            continue  # a mere mention is not activity
        interview_docs = {d for d in actor.doc_ids
                          if d in ctx.documents and ctx.documents[d].kind in INTERVIEW_KINDS}
        score = evidence_strength(len(heard) + 0.5 * len(interview_docs))
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(Finding(
            id=finding_id(GapKind.absent_from_policy, (x,), theme),
            kind=GapKind.absent_from_policy,
            actors=(ctx.ref(x),),
            theme=theme,
            score=round(min(score, 1.0), 4),
            explanation=(f"{actor.name} is active in interviews"
                         + (f" on {theme}" if theme else "")
                         + " but no policy document names it."),
            evidence=tuple(heard[:_MAX_EVIDENCE]),
        ))
    return findings


def unimplemented_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    implemented = {r.target for r in ctx.subgraph.relations
                   if r.kind == RelationKind.implements}
    findings: list[Finding] = []
    for pid, policy in sorted(ctx.policies.items()):
        if pid in implemented:
            continue
        listed = list(policy.themes) or sorted(
            r.target for r in ctx.subgraph.relations
            if r.kind == RelationKind.addresses and r.source == pid)
        if themes is not None:
            listed = [t for t in listed if t in themes]
            if not listed:
                continue
        theme = listed[0] if listed else None  # the first listed theme is the primary one
        owners = sorted({ctx.nodes[r.source] for r in ctx.subgraph.relations
                         if r.target == pid and r.kind == RelationKind.mandate
                         and ctx.nodes.get(r.source) in ctx.actors})
        evidence = [e for r in ctx.subgraph.relations if pid in (r.source, r.target)
                    for e in r.evidence]
        # The more documents discuss a commitment nobody carries out, the surer the gap.
        score = evidence_strength(1.0 + len(policy.doc_ids))
        who = (f" {', '.join(ctx.name(o) for o in owners)} owns it but"
               if owners else "")
        findings.append(Finding(
            id=finding_id(GapKind.policy_without_implementer, owners, theme, (pid,)),
            kind=GapKind.policy_without_implementer,
            actors=tuple(ctx.ref(o) for o in owners),
            theme=theme,
            score=round(min(score, 1.0), 4),
            explanation=(f"{policy.name} is a commitment"
                         + (f" on {theme}" if theme else "")
                         + f" with no programme or lead actor:{who} no actor implements it."),
            evidence=tuple(evidence[:_MAX_EVIDENCE]),
            policies=(PolicyRef(id=pid, name=policy.name, label=policy.label),),
        ))
    return findings
