"""Pair gaps: shared_mandate_no_link and negative_evidence, one finding per actor pair.

A pair that shares a theme and is also explicitly said not to coordinate tells one story,
not two. When both actors hold a formal responsibility on the theme it is a shared mandate
with a confirming statement (the statement raises the score and is cited); otherwise the
statement is the finding (negative_evidence) and the shared theme names it.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from graph_schema.model import EvidenceView, RelationKind, RelationView

from ._context import GapContext, corroborate, theme_fit, theme_text, top_theme
from .model import Finding, GapKind, finding_id

__all__ = ["pair_findings"]

# Shared seats on a body (coordinates / member_of towards the same node) count as a link.
_BODY_KINDS = frozenset({RelationKind.coordinates, RelationKind.member_of})
_EVIDENCE_PER_ACTOR = 3


def _neg_evidence(negatives: tuple[RelationView, ...]) -> list[EvidenceView]:
    return [e for r in negatives for e in r.evidence]


def _shared_body(ctx: GapContext, a: str, b: str) -> str | None:
    for c in sorted(set(ctx.ties[a]) & set(ctx.ties[b])):
        if (
            ctx.ties.edges[a, c]["kinds"] & _BODY_KINDS
            and ctx.ties.edges[b, c]["kinds"] & _BODY_KINDS
            and frozenset((a, c)) not in ctx.negatives
            and frozenset((b, c)) not in ctx.negatives
        ):
            return str(c)
    return None


def _co_implement(ctx: GapContext, a: str, b: str) -> bool:
    """Running the same programme is working together; sharing a broad policy is not."""
    return any(a in who and b in who for who in ctx.programme_implementers.values())


def _overlap_score(ctx: GapContext, a: str, b: str, theme: str) -> float:
    fit = theme_fit(ctx.activity[a][theme], ctx.activity[b][theme])
    brokers = len(set(ctx.ties[a]) & set(ctx.ties[b]))
    indirect = 1.0 / (1.0 + 0.5 * brokers)
    prominence = (ctx.prominence(a) * ctx.prominence(b)) ** 0.5
    return float(fit * indirect * prominence)


def _activity_evidence(
    ctx: GapContext, actors: tuple[str, ...], theme: str | None
) -> list[EvidenceView]:
    if theme is None:
        return []
    out: list[EvidenceView] = []
    for x in actors:
        act = ctx.activity.get(x, {}).get(theme)
        if act is not None:
            out.extend(act.evidence[:_EVIDENCE_PER_ACTOR])
    return out


# Each actor's shared-mandate findings are limited to its strongest unlinked counterparts.
# Beyond a few, "A and B share a theme but are not linked" stops being a pair to act on and
# becomes "A is disconnected on the theme", which level_disconnect and isolated_actor say
# once instead of hundreds of times (docs/gaps.md, "How many pairs").
PAIRS_PER_ACTOR = 3


def _strongest_per_actor(
    candidates: dict[frozenset[str], tuple[float, str]], keep: set[frozenset[str]]
) -> dict[frozenset[str], tuple[float, str]]:
    """Keep a pair when it is among the PAIRS_PER_ACTOR best of either of its actors, or
    when a source speaks about it (``keep``)."""
    ranked = sorted(candidates.items(), key=lambda kv: (-kv[1][0], sorted(kv[0])))
    used: dict[str, int] = {}
    out: dict[frozenset[str], tuple[float, str]] = {}
    for pair, value in ranked:
        a, b = sorted(pair)
        if pair in keep or used.get(a, 0) < PAIRS_PER_ACTOR or used.get(b, 0) < PAIRS_PER_ACTOR:
            out[pair] = value
            used[a] = used.get(a, 0) + 1
            used[b] = used.get(b, 0) + 1
    return out


def pair_findings(
    ctx: GapContext, themes: frozenset[str] | None, min_score: float = 0.0
) -> list[Finding]:
    """Pair findings scoring at least ``min_score``. The floor is applied before a finding is
    built: a theme with hundreds of actors has tens of thousands of candidate pairs."""
    orgs = set(ctx.organisations())
    # Only actors active on a common theme can share a mandate: enumerate pairs per theme
    # (not all pairs of the subgraph, which a theme read's neighbours make large).
    by_theme: dict[str, list[str]] = defaultdict(list)
    for who, acts in ctx.activity.items():
        if who in orgs:
            for t in acts:
                if themes is None or t in themes:
                    by_theme[t].append(who)
    candidates: dict[frozenset[str], tuple[float, str]] = {}
    unlinked: dict[frozenset[str], bool] = {}
    # Rarer themes first: on a tie the pair keeps the theme fewer organisations work on (as
    # GapContext.pair_theme does).
    for t in sorted(by_theme, key=lambda t: (ctx.theme_size.get(t, 0), t)):
        for a, b in combinations(sorted(by_theme[t]), 2):
            pair = frozenset((a, b))
            if pair not in unlinked:
                unlinked[pair] = not (
                    ctx.linked(a, b) or _co_implement(ctx, a, b) or _shared_body(ctx, a, b)
                )
            if not unlinked[pair]:
                continue
            score = _overlap_score(ctx, a, b, t)
            if pair not in candidates or score > candidates[pair][0]:
                candidates[pair] = (score, t)
    candidates = _strongest_per_actor(candidates, keep=set(ctx.negatives))

    findings: list[Finding] = []
    for pair in sorted(set(candidates) | set(ctx.negatives), key=sorted):
        a, b = sorted(pair)
        if a not in ctx.actors or b not in ctx.actors or ctx.linked(a, b):
            # A positive tie wins over a negative statement: sources can disagree (a plan
            # invites, practice declines), and a pair that coordinates is never a gap.
            continue
        negatives = ctx.negatives.get(pair, ())
        theme: str | None = None
        both_formal = False
        overlap = 0.0
        if pair in candidates:
            overlap, theme = candidates[pair]
            both_formal = ctx.activity[a][theme].formal and ctx.activity[b][theme].formal
        if pair in candidates and (both_formal or not negatives):
            score = corroborate(overlap, negatives)
            if score < min_score:
                continue
            kind = GapKind.shared_mandate_no_link
            said = " and a source states they do not coordinate" if negatives else ""
            assert theme is not None  # a candidate pair always shares a theme
            text = (
                f"{ctx.name(a)} and {ctx.name(b)} both work on {theme_text(theme)} but no "
                f"partnership, agreement or shared body links them{said}."
            )
            evidence = _neg_evidence(negatives) + _activity_evidence(ctx, (a, b), theme)
        elif negatives:
            kind = GapKind.negative_evidence
            if pair in candidates:
                theme = candidates[pair][1]
            else:
                # The theme on which the actor spoken about was expected to show up.
                about = ctx.nodes.get(negatives[0].target, b)
                other = a if about == b else b
                theme = top_theme(ctx, about, themes) or top_theme(ctx, other, themes)
                if themes is not None and theme is None:
                    continue
            # The statement, and the shared theme when there is one (overlap is 0 without).
            score = corroborate(overlap, negatives)
            if score < min_score:
                continue
            where = f" on {theme_text(theme)}" if theme else ""
            text = f"A source states that {ctx.name(a)} and {ctx.name(b)} do not coordinate{where}."
            evidence = _neg_evidence(negatives) + _activity_evidence(ctx, (a, b), theme)
        else:
            continue
        findings.append(
            Finding(
                id=finding_id(kind, (a, b), theme),
                kind=kind,
                actors=(ctx.ref(a), ctx.ref(b)),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=text,
                evidence=tuple(evidence),
            )
        )
    return findings
