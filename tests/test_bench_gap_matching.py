"""bench/gap_matching: how a finding is matched to a planted gap (invented gold)."""

from __future__ import annotations

from typing import Any

from bench.gap_matching import GoldIndex, evaluate, matches

GOLD: dict[str, Any] = {
    "actors": [
        {"id": a, "canonical_name": a.upper(), "aliases": []}
        for a in ("sem", "dms", "ceam", "ansma", "dmps", "anexo", "unaia")
    ],
    "policies_programmes": [],
    "gaps": [
        {
            "id": "levels",
            "kind": "level_disconnect",
            "actors": ["dmps", "dms", "sem", "ceam", "ansma"],
            "key_pairs": [["sem", "dms"], ["ansma", "dmps"]],
            "secondary_kinds": [],
            "theme": "drug_prevention",
        },
        {
            "id": "isolated",
            "kind": "isolated_actor",
            "actors": ["anexo"],
            "key_pairs": [["anexo", "unaia"]],
            "secondary_kinds": ["negative_evidence"],
            "theme": "drug_treatment",
        },
    ],
}


def _finding(kind: str, actors: list[str], theme: str | None) -> dict[str, Any]:
    return {"kind": kind, "theme": theme, "actors": [{"id": a} for a in actors]}


def test_a_pair_finding_on_a_key_pair_finds_a_many_actor_gap() -> None:
    index = GoldIndex.from_gold(GOLD)
    levels = GOLD["gaps"][0]
    assert matches(_finding("level_disconnect", ["sem", "dms"], "drug_prevention"), levels, index)
    # not a key pair, wrong theme, wrong kind: no match
    assert not matches(
        _finding("level_disconnect", ["sem", "ceam"], "drug_prevention"), levels, index
    )
    assert not matches(_finding("level_disconnect", ["sem", "dms"], "policing"), levels, index)
    assert not matches(
        _finding("negative_evidence", ["sem", "dms"], "drug_prevention"), levels, index
    )


def test_a_secondary_kind_on_a_key_pair_finds_the_gap_and_single_actor_kinds_stay_strict() -> None:
    index = GoldIndex.from_gold(GOLD)
    isolated = GOLD["gaps"][1]
    assert matches(
        _finding("negative_evidence", ["anexo", "unaia"], "drug_treatment"), isolated, index
    )
    assert matches(_finding("isolated_actor", ["anexo"], None), isolated, index)
    # isolated_actor is a single-actor kind: its key pairs do not stand in for the actor
    assert not matches(_finding("isolated_actor", ["unaia"], "drug_treatment"), isolated, index)
    result = evaluate([_finding("level_disconnect", ["ansma", "dmps"], "drug_prevention")], GOLD)
    assert result.found == {"levels": 1, "isolated": None}
