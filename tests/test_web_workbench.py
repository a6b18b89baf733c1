"""The web workbench's session and scope rules, against the real app and store (no browser):
the same keys as the API, read vs write kept, no login with authentication off, no open
redirect, the install hint when the npm assets are missing, and the actor page's relation
corrections (change kind, reverse) through the API's own decision route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import actor, batch_for, make_document, relation

from graph_schema.model import RelationKind, relation_key
from graph_schema.records import revoke_api_key
from graph_schema.relation_decisions import ACTOR_TIE_KINDS
from graph_schema.writer import write_document
from service.app import create_app
from service.auth import Scope, create_api_key
from service.web import assets
from service.web.session import COOKIE


@pytest.fixture
def web(settings: Any, store: Any, tmp_path: Path) -> Iterator[TestClient]:
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        yield client


def _login(web: TestClient, key: str, next_url: str = "/web/") -> Any:
    return web.post("/web/login", data={"key": key, "next": next_url}, follow_redirects=False)


def test_web_workbench_pages_need_a_login(web: TestClient) -> None:
    page = web.get("/web/network?level=local", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/web/login?next=/web/network%3Flevel%3Dlocal"
    # An htmx call is told where to go (HX-Redirect), not handed the login page to swap in.
    call = web.post(
        "/web/actions/actor",
        data={"actor_id": "actor:x", "action": "accept"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/web/"},
        follow_redirects=False,
    )
    assert call.status_code == 401 and call.headers["HX-Redirect"].startswith("/web/login")
    assert web.get("/", follow_redirects=False).headers["location"] == "/web/"


def test_web_workbench_read_key_looks_but_cannot_decide(web: TestClient, store: Any) -> None:
    wrong = _login(web, "ggk_00000000_nope")
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.text
    assert COOKIE not in wrong.cookies
    secret, key = create_api_key(store, "reader", {Scope.read})
    ok = _login(web, secret, "/web/gaps")
    assert ok.status_code == 303 and ok.headers["location"] == "/web/gaps"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age" not in cookie
    queue = web.get("/web/")
    assert queue.status_code == 200 and "reader (read only)" in queue.text
    refused = web.post(
        "/web/actions/actor",
        data={"actor_id": "actor:x", "action": "reject"},
        headers={"HX-Request": "true", "HX-Target": "review-1"},
    )
    assert refused.status_code == 403 and "lacks the 'write' scope" in refused.json()["detail"]
    # A revoked key stops working here too, at once in this process.
    revoke_api_key(store, key.prefix)
    again = web.get("/web/", follow_redirects=False)
    assert again.status_code == 303 and "reason=" in again.headers["location"]


def test_web_workbench_write_key_actions_need_htmx_and_known_targets(
    web: TestClient, store: Any
) -> None:
    secret, _ = create_api_key(store, "analyst", {Scope.write})
    assert _login(web, secret).status_code == 303
    form = {"actor_id": "actor:nobody", "action": "accept"}
    # A plain cross-site form post cannot set HX-Request.
    assert web.post("/web/actions/actor", data=form).status_code == 403
    hx = {"HX-Request": "true", "HX-Target": "review-1"}
    missing = web.post("/web/actions/actor", data=form, headers=hx)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    bad = web.post("/web/actions/actor", data={**form, "action": "validated"}, headers=hx)
    assert bad.status_code == 422 and "accept, reject" in bad.json()["detail"]
    assert web.get("/web/actors?level=nowhere").status_code == 422
    assert web.get("/web/?kind=nowhere").status_code == 422
    assert web.get("/web/?offset=-1").status_code == 422
    assert web.get("/web/network?theme=nonsense").status_code == 422
    assert web.get("/web/actors?type=&level=&review=all").status_code == 200  # "any": no filter
    assert web.get("/web/?kind=").status_code == 200


def test_web_workbench_login_goes_only_to_workbench_pages(web: TestClient, store: Any) -> None:
    secret, _ = create_api_key(store, "analyst", {Scope.read})
    for target in ("https://evil.example/", "//evil.example/web/", "/docs"):
        assert _login(web, secret, target).headers["location"] == "/web/"


def test_web_workbench_without_auth_needs_no_login(
    settings: Any, store: Any, tmp_path: Path
) -> None:
    cfg = settings.model_copy(update={"data_dir": tmp_path, "auth_disabled": True})
    with TestClient(create_app(cfg, store=store)) as client:
        login = client.get("/web/login?next=/web/gaps", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/web/gaps"
        page = client.get("/web/")
        assert page.status_code == 200 and "no login (dev)" in page.text


def test_web_workbench_says_how_to_install_missing_assets(
    web: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        assets.ASSETS, "htmx", assets.Asset("htmx.org", tmp_path / "absent", "htmx.min.js")
    )
    page = web.get("/web/login")
    assert page.status_code == 200
    assert 'id="assets-missing"' in page.text and "./dev setup" in page.text
    assert "htmx.min.js" not in page.text  # no script tag for a file that is not there


def test_web_workbench_actor_page_changes_a_ties_kind_and_reverses_it(
    web: TestClient, store: Any
) -> None:
    doc = make_document("The City Council partners with Youth Aid on the night patrols.")
    write_document(
        store,
        batch_for(
            doc,
            [actor("a:council", "City Council"), actor("a:youth", "Youth Aid", "non_state", "ngo")],
            [relation(doc, RelationKind.partnership, "a:council", "a:youth")],
        ),
    )
    tie = relation_key(RelationKind.partnership, "a:council", "a:youth")
    secret, _ = create_api_key(store, "analyst", {Scope.write})
    assert _login(web, secret).status_code == 303
    page = web.get("/web/actors/a:council")
    assert page.status_code == 200
    # The seven tie kinds to choose from, and no reverse for a symmetric partnership.
    options = re.findall(r'<option value="([a-z_]+)"', page.text)
    assert sorted(options) == sorted(k.value for k in ACTOR_TIE_KINDS) and len(options) == 7
    assert 'value="change_kind"' in page.text and 'value="reverse"' not in page.text

    hx = {"HX-Request": "true", "HX-Target": "relation-tie-1"}
    form = {"key": tie, "actor_id": "a:council", "action": "change_kind", "kind": "funding"}
    changed = web.post("/web/actions/relation-correction", data=form, headers=hx)
    assert changed.status_code == 200, changed.text
    assert 'id="relation-tie-1"' in changed.text and 'data-kind="funding"' in changed.text
    assert "extracted as partnership" in changed.text and 'value="reverse"' in changed.text
    # Recorded as POST /relations/{key}/decisions records it, and the API reads the tie so.
    audit = web.get(f"/relations/{tie}/decisions", headers={"X-API-Key": secret}).json()
    assert [d["action"] for d in audit["items"]] == ["change_kind"]
    assert audit["items"][0]["author"] == "analyst"

    form["action"] = "reverse"
    reversed_ = web.post("/web/actions/relation-correction", data=form, headers=hx)
    assert reversed_.status_code == 200, reversed_.text
    assert 'data-direction="in"' in reversed_.text and "reversed by review" in reversed_.text
    detail = web.get("/actors/a:council", headers={"X-API-Key": secret}).json()
    (rel,) = detail["relations"]
    assert (rel["kind"], rel["reversed"], rel["source"]) == ("funding", True, "a:youth")
    # The page read again shows the correction; the youth NGO now funds the council.
    again = web.get("/web/actors/a:youth").text
    assert 'data-kind="funding" data-direction="out"' in again

    # The API's refusals come back as its problems, and nothing is recorded.
    same = web.post(
        "/web/actions/relation-correction", data={**form, "action": "change_kind"}, headers=hx
    )
    assert same.status_code == 422 and "already of kind funding" in same.json()["detail"]
    bad = web.post(
        "/web/actions/relation-correction",
        data={**form, "action": "change_kind", "kind": "works_on"},
        headers=hx,
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(
        "application/problem+json"
    )
    unknown = web.post(
        "/web/actions/relation-correction", data={**form, "action": "merge"}, headers=hx
    )
    assert unknown.status_code == 422 and "change_kind, reverse" in unknown.json()["detail"]
    audit = web.get(f"/relations/{tie}/decisions", headers={"X-API-Key": secret}).json()
    assert [d["action"] for d in audit["items"]] == ["reverse", "change_kind"]
