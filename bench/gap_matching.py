"""Match coordination-gap findings against gold gaps (scenario-dev gold.json format).

Shared by bench/eval_gaps_oracle.py (analysis on gold input) and the end-to-end
bench/eval_gaps.py (findings from the API). Findings may be ``analysis.Finding`` objects or
their JSON dicts. Finding actors are resolved to gold ids by id, then by canonical name or
alias (case-insensitive), so extraction ids need not equal gold ids.

Rules (from the task brief):
* a gold gap is found if a finding of the same kind (or one of the gap's
  ``secondary_kinds``) covers its core actors (for single-actor kinds, the actor; for a pair
  kind, one of the gap's ``key_pairs`` where the gold lists them) and, where both give one,
  its theme (pair and group findings must give one); for policy_without_implementer
  the finding must also name one of the gap's policies;
* precision@k: k = number of gold gaps, a top-k finding is correct if it matches any gap;
* a non-gap pair is flagged if any finding (of any kind, at any rank) names both actors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "GapEval",
    "GoldIndex",
    "evaluate",
    "finding_actor_ids",
    "load_gold",
    "matches",
]


def load_gold(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


@dataclass(frozen=True)
class GoldIndex:
    """Resolves an actor reference (id or name) to gold actor ids."""

    by_key: dict[str, str]

    @classmethod
    def from_gold(cls, gold: Mapping[str, Any]) -> GoldIndex:
        keys: dict[str, str] = {}
        for a in gold["actors"]:
            for k in (a["id"], a["canonical_name"], *a.get("aliases", [])):
                keys.setdefault(k.casefold(), a["id"])
        return cls(keys)

    def resolve(self, ref: Any) -> str | None:
        for k in (_get(ref, "id"), _get(ref, "name")):
            if isinstance(k, str) and k.casefold() in self.by_key:
                return self.by_key[k.casefold()]
        return None


def finding_actor_ids(finding: Any, index: GoldIndex) -> set[str]:
    out: set[str] = set()
    for ref in _get(finding, "actors") or ():
        gid = index.resolve(ref)
        if gid is not None:
            out.add(gid)
    return out


def _kind(finding: Any) -> str:
    k = _get(finding, "kind")
    return str(getattr(k, "value", k))


def _policy_keys(finding: Any) -> set[str]:
    out: set[str] = set()
    for p in _get(finding, "policies") or ():
        for k in (_get(p, "id"), _get(p, "name")):
            if isinstance(k, str):
                out.add(k.casefold())
    return out


# Kinds whose findings name two actors (or a pair and its neighbours): a gap of one of
# these kinds with more actors than a finding can name is found through its key pairs.
PAIR_KINDS = frozenset({"negative_evidence", "shared_mandate_no_link", "level_disconnect"})


def _covers(finding: Any, gap: Mapping[str, Any], kind: str, index: GoldIndex) -> bool:
    """The finding names the gap's core actors, or, for a pair kind, one of its key pairs.

    Later gold formats (scenario-es, scenario-ke) list ``key_pairs``: the pairs whose
    missing link makes the gap ("Each one is a key pair of a gap", scenario-es README). A
    level disconnect between six bodies is reported pair by pair, so requiring one finding
    to name all six could never succeed; a finding on one key pair finds the gap. Gold
    without key pairs (scenario-dev, examples) keeps the strict rule."""
    named = finding_actor_ids(finding, index)
    if set(gap["actors"]) <= named:
        return True
    if kind not in PAIR_KINDS:
        return False
    return any(set(pair) <= named for pair in gap.get("key_pairs") or ())


def matches(
    finding: Any, gap: Mapping[str, Any], index: GoldIndex, gold: Mapping[str, Any] | None = None
) -> bool:
    kind = _kind(finding)
    # secondary kinds: what the gold says the same gap may also be reported as
    if kind != gap["kind"] and kind not in (gap.get("secondary_kinds") or ()):
        return False
    theme = _get(finding, "theme")
    # A single-actor finding that names no theme (the actor's activity carries none) still
    # identifies the gap; a pair or group finding must say which theme.
    if (
        gap.get("theme")
        and theme != gap["theme"]
        and not (theme is None and len(gap["actors"]) == 1)
    ):
        return False
    if not _covers(finding, gap, kind, index):
        return False
    if gap["kind"] == "policy_without_implementer" and gap.get("policies"):
        wanted: set[str] = set()
        for pid in gap["policies"]:
            wanted.add(pid.casefold())
            for p in (gold or {}).get("policies_programmes", []):
                if p["id"] == pid:
                    wanted |= {n.casefold() for n in (p["name"], *p.get("aliases", []))}
        if not wanted & _policy_keys(finding):
            return False
    return True


@dataclass
class GapEval:
    recall: float
    precision_at_k: float
    k: int
    found: dict[str, int | None]  # gold gap id -> 1-based rank of its best match, or None
    top_k_correct: list[bool]
    non_gaps_flagged: list[str]  # non-gap ids
    flagged_detail: dict[str, list[str]] = field(default_factory=dict)


def evaluate(findings: Sequence[Any], gold: Mapping[str, Any]) -> GapEval:
    """``findings`` ranked best first."""
    index = GoldIndex.from_gold(gold)
    gaps = gold["gaps"]
    found: dict[str, int | None] = {}
    for gap in gaps:
        found[gap["id"]] = next(
            (rank for rank, f in enumerate(findings, 1) if matches(f, gap, index, gold)), None
        )
    k = len(gaps)
    top = [any(matches(f, g, index, gold) for g in gaps) for f in findings[:k]]
    flagged: list[str] = []
    detail: dict[str, list[str]] = {}
    for ng in gold.get("non_gaps", []):
        pair = set(ng["actors"])
        hits = [
            f"{_kind(f)}:{_get(f, 'theme')}"
            for f in findings
            if pair <= finding_actor_ids(f, index)
        ]
        if hits:
            flagged.append(ng["id"])
            detail[ng["id"]] = hits
    return GapEval(
        recall=sum(r is not None for r in found.values()) / len(gaps) if gaps else 0.0,
        precision_at_k=sum(top) / k if k else 0.0,
        k=k,
        found=found,
        top_k_correct=top,
        non_gaps_flagged=flagged,
        flagged_detail=detail,
    )
