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
