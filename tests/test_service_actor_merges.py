"""An actor's merge_into and split decisions through the HTTP API, on the real store: the
merged actor leaves /actors, /gaps and the metrics and is read as its target, across
re-ingestion, until undone; a split makes a name its own actor, kept apart by later
ingestion, until undone; and what would be ambiguous is refused with 422."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from document_fixtures import text_document
from fastapi.testclient import TestClient
from graph_fixtures import STRATEGY_BATCH

from graph_schema.reader import read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.auth import Scope, create_api_key
from service.pipeline import ingest_documents


@pytest.fixture
def keys(store: GraphStore) -> dict[str, dict[str, str]]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "curator", {Scope.write})
    return {"read": {"X-API-Key": read}, "write": {"X-API-Key": write}}


def _decide(api: TestClient, key: dict[str, str], actor_id: str, body: dict):  # type: ignore[no-untyped-def,type-arg]
    return api.post(f"/actors/{quote(actor_id, safe='')}/decisions", headers=key, json=body)


def _actors(api: TestClient, key: dict[str, str], **params: str) -> dict[str, dict]:  # type: ignore[type-arg]
    page = api.get("/actors", headers=key, params={"limit": 500, **params}).json()
    return {a["id"]: a for a in page["items"]}


def _gap_actors(api: TestClient, key: dict[str, str]) -> list[set[str]]:
    r = api.get("/gaps", headers=key, params={"min_score": 0, "limit": 500})
    assert r.status_code == 200, r.text
    return [{a["id"] for a in f["actors"]} for f in r.json()["items"]]


def _metric_ids(api: TestClient, key: dict[str, str]) -> set[str]:
    r = api.get("/network/metrics", headers=key)
    assert r.status_code == 200, r.text
    return {m["actor"]["id"] for m in r.json()["actors"]}


def test_service_actor_merge_reads_one_actor_until_undone(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    write_document(store, STRATEGY_BATCH)
    # The two governments active on youth violence with no tie: a shared-mandate gap.
    assert {"a:council", "a:ministry"} in _gap_actors(api, keys["read"])
    before = {
        "actors": _actors(api, keys["read"]),
        "gaps": _gap_actors(api, keys["read"]),
        "metrics": _metric_ids(api, keys["read"]),
        "subgraph": read_subgraph(store),
    }
    assert "a:ministry" in before["metrics"]

    r = _decide(
        api,
        keys["write"],
        "a:ministry",
        {"action": "merge_into", "value": {"into": "a:council"}, "reason": "one body"},
    )

    assert r.status_code == 201, r.text
    decision = r.json()["decision"]
    assert (decision["action"], decision["value"]) == ("merge_into", {"into": "a:council"})
    actors = _actors(api, keys["read"])
    assert "a:ministry" not in actors
    assert actors["a:council"]["merged"] == [{"id": "a:ministry", "name": "Ministry of Justice"}]
    assert "Ministry of Justice" in actors["a:council"]["aliases"]
    assert all("a:ministry" not in ids for ids in _gap_actors(api, keys["read"]))
    assert {"a:council", "a:ministry"} not in _gap_actors(api, keys["read"])
    assert "a:ministry" not in _metric_ids(api, keys["read"])
    # The merged actor's own page says where it went; the target's has its relations.
    page = api.get("/actors/a:ministry", headers=keys["read"]).json()
    assert page["merged_into"] == "a:council"
    own = {r["key"] for r in page["relations"]}
    council = api.get("/actors/a:council", headers=keys["read"]).json()
    assert own and own <= {r["key"] for r in council["relations"]}
    assert all("a:ministry" not in (r["source"], r["target"]) for r in council["relations"])
    assert council["merged"] == [{"id": "a:ministry", "name": "Ministry of Justice"}]

    write_document(store, STRATEGY_BATCH, rewrite=True)  # its document extracted again
    assert "a:ministry" not in _actors(api, keys["read"])
    assert all("a:ministry" not in ids for ids in _gap_actors(api, keys["read"]))

    r = api.delete(f"/decisions/{decision['id']}", headers=keys["write"])

    assert r.status_code == 200, r.text
    assert _actors(api, keys["read"]) == before["actors"]
    assert _gap_actors(api, keys["read"]) == before["gaps"]
    assert _metric_ids(api, keys["read"]) == before["metrics"]
    assert read_subgraph(store) == before["subgraph"]
    council = api.get("/actors/a:council", headers=keys["read"]).json()
    assert "merged" not in council and not own & {r["key"] for r in council["relations"]}


def test_service_actor_merge_refuses_with_problem_json(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    write_document(store, STRATEGY_BATCH)

    def refused(actor_id: str, body: dict) -> str:  # type: ignore[type-arg]
        r = _decide(api, keys["write"], actor_id, body)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        return str(r.json().get("detail"))

    def merge(into: str) -> dict:  # type: ignore[type-arg]
        return {"action": "merge_into", "value": {"into": into}}

    assert "itself" in refused("a:council", merge("a:council"))
    assert "No actor" in refused("a:council", merge("a:nobody"))
    refused("a:council", {"action": "merge_into"})
    refused("a:council", {"action": "merge_into", "value": {"into": ""}})
    refused("a:council", {"action": "split", "value": {"names": []}})
    r = _decide(api, keys["write"], "a:trust", {"action": "reject"})
    assert r.status_code == 201
    assert "rejected" in refused("a:council", merge("a:trust"))
    assert _decide(api, keys["write"], "a:ministry", merge("a:council")).status_code == 201
    assert "cycle" in refused("a:council", merge("a:ministry"))
    assert "instead" in refused("a:network", merge("a:ministry"))
    # Splitting a name the actor does not have, or one it always had, is refused too.
    assert "no name" in refused("a:council", {"action": "split", "value": {"names": ["X"]}})
    body = {"action": "split", "value": {"names": ["Riverton City Council"]}}
    assert "at least one" in refused("a:council", body)
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    assert {"ActorMergeIn", "ActorSplitIn"} <= set(schema)


PLAN = text_document(
    "plan.txt",
    "The Harrowgate Metropolitan Police Service leads the night-time safety plan.",
    "The Harrowgate Metropolitan Police Service works with the Tollbridge Women's Network "
    "on domestic violence referrals.",
)
# A different body whose name is a short form of the first: the resolver merges it.
MEMO = text_document(
    "memo.txt",
    "The Harrowgate Police Service signed a memorandum of understanding with the "
    "Eastfield Youth Trust on youth violence.",
)
SHORT = "Harrowgate Police Service"


def _actor_of(store: GraphStore, text: str) -> set[str]:
    rows = store.read(
        "MATCH (p:Passage)-[m:MENTIONS]->(a:Actor) WHERE m.text = $t RETURN DISTINCT a.id AS id",
        {"t": text},
    )
    return {r["id"] for r in rows}


def test_service_actor_split_keeps_a_name_apart_until_undone(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    ingest_documents(store, [("plan.txt", PLAN), ("memo.txt", MEMO)])
    (long_id,) = _actor_of(store, "Harrowgate Metropolitan Police Service")
    assert _actor_of(store, SHORT) == {long_id}
    assert SHORT in _actors(api, keys["read"])[long_id]["aliases"]

    r = _decide(
        api,
        keys["write"],
        long_id,
        {"action": "split", "value": {"names": [SHORT]}, "reason": "the county's service"},
    )

    assert r.status_code == 201, r.text
    decision = r.json()["decision"]
    (split_id,) = decision["previous"]["actors"]
    assert split_id != long_id and _actor_of(store, SHORT) == {split_id}
    assert decision["previous"]["merges"][0]["documents"] == [MEMO.id]
    actors = _actors(api, keys["read"])
    assert SHORT not in actors[long_id]["aliases"] and actors[split_id]["name"] == SHORT
    # The memo's tie is the split-off actor's now; later documents keep the name apart.
    ties = api.get(f"/actors/{quote(split_id, safe='')}", headers=keys["read"]).json()
    assert "Eastfield Youth Trust" in {t["other_name"] for t in ties["relations"]}
    later = text_document("later.txt", f"The {SHORT} runs a knife amnesty.")
    ingest_documents(store, [("later.txt", later)])
    assert _actor_of(store, SHORT) == {split_id}
    # Splitting it again is refused: the name is not the actor's any more.
    again = _decide(api, keys["write"], long_id, {"action": "split", "value": {"names": [SHORT]}})
    assert again.status_code == 422, again.text

    r = api.delete(f"/decisions/{decision['id']}", headers=keys["write"])

    assert r.status_code == 200, r.text
    assert r.json()["decision"]["undone_at"] is not None
    assert _actor_of(store, SHORT) == {long_id}  # the memo and the later document alike
    actors = _actors(api, keys["read"])
    assert split_id not in actors and SHORT in actors[long_id]["aliases"]
    # Re-joined for good: the next document merges the name again.
    ingest_documents(store, [("next.txt", text_document("next.txt", f"The {SHORT} patrols."))])
    assert _actor_of(store, SHORT) == {long_id}
    assert api.delete(f"/decisions/{decision['id']}", headers=keys["write"]).status_code == 409


def test_service_actor_merge_in_the_reviewed_gold(store: GraphStore) -> None:
    from graph_schema.decisions import Action, TargetKind, record_decision
    from graph_schema.model import RelationKind, relation_key
    from service.gold_export import reviewed_gold

    write_document(store, STRATEGY_BATCH)
    tie = relation_key(RelationKind.partnership, "a:trust", "a:network")

    def decide(kind: TargetKind, target: str, action: Action, value=None) -> None:  # type: ignore[no-untyped-def]
        record_decision(store, kind, target, action, author="curator", value=value)

    decide(TargetKind.relation, tie, Action.accept)
    decide(TargetKind.actor, "a:ministry", Action.accept)
    decide(TargetKind.actor, "a:network", Action.merge_into, {"into": "a:council"})
    decide(TargetKind.actor, "a:ministry", Action.merge_into, {"into": "a:trust"})

    gold = reviewed_gold(store)

    actors = {a["id"]: a for a in gold["actors"]}
    assert set(actors) == {"a:council", "a:trust"}
    assert "Eastfield Women's Network" in actors["a:council"]["aliases"]
    assert "Ministry of Justice" in actors["a:trust"]["aliases"]
    (rel,) = gold["relations"]
    assert (rel["source"], rel["target"], rel["graph_key"]) == ("a:trust", "a:council", tie)
