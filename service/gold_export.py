"""The analysts' reviewed facts as evaluation gold, in the scenario gold format
(../shared/corpus/scenario-dev/README.md: ``files``, ``actors``, ``policies_programmes``,
``relations``), so that a team's corrections can score the extraction:
``bench/eval_extraction.py --gold OUT.json``.

What goes in: every actor an accept decision is in force on (with its name, type and level
as edited), every accepted relation with its most confident quote, and the ends of those
relations that nobody rejected (accepting "X funds Y" says X and Y are actors; a relation
with a rejected end is left out). Policies and programmes are the accepted relations' ends.
``files`` are the source paths of the documents those facts come from. An actor a review
merged into another is that one (``_merged_as_targets``). Rejected actors are
listed apart (``rejected_actors``, names only): they are not gold, and a scorer may use them
as known false positives. The gold is only as complete as the review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govgraph.errors import GovgraphError
from graph_schema import queries as q
from graph_schema.catalog import evidence_for
from graph_schema.decisions import REJECTED, TargetKind, list_decisions
from graph_schema.model import KIND_OF_REL_TYPE, Label
from graph_schema.reader import list_documents
from graph_schema.review_reads import accepted_nodes, accepted_relations, nodes_by_ids
from graph_schema.store import GraphStore

__all__ = ["GoldExportError", "export_gold", "reviewed_gold"]

_ACTOR_LABELS = (Label.Actor, Label.Person)
_POLICY_LABELS = (Label.Policy, Label.Programme)
_ALL = 1_000_000


class GoldExportError(GovgraphError):
    pass


def _files(doc_ids: Any, paths: dict[str, str]) -> list[str]:
    return sorted({paths[d] for d in doc_ids or () if d in paths})


def _actor(node: dict[str, Any], label: Label, paths: dict[str, str]) -> dict[str, Any]:
    name = str(node["name"])
    return {
        "id": node["id"],
        "canonical_name": name,
        "aliases": sorted({a for a in node.get("aliases") or () if a != name}),
        # The scenario gold types a role holder "person".
        "type": "person" if label is Label.Person else node.get("type"),
        "level": node.get("level"),
        "mentioned_in": _files(node.get("doc_ids"), paths),
    }


def reviewed_gold(store: GraphStore) -> dict[str, Any]:
    """The reviewed facts of the store as a scenario gold document."""
    paths = {str(d["id"]): str(d["source_path"]) for d in list_documents(store, limit=_ALL)[0]}
    actors: dict[str, dict[str, Any]] = {}
    for label in _ACTOR_LABELS:
        for node in accepted_nodes(store, label):
            actors[node["id"]] = _actor(node, label, paths)
    relations = accepted_relations(store)
    wanted: dict[Label, set[str]] = {label: set() for label in (*_ACTOR_LABELS, *_POLICY_LABELS)}
    for r in relations:
        for label, ident in ((r.source_label, r.source_id), (r.target_label, r.target_id)):
            if label in wanted and ident not in actors:
                wanted[label].add(ident)
    policies: dict[str, dict[str, Any]] = {}
    for label, ids in wanted.items():
        for node in accepted_nodes(store, label, sorted(ids)):
            if label in _ACTOR_LABELS:
                actors[node["id"]] = _actor(node, label, paths)
            else:
                policies[node["id"]] = {
                    "id": node["id"],
                    "name": node["name"],
                    "aliases": sorted({a for a in node.get("aliases") or () if a != node["name"]}),
                    "kind": node.get("kind"),
                    "owner_actor_ids": [],
                    "themes": [],
                    "mentioned_in": _files(node.get("doc_ids"), paths),
                }
    evidence = evidence_for(store, [r.key for r in relations]) if relations else {}
    gold_relations = []
    for n, r in enumerate(sorted(relations, key=lambda r: r.key), 1):
        ends_known = all(
            label not in wanted or ident in actors or ident in policies
            for label, ident in ((r.source_label, r.source_id), (r.target_label, r.target_id))
        )
        quotes = sorted(evidence.get(r.key, ()), key=lambda e: (-e.confidence, e.passage_id))
        if not ends_known or not quotes:
            continue  # an end rejected, or its evidence gone
        kind = KIND_OF_REL_TYPE[r.rel_type].value
        if kind == "implements" and r.target_id in policies and r.source_id in actors:
            policies[r.target_id]["owner_actor_ids"].append(r.source_id)
        gold_relations.append(
            {
                "id": f"r{n:03d}",
                "source": r.source_id,
                "target": r.target_id,
                "type": kind,
                "evidence_file": paths.get(quotes[0].document_id, quotes[0].document_id),
                "evidence_quote": quotes[0].quote,
                "graph_key": r.key,
            }
        )
    gold_relations = _merged_as_targets(store, actors, gold_relations, paths)
    rejected = _rejected_actors(store)
    used = {f for a in actors.values() for f in a["mentioned_in"]}
    used |= {f for p in policies.values() for f in p["mentioned_in"]}
    used |= {r["evidence_file"] for r in gold_relations}
    return {
        "description": "Reviewed facts exported from govgraph (govgraph decisions export).",
        "files": sorted(used),
        "actors": [actors[i] for i in sorted(actors)],
        "policies_programmes": [policies[i] for i in sorted(policies)],
        "relations": gold_relations,
        "gaps": [],
        "non_gaps": [],
        "rejected_actors": rejected,
    }


def _merged_as_targets(
    store: GraphStore,
    actors: dict[str, dict[str, Any]],
    relations: list[dict[str, Any]],
    paths: dict[str, str],
) -> list[dict[str, Any]]:
    """A review's merges in the gold (graph_schema/actor_merge_decisions): an actor merged
    into another is that one, its names among the target's aliases, its files among the
    target's; a relation end that was a merged actor is the target, and a tie between the
    two is left out. ``actors`` is changed in place; the relations are returned."""
    merges = {str(r["id"]): str(r["into"]) for r in store.read(q.MERGED_ACTORS)}
    merges = {i: into for i, into in merges.items() if i in actors or _ends(relations, i)}
    if not merges:
        return relations
    for label in _ACTOR_LABELS:
        missing = sorted({into for into in merges.values() if into not in actors})
        for node in accepted_nodes(store, label, missing):
            actors[node["id"]] = _actor(node, label, paths)
    merges = {i: into for i, into in merges.items() if into in actors}  # a target rejected
    for merged_id, into in sorted(merges.items()):
        merged, target = actors.pop(merged_id, None), actors[into]
        if merged is None:
            continue
        names = {merged["canonical_name"], *merged["aliases"], *target["aliases"]}
        target["aliases"] = sorted(names - {target["canonical_name"]})
        target["mentioned_in"] = sorted({*target["mentioned_in"], *merged["mentioned_in"]})
    folded = []
    for r in relations:
        source, target_id = (
            merges.get(r["source"], r["source"]),
            merges.get(r["target"], r["target"]),
        )
        if source != target_id:
            folded.append({**r, "source": source, "target": target_id})
    return folded


def _ends(relations: list[dict[str, Any]], actor_id: str) -> bool:
    return any(actor_id in (r["source"], r["target"]) for r in relations)


def _rejected_actors(store: GraphStore) -> list[dict[str, Any]]:
    decided, _ = list_decisions(store, target_kind=TargetKind.actor, limit=_ALL)
    ids = sorted({d["target_id"] for d in decided})
    out = []
    for label in _ACTOR_LABELS:
        for row in store.read(nodes_by_ids(label), {"ids": ids}):
            if row["node"].get("review") == REJECTED:
                out.append({"id": row["node"]["id"], "name": row["node"]["name"]})
    return sorted(out, key=lambda a: a["id"])


def export_gold(store: GraphStore, out: Path) -> dict[str, int]:
    """Write the reviewed gold to ``out``; how many actors, relations, documents it holds."""
    gold = reviewed_gold(store)
    try:
        out.write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise GoldExportError(f"Could not write {out}: {exc.strerror}") from exc
    return {
        "actors": len(gold["actors"]),
        "relations": len(gold["relations"]),
        "policies_programmes": len(gold["policies_programmes"]),
        "documents": len(gold["files"]),
        "rejected_actors": len(gold["rejected_actors"]),
    }
