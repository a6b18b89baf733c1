"""Consistency of the gold labels shipped with the example material (examples/gold.json).

Standard library only: the checks need neither the graph store nor the NLP stack.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

ACTOR_TYPES = {
    "government",
    "ngo",
    "community_group",
    "faith_group",
    "private_sector",
    "academia",
    "international_org",
    "police_justice",
    "person",
}
LEVELS = {"local", "national", "international", "non_state"}
POLICY_KINDS = {"policy", "strategy", "programme", "law", "agreement"}
REL_TYPES = {
    "partnership",
    "funding",
    "implements",
    "coordinates",
    "mandate",
    "mou",
    "negative_coordination",
}
GAP_KINDS = {
    "shared_mandate_no_link",
    "level_disconnect",
    "negative_evidence",
    "single_point_of_failure",
    "absent_from_policy",
    "policy_without_implementer",
    "isolated_actor",
}
THEMES = {
    "youth_violence",
    "drug_prevention",
    "drug_treatment",
    "gender_based_violence",
    "violence_against_children",
    "corruption",
    "illicit_flows",
    "trafficking",
    "violent_extremism",
    "policing",
    "community_safety",
}


@pytest.fixture(scope="module")
def gold() -> dict:
    with (EXAMPLES / "gold.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def texts(gold: dict) -> dict[str, str]:
    return {
        f: (EXAMPLES / f).read_text(encoding="utf-8")
        for f in gold["files"]
        if (EXAMPLES / f).is_file()
    }


def _actor_ids(gold: dict) -> set[str]:
    return {a["id"] for a in gold["actors"]}


def _policy_ids(gold: dict) -> set[str]:
    return {p["id"] for p in gold["policies_programmes"]}


def test_examples_listed_files_exist(gold: dict) -> None:
    missing = [f for f in gold["files"] if not (EXAMPLES / f).is_file()]
    assert not missing


def test_examples_every_corpus_file_is_listed(gold: dict) -> None:
    on_disk = {
        str(p.relative_to(EXAMPLES)).replace("\\", "/")
        for d in ("docs", "transcripts")
        for p in (EXAMPLES / d).iterdir()
        if p.is_file() and not p.name.startswith(".")
    }
    assert on_disk == set(gold["files"])


def test_examples_ids_are_unique(gold: dict) -> None:
    ids = [a["id"] for a in gold["actors"]] + [p["id"] for p in gold["policies_programmes"]]
    for group in (
        ids,
        [r["id"] for r in gold["relations"]],
        [g["id"] for g in gold["gaps"]],
        [n["id"] for n in gold["non_gaps"]],
    ):
        dupes = [i for i, n in Counter(group).items() if n > 1]
        assert not dupes


def test_examples_evidence_quotes_are_exact_substrings(gold: dict, texts: dict[str, str]) -> None:
    bad = [
        (item["id"], item["evidence_file"])
        for item in gold["relations"] + gold["non_gaps"]
        if not item["evidence_quote"]
        or item["evidence_quote"] not in texts.get(item["evidence_file"], "")
    ]
    assert not bad


def test_examples_referenced_files_are_listed(gold: dict) -> None:
    files = set(gold["files"])
    used = {f for a in gold["actors"] for f in a["mentioned_in"]}
    used |= {f for p in gold["policies_programmes"] for f in p.get("mentioned_in", [])}
    used |= {r["evidence_file"] for r in gold["relations"] + gold["non_gaps"]}
    used |= {f for g in gold["gaps"] for f in g["evidence_files"]}
    assert used <= files


def test_examples_relation_endpoints_are_known(gold: dict) -> None:
    known = _actor_ids(gold) | _policy_ids(gold)
    unknown = [
        (r["id"], e)
        for r in gold["relations"]
        for e in (r["source"], r["target"])
        if e not in known
    ]
    assert not unknown


def test_examples_references_to_actors_and_policies_are_known(gold: dict) -> None:
    actors, policies = _actor_ids(gold), _policy_ids(gold)
    for a in gold["actors"]:
        for key in ("parent_id", "affiliation"):
            assert a.get(key) in (None, *actors), (a["id"], key)
        if a["type"] == "person":
            assert a.get("affiliation") in actors, a["id"]
    for p in gold["policies_programmes"]:
        assert set(p["owner_actor_ids"]) <= actors, p["id"]
    for g in gold["gaps"]:
        assert set(g["actors"] + g.get("context_actors", [])) <= actors, g["id"]
        assert set(g.get("policies", [])) <= policies, g["id"]
    for n in gold["non_gaps"]:
        assert len(n["actors"]) == 2 and set(n["actors"]) <= actors, n["id"]


def test_examples_enums_are_valid(gold: dict) -> None:
    assert {a["type"] for a in gold["actors"]} <= ACTOR_TYPES
    assert {a["level"] for a in gold["actors"]} <= LEVELS
    assert {p["kind"] for p in gold["policies_programmes"]} <= POLICY_KINDS
    assert {t for p in gold["policies_programmes"] for t in p["themes"]} <= THEMES
    assert {r["type"] for r in gold["relations"]} <= REL_TYPES
    assert {g["kind"] for g in gold["gaps"]} <= GAP_KINDS
    assert {g["theme"] for g in gold["gaps"]} <= THEMES


def test_examples_gap_and_non_gap_counts(gold: dict) -> None:
    assert 5 <= len(gold["gaps"]) <= 7
    assert len({g["kind"] for g in gold["gaps"]}) >= 5
    assert 4 <= len(gold["non_gaps"]) <= 5


def test_examples_non_gaps_have_a_positive_relation(gold: dict) -> None:
    positive = {
        frozenset((r["source"], r["target"]))
        for r in gold["relations"]
        if r["type"] != "negative_coordination"
    }
    missing = [n["id"] for n in gold["non_gaps"] if frozenset(n["actors"]) not in positive]
    assert not missing


def test_examples_files_use_straight_apostrophes(texts: dict[str, str]) -> None:
    curly = [f for f, t in texts.items() if any(c in t for c in "\u2018\u2019\u201c\u201d")]
    assert not curly
