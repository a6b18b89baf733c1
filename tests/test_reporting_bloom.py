"""The Neo4j Bloom perspective: structure, and search phrases that run as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reporting_fixtures import THEME_NAME, seed_graph
from typer.testing import CliRunner

from graph_schema.model import ENTITY_LABELS, Label, RelType
from graph_schema.store import GraphStore
from reporting.bloom import SEARCH_PHRASES, perspective_json

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def test_reporting_bloom_perspective_structure(tmp_path: Path) -> None:
    from service.cli import app

    out = tmp_path / "govgraph.perspective.json"
    result = CliRunner().invoke(app, ["bloom-perspective", "--out", str(out)])
    assert result.exit_code == 0, result.output
    p = json.loads(out.read_text())
    for key in (
        "name",
        "id",
        "categories",
        "relationshipTypes",
        "templates",
        "palette",
        "metadata",
        "version",
    ):
        assert key in p
    cats = {c["name"]: c for c in p["categories"]}
    assert {lb.value for lb in ENTITY_LABELS} | {"Document", "Passage", "Evidence"} == set(cats)
    assert not {"Job", "ApiKey", "Migration"} & set(cats)  # bookkeeping stays hidden
    assert len({c["id"] for c in p["categories"]}) == len(cats)
    for c in p["categories"]:
        assert c["labels"] == [c["name"]] and HEX.match(c["color"]) and c["icon"]
        (caption,) = c["captionKeys"]
        assert [x["name"] for x in c["properties"] if x["isCaption"]] == [caption]
    assert cats["Actor"]["captionKeys"] == ["name"] and cats["Document"]["captionKeys"] == ["title"]
    assert {r["name"] for r in p["relationshipTypes"]} == {r.value for r in RelType}
    assert all(HEX.match(r["color"]) for r in p["relationshipTypes"])
    phrases = {t["text"]: t for t in p["templates"]}
    gap = phrases["Actors working on $theme with no partner at $level"]
    assert [x["name"] for x in gap["params"]] == ["$theme", "$level"]
    for t in p["templates"]:
        declared = {x["name"] for x in t["params"]}
        assert set(re.findall(r"\$\w+", t["text"])) == declared
        assert set(re.findall(r"\$\w+", t["cypher"])) == declared  # parameters only
    assert perspective_json(0) == perspective_json(0)  # reproducible with fixed time


def test_reporting_bloom_search_phrases_run(store: GraphStore) -> None:
    seed_graph(store)
    values = {"$theme": THEME_NAME, "$level": "national", "$actor": "Ministry of Justice"}
    returned = {}
    for phrase, _desc, params, cypher in SEARCH_PHRASES:
        rows = store.read(cypher, {x["name"][1:]: values[x["name"]] for x in params})
        returned[phrase] = len(rows)
    assert returned["Who does not coordinate with $actor"] > 0
    assert returned["Pairs on $theme with no link"] > 0  # council-ministry, ministry-trust
    assert returned["Actors working on $theme with no partner at $level"] > 0
    assert Label.Actor.value in perspective_json(0)


def _run(store: GraphStore, phrase: str, **params: str) -> list[dict]:  # type: ignore[type-arg]
    (cypher,) = [c for p, _d, _params, c in SEARCH_PHRASES if p == phrase]
    return store.read(cypher, params)


def test_reporting_bloom_phrases_read_the_review(store: GraphStore) -> None:
    """A tie whose kind was changed answers as its new kind, rejected relations and actors
    are left out, and the perspective draws corrections (issue 15)."""
    from graph_schema.decisions import Action, TargetKind, record_decision
    from graph_schema.model import RelationKind, relation_key

    seed_graph(store)
    partnership = relation_key(RelationKind.partnership, "actor:trust", "actor:council")
    negative = relation_key(RelationKind.negative_coordination, "actor:ministry", "actor:council")

    def decide(kind: TargetKind, key: str, action: Action, value: dict | None = None) -> None:  # type: ignore[type-arg]
        record_decision(store, kind, key, action, author="curator", value=value, reason="quote")

    trust = "Riverton Youth Trust"
    assert not _run(store, "Who does not coordinate with $actor", actor=trust)
    assert not _run(store, "Non-state actors with no government tie")
    pairs = "Pairs on $theme with no link"
    assert len(_run(store, pairs, theme=THEME_NAME)) == 2  # council-ministry, ministry-trust

    decide(TargetKind.relation, partnership, Action.change_kind, {"kind": "negative_coordination"})
    rows = _run(store, "Who does not coordinate with $actor", actor=trust)
    assert rows and {r["b"]["name"] for r in rows} == {"Riverton City Council"}
    (lone,) = _run(store, "Non-state actors with no government tie")
    assert lone["a"]["name"] == trust
    assert len(_run(store, pairs, theme=THEME_NAME)) == 3  # the trust-council tie is gone

    ministry = "Ministry of Justice"
    assert _run(store, "Who does not coordinate with $actor", actor=ministry)
    decide(TargetKind.relation, negative, Action.reject)
    assert not _run(store, "Who does not coordinate with $actor", actor=ministry)
    assert _run(store, "Evidence for $actor", actor=ministry)  # its works_on still stands

    decide(TargetKind.actor, "actor:ministry", Action.reject)
    assert not _run(store, "Evidence for $actor", actor=ministry)
    assert len(_run(store, pairs, theme=THEME_NAME)) == 1  # trust-council only
    network = _run(store, "Network on $theme", theme=THEME_NAME)
    assert ministry not in {r["a"]["name"] for r in network}

    # What Bloom draws: a corrected tie in its new kind's colour, captioned with it.
    p = json.loads(perspective_json(0))
    rels = {r["name"]: r for r in p["relationshipTypes"]}
    partners = rels[RelType.PARTNERS_WITH.value]
    assert {"decided_kind", "reversed"} <= {c["key"] for c in partners["captions"]}
    rules = {(r["basedOn"], r["value"]): r["color"] for r in partners["styleRules"]}
    red = rels[RelType.DOES_NOT_COORDINATE_WITH.value]["color"]
    assert rules[("decided_kind", "negative_coordination")] == red
    assert ("review", "rejected") in rules and ("reversed", True) in rules
    actor_rules = next(c for c in p["categories"] if c["name"] == "Actor")["styleRules"]
    assert (actor_rules[0]["basedOn"], actor_rules[0]["value"]) == ("review", "rejected")
    works_on = rels[RelType.WORKS_ON.value]  # a theme link takes no corrections
    assert [c["key"] for c in works_on["captions"]] == [RelType.WORKS_ON.value]
