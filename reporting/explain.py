"""One finding -> the sentence the report prints under it, in the report's language.

analysis writes an English explanation with raw theme ids ("active in interviews on
community_safety"); the report instead builds its sentence from the finding's structure
(kind, actors, policies, theme, the kinds of documents its evidence comes from) and the
locale catalog, so names are labels, document kinds are what they are (a hearing is not an
interview), and a Spanish report says it in Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from analysis import Finding, GapKind
from analysis._context import level_group
from graph_schema.model import RelationKind, Subgraph

from .locale import Catalog

__all__ = ["ExplainContext", "explain"]


@dataclass(frozen=True)
class ExplainContext:
    """What a sentence needs from the theme's subgraph beyond the finding itself."""

    ties: nx.Graph
    levels: dict[str, str | None]  # actor id -> level
    stated_apart: frozenset[frozenset[str]]  # pairs a source says do not coordinate

    @classmethod
    def of(cls, sub: Subgraph, ties: nx.Graph) -> ExplainContext:
        return cls(
            ties=ties,
            levels={a.id: a.level for a in sub.actors},
            stated_apart=frozenset(
                frozenset((r.source, r.target))
                for r in sub.relations
                if r.kind == RelationKind.negative_coordination
            ),
        )


_SIDES = ("local", "national", "non_state")
_GOVERNMENT = frozenset({"local", "national"})


def _names(t: Catalog, names: list[str]) -> str:
    return t.join(names)


def _source_kinds(f: Finding, t: Catalog) -> str:
    from .text import kind_label

    kinds = sorted({e.document_kind for e in f.evidence if t.has(f"kind.{e.document_kind}")})
    return t.join(kind_label(k, t) for k in kinds) or t("explain.transcripts")


def _reaches_government(ties: nx.Graph, actor_id: str, levels: dict[str, str | None]) -> bool:
    if actor_id not in ties:
        return False
    return any(levels.get(n) in _GOVERNMENT for n in nx.node_connected_component(ties, actor_id))


def _level_disconnect(f: Finding, t: Catalog, theme: str) -> str:
    sides: dict[str, list[str]] = {}
    # The principal of each side first, then the others the finding names as context.
    for actor in (*f.actors, *f.context_actors):
        names = sides.setdefault(level_group(actor) or "other", [])
        if actor.name not in names:
            names.append(actor.name)
    order = sorted(sides, key=lambda s: _SIDES.index(s) if s in _SIDES else len(_SIDES))
    if len(order) != 2:
        return t(
            "explain.other",
            title=t(f"gap.{f.kind.value}.title"),
            actors=_names(t, [a.name for a in f.actors]),
        )
    a, b = order
    return t(
        "explain.level_disconnect",
        theme=theme,
        side_a=t(f"side.{a}"),
        names_a=_names(t, sides[a]),
        side_b=t(f"side.{b}"),
        names_b=_names(t, sides[b]),
    )


def explain(f: Finding, t: Catalog, theme: str, ctx: ExplainContext) -> str:
    """The finding's sentence; ``theme`` is the theme's name."""
    ties, levels = ctx.ties, ctx.levels
    on_theme = t("explain.on_theme", theme=theme) if theme else ""
    names = [a.name for a in f.actors]
    kind = f.kind
    if kind in (GapKind.shared_mandate_no_link, GapKind.negative_evidence) and len(names) == 2:
        key = f"explain.{kind.value}"
        if kind == GapKind.shared_mandate_no_link and frozenset(f.actor_ids) in ctx.stated_apart:
            key = "explain.shared_mandate_and_statement"
        return t(key, a=names[0], b=names[1], theme=theme, on_theme=on_theme)
    if kind == GapKind.level_disconnect:
        return _level_disconnect(f, t, theme)
    if kind == GapKind.single_point_of_failure and names:
        others = [a.name for a in f.context_actors if a.name not in names]
        if others:
            return t(
                "explain.single_point_of_failure",
                theme=theme,
                actor=names[0],
                others=_names(t, others),
            )
    if kind == GapKind.absent_from_policy and names:
        actor = f.actors[0]
        isolated = level_group(actor) == "non_state" and not _reaches_government(
            ties, actor.id, levels
        )
        key = "explain.absent_and_isolated" if isolated else "explain.absent_from_policy"
        return t(key, actor=actor.name, sources=_source_kinds(f, t), on_theme=on_theme)
    if kind == GapKind.policy_without_implementer and f.policies:
        return t(
            "explain.policy_without_implementer",
            policy=_names(t, [p.name for p in f.policies]),
            owners=_names(t, names) or t("actor.none"),
            on_theme=on_theme,
        )
    if kind == GapKind.isolated_actor and names:
        actor_id = f.actors[0].id
        key = (
            "explain.isolated_no_tie"
            if actor_id not in ties or ties.degree(actor_id) == 0
            else "explain.isolated_indirect"
        )
        return t(key, actor=names[0], on_theme=on_theme)
    return t(
        "explain.other",
        title=t(f"gap.{kind.value}.title"),
        actors=_names(t, names) or t("actor.none"),
    )
