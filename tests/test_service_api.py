"""The HTTP API against the real embedded store: auth, uploads, jobs, documents, graph, gaps."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govgraph.settings import Settings
from graph_schema.records import create_job, get_job
from graph_schema.store import GraphStore
from service.app import create_app
from service.auth import Scope, create_api_key
from service.jobs import JobStatus

PLAN = b"""# Riverton Safer Streets Strategy

The Riverton City Council leads the Safer Streets Strategy. The Council works in partnership
with the Riverton Youth Trust on youth violence prevention.

The Ministry of Justice funds the Riverton Youth Trust through the National Crime Prevention Fund.
"""


@pytest.fixture
def api(settings: Settings, store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    # Uploads go under a per-test data dir; the graph is the session's embedded store.
    cfg = settings.model_copy(update={"data_dir": tmp_path, "max_upload_bytes": 64 * 1024})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def keys(store: GraphStore) -> dict[str, str]:
    read, _ = create_api_key(store, "analyst", {Scope.read})
    write, _ = create_api_key(store, "uploader", {Scope.write})
    return {"read": read, "write": write}


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _wait_job(api: TestClient, job_id: str, key: str, timeout: float = 120) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/jobs/{job_id}", headers=_h(key)).json()
        if job["status"] in {JobStatus.done, JobStatus.failed}:
            return job  # type: ignore[no-any-return]
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish")


def test_service_health_and_readiness(api: TestClient, store_kind: str) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["store"] == store_kind


def test_service_auth_requires_a_valid_key(api: TestClient, keys: dict[str, str]) -> None:
    missing = api.get("/documents")
    assert missing.status_code == 401
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["status"] == 401
    assert api.get("/documents", headers=_h("ggk_deadbeef_nope")).status_code == 401
    assert api.get("/documents", headers=_h(keys["read"])).status_code == 200
    bearer = {"Authorization": f"Bearer {keys['read']}"}
    assert api.get("/documents", headers=bearer).status_code == 200


def test_service_read_key_cannot_write(api: TestClient, keys: dict[str, str]) -> None:
    r = api.post("/documents", headers=_h(keys["read"]), files={"files": ("a.md", PLAN)})
    assert r.status_code == 403 and "write" in r.json()["detail"]
    r = api.delete("/documents/" + "0" * 64, headers=_h(keys["read"]))
    assert r.status_code == 403


def test_service_revoked_key_is_refused(api: TestClient, store: GraphStore) -> None:
    from graph_schema.records import revoke_api_key

    secret, key = create_api_key(store, "temp", {Scope.read})
    assert api.get("/themes", headers=_h(secret)).status_code == 200
    revoke_api_key(store, key.prefix)
    assert api.get("/themes", headers=_h(secret)).status_code == 401


def test_service_upload_ingests_lists_and_deletes(api: TestClient, keys: dict[str, str]) -> None:
    r = api.post("/documents", headers=_h(keys["write"]), files={"files": ("strategy.md", PLAN)})
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/jobs/{r.json()['id']}"
    job = _wait_job(api, r.json()["id"], keys["write"])
    assert job["status"] == "done", job
    (result,) = job["results"]
    assert result["status"] == "written" and result["path"] == "strategy.md"
    doc_id = result["document_id"]

    listing = api.get("/documents", headers=_h(keys["read"])).json()
    assert [d["id"] for d in listing["items"]] == [doc_id] and listing["total"] == 1
    doc = api.get(f"/documents/{doc_id}", headers=_h(keys["read"])).json()
    assert doc["source_path"] == "strategy.md" and doc["passage_count"] >= 2

    actors = api.get("/actors", headers=_h(keys["read"]), params={"q": "riverton"}).json()
    names = {a["name"] for a in actors["items"]}
    assert any("Riverton City Council" in n for n in names), names
    council = next(a for a in actors["items"] if "Riverton City Council" in a["name"])
    detail = api.get(f"/actors/{council['id']}", headers=_h(keys["read"])).json()
    assert detail["relations"], detail
    assert all(rel["evidence"] for rel in detail["relations"])
    quote = detail["relations"][0]["evidence"][0]
    assert quote["document_id"] == doc_id and quote["quote"]

    # The same file again is reported unchanged, not duplicated.
    again = api.post(
        "/documents", headers=_h(keys["write"]), files={"files": ("strategy.md", PLAN)}
    )
    assert _wait_job(api, again.json()["id"], keys["write"])["results"][0]["status"] == "unchanged"

    assert api.delete(f"/documents/{doc_id}", headers=_h(keys["write"])).status_code == 204
    gone = api.get(f"/documents/{doc_id}", headers=_h(keys["read"]))
    assert gone.status_code == 404 and gone.json()["title"] == "NotFound"
    assert api.get("/actors", headers=_h(keys["read"])).json()["total"] == 0


def test_service_upload_limits_are_problems(api: TestClient, keys: dict[str, str]) -> None:
    big = api.post(
        "/documents", headers=_h(keys["write"]), files={"files": ("big.txt", b"a" * 70 * 1024)}
    )
    assert big.status_code == 413 and big.headers["content-type"].startswith(
        "application/problem+json"
    )
    binary = api.post(
        "/documents",
        headers=_h(keys["write"]),
        files={"files": ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4)},
    )
    assert binary.status_code == 415, binary.text
    empty = api.post("/documents", headers=_h(keys["write"]), files={"files": ("e.txt", b"")})
    assert empty.status_code == 422


def test_service_failed_file_is_reported_in_its_job(api: TestClient, keys: dict[str, str]) -> None:
    broken_pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"  # truncated: no xref, no pages
    r = api.post(
        "/documents",
        headers=_h(keys["write"]),
        files=[("files", ("plan.md", PLAN)), ("files", ("broken.pdf", broken_pdf))],
    )
    job = _wait_job(api, r.json()["id"], keys["write"])
    assert job["status"] == "done" and job["failed_files"] == 1
    by_name = {res["path"]: res for res in job["results"]}
    assert by_name["plan.md"]["status"] == "written"
    assert by_name["broken.pdf"]["status"] == "failed" and by_name["broken.pdf"]["error"]


def test_service_validation_errors_are_problems(api: TestClient, keys: dict[str, str]) -> None:
    r = api.get("/actors", headers=_h(keys["read"]), params={"level": "galactic"})
    assert r.status_code == 422 and r.json()["errors"]
    r = api.get("/gaps", headers=_h(keys["read"]), params={"level_pair": "local"})
    assert r.status_code == 422
    assert api.get("/gaps/nope", headers=_h(keys["read"])).status_code == 404
    assert api.get("/jobs/nope", headers=_h(keys["read"])).status_code == 404


def test_service_search_text_is_never_cypher(api: TestClient, keys: dict[str, str]) -> None:
    r = api.get("/actors", headers=_h(keys["read"]), params={"q": "x') DETACH DELETE n //"})
    assert r.status_code == 200 and r.json()["items"] == []


def test_service_gaps_and_metrics_answer(api: TestClient, keys: dict[str, str]) -> None:
    r = api.post("/documents", headers=_h(keys["write"]), files={"files": ("strategy.md", PLAN)})
    _wait_job(api, r.json()["id"], keys["write"])
    gaps = api.get("/gaps", headers=_h(keys["read"]), params={"min_score": 0})
    assert gaps.status_code == 200
    for finding in gaps.json()["items"]:
        assert {"id", "kind", "actors", "theme", "score", "explanation", "evidence"} <= set(finding)
        one = api.get(f"/gaps/{finding['id']}", headers=_h(keys["read"]))
        assert one.status_code == 200 and one.json()["id"] == finding["id"]
    metrics = api.get("/network/metrics", headers=_h(keys["read"]))
    assert metrics.status_code == 200 and "actors" in metrics.json()


def test_service_restart_resumes_queued_jobs(
    settings: Settings, store: GraphStore, tmp_path: Path, keys: dict[str, str]
) -> None:
    folder = tmp_path / "uploads" / "job-resume"
    folder.mkdir(parents=True)
    (folder / "000-plan.md").write_bytes(PLAN)
    files = [{"filename": "plan.md", "path": str(folder / "000-plan.md"), "size": len(PLAN)}]
    # A job the previous process queued, and one it was running when it died with its files gone.
    create_job(
        store, {"id": "job-resume", "status": "queued", "files": json.dumps(files), "attempts": 0}
    )
    gone = [{"filename": "x.md", "path": str(tmp_path / "missing.md"), "size": 1}]
    create_job(
        store, {"id": "job-lost", "status": "running", "files": json.dumps(gone), "attempts": 1}
    )

    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store)) as api:
        api.app.state.jobs.wait_idle()  # type: ignore[attr-defined]
        resumed = api.get("/jobs/job-resume", headers=_h(keys["read"])).json()
        assert resumed["status"] == "done" and resumed["results"][0]["status"] == "written"
    lost = get_job(store, "job-lost")
    assert lost is not None and lost["status"] == "failed" and "gone" in lost["error"]


def test_service_openapi_documents_every_route(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    for path in ("/documents", "/jobs/{job_id}", "/actors/{actor_id}", "/gaps", "/network/metrics"):
        assert path in spec["paths"], path
    assert all(op.get("summary") for ops in spec["paths"].values() for op in ops.values())
