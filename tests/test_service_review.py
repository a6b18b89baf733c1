"""The review through the HTTP API (issue 15): the review state every actor listing and
actor page shows, and GET /review/queue, on the real store.

Facts are written directly (not extracted): the tests are about the review, not about what
the extraction makes of a paragraph.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import actor, batch_for, make_document, relation

from graph_schema.decisions import Action, TargetKind, record_decision
from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.auth import Scope, create_api_key

DOC = make_document(
    "The Riverton City Council runs youth violence prevention.\n\n"
    "The Ministry of Justice funds youth violence prevention.\n\n"
    "The Riverton Youth Trust works with the Eastfield Women's Network on youth violence.",
    source_path="strategy.md",
)
THEME = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
BATCH = batch_for(
    DOC,
    [
        actor("a:council", "Riverton City Council"),
        actor("a:ministry", "Ministry of Justice", "national"),
        actor("a:trust", "Riverton Youth Trust", "non_state", "ngo"),
        actor("a:network", "Eastfield Women's Network", "non_state", "ngo"),
        THEME,
    ],
    [
        relation(DOC, RelationKind.works_on, s, THEME.id, passage=i, target_label=Label.Theme)
        for i, s in ((0, "a:council"), (1, "a:ministry"), (2, "a:trust"), (2, "a:network"))
    ]
    + [relation(DOC, RelationKind.partnership, "a:trust", "a:network", passage=2)],
)
PARTNERSHIP = "partnership:a:trust->a:network"


@pytest.fixture
def ingested(store: GraphStore) -> GraphStore:
    write_document(store, BATCH)
    return store


@pytest.fixture
def client(api: TestClient, store: GraphStore) -> TestClient:
    """The API with a read key sent on every request."""
    key, _ = create_api_key(store, "analyst", {Scope.read})
    api.headers["X-API-Key"] = key
    return api


def test_service_review_state_in_actor_lists_and_actor_relations(
    client: TestClient, ingested: GraphStore
) -> None:
    api = client

    def listed() -> dict[str, str | None]:
        page = api.get("/actors", params={"limit": 500}).json()
        return {a["id"]: a["review"] for a in page["items"]}

    def relations_of(actor_id: str) -> dict[str, str | None]:
        r = api.get(f"/actors/{quote(actor_id, safe='')}")
        assert r.status_code == 200, r.text
        return {rel["key"]: rel["review"] for rel in r.json()["relations"]}

    assert set(listed().values()) == {None}  # nobody has looked yet: present, and null
    assert relations_of("a:trust")[PARTNERSHIP] is None
    record_decision(ingested, TargetKind.actor, "a:council", Action.accept, author="t")
    record_decision(ingested, TargetKind.relation, PARTNERSHIP, Action.reject, author="t")
    assert listed()["a:council"] == "accepted" and listed()["a:ministry"] is None
    assert api.get("/actors/a:council").json()["review"] == "accepted"
    # The actor page still shows a rejected relation, marked: that is where it is undone.
    assert relations_of("a:trust")[PARTNERSHIP] == "rejected"
    assert relations_of("a:network")[PARTNERSHIP] == "rejected"
    assert relations_of("a:trust")[f"works_on:a:trust->{THEME.id}"] is None


def test_service_review_openapi_tag_groups_the_decision_routes(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    assert "review" in {t["name"] for t in spec["tags"]}
    for path in ("/decisions", "/actors/{actor_id}/decisions", "/gaps/{gap_id}/decisions"):
        operations = spec["paths"][path].values()
        assert all(op["tags"] == ["review"] for op in operations), path
