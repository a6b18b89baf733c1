"""A snapshot's cuts for the common question, read off indexes built once per snapshot.

Most questions (/gaps?theme=, /network/metrics?theme=, with or without ``min_confidence``
or ``levels``) allow every document, and most graphs have no review merge. For those the
cut (``GraphSnapshot.facts``, reader.py) did per relation what never changes between
questions on one snapshot: a relation's kind lookup, whether its documents are in the
graph and an analyst rejected it, its plain form, each through a dict row: ~100 ms per
theme at 5,000 actors. ``CutIndex`` holds those answers per relation and per node, so a
cut is a walk over compact tuples (a confidence, an end, a flag, the plain relation).

``cut`` returns exactly ``_assemble``'s result for such a filter (tests compare both with
the store's read); any document filter, or a graph with merges, takes the general path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any, NamedTuple

from .decisions import REJECTED
from .model import DocumentView, Label, RelationKind
from .plain import PlainActor, PlainPolicy, PlainRelation, PlainSubgraph

__all__ = ["CutIndex"]

_ACTOR_LABELS = (Label.Actor, Label.Person)
_POLICY_LABELS = (Label.Policy, Label.Programme)
_KINDS = {k.value for k in RelationKind}
# = reader.THEME_KINDS and the seed's kinds (ACTORS_ON_THEME, POLICIES_ON_THEME)
_THEME_KINDS = {
    RelationKind.works_on.value,
    RelationKind.mandate.value,
    RelationKind.addresses.value,
}
_ACTOR_SEED_KINDS = {RelationKind.works_on.value, RelationKind.mandate.value}
_POLICY_SEED_KIND = RelationKind.addresses.value


class _Kept(NamedTuple):
    """A relation a cut may keep (known kind, in the graph's documents, not rejected)."""

    confidence: float
    target: str
    theme_kind: bool  # kept with an absent target: the source's theme
    fact: PlainRelation


_key = itemgetter(0)  # a PlainRelation's key: = _assemble's order


Rows = Mapping[str, Mapping[str, Any]]
Facts = Mapping[str, tuple[Mapping[str, Any], PlainRelation]]
PlainOf = Callable[[Mapping[str, Any]], PlainRelation]


class CutIndex:
    """Per snapshot: the walk's ends (every relation), the keepable relations by source
    with their plain form, and each node's fields with every document allowed.

    ``facts``: the snapshot's ``whole`` entries (row, plain relation); ``plain`` builds the
    plain relation of a row that has none there (reader._plain_relation, every document
    allowed). ``refreshed`` derives the next state's index from this one."""

    def __init__(
        self,
        documents: Iterable[DocumentView],
        nodes: Mapping[Label, Rows],
        relations: Iterable[Mapping[str, Any]],
        facts: Facts,
        plain: PlainOf,
    ) -> None:
        self._documents(documents)
        # node id -> an actor (True), a policy (False) or neither (None): the first label
        # holding the id, as GraphSnapshot._label_of reads it
        self.seed_label: dict[str, bool | None] = {}
        self.actors: dict[str, tuple[Any, ...]] = {}  # kept actor -> PlainActor less themes
        self.policies: dict[str, tuple[Any, ...]] = {}  # kept policy -> PlainPolicy less themes
        for i in {i for by_id in nodes.values() for i in by_id}:
            self._node(nodes, i)
        self.persons = frozenset(nodes.get(Label.Person, {}))
        self.into: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
        self.out_of: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.kept: dict[str, list[_Kept]] = defaultdict(list)
        for r in relations:
            self._add(r, facts, plain)
        self._freeze()

    @classmethod
    def refreshed(
        cls,
        old: CutIndex,
        documents: Iterable[DocumentView],
        old_nodes: Mapping[Label, Rows],
        nodes: Mapping[Label, Rows],
        old_relations: Rows,
        relations: Rows,
        touched: Iterable[str],
        facts: Facts,
        plain: PlainOf,
    ) -> CutIndex:
        """The index of the state a refresh made from ``old``'s: its nodes whose row is not
        the old state's object are read again, and the ``touched`` relations (replaced or
        dropped) leave and come back. A node or relation the refresh kept is as before,
        documents included: a refresh re-reads every fact of a written or deleted document
        (graph_schema/view.py), so the changed documents touch only what it re-read."""
        new = cls.__new__(cls)
        new._documents(documents)
        new.seed_label, new.actors, new.policies = (
            dict(old.seed_label),
            dict(old.actors),
            dict(old.policies),
        )
        changed: set[str] = set()
        for label in {*old_nodes, *nodes}:
            before, after = old_nodes.get(label, {}), nodes.get(label, {})
            changed.update(i for i, n in after.items() if before.get(i) is not n)
            changed.update(i for i in before if i not in after)
        for i in changed:
            new.seed_label.pop(i, None)
            new.actors.pop(i, None)
            new.policies.pop(i, None)
            new._node(nodes, i)
        new.persons = frozenset(nodes.get(Label.Person, {}))
        new.into, new.out_of, new.kept = dict(old.into), dict(old.out_of), dict(old.kept)
        indexes: tuple[dict[str, list[Any]], ...] = (new.into, new.out_of, new.kept)
        copied: set[tuple[int, str]] = set()  # (which index, node): lists copied on write

        def own(index: dict[str, list[Any]], node: str) -> list[Any]:
            which = next(n for n, x in enumerate(indexes) if x is index)
            if (which, node) not in copied:
                copied.add((which, node))
                index[node] = list(index.get(node, ()))
            return index[node]

        for key in touched:
            r = old_relations.get(key)
            if r is not None:
                own(new.into, r["target"]).remove((r["confidence"], r["source"], r["kind"]))
                own(new.out_of, r["source"]).remove((r["confidence"], r["target"]))
                if any(e.fact.key == key for e in new.kept.get(r["source"], ())):
                    mine = own(new.kept, r["source"])
                    mine[:] = [e for e in mine if e.fact.key != key]
        for key in touched:
            r = relations.get(key)
            if r is not None:
                for index, node in ((new.into, r["target"]), (new.out_of, r["source"])):
                    own(index, node)
                if new._keepable(r):
                    own(new.kept, r["source"])
                new._add(r, facts, plain)
        for which, node in copied:
            if not indexes[which][node]:
                del indexes[which][node]
        return new

    def _documents(self, documents: Iterable[DocumentView]) -> None:
        self.documents = tuple(documents)
        self._every = frozenset(d.id for d in self.documents)

    def _supported(self, doc_ids: Iterable[str] | None) -> bool:
        return not self._every.isdisjoint(doc_ids or ())

    def _node(self, nodes: Mapping[Label, Rows], i: str) -> None:
        """Index node ``i`` under the labels ``nodes`` holds it by (absent: nothing)."""
        for label, by_id in nodes.items():
            if i in by_id:
                is_actor = label in _ACTOR_LABELS or (False if label in _POLICY_LABELS else None)
                self.seed_label.setdefault(i, is_actor)
        for label in (*_ACTOR_LABELS, *_POLICY_LABELS):
            n = nodes.get(label, {}).get(i)
            if n is None or not self._supported(n.get("doc_ids")):
                continue
            doc_ids = tuple(sorted(set(n.get("doc_ids") or ()) & self._every))
            aliases = tuple(n.get("aliases") or ())
            name = n.get("name", i)
            if label in _POLICY_LABELS:
                self.policies[i] = (i, name, label.value, n.get("kind"), aliases, doc_ids)
            elif n.get("review") != REJECTED:
                # = _assemble: Person whenever the id is held as a Person
                shown = Label.Person if i in nodes.get(Label.Person, {}) else Label.Actor
                level = n.get("level")
                self.actors[i] = (i, name, shown.value, n.get("type"), level, aliases, doc_ids)

    def _keepable(self, r: Mapping[str, Any]) -> bool:
        return (
            r["kind"] in _KINDS
            and r.get("review") != REJECTED
            and self._supported(r.get("doc_ids"))
        )

    def _add(self, r: Mapping[str, Any], facts: Facts, plain: PlainOf) -> None:
        source, target, confidence, kind = r["source"], r["target"], r["confidence"], r["kind"]
        self.into[target].append((confidence, source, kind))
        self.out_of[source].append((confidence, target))
        if self._keepable(r):
            entry = facts.get(r["key"])
            fact = entry[1] if entry is not None and entry[0] is r else plain(r)
            self.kept[source].append(_Kept(confidence, target, kind in _THEME_KINDS, fact))

    def _freeze(self) -> None:
        # Plain dicts from here (a defaultdict lookup of a missing node would add it).
        self.into, self.out_of, self.kept = dict(self.into), dict(self.out_of), dict(self.kept)

    def seed(self, theme: str, least: float) -> set[str]:
        """= ACTORS_ON_THEME and POLICIES_ON_THEME."""
        label = self.seed_label
        out = set()
        for confidence, source, kind in self.into.get(theme, ()):
            if confidence < least:
                continue
            is_actor = label.get(source)
            if (kind in _ACTOR_SEED_KINDS and is_actor is True) or (
                kind == _POLICY_SEED_KIND and is_actor is False
            ):
                out.add(source)
        return out

    def neighbourhood(self, seed: set[str], least: float) -> set[str]:
        """The seed and every end of a relation touching it (= _relations_touching)."""
        wanted = set(seed)
        into, out_of = self.into, self.out_of
        for x in seed:
            for confidence, target in out_of.get(x, ()):
                if confidence >= least:
                    wanted.add(target)
            for confidence, source, _ in into.get(x, ()):
                if confidence >= least:
                    wanted.add(source)
        return wanted

    def cut(
        self, wanted: Iterable[str] | None, least: float, levels: frozenset[str] | None
    ) -> PlainSubgraph:
        """= _assemble for these nodes (None: all), every document allowed, no merges."""
        actors, policies, persons = self.actors, self.policies, self.persons
        if wanted is None:
            actor_ids = list(actors)
            policy_ids = list(policies)
        else:
            actor_ids = [i for i in wanted if i in actors]
            policy_ids = [i for i in wanted if i in policies]
        if levels is not None:
            actor_ids = [i for i in actor_ids if i in persons or actors[i][4] in levels]
        present = set(actor_ids)
        present.update(policy_ids)
        facts: list[PlainRelation] = []
        append = facts.append
        themes: dict[str, set[str]] = {}
        kept = self.kept
        for i in present:
            # unpacked, not read by field name: ~250k entries per theme at 50k actors
            for confidence, target, theme_kind, fact in kept.get(i, ()):
                if confidence < least:
                    continue
                if target in present:
                    append(fact)
                elif theme_kind:
                    append(fact)
                    found = themes.get(i)
                    if found is None:
                        found = themes[i] = set()
                    found.add(target)
        facts.sort(key=_key)
        no_themes: tuple[str, ...] = ()

        def themes_of(i: str) -> tuple[str, ...]:
            return tuple(sorted(themes[i])) if i in themes else no_themes

        return PlainSubgraph(
            documents=self.documents,
            actors=tuple(PlainActor._make((*actors[i], themes_of(i))) for i in sorted(actor_ids)),
            policies=tuple(
                PlainPolicy._make((*policies[i], themes_of(i))) for i in sorted(policy_ids)
            ),
            relations=tuple(facts),
        )
