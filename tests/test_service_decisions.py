"""Review decisions through the HTTP API, on the real store: recorded, honoured by /actors,
/gaps and the subgraph, undone, kept across re-ingestion, and refused when wrong."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import (
    STRATEGY_BATCH,
    STRATEGY_DOC,
    YOUTH_VIOLENCE,
    actor,
    batch_for,
    make_document,
    relation,
)

from govgraph.settings import Settings
from graph_schema.model import GraphBatch, Label, RelationKind, relation_key
from graph_schema.reader import graph_version, read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import delete_document, write_document
from service.app import create_app
from service.auth import Scope, create_api_key

# Facts written directly (not extracted): the test is about decisions, not about what the
# extraction makes of a paragraph. The shared strategy (tests/graph_fixtures.py): two
# governments active on youth violence without a tie (a shared-mandate gap), and two
# non-state partners no government works with.
DOC, THEME, BATCH = STRATEGY_DOC, YOUTH_VIOLENCE, STRATEGY_BATCH


@pytest.fixture
def keys(store: GraphStore) -> dict[str, dict[str, str]]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "curator", {Scope.write})
    return {"read": {"X-API-Key": read}, "write": {"X-API-Key": write}}


@pytest.fixture
def ingested(store: GraphStore) -> None:
    write_document(store, BATCH)


def _actor_ids(api: TestClient, key: dict[str, str]) -> set[str]:
    page = api.get("/actors", headers=key, params={"limit": 500}).json()
    return {a["id"] for a in page["items"]}


def _findings(api: TestClient, key: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    r = api.get("/gaps", headers=key, params={"min_score": 0, "limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def _in_findings(findings: list[dict], actor_id: str) -> bool:  # type: ignore[type-arg]
    return any(actor_id in {a["id"] for a in f["actors"]} for f in findings)


def test_service_decisions_reject_an_actor_then_undo(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]], ingested: None
) -> None:
    findings = _findings(api, keys["read"])
    assert findings, "the fixture must give at least one gap finding"
    target = findings[0]["actors"][0]["id"]
    assert target in _actor_ids(api, keys["read"])
    before = graph_version(store)

    r = api.post(
        f"/actors/{quote(target, safe='')}/decisions",
        headers=keys["write"],
        json={"action": "reject", "reason": "not an organisation", "evidence_ids": ["e1"]},
    )

    assert r.status_code == 201, r.text
    decision = r.json()["decision"]
    assert decision["author"] == "curator" and decision["target_id"] == target
    assert decision["target_kind"] == "actor" and decision["evidence_ids"] == ["e1"]
    assert graph_version(store) != before
    assert target not in _actor_ids(api, keys["read"])
    assert not _in_findings(_findings(api, keys["read"]), target)
    assert target not in {a.id for a in read_subgraph(store).actors}
    audit = api.get("/decisions", headers=keys["read"], params={"target_id": target}).json()
    assert audit["total"] == 1 and audit["items"][0]["id"] == decision["id"]
    own = api.get(f"/actors/{quote(target, safe='')}/decisions", headers=keys["read"]).json()
    assert [d["id"] for d in own["items"]] == [decision["id"]]
    rejected = graph_version(store)

    undone = api.delete(f"/decisions/{decision['id']}", headers=keys["write"])

    assert undone.status_code == 200, undone.text
    assert undone.json()["decision"]["undone_at"] is not None
    assert graph_version(store) not in {before, rejected}
    assert target in _actor_ids(api, keys["read"])
    assert _in_findings(_findings(api, keys["read"]), target)
    again = api.delete(f"/decisions/{decision['id']}", headers=keys["write"])
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert api.get("/decisions", headers=keys["read"]).json()["total"] == 0
    listed = api.get("/decisions", headers=keys["read"], params={"include_undone": True})
    assert listed.json()["total"] == 1


def test_service_decisions_rejected_relation_stays_rejected_after_reingestion(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]], ingested: None
) -> None:
    relation = read_subgraph(store).relations[0]
    r = api.post(
        f"/relations/{quote(relation.key, safe='')}/decisions",
        headers=keys["write"],
        json={"action": "reject", "note": "the quote says the opposite"},
    )
    assert r.status_code == 201, r.text
    assert relation.key not in {x.key for x in read_subgraph(store).relations}

    # The same document deleted and ingested again: its facts are written anew.
    delete_document(store, DOC.id)
    write_document(store, BATCH)

    keys_now = {x.key for x in read_subgraph(store).relations}
    assert relation.key not in keys_now and keys_now  # the rest came back
    listed = api.get("/decisions", headers=keys["read"], params={"target_kind": "relation"})
    assert [d["target_id"] for d in listed.json()["items"]] == [relation.key]


def test_service_decisions_gap_edit_and_refusals(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]], ingested: None
) -> None:
    finding = _findings(api, keys["read"])[0]
    gap = api.post(
        f"/gaps/{finding['id']}/decisions",
        headers=keys["write"],
        json={"action": "validated", "note": "confirmed in the workshop"},
    )
    assert gap.status_code == 201, gap.text
    assert gap.json()["decision"]["target_kind"] == "gap"

    actor = finding["actors"][0]["id"]
    path = f"/actors/{quote(actor, safe='')}/decisions"
    edit = api.post(
        path, headers=keys["write"], json={"action": "edit", "value": {"level": "national"}}
    )
    assert edit.status_code == 201, edit.text
    assert api.get(f"/actors/{quote(actor, safe='')}", headers=keys["read"]).json()["level"] == (
        "national"
    )

    write = keys["write"]
    assert api.post(path, headers=keys["read"], json={"action": "reject"}).status_code == 403
    for body in (
        {"action": "promote"},
        {"action": "validated"},  # a gap's action, not an actor's
        {"action": "reject", "value": {"type": "ngo"}},
        {"action": "edit", "value": {"type": "church"}},
        {"action": "edit", "value": {}},
        {"action": "edit", "value": {"name": None}},
        {"action": "edit", "value": {"name": "   "}},
        {"action": "edit"},
        {"action": "reject", "colour": "red"},
        {},
    ):
        r = api.post(path, headers=write, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    bad_gap = api.post(f"/gaps/{finding['id']}/decisions", headers=write, json={"action": "reject"})
    assert bad_gap.status_code == 422
    missing = [
        api.post("/actors/a:nobody/decisions", headers=write, json={"action": "reject"}),
        api.post("/relations/funding:x-%3Ey/decisions", headers=write, json={"action": "reject"}),
        api.post("/gaps/gap_0000/decisions", headers=write, json={"action": "validated"}),
        api.delete("/decisions/decision-nope", headers=write),
        api.get("/decisions/decision-nope", headers=keys["read"]),
    ]
    assert [r.status_code for r in missing] == [404] * len(missing)
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in missing)
    assert (
        api.delete(f"/decisions/{edit.json()['decision']['id']}", headers=keys["read"]).status_code
        == 403
    )


def test_service_decisions_author_without_auth_is_dev(
    settings: Settings, store: GraphStore, tmp_path: Path, ingested: None
) -> None:
    cfg = settings.model_copy(update={"data_dir": tmp_path, "auth_disabled": True})
    actor = read_subgraph(store).actors[0].id
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as api:
        r = api.post(f"/actors/{quote(actor, safe='')}/decisions", json={"action": "accept"})
        assert r.status_code == 201, r.text
        assert r.json()["decision"]["author"] == "dev"
        paths = api.get("/openapi.json").json()["paths"]
    assert {"/decisions", "/decisions/{decision_id}", "/gaps/{gap_id}/decisions"} <= set(paths)


# A council partnering a non-state trust: linked, so neither a pair gap nor an isolated trust.
TIE_DOC = make_document(
    "The Riverton City Council runs youth violence prevention.\n\n"
    "The Riverton Youth Trust partners with the City Council on youth violence.",
    source_path="tie.md",
)
TIE_BATCH = batch_for(
    TIE_DOC,
    [
        actor("a:council", "Riverton City Council"),
        actor("a:trust", "Riverton Youth Trust", "non_state", "ngo"),
        THEME,
    ],
    [
        relation(TIE_DOC, RelationKind.works_on, s, THEME.id, passage=i, target_label=Label.Theme)
        for i, s in ((0, "a:council"), (1, "a:trust"))
    ]
    + [relation(TIE_DOC, RelationKind.partnership, "a:trust", "a:council", passage=1)],
)


def test_service_decisions_change_kind_and_reverse_reach_the_gaps(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    write_document(store, TIE_BATCH)
    partners = relation_key(RelationKind.partnership, "a:trust", "a:council")
    path = f"/relations/{quote(partners, safe='')}/decisions"

    def about_trust() -> list[dict]:  # type: ignore[type-arg]
        return [f for f in _findings(api, keys["read"]) if _in_findings([f], "a:trust")]

    assert about_trust() == []
    r = api.post(
        path,
        headers=keys["write"],
        json={
            "action": "change_kind",
            "value": {"kind": "negative_coordination"},
            "reason": "they say they never meet",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["decision"]["previous"] == {"kind": "partnership"}
    # Read as a statement that they do not coordinate: the trust has no government tie.
    found = about_trust()
    assert [f["kind"] for f in found] == ["isolated_actor"], found
    assert "partners with the City Council" in found[0]["evidence"][0]["quote"]
    trust = api.get("/actors/a:trust", headers=keys["read"]).json()
    row = next(x for x in trust["relations"] if x["key"] == partners)
    assert (row["kind"], row["extracted_kind"]) == ("negative_coordination", "partnership")

    delete_document(store, TIE_DOC.id)  # ingested again: the correction is applied again
    write_document(store, TIE_BATCH)
    assert [f["kind"] for f in about_trust()] == ["isolated_actor"]

    reverse = api.post(path, headers=keys["write"], json={"action": "reverse"})
    assert reverse.status_code == 422, reverse.text  # a symmetric tie has no direction
    assert reverse.headers["content-type"].startswith("application/problem+json")
    for body in (
        {"action": "change_kind", "value": {"kind": "works_on"}},
        {"action": "change_kind"},
        {"action": "reverse", "value": {"kind": "funding"}},
    ):
        bad = api.post(path, headers=keys["write"], json=body)
        assert bad.status_code == 422, (body, bad.text)

    undone = api.delete(f"/decisions/{r.json()['decision']['id']}", headers=keys["write"])
    assert undone.status_code == 200, undone.text
    assert about_trust() == []


def _replaced(ministry_line: str) -> GraphBatch:
    """BATCH's document as a new version of strategy.md, the ministry said to do this."""
    text = DOC.passages[0].text + "\n\n" + ministry_line + "\n\n" + DOC.passages[2].text
    doc = make_document(text, source_path="strategy.md")
    return batch_for(
        doc,
        list(BATCH.entities),
        [
            relation(doc, RelationKind.works_on, s, THEME.id, passage=i, target_label=Label.Theme)
            for i, s in ((0, "a:council"), (1, "a:ministry"), (2, "a:trust"), (2, "a:network"))
        ]
        + [relation(doc, RelationKind.partnership, "a:trust", "a:network", passage=2)],
    )


def test_service_decisions_validated_finding_is_flagged_when_its_evidence_goes(
    api: TestClient, store: GraphStore, keys: dict[str, dict[str, str]], ingested: None
) -> None:
    pair = {"a:council", "a:ministry"}
    finding = next(
        f for f in _findings(api, keys["read"]) if {a["id"] for a in f["actors"]} == pair
    )
    assert (finding["review"], finding["evidence_changed"]) == (None, False)
    path = f"/gaps/{quote(finding['id'], safe='')}"
    made = api.post(
        f"{path}/decisions", headers=keys["write"], json={"action": "validated", "note": "seen"}
    )
    assert made.status_code == 201, made.text
    assert len(made.json()["decision"]["basis"]) == len(finding["evidence"])

    def marks() -> tuple[object, object]:
        one = api.get(path, headers=keys["read"]).json()
        listed = next(f for f in _findings(api, keys["read"]) if f["id"] == finding["id"])
        assert (one["review"], one["evidence_changed"]) == (
            listed["review"],
            listed["evidence_changed"],
        )
        return one["review"], one["evidence_changed"]

    assert marks() == ("validated", False)
    write_document(store, BATCH, rewrite=True)  # extracted again, the same evidence
    assert marks() == ("validated", False)
    # A new version saying the same: new passages, the same quotes; the evidence stands.
    write_document(store, _replaced(DOC.passages[1].text))
    assert marks() == ("validated", False)
    # A new version without the ministry's quote: still validated, but flagged.
    write_document(store, _replaced("The Ministry of Justice is reviewing its youth programmes."))
    assert marks() == ("validated", True)
    again = api.post(f"{path}/decisions", headers=keys["write"], json={"action": "disputed"})
    assert again.status_code == 201, again.text
    assert marks() == ("disputed", False)  # decided on the evidence as it is now
