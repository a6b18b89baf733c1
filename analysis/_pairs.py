"""Pair gaps: shared_mandate_no_link and negative_evidence, one finding per actor pair.

A pair that shares a theme and is also explicitly said not to coordinate tells one story,
not two. When both actors hold a formal responsibility on the theme it is a shared mandate
with a confirming statement (the statement raises the score and is cited); otherwise the
statement is the finding (negative_evidence) and the shared theme names it.
"""

from __future__ import annotations

import bisect
import heapq

from graph_schema.plain import PlainEvidence, PlainRelation

from ._context import FORMALITY, GapContext, corroborate, theme_fit, theme_text, top_theme
from .model import Finding, GapKind, finding_id, new_finding

__all__ = ["pair_findings"]

# Shared seats on a body (coordinates / member_of towards the same node, indexed in
# GapContext.body_partners) count as a link.
_EVIDENCE_PER_ACTOR = 3


def _neg_evidence(negatives: tuple[PlainRelation, ...]) -> list[PlainEvidence]:
    return [e for r in negatives for e in r.evidence]


def _shared_body(ctx: GapContext, a: str, b: str) -> str | None:
    # Most actors sit on no body: no intersection (nor empty sets) built for them.
    mine = ctx.body_partners.get(a)
    theirs = ctx.body_partners.get(b) if mine else None
    if not mine or not theirs:
        return None
    shared = mine & theirs
    return min(shared) if shared else None


def _co_implement(ctx: GapContext, a: str, b: str) -> bool:
    """Running the same programme is working together; sharing a broad policy is not."""
    mine = ctx.programmes_of.get(a)
    theirs = ctx.programmes_of.get(b) if mine else None
    return bool(mine and theirs and not mine.isdisjoint(theirs))


def _overlap_score(ctx: GapContext, a: str, b: str, theme: str) -> float:
    fit = theme_fit(ctx.activity[a][theme], ctx.activity[b][theme])
    brokers = len(ctx.neighbours[a] & ctx.neighbours[b])
    indirect = 1.0 / (1.0 + 0.5 * brokers)
    prominence = (ctx.prominence(a) * ctx.prominence(b)) ** 0.5
    return float(fit * indirect * prominence)


def _activity_evidence(
    ctx: GapContext, actors: tuple[str, ...], theme: str | None
) -> list[PlainEvidence]:
    if theme is None:
        return []
    out: list[PlainEvidence] = []
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
# Float slack on the upper bound below: the bound is computed in another order than the
# score, so the two can differ in the last bits; pruning never trusts those bits.
_BOUND_SLACK = 1e-9


Candidate = tuple[float, str]  # a pair's best overlap score and the theme it is on


class _PairScores:
    """A candidate pair's value, as the pair rule defines it: unlinked (no tie, programme
    or shared body), scored on every shared theme, rarer themes first, a later theme
    replacing an earlier one only when it scores strictly more. Memoised per pair."""

    def __init__(self, ctx: GapContext, themes: frozenset[str] | None) -> None:
        self.ctx = ctx
        self.themes = themes
        self.orgs = set(ctx.organisations())
        self.memo: dict[tuple[str, str], Candidate | None] = {}
        self._themes_of: dict[str, list[str]] = {}

    def themes_of(self, x: str) -> list[str]:
        # Asked once per candidate pair and per stream: kept per actor (never mutated).
        found = self._themes_of.get(x)
        if found is None:
            acts = self.ctx.activity.get(x, {})
            found = [t for t in acts if self.themes is None or t in self.themes]
            self._themes_of[x] = found
        return found

    def value(self, a: str, b: str) -> Candidate | None:
        key = (a, b) if a < b else (b, a)
        if key in self.memo:
            return self.memo[key]
        a, b = key  # scored in name order, as the rule always has
        ctx = self.ctx
        out: Candidate | None = None
        if a in self.orgs and b in self.orgs:
            acts_b = ctx.activity.get(b, {})
            shared = [t for t in self.themes_of(a) if t in acts_b]
            if shared and not (
                ctx.linked(a, b) or _co_implement(ctx, a, b) or _shared_body(ctx, a, b)
            ):
                if len(shared) > 1:  # most pairs share one theme: nothing to order
                    shared.sort(key=lambda t: (ctx.theme_size.get(t, 0), t))
                for t in shared:
                    score = _overlap_score(ctx, a, b, t)
                    if out is None or score > out[0]:
                        out = (score, t)
        self.memo[key] = out
        return out


def _bound_streams(
    ctx: GapContext, scores: _PairScores
) -> dict[str, tuple[list[tuple[float, str]], list[tuple[float, str]]]]:
    """Per theme, its organisations split by formality, each sorted by ``reach`` =
    sqrt(strength * prominence), best first. A pair's overlap score on the theme is
    fit * indirect * prominence = sqrt(s_a s_b) * formality * indirect * sqrt(p_a p_b)
    <= reach_a * reach_b * formality, because indirect <= 1."""
    streams: dict[str, tuple[list[tuple[float, str]], list[tuple[float, str]]]] = {}
    for x in sorted(scores.orgs):
        for t in scores.themes_of(x):
            act = ctx.activity[x][t]
            reach = (act.strength * ctx.prominence(x)) ** 0.5
            formal, informal = streams.setdefault(t, ([], []))
            (formal if act.formal else informal).append((-reach, x))
    for formal, informal in streams.values():
        formal.sort()
        informal.sort()
    return streams


def _top_pairs(
    ctx: GapContext,
    scores: _PairScores,
    streams: dict[str, tuple[list[tuple[float, str]], list[tuple[float, str]]]],
    a: str,
    floor: float,
) -> list[tuple[float, tuple[str, str]]]:
    """a's PAIRS_PER_ACTOR best candidate pairs, ranked as the pair rule ranks all pairs
    (score descending, then the sorted pair), among those scoring at least ``floor``.

    Partners are visited in descending order of the upper bound of their score on some
    shared theme (a merge of the sorted streams); the search stops once no unvisited
    partner can reach the current third best (or the floor). Equal to scoring every pair.
    """
    heap: list[tuple[float, str, bool, int]] = []
    reach_a: dict[str, tuple[float, bool]] = {}
    for t in scores.themes_of(a):
        if t not in streams:
            continue
        act = ctx.activity[a][t]
        reach_a[t] = ((act.strength * ctx.prominence(a)) ** 0.5, act.formal)
        for other_formal, stream in zip((True, False), streams[t], strict=True):
            if stream:
                form = FORMALITY[int(act.formal) + int(other_formal)]
                heapq.heappush(heap, (reach_a[t][0] * stream[0][0] * form, t, other_formal, 0))
    best: list[tuple[float, tuple[str, str]]] = []  # (-score, pair), sorted, at most N
    seen = {a}
    while heap:
        neg_bound, t, other_formal, i = heapq.heappop(heap)
        bound = -neg_bound * (1.0 + _BOUND_SLACK)
        cutoff = -best[-1][0] if len(best) >= PAIRS_PER_ACTOR else 0.0
        if bound < floor or bound < cutoff:
            break
        stream = streams[t][0 if other_formal else 1]
        b = stream[i][1]
        if i + 1 < len(stream):
            form = FORMALITY[int(reach_a[t][1]) + int(other_formal)]
            heapq.heappush(heap, (reach_a[t][0] * stream[i + 1][0] * form, t, other_formal, i + 1))
        if b in seen:
            continue
        seen.add(b)
        value = scores.value(a, b)
        if value is None:
            continue
        entry = (-value[0], (a, b) if a < b else (b, a))
        if len(best) < PAIRS_PER_ACTOR or entry < best[-1]:
            bisect.insort(best, entry)
            del best[PAIRS_PER_ACTOR:]
    return best


def _candidates(
    ctx: GapContext, themes: frozenset[str] | None, min_score: float
) -> dict[frozenset[str], Candidate]:
    """The candidate pairs the rule keeps: every pair a source speaks about, and each
    pair that is among the PAIRS_PER_ACTOR best of either of its actors.

    Ranking all candidate pairs (score descending, then names) and keeping a pair while
    either actor has fewer than PAIRS_PER_ACTOR kept pairs keeps exactly those: an actor's
    best N pairs are always kept (fewer than N of its pairs rank above them), so any later
    pair finds the actor at N. Only each actor's best N are searched for (``_top_pairs``),
    never all pairs of a theme; pairs below ``min_score`` cannot become findings.
    """
    scores = _PairScores(ctx, themes)
    streams = _bound_streams(ctx, scores)
    out: dict[frozenset[str], Candidate] = {}
    for a in sorted(scores.orgs):
        for _, (x, y) in _top_pairs(ctx, scores, streams, a, min_score):
            value = scores.value(x, y)
            assert value is not None
            out[frozenset((x, y))] = value
    for pair in ctx.negatives:
        x, y = sorted(pair)
        value = scores.value(x, y)
        if value is not None:
            out[pair] = value
    return out


def pair_findings(
    ctx: GapContext, themes: frozenset[str] | None, min_score: float = 0.0
) -> list[Finding]:
    """Pair findings scoring at least ``min_score``. The floor is applied before a finding is
    built: a theme with hundreds of actors has tens of thousands of candidate pairs."""
    candidates = _candidates(ctx, themes, min_score)

    findings: list[Finding] = []
    # Each pair's names sorted once: they are its order and its (a, b).
    named = sorted((tuple(sorted(pair)), pair) for pair in set(candidates) | set(ctx.negatives))
    for (a, b), pair in named:
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
            new_finding(
                id=finding_id(kind, (a, b), theme),
                kind=kind,
                actors=(ctx.ref(a), ctx.ref(b)),
                theme=theme,
                score=round(min(score, 1.0), 4),
                explanation=text,
                evidence=ctx.cited(evidence),
            )
        )
    return findings
