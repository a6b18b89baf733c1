"""Single-subject gaps: isolated_actor, absent_from_policy, policy_without_implementer."""

from __future__ import annotations

import re

from graph_schema.model import RelationKind
from graph_schema.plain import PlainEvidence

from ._context import (
    INTERVIEW_KINDS,
    POLICY_DOC_KINDS,
    GapContext,
    corroborate,
    evidence_strength,
    sector,
    theme_text,
    top_theme,
)
from ._paths import hop_distances
from .model import Finding, GapKind, PolicyRef, finding_id, new_finding
from .network import is_organisation

__all__ = ["absent_from_policy_findings", "isolated_findings", "unimplemented_findings"]

_ACTIVE_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.implements,
        RelationKind.mandate,
        RelationKind.works_on,
    }
)
_MAX_EVIDENCE = 4


def _passages(
    ctx: GapContext, actor: str, kinds: frozenset[str] | None = None
) -> list[PlainEvidence]:
    out: dict[str, PlainEvidence] = {}
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
    lengths = hop_distances(ctx.neighbours, state)
    findings: list[Finding] = []
    for x in ctx.organisations():
        if sector(ctx.actors[x]) != "non_state" or any(n in state for n in ctx.neighbours[x]):
            continue
        if not ctx.neighbours[x]:
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
        refusals = [
            r
            for pair in ctx.negative_pairs_of.get(x, ())
            for r in ctx.negatives[pair]
            if next(iter(pair - {x})) in state
        ]
        score = corroborate(score, refusals)
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(
            new_finding(
                id=finding_id(GapKind.isolated_actor, (x,), theme),
                kind=GapKind.isolated_actor,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=f"{ctx.name(x)} is a non-state actor that {how}"
                + (f" (active on {theme_text(theme)})." if theme else "."),
                evidence=ctx.cited(
                    [e for r in refusals for e in r.evidence] + seen[:_MAX_EVIDENCE]
                ),
            )
        )
    return findings


def absent_from_policy_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
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
        interview_docs = {
            d
            for d in actor.doc_ids
            if d in ctx.documents and ctx.documents[d].kind in INTERVIEW_KINDS
        }
        if not heard and len(interview_docs) < 2:
            # A mere mention is not activity; two separate respondents bringing the actor
            # up is (independent sources, as for every other count here).
            continue
        score = evidence_strength(len(heard) + 0.5 * len(interview_docs))
        theme = top_theme(ctx, x, themes)
        if themes is not None and theme is None:
            continue
        findings.append(
            new_finding(
                id=finding_id(GapKind.absent_from_policy, (x,), theme),
                kind=GapKind.absent_from_policy,
                actors=(ctx.ref(x),),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"{actor.name} is active in interviews"
                    + (f" on {theme_text(theme)}" if theme else "")
                    + " but no policy document names it."
                ),
                evidence=ctx.cited(heard[:_MAX_EVIDENCE]),
            )
        )
    return findings


# Words that name a *kind* of document or commitment, not a particular one. A policy whose
# name is made only of these (plus years and numbers) - "Plan", "Policy Brief", "Act 2019",
# "Joint Programme Summary" - is a head word or a document title, not a commitment an
# analyst could look up.
_GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "for",
        "and",
        "to",
        "in",
        "city",
        "national",
        "municipal",
        "plan",
        "plans",
        "policy",
        "policies",
        "brief",
        "strategy",
        "strategies",
        "circular",
        "protocol",
        "pact",
        "act",
        "law",
        "laws",
        "code",
        "statute",
        "directive",
        "decree",
        "regulation",
        "regulations",
        "programme",
        "programmes",
        "program",
        "initiative",
        "framework",
        "agreement",
        "memorandum",
        "understanding",
        "summary",
        "joint",
        "document",
        "report",
        "annex",
        "article",
        "section",
        "chapter",
        "action",
        "matrix",
        "note",
    ]
)
# A passage that states the commitment names its parties; an inferred party is weaker than
# an explicit mandate (docs/gaps.md, policy_without_implementer).
_INFERRED_OWNER = 0.75
# A statute binds everyone and is cited everywhere: sitting in the same passage as an
# actor does not make it that actor's commitment, so a law needs a stated owner.
_STATUTE = re.compile(r"\b(act|code|law|statute|constitution)\b")


def _named_policy(name: str) -> bool:
    words = re.findall(r"[a-z][a-z'-]*", name.casefold())
    return any(w not in _GENERIC_WORDS for w in words)


def _owners(ctx: GapContext, pid: str) -> tuple[list[str], bool]:
    """Who the commitment belongs to, and whether that is stated (mandate) or inferred.

    Stated: an organisation holds a ``mandate`` over the policy. Inferred: the passages of a
    policy document that state the policy (its own relations' evidence) also tie named
    organisations to one another or to a theme - the parties the commitment is made by.
    A law that is only cited has neither, and is no commitment of the assessed actors.
    """
    own = ctx.policy_relations.get(pid, ())
    stated = sorted(
        {
            ctx.nodes[r.source]
            for r in own
            if r.target == pid
            and r.kind == RelationKind.mandate
            and ctx.nodes.get(r.source) in ctx.actors
            and is_organisation(ctx.actors[ctx.nodes[r.source]])
        }
    )
    if stated:
        return stated, True
    if _STATUTE.search(ctx.policies[pid].name.casefold()):
        return [], False
    passages = {
        e.passage_id for r in own for e in r.evidence if e.document_kind in POLICY_DOC_KINDS
    }
    if not passages:
        return [], False
    parties: set[str] = set()
    # Only relations citing one of those passages can name a party (index, not a scan).
    citing = sorted({i for passage in passages for i in ctx.relations_citing.get(passage, ())})
    for r in (ctx.subgraph.relations[i] for i in citing):
        if pid in (r.source, r.target) or r.kind == RelationKind.negative_coordination:
            continue
        for end in (r.source, r.target):
            node = ctx.nodes.get(end)
            if node in ctx.actors and is_organisation(ctx.actors[node]):
                parties.add(node)
    return sorted(parties), False


def unimplemented_findings(ctx: GapContext, themes: frozenset[str] | None) -> list[Finding]:
    """A named commitment of an assessed actor that nobody carries out or pays for."""
    carried = {
        r.target
        for r in ctx.subgraph.relations
        if r.kind in (RelationKind.implements, RelationKind.funding)
    }
    findings: list[Finding] = []
    for pid, policy in sorted(ctx.policies.items()):
        if pid in carried or not _named_policy(policy.name):
            continue
        owners, stated = _owners(ctx, pid)
        if not owners:
            continue  # cited, not committed to by anyone in the assessment
        listed = list(policy.themes) or sorted(
            r.target
            for r in ctx.policy_relations.get(pid, ())
            if r.kind == RelationKind.addresses and r.source == pid
        )
        if themes is not None:
            listed = [t for t in listed if t in themes]
            if not listed:
                continue
        theme = listed[0] if listed else None  # the first listed theme is the primary one
        evidence = [e for r in ctx.policy_relations.get(pid, ()) for e in r.evidence]
        # The more documents discuss a commitment nobody carries out, the surer the gap;
        # an owner read off the stating passage is less sure than a stated mandate.
        score = evidence_strength(1.0 + len(policy.doc_ids)) * (1.0 if stated else _INFERRED_OWNER)
        names = ", ".join(ctx.name(o) for o in owners)
        findings.append(
            new_finding(
                id=finding_id(GapKind.policy_without_implementer, owners, theme, (pid,)),
                kind=GapKind.policy_without_implementer,
                actors=tuple(ctx.ref(o) for o in owners),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=(
                    f"{policy.name} is a commitment of {names}"
                    + (f" on {theme_text(theme)}" if theme else "")
                    + " with no programme or lead actor: no actor implements or funds it."
                ),
                evidence=ctx.cited(evidence[:_MAX_EVIDENCE]),
                policies=(PolicyRef(id=pid, name=policy.name, label=policy.label),),
            )
        )
    return findings
