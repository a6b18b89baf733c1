"""The workbench's pages against the real app and store (no browser): the review queue is
GET /review/queue's (reasons, paging, accept/reject in place), a relation's review state is
its own, every quote opens its passage in its document, and on a generated graph of 300
actors the network draws its best connected actors with a note of the rest while the actor
list pages through all of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest
from fastapi.testclient import TestClient
from test_service_review import BATCH, FUNDING, MEMO, MEMO_BATCH

from bench.api_graph import batches, synthesize
from graph_schema.reader import read_subgraph
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.app import create_app
from service.auth import Scope, create_api_key
from service.web import pages, queue

HX = {"HX-Request": "true"}


@pytest.fixture
def web(settings: Any, store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """The app with a logged-in write key (the workbench's session) and the same key sent
    as X-API-Key, so the API answers can be compared with the pages."""
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        secret, _ = create_api_key(store, "analyst", {Scope.write})
        login = client.post("/web/login", data={"key": secret, "next": "/web/"})
        assert login.status_code == 200, login.text
        client.headers["X-API-Key"] = secret
        yield client


def _html(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


def _queue_rows(doc: Any) -> list[tuple[str, str, float, list[str]]]:
    return [
        (
            tr.get("data-target-kind"),
            tr.get("data-target-id"),
            float(tr.xpath("string(td[contains(@class, 'score')])")),
            [li.get("data-signal") for li in tr.xpath(".//ul[@class='reasons']/li")],
        )
        for tr in doc.xpath("//tr[contains(@class, 'queue-item')]")
    ]


def test_web_queue_is_the_api_queue_paged_with_its_reasons(
    web: TestClient, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_document(store, BATCH)
    write_document(store, MEMO_BATCH)
    api = web.get("/review/queue", params={"limit": 200}).json()
    expected = [
        (i["target_kind"], i["target_id"], i["score"], [r["signal"] for r in i["reasons"]])
        for i in api["items"]
    ]
    kinds = {kind for kind, *_ in expected}
    assert kinds == {"actor", "relation"} and len(expected) >= 4

    monkeypatch.setattr(queue, "PAGE_SIZE", 3)
    first = _html(web.get("/web/"))
    assert _queue_rows(first) == expected[:3]
    assert first.xpath("//a[@rel='prev']") == []
    following = first.xpath("//a[@rel='next']/@href")[0]
    second = _html(web.get(following))
    assert _queue_rows(second) == expected[3:6]
    assert second.xpath("//a[@rel='prev']/@href")[0] == "/web/?offset=0"
    assert f"4–{min(6, len(expected))} of {len(expected)}" in second.text_content()
    # Each item shows the passages it is judged on, each linked to its passage.
    assert first.xpath("//tr[contains(@class, 'queue-item')]//a[@class='quote']")
    # The kind filter is the API's.
    only_actors = _html(web.get("/web/?kind=actor"))
    assert {k for k, *_ in _queue_rows(only_actors)} == {"actor"}


def test_web_queue_accepts_a_relation_in_place_and_it_leaves_the_queue(
    web: TestClient, store: GraphStore
) -> None:
    write_document(store, BATCH)
    write_document(store, MEMO_BATCH)
    page = _html(web.get("/web/?kind=relation"))
    row = page.xpath(f"//tr[@data-target-id='{FUNDING}']")[0]
    form = row.xpath(".//form")[0]
    block = row.xpath(".//div[@class='review-block']/@id")[0]
    assert form.get("hx-post") == "/web/actions/relation"
    done = web.post(
        "/web/actions/relation",
        data={"key": FUNDING, "action": "accept"},
        headers={**HX, "HX-Target": block},
    )
    assert done.status_code == 200 and 'data-status="accepted"' in done.text
    assert f'id="{block}"' in done.text  # the block htmx swaps in
    assert FUNDING not in [i for _, i, *_ in _queue_rows(_html(web.get("/web/")))]
    # The actor page reads the relation's own review state.
    actor = _html(web.get("/web/actors/" + quote("a:football", safe="")))
    section = actor.xpath(f"//section[@data-relation-key='{FUNDING}']")[0]
    assert section.xpath("string(.//span[contains(@class, 'status')])") == "accepted"


def test_web_quote_opens_its_passage_in_its_document_highlighted(
    web: TestClient, store: GraphStore
) -> None:
    write_document(store, BATCH)
    write_document(store, MEMO_BATCH)
    actor = _html(web.get("/web/actors/" + quote("a:football", safe="")))
    link = actor.xpath(f"//section[@data-relation-key='{FUNDING}']//a[@class='quote']")[0]
    href = link.get("href")
    assert href.startswith(f"/web/documents/{MEMO.id}?") and href.endswith("#quoted")
    passage = _html(web.get(href.split("#")[0]))
    quoted = passage.xpath("//section[@id='quoted']")[0]
    assert quoted.get("data-passage-id") == MEMO.passages[1].id
    assert quoted.xpath("string(.//mark)") == link.text_content() == MEMO.passages[1].text
    # The whole document is there, in order, the quoted passage among the others.
    shown = [s.get("data-passage-id") for s in passage.xpath("//section[@data-passage-id]")]
    assert shown == [p.id for p in MEMO.passages]

    base = f"/web/documents/{MEMO.id}"
    pid = MEMO.passages[1].id
    outside = web.get(base, params={"passage": pid, "start": 0, "end": 10_000})
    assert outside.status_code == 422 and "outside the passage" in outside.json()["detail"]
    assert web.get(base, params={"start": 0, "end": 3}).status_code == 422
    assert web.get(base, params={"passage": "nope"}).status_code == 404
    assert web.get("/web/documents/" + "0" * 64).status_code == 404
    assert web.get(base).status_code == 200  # the document alone, nothing highlighted


def test_web_network_caps_what_it_draws_and_the_actor_list_pages(
    web: TestClient, store: GraphStore
) -> None:
    syn = synthesize(300, 900)
    for batch in batches(syn, docs=5):
        write_document(store, batch)
    actor_ids = {a.id for a in syn.actors}

    network = _html(web.get("/web/network", params={"max_actors": 40}))
    elements = json.loads(network.xpath("string(//script[@id='network-elements'])"))
    drawn = {e["data"]["id"] for e in elements if e["group"] == "nodes"}
    assert len(drawn) == 40 and drawn <= actor_ids
    assert network.xpath("string(//*[@id='node-count'])") == "40"
    note = network.xpath("//*[@id='hidden-note']")[0]
    assert note.get("data-hidden") == "260" and "260 more actors" in note.text_content()
    assert network.xpath("//*[@id='hidden-note']//a[contains(@href, 'max_actors=300')]")
    # The drawn ones are the best connected: none left out has more ties than one drawn.
    subgraph = read_subgraph(store)
    degree = dict.fromkeys(actor_ids, 0)
    for r in subgraph.relations:
        if r.source in actor_ids and r.target in actor_ids and r.source != r.target:
            degree[r.source] += 1
            degree[r.target] += 1
    assert min(degree[i] for i in drawn) >= max(degree[i] for i in actor_ids - drawn)
    # Every tie drawn joins two drawn actors.
    ends = {e["data"][k] for e in elements if e["group"] == "edges" for k in ("source", "target")}
    assert ends <= drawn
    # Within the cap, nothing is hidden.
    everyone = _html(web.get("/web/network", params={"max_actors": 300}))
    assert everyone.xpath("string(//*[@id='node-count'])") == "300"
    assert everyone.xpath("//*[@id='hidden-note']") == []
    assert web.get("/web/network", params={"max_actors": 0}).status_code == 422

    seen: list[str] = []
    url: str | None = "/web/actors"
    while url:
        page = _html(web.get(url))
        rows = page.xpath("//tr[@data-actor-id]/@data-actor-id")
        assert 0 < len(rows) <= pages.ACTORS_PER_PAGE
        seen += rows
        nexts = page.xpath("//a[@rel='next']/@href")
        url = nexts[0] if nexts else None
    assert len(seen) == len(set(seen)) == 300 and set(seen) == actor_ids
    assert len(seen) // pages.ACTORS_PER_PAGE == 6  # six pages of 50, each a slice
    last = _html(web.get("/web/actors?offset=250"))
    assert "251–300 of 300" in last.text_content() and last.xpath("//a[@rel='prev']")


def test_web_a_reviewed_finding_no_longer_found_keeps_its_page(
    web: TestClient, store: GraphStore
) -> None:
    # A finding recomputed away (its document replaced) is no 404 once someone reviewed
    # it: its page says it is gone and shows the decisions, status included.
    from graph_schema.decisions import Action, TargetKind, record_decision

    gone = "gap_0123456789abcdef"
    assert web.get(f"/web/gaps/{gone}").status_code == 404  # never reviewed: not found
    record_decision(
        store, TargetKind.gap, gone, Action.validated, author="analyst", note="seen in the field"
    )
    doc = _html(web.get(f"/web/gaps/{gone}"))
    assert "no longer in the current graph" in doc.xpath("string(//*[@id='gap-gone'])")
    assert doc.xpath("string(//*[@id='gap-review']//span[contains(@class,'status')])") == (
        "validated"
    )
    assert "seen in the field" in doc.xpath("string(//table[contains(@class,'decisions')])")
    assert not doc.xpath("//*[@id='gap-review']//button")  # nothing to act on
