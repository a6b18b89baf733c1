"""The review workbench in a real browser (issue 15, item 6): Playwright drives Debian's
Chromium through a real ``govgraph serve`` on the embedded store, with authentication on.

One run of the main flows: log in with a key, accept a relation in the review queue, reject
an actor, accept a relation, open a quote's passage, validate a finding, change a network
filter and see the node count change, reload and see the decisions kept, then upload a new
version of the document they rest on and see them still applied.
Screenshots of each page go to ``$GOVGRAPH_SCREENSHOTS`` when set (docs/workbench/ in the
README was made so), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from service.web.assets import missing_assets

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the dev extras install it
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        sync_playwright is None, reason="playwright not installed (pip install -e '.[dev]')"
    ),
    pytest.mark.skipif(
        bool(missing_assets()),
        reason=f"workbench assets not installed ({', '.join(missing_assets())}): ./dev setup runs npm ci",
    ),
]


# As the ``govgraph`` console script runs it (``python -m service.cli`` runs the module twice,
# as __main__ and as service.cli, which import cycles between command modules can trip).
GOVGRAPH = (sys.executable, "-c", "from service.cli import run; run()")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GOVGRAPH_"))}
    return {**env, "GOVGRAPH_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}


class Server:
    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.key = key
        self.api = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60)

    def upload(self, files: list[Path], **form: str) -> list[dict[str, Any]]:
        """Upload through POST /documents and wait for the job; its per-file results."""
        parts = [("files", (f.name, f.read_bytes(), "text/plain")) for f in files]
        job = self.api.post("/documents", files=parts, data=form)
        assert job.status_code == 202, job.text
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            view = self.api.get(f"/jobs/{job.json()['id']}").json()
            if view["status"] in {"done", "failed"}:
                assert view["status"] == "done" and not view["failed_files"], view
                return list(view["results"])
            time.sleep(0.1)
        raise AssertionError("the ingestion job did not finish")

    def actor(self, actor_id: str) -> dict[str, Any]:
        r = self.api.get("/actors/" + quote(actor_id, safe=""))
        assert r.status_code == 200, r.text
        return dict(r.json())


def _create_key(data_dir: Path) -> str:
    """A write key made in this process on the store ``serve`` runs (the embedded server of
    its data directory is found and shared, not started again): the CLI's ``keys create``
    is the same function, but a second interpreter and a second store start and stop cost
    ~15 s of this test's time on 2 shared cores."""
    from govgraph.settings import Settings
    from graph_schema.store import open_store
    from service.auth import Scope, create_api_key

    cfg = Settings(_env_file=None, data_dir=data_dir, NEO4J_URI=None)
    store = open_store(cfg)
    try:
        secret, _ = create_api_key(store, "analyst", {Scope.write})
    finally:
        store.close()
    return secret


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("workbench")
    env = _env(work / "data")
    port = _free_port()
    proc = subprocess.Popen(
        [*GOVGRAPH, "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"serve exited ({proc.returncode})"
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve never became ready"
            time.sleep(0.1)
        # Authentication is on from the start (no key, no answer): the key is made now.
        assert httpx.get(f"{base}/actors").status_code == 401
        key = _create_key(work / "data")
        srv = Server(base, key)
        srv.upload(
            sorted((EXAMPLES / "docs").iterdir()) + sorted((EXAMPLES / "transcripts").iterdir())
        )
        yield srv
        srv.api.close()
    finally:
        proc.terminate()  # a clean stop: serve stops the embedded store it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("GOVGRAPH_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _status(page: Page, block: str) -> Any:
    return page.locator(f"{block} .status")


def _pick_targets(srv: Server, queue_ids: list[str]) -> tuple[str, str, str, str]:
    """An actor to reject (the least confident that has a document), a relation between two
    other actors in that document, the relation's actor page, and the document."""
    for reject_id in queue_ids:
        doc_ids = srv.actor(reject_id).get("doc_ids") or []
        for other_id in queue_ids:
            if other_id == reject_id:
                continue
            for r in srv.actor(other_id)["relations"]:
                ends = {r["source"], r["target"]}
                if (
                    reject_id not in ends
                    and r["other_label"] == "Actor"
                    and set(r["doc_ids"]) & set(doc_ids)
                ):
                    return (
                        reject_id,
                        r["key"],
                        other_id,
                        sorted(set(r["doc_ids"]) & set(doc_ids))[0],
                    )
    raise AssertionError("no actor and relation share a document in the examples")


def test_web_workbench_main_flows_in_chromium(server: Server, shots: Path, tmp_path: Path) -> None:
    shots_tmp = tmp_path
    srv = server
    assert sync_playwright is not None and CHROMIUM is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(20_000)

        # Not logged in: the queue sends the browser to the login page; a wrong key is refused.
        page.goto(f"{srv.base}/")
        expect(page).to_have_url(re.compile(r"/web/login\?next=/web/"))
        page.fill("#api-key", "ggk_00000000_not-a-key")
        page.click("#login")
        expect(page.locator("#login-error")).to_contain_text("unknown or revoked")
        page.screenshot(path=str(shots / "login.png"))
        page.fill("#api-key", srv.key)
        page.click("#login")
        expect(page).to_have_url(re.compile(r"/web/$"))
        expect(page.locator("#assets-missing")).to_have_count(0)

        # The review queue (GET /review/queue's): highest score first, each item with its
        # reasons; accept a relation in place, and it leaves the queue.
        items = page.locator("tr.queue-item")
        expect(items.first).to_be_visible()
        scores = [float(t) for t in page.locator("tr.queue-item td.score").all_inner_texts()]
        assert scores == sorted(scores, reverse=True) and len(scores) > 5
        assert page.locator("tr.queue-item ul.reasons li").count() >= len(scores)
        page.screenshot(path=str(shots / "queue.png"), full_page=True)
        queued = srv.api.get("/review/queue", params={"kind": "relation", "limit": 200}).json()
        item = page.locator('tr.queue-item[data-target-kind="relation"]').first
        queued_key = item.get_attribute("data-target-id") or ""
        queued_source = next(i["source"] for i in queued["items"] if i["target_id"] == queued_key)
        item.locator("button.act.accept").click()
        expect(item.locator(".status")).to_have_text("accepted")
        again = srv.api.get("/review/queue", params={"kind": "relation", "limit": 200}).json()
        assert queued_key not in {i["target_id"] for i in again["items"]}
        if again["total"] + 1 > 20:  # more than a page: next shows the following items
            page.click("a.next >> nth=0")
            expect(page).to_have_url(re.compile(r"offset=20"))
            expect(page.locator("tr.queue-item").first).to_be_visible()

        # The actor list: least confident first, paged.
        page.goto(f"{srv.base}/web/actors")
        rows = page.locator("tr[data-actor-id]")
        expect(rows.first).to_be_visible()
        queue_ids = [rows.nth(i).get_attribute("data-actor-id") or "" for i in range(rows.count())]
        confidences = [
            float(t)
            for t in page.locator("tr[data-actor-id] td.num:nth-child(4)").all_inner_texts()
        ]
        assert confidences == sorted(confidences) and len(queue_ids) > 5
        page.screenshot(path=str(shots / "actors.png"), full_page=True)
        reject_id, relation_key, relation_actor, doc_id = _pick_targets(srv, queue_ids)

        # Reject an actor from the list (htmx swaps its status in place).
        row = page.locator(f'tr[data-actor-id="{reject_id}"]')
        row.locator("button.act.reject").click()
        expect(row.locator(".status")).to_have_text("rejected")
        assert all(a["id"] != reject_id for a in srv.api.get("/actors?limit=500").json()["items"])

        # Accept a relation on an actor page.
        page.goto(f"{srv.base}/web/actors/{quote(relation_actor, safe='')}")
        section = page.locator(f'section.relation[data-relation-key="{relation_key}"]')
        section.locator("button.act.accept").click()
        expect(section.locator(".status")).to_have_text("accepted")
        expect(section.locator("blockquote").first).to_be_visible()  # its quote, with its source
        page.screenshot(path=str(shots / "actor.png"), full_page=True)

        # Its quote opens the passage in its document, the quote highlighted.
        link = section.locator("a.quote").first
        quote_text = link.inner_text()
        link.click()
        expect(page).to_have_url(re.compile(r"/web/documents/.+#quoted$"))
        expect(page.locator("#quoted mark")).to_have_text(quote_text)
        expect(page.locator("#quoted .where")).not_to_be_empty()
        page.screenshot(path=str(shots / "passage.png"))

        # Validate a finding with a note.
        page.goto(f"{srv.base}/web/gaps")
        page.screenshot(path=str(shots / "findings.png"), full_page=True)
        page.locator("table.gaps a").first.click()
        expect(page).to_have_url(re.compile(r"/web/gaps/gap_"))
        gap_url = page.url
        page.fill("#gap-review input[name=note]", "confirmed in the validation workshop")
        page.click("#gap-review button.act.validated")
        expect(_status(page, "#gap-review")).to_have_text("validated")
        page.screenshot(path=str(shots / "finding.png"), full_page=True)

        # The network: a level filter changes what is drawn; a node opens its actor page.
        page.goto(f"{srv.base}/web/network")
        drawn = page.locator("#network[data-drawn]")
        expect(drawn).to_have_count(1)
        everyone = int(drawn.get_attribute("data-drawn") or 0)
        assert everyone > 0
        assert page.evaluate(f"window.govgraphNetwork.getElementById({reject_id!r}).length") == 0
        assert page.evaluate("window.govgraphNetwork.edges('[?gap]').length") > 0
        page.screenshot(path=str(shots / "network.png"))
        page.select_option("#network-filters select[name=level]", "local")
        expect(page).to_have_url(re.compile(r"level=local"))
        local = int(page.locator("#network[data-drawn]").get_attribute("data-drawn") or 0)
        assert 0 < local < everyone
        assert page.locator("#node-count").inner_text() == str(local)
        node = page.evaluate("window.govgraphNetwork.nodes()[0].renderedPosition()")
        box = page.locator("#network").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + node["x"], box["y"] + node["y"])
        expect(page).to_have_url(re.compile(r"/web/actors/actor"))

        def decisions_applied() -> None:
            page.goto(f"{srv.base}/web/actors?review=rejected")
            expect(page.locator(f'tr[data-actor-id="{reject_id}"] .status')).to_have_text(
                "rejected"
            )
            page.goto(f"{srv.base}/web/actors")
            expect(page.locator(f'tr[data-actor-id="{reject_id}"]')).to_have_count(0)
            accepted = [r for r in srv.actor(queued_source)["relations"] if r["key"] == queued_key]
            assert [r["review"] for r in accepted] == ["accepted"]
            audit = srv.api.get("/decisions", params={"target_id": relation_key}).json()
            assert [d["action"] for d in audit["items"]] == ["accept"], audit
            if any(r["key"] == relation_key for r in srv.actor(relation_actor)["relations"]):
                page.goto(f"{srv.base}/web/actors/{quote(relation_actor, safe='')}")
                section = page.locator(f'section.relation[data-relation-key="{relation_key}"]')
                expect(section.locator(".status")).to_have_text("accepted")
            # else: the new version's extraction did not find the tie again (one document
            # extracted alone can reject an end it mentions once); the decision is kept
            page.goto(gap_url)
            gap_id = gap_url.rsplit("/", 1)[-1]
            if srv.api.get(f"/gaps/{gap_id}").status_code == 404:
                # The new version changed the finding (its theme, say): the page says so and
                # still shows what the analyst decided on it.
                expect(page.locator("#gap-gone")).to_contain_text("no longer in the current")
            expect(_status(page, "#gap-review")).to_have_text("validated")
            expect(page.locator("table.decisions")).to_contain_text(
                "confirmed in the validation workshop"
            )

        # Reload: every decision is kept.
        decisions_applied()

        # A new version of the document they rest on: re-extracted, decisions still applied.
        name = srv.api.get("/documents/" + quote(doc_id, safe="")).json()["source_path"]
        source = next(p for p in EXAMPLES.rglob(name) if p.is_file())
        new_version = shots_tmp / source.name
        new_version.write_text(
            source.read_text(encoding="utf-8") + "\n\nA line added after the review.\n",
            encoding="utf-8",
        )
        results = srv.upload([new_version], replace=doc_id)
        assert [r["status"] for r in results] == ["replaced"], results
        assert srv.api.get("/documents/" + quote(doc_id, safe="")).status_code == 404
        decisions_applied()
        browser.close()
