"""Scores one extraction run against one gold corpus (bench/corpora.py): the metrics every
evaluation script and the decision training share.

A predicted entity matches a gold one when one of its names equals one of the gold names or
aliases under ``norm_name`` (case-insensitive except all-caps acronyms, no leading article,
optional plural "s"). Predicted actors whose every name is one of the corpus' optional names
(real_documents' ``optional_actors``) are neither credited nor penalised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bench.corpora import Corpus, norm_name
from graph_schema.model import SYMMETRIC_KINDS, Label, RelationKind
from nlp import ExtractionRun

__all__ = ["SYMMETRIC", "Score", "gold_index", "match_entity", "prf", "score_run"]

SYMMETRIC = {k.value for k in SYMMETRIC_KINDS}  # gold kinds are plain strings

PRF = tuple[float, float, float, int, int]  # precision, recall, F1, predicted, gold


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def gold_index(items: Iterable[dict[str, Any]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in items:
        names = [item.get("canonical_name") or item.get("name"), *item.get("aliases", [])]
        for n in names:
            if isinstance(n, str) and n:
                index.setdefault(norm_name(n), str(item["id"]))
    return index


def match_entity(names: Iterable[str], index: dict[str, str]) -> str | None:
    hits = Counter(index[norm_name(n)] for n in names if norm_name(n) in index)
    return hits.most_common(1)[0][0] if hits else None


@dataclass
class Score:
    """Every figure of one corpus; ``rows()`` renders them for the markdown tables."""

    corpus: str
    actors: PRF
    type_acc: float
    level_acc: float
    policies: PRF
    relations: PRF
    actor_relations: PRF  # actor-actor ties only (no policy/programme endpoint)
    affiliations: PRF
    policy_themes: PRF
    gap_actor_themes: tuple[float, int]  # recall over (gap core actor, gap theme)
    relations_by_kind: dict[str, PRF] = field(default_factory=dict)
    to_gold: dict[str, str | None] = field(default_factory=dict)
    gold_rel: set[tuple[str, str | None, str | None]] = field(default_factory=set)
    pred_rel: set[tuple[str, str | None, str | None]] = field(default_factory=set)

    def headline(self) -> dict[str, float]:
        return {
            "actor P": self.actors[0],
            "actor R": self.actors[1],
            "actor F1": self.actors[2],
            "level acc": self.level_acc,
            "type acc": self.type_acc,
            "actor-actor rel P": self.actor_relations[0],
            "actor-actor rel F1": self.actor_relations[2],
            "all rel F1": self.relations[2],
            "policy F1": self.policies[2],
        }


def rel_key(kind: str, a: str | None, b: str | None) -> tuple[str, str | None, str | None]:
    if kind in SYMMETRIC and a and b and b < a:
        a, b = b, a
    return kind, a, b


def _prf_sets(gold: set[Any], pred: set[Any]) -> PRF:
    return (*prf(len(gold & pred), len(pred), len(gold)), len(pred), len(gold))


def score_run(corpus: Corpus, run: ExtractionRun) -> Score:
    gold = corpus.gold
    actors_gold = [a for a in gold["actors"] if a["type"] != "person"]
    people_gold = [a for a in gold["actors"] if a["type"] == "person"]
    pol_gold = gold["policies_programmes"]
    a_index, p_index = gold_index(actors_gold), gold_index(pol_gold)
    person_index = gold_index(people_gold)
    gold_by_id = {a["id"]: a for a in actors_gold}

    to_gold: dict[str, str | None] = {}
    optional: set[str] = set()
    for e in run.entities:
        names = [e.name, *e.aliases]
        if e.label is Label.Actor:
            to_gold[e.id] = match_entity(names, a_index)
            if not to_gold[e.id] and any(norm_name(n) in corpus.optional_names for n in names):
                optional.add(e.id)
        elif e.label is Label.Person:
            to_gold[e.id] = match_entity(names, person_index)
        elif e.label in (Label.Policy, Label.Programme):
            to_gold[e.id] = match_entity(names, p_index)
    actors = [e for e in run.entities if e.label is Label.Actor and e.id not in optional]
    pols = [e for e in run.entities if e.label in (Label.Policy, Label.Programme)]

    matched = [e for e in actors if to_gold[e.id]]
    found = {to_gold[e.id] for e in matched}
    p = len(matched) / len(actors) if actors else 0.0
    r = len(found) / len(actors_gold) if actors_gold else 0.0
    actors_prf: PRF = (p, r, 2 * p * r / (p + r) if p + r else 0.0, len(actors), len(actors_gold))
    g_of = {e.id: gold_by_id[str(to_gold[e.id])] for e in matched}
    type_acc = sum(e.properties.get("type") == g_of[e.id]["type"] for e in matched)
    level_acc = sum(e.properties.get("level") == g_of[e.id]["level"] for e in matched)

    pm = [e for e in pols if to_gold[e.id]]
    p2 = len(pm) / len(pols) if pols else 0.0
    r2 = len({to_gold[e.id] for e in pm}) / len(pol_gold) if pol_gold else 0.0
    pol_prf: PRF = (p2, r2, 2 * p2 * r2 / (p2 + r2) if p2 + r2 else 0.0, len(pols), len(pol_gold))

    gold_rel = {rel_key(r["type"], r["source"], r["target"]) for r in gold["relations"]}
    kinds = sorted({k for k, _, _ in gold_rel})
    pred_rel: set[tuple[str, str | None, str | None]] = set()
    actor_ids = {e.id for e in actors}
    pred_aa: set[tuple[str, str | None, str | None]] = set()
    for b in run.batches:
        for rel in b.relations:
            # a mandate on a theme is theme holding, not a tie; the gold ties actors/policies
            if rel.target_label is Label.Theme or rel.kind.value in {"works_on", "addresses"}:
                continue
            if rel.kind is RelationKind.member_of or rel.kind.value == "located_in":
                continue
            k = rel_key(
                rel.kind.value,
                to_gold.get(rel.source_id) or rel.source_id,
                to_gold.get(rel.target_id) or rel.target_id,
            )
            if rel.kind.value in kinds:
                pred_rel.add(k)
            if rel.source_id in actor_ids and rel.target_id in actor_ids:
                pred_aa.add(k)
    org_ids = set(gold_by_id)
    gold_aa = {k for k in gold_rel if k[1] in org_ids and k[2] in org_ids}
    by_kind = {
        k: _prf_sets({x for x in gold_rel if x[0] == k}, {x for x in pred_rel if x[0] == k})
        for k in kinds
    }
    gold_aff = {(str(a["id"]), str(a["affiliation"])) for a in people_gold if a.get("affiliation")}
    pred_aff = {
        (to_gold.get(r.source_id) or r.source_id, to_gold.get(r.target_id) or r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.member_of and r.source_label is Label.Person
    }
    # themes: policies' themes (addresses) against the gold, and whether the core actors of
    # each planted gap hold the gap's theme (works_on, or a mandate on it): recall only, the
    # gold lists no complete actor themes
    gold_pt = {(str(pp["id"]), t) for pp in pol_gold for t in pp.get("themes", [])}
    pred_pt = {
        (to_gold.get(r.source_id) or r.source_id, r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.addresses
    }
    gold_at = {
        (str(a), str(g["theme"]))
        for g in gold.get("gaps", [])
        for a in g["actors"]
        if str(a) in org_ids and g.get("theme")
    }
    pred_at = {
        (to_gold.get(r.source_id) or r.source_id, r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.works_on
        or (r.kind is RelationKind.mandate and r.target_label is Label.Theme)
    }
    return Score(
        corpus=corpus.name,
        policy_themes=_prf_sets(gold_pt, pred_pt),
        gap_actor_themes=(len(gold_at & pred_at) / len(gold_at) if gold_at else 0.0, len(gold_at)),
        actors=actors_prf,
        type_acc=type_acc / len(matched) if matched else 0.0,
        level_acc=level_acc / len(matched) if matched else 0.0,
        policies=pol_prf,
        relations=_prf_sets(gold_rel, pred_rel),
        actor_relations=_prf_sets(gold_aa, pred_aa),
        affiliations=_prf_sets(gold_aff, pred_aff),
        relations_by_kind=by_kind,
        to_gold=to_gold,
        gold_rel=gold_rel,
        pred_rel=pred_rel,
    )
