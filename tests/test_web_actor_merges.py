"""The actor page's merge form against the real app and store (no browser): the form posts
POST /actors/{id}/decisions merge_into through the API's route, the block says what it did,
the target's page then lists the merged actor's relations and the merged one's page says
where it went; a refused merge is the API's 422."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient
from graph_fixtures import STRATEGY_BATCH

from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.app import create_app
from service.auth import Scope, create_api_key

HX = {"HX-Request": "true"}


@pytest.fixture
def web(settings: Any, store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        secret, _ = create_api_key(store, "curator", {Scope.write})
        login = client.post("/web/login", data={"key": secret, "next": "/web/"})
        assert login.status_code == 200, login.text
        client.headers["X-API-Key"] = secret
        yield client


def _html(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


def test_web_actor_merge_form_merges_and_the_pages_follow(
    web: TestClient, store: GraphStore
) -> None:
    write_document(store, STRATEGY_BATCH)
    page = _html(web.get("/web/actors/a:ministry"))
    (form,) = page.xpath("//div[@id='actor-identity']//form[contains(@class, 'merge')]")
    assert form.get("hx-post") == "/web/actions/actor-merge"
    own = set(page.xpath("//section/@data-relation-key"))
    assert own

    done = web.post(
        "/web/actions/actor-merge",
        data={"actor_id": "a:ministry", "into": "a:council", "reason": "one body"},
        headers={**HX, "HX-Target": "actor-identity"},
    )

    block = _html(done)
    assert block.get("id") == "actor-identity"
    assert block.xpath("string(.//p[@class='merged']/@data-merged-into)") == "a:council"
    council = _html(web.get("/web/actors/a:council"))
    assert own <= set(council.xpath("//section/@data-relation-key"))
    assert "Ministry of Justice" in council.xpath("string(//div[@id='actor-identity'])")
    ministry = _html(web.get("/web/actors/a:ministry"))
    assert ministry.xpath("string(//p[@class='merged']/@data-merged-into)") == "a:council"
    assert not ministry.xpath("//div[@id='actor-identity']//form")

    refused = web.post(
        "/web/actions/actor-merge",
        data={"actor_id": "a:trust", "into": "a:nobody"},
        headers={**HX, "HX-Target": "actor-identity"},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "No actor" in refused.json()["detail"]
