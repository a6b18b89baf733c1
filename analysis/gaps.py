"""Coordination-gap findings: run every rule, merge overlapping stories, filter and rank.

The rules live in small modules (``_pairs``, ``_structure``, ``_actors``); their scoring is
written down in docs/gaps.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_schema.model import EvidenceView, Subgraph
from graph_schema.plain import PlainSubgraph

from ._actors import absent_from_policy_findings, isolated_findings, unimplemented_findings
from ._context import GapContext, level_group
from ._context_cache import context_for, contexts_released
from ._gc import collector_paused
from ._pairs import pair_findings
from ._structure import (
    level_disconnect_findings,
    person_single_point_findings,
    single_point_findings,
)
from .model import ActorRef, Finding, GapFilters, GapKind

__all__ = ["find_gaps", "selected_documents"]


def selected_documents(
    subgraph: Subgraph | PlainSubgraph, filters: GapFilters
) -> frozenset[str] | None:
    """The document set the analysis may cite, or None for all of them."""
    if filters.document_ids is None and filters.document_kinds is None:
        return None
    chosen = {d.id for d in subgraph.documents}
    if filters.document_ids is not None:
        chosen &= filters.document_ids
    if filters.document_kinds is not None:
        chosen &= {d.id for d in subgraph.documents if d.kind in filters.document_kinds}
    return frozenset(chosen)


def _across(group: Finding, pair: Finding) -> bool:
    """Both actors of ``pair`` sit on opposite sides of the ``group`` disconnect."""
    members = {a.id: a for a in (*group.actors, *group.context_actors)}
    a, b = pair.actor_ids
    return a in members and b in members and level_group(members[a]) != level_group(members[b])


def _drop_repeated_stories(findings: list[Finding]) -> list[Finding]:
    """One story, one finding (docs/gaps.md, "Deduplication").

    * A pair across a level disconnect on the same theme is part of that disconnect, which
      cites its evidence; an explicit non-coordination statement across it too, when the
      statement is about that theme (the theme its pair most shares, which is the theme of
      the negative_evidence finding): the disconnect quotes it. A statement about another
      theme is not cited there, so it stays a finding of its own.
    * A statement that a government actor does not work with an isolated non-state actor
      is cited by the isolated_actor finding.
    * A disconnect between exactly the two actors of a non-coordination statement is that
      statement's story: the source says it outright, so the negative_evidence finding
      stands and the disconnect, which adds no one, goes.
    """
    stated = {frozenset(f.actor_ids) for f in findings if f.kind == GapKind.negative_evidence}
    groups = [
        f
        for f in findings
        if f.kind == GapKind.level_disconnect and frozenset(a.id for a in f.actors) not in stated
    ]
    isolated = {f.actor_ids[0] for f in findings if f.kind == GapKind.isolated_actor}
    kept: list[Finding] = []
    for f in findings:
        if f.kind == GapKind.level_disconnect and frozenset(a.id for a in f.actors) in stated:
            continue
        if f.kind == GapKind.shared_mandate_no_link and any(
            g.theme == f.theme and _across(g, f) for g in groups
        ):
            continue
        if f.kind == GapKind.negative_evidence and (
            any(g.theme == f.theme and _across(g, f) for g in groups) or set(f.actor_ids) & isolated
        ):
            continue
        kept.append(f)
    return kept


def _merge_absent_and_isolated(findings: list[Finding]) -> list[Finding]:
    """An actor both absent from policy and isolated is one story: absent_from_policy.

    Absence from policy is the more informative fact (only a comparison of interviews
    with the policy documents shows it, and it says where to act: the plans); isolation is
    added to its explanation, evidence and score (the larger of the two) instead of being
    a second finding about the same actor.
    """
    isolated = {f.actor_ids[0]: f for f in findings if f.kind == GapKind.isolated_actor}
    absent = {f.actor_ids[0] for f in findings if f.kind == GapKind.absent_from_policy}
    out: list[Finding] = []
    for f in findings:
        if f.kind == GapKind.isolated_actor and f.actor_ids[0] in absent:
            continue
        if f.kind == GapKind.absent_from_policy and f.actor_ids[0] in isolated:
            iso = isolated[f.actor_ids[0]]
            seen = {e.passage_id for e in f.evidence}
            f = f.model_copy(
                update={
                    "score": max(f.score, iso.score),
                    "theme": f.theme or iso.theme,
                    "explanation": f.explanation.rstrip(".") + ", and it has no tie to any "
                    "government actor.",
                    "evidence": f.evidence
                    + tuple(e for e in iso.evidence if e.passage_id not in seen),
                }
            )
        out.append(f)
    return out


_PAIR_KINDS = frozenset({GapKind.shared_mandate_no_link, GapKind.negative_evidence})


@dataclass
class _Stories:
    """The pair stories around one actor (of one kind, on one theme): each member of a
    story's far-side group -> the first (lowest-index) story whose group holds it."""

    first_story: dict[str, int] = field(default_factory=dict)

    def add(self, story: int, member: str) -> None:
        # A member can join an older story after starting a newer one: keep the first.
        self.first_story[member] = min(story, self.first_story.get(member, story))


def _merge_pair_stories(ctx: GapContext, findings: list[Finding]) -> list[Finding]:
    """Pairs of one kind on one theme that share an actor X, and whose other actors are tied
    to each other, are one story: X and that group ("the recovery house has no link to the
    treatment service nor to the ministry that mandates it"). The strongest pair names it;
    the others' actors become its context and their evidence is cited."""
    ranked = sorted(findings, key=lambda x: (-x.score, x.kind.value, x.id))
    # (kind, theme, shared actor) -> its stories, indexed by group member: the first story
    # with a member tied to the new pair's other actor is a lookup per tie, not a scan of
    # every story of the actor.
    stories: dict[tuple[GapKind, str | None, str], _Stories] = {}
    cited: dict[int, set[tuple[str, str]]] = {}
    named: dict[int, set[str]] = {}
    grows: dict[int, tuple[list[ActorRef], list[EvidenceView]]] = {}
    out: list[Finding] = []
    for f in ranked:
        if f.kind not in _PAIR_KINDS or len(f.actors) != 2:
            out.append(f)
            continue
        a, b = f.actor_ids
        home: tuple[int, _Stories] | None = None
        for x, y in ((a, b), (b, a)):
            known_stories = stories.get((f.kind, f.theme, x))
            if known_stories is not None:
                first = known_stories.first_story
                hits = [first[z] for z in ctx.neighbours.get(y, frozenset()) if z in first]
                if hits:
                    home = (min(hits), known_stories)
                    break
        if home is None:
            for x, y in ((a, b), (b, a)):
                stories.setdefault((f.kind, f.theme, x), _Stories()).add(len(out), y)
            out.append(f)
            continue
        i, group_of = home
        story = out[i]
        other = b if b not in story.actor_ids else a
        group_of.add(i, other)
        # What the story cites and names so far, kept per story instead of re-read from
        # its growing evidence on every merge.
        if i not in cited:
            cited[i] = {(e.passage_id, e.quote) for e in story.evidence}
            named[i] = {x.id for x in (*story.actors, *story.context_actors)}
        seen, known = cited[i], named[i]
        joining = [x for x in f.actors if x.id not in known]
        quoted = [e for e in f.evidence if (e.passage_id, e.quote) not in seen]
        known.update(x.id for x in joining)
        seen.update((e.passage_id, e.quote) for e in quoted)
        # Gathered, and the story copied once at the end: a copy per merge made a story of
        # k pairs cost k copies of its growing evidence.
        grown = grows.setdefault(i, ([], []))
        grown[0].extend(joining)
        grown[1].extend(quoted)
    for i, (joined, quotes) in grows.items():
        story = out[i]
        out[i] = story.model_copy(
            update={
                "context_actors": story.context_actors + tuple(joined),
                "evidence": story.evidence + tuple(quotes),
            }
        )
    return out


def _level_ok(finding: Finding, pair: tuple[str, str]) -> bool:
    levels = {a.level for a in finding.actors}
    if not levels:
        return True  # policy-centred finding without a named actor
    if len(finding.actors) == 1:
        return levels <= set(pair)
    return levels == set(pair)


def find_gaps(
    subgraph: Subgraph | PlainSubgraph, *, filters: GapFilters | None = None
) -> list[Finding]:
    """Ranked coordination-gap findings (best first) for a subgraph: the validated one, or
    its plain data (a cut of the analytic view, graph_schema/plain.py), which the rules
    read either way."""
    with collector_paused(), contexts_released():
        return _find_gaps(subgraph, filters)


def _find_gaps(subgraph: Subgraph | PlainSubgraph, filters: GapFilters | None) -> list[Finding]:
    f = filters or GapFilters()
    ctx = context_for(
        subgraph, min_confidence=f.min_confidence, document_ids=selected_documents(subgraph, f)
    )
    themes = f.themes
    findings = [
        *pair_findings(ctx, themes, f.min_score),
        *level_disconnect_findings(ctx, themes),
        *single_point_findings(ctx, themes),
        *person_single_point_findings(ctx, themes),
        *isolated_findings(ctx, themes),
        *absent_from_policy_findings(ctx, themes),
        *unimplemented_findings(ctx, themes),
    ]
    findings = _merge_absent_and_isolated(_drop_repeated_stories(findings))
    kept = [
        x
        for x in findings
        if x.score >= f.min_score
        and (f.kinds is None or x.kind in f.kinds)
        and (themes is None or x.theme in themes)
        and (f.level_pair is None or _level_ok(x, f.level_pair))
    ]
    # After the filters: a story only gathers pairs the analyst asked for.
    kept = _merge_pair_stories(ctx, kept)
    kept.sort(key=lambda x: (-x.score, x.kind.value, x.id))
    return kept[: f.limit] if f.limit is not None else kept
