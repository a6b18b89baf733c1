"""The background warm-up of the analysis answers (service/warm.py) against the real store:
it fills the cache under the routes' own keys, with the same answers a cold request computes,
and follows every change of the graph (ingestion jobs, deletions, writes by other processes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graph_fixtures import actor, batch_for, make_document, relation

from govgraph.settings import Settings
from graph_schema.model import EntityNode, GraphBatch, Label, RelationKind
from graph_schema.reader import graph_version
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from service.app import create_app
from service.auth import Scope, create_api_key

THEMES = ("youth_violence", "policing")


def _works(x: str, theme: str) -> Callable[[Any], Any]:
    return lambda d: relation(d, RelationKind.works_on, x, theme, target_label=Label.Theme)


def _batch(text: str, path: str, entities: list[Any], relations: list[Any]) -> GraphBatch:
    doc = make_document(text, source_path=path)
    return batch_for(doc, entities, [r(doc) for r in relations])


def _graph(store: GraphStore) -> GraphBatch:
    council = actor("a:council", "Riverton City Council", "local", "government")
    trust = actor("a:trust", "Riverton Youth Trust", "non_state", "ngo")
    police = actor("a:police", "National Police", "national", "police_justice")
    themes = [EntityNode(label=Label.Theme, id=t, name=t.replace("_", " ")) for t in THEMES]
    first = _batch(
        "The Council and the Trust work on youth violence.\n\nThe Police patrol.",
        "plan.md",
        [council, trust, police, *themes],
        [
            _works("a:council", "youth_violence"),
            _works("a:trust", "youth_violence"),
            _works("a:police", "policing"),
            _works("a:council", "policing"),
            lambda d: relation(d, RelationKind.funding, "a:police", "a:council", passage=1),
        ],
    )
    write_document(store, first)
    return first


def _link(store: GraphStore) -> GraphBatch:
    council = actor("a:council", "Riverton City Council", "local", "government")
    trust = actor("a:trust", "Riverton Youth Trust", "non_state", "ngo")
    link = _batch(
        "The Council coordinates with the Trust on youth violence.",
        "minutes.md",
        [council, trust],
        [lambda d: relation(d, RelationKind.coordinates, "a:council", "a:trust")],
    )
    write_document(store, link)
    return link


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the analysis runs (warm-up and requests alike)."""
    import service.routes.gaps as gaps_route

    calls = {"gaps": 0, "metrics": 0}
    real_gaps, real_metrics = gaps_route.find_gaps, gaps_route.network_metrics

    def find_gaps(*args: Any, **kwargs: Any) -> Any:
        calls["gaps"] += 1
        return real_gaps(*args, **kwargs)

    def network_metrics(*args: Any, **kwargs: Any) -> Any:
        calls["metrics"] += 1
        return real_metrics(*args, **kwargs)

    monkeypatch.setattr(gaps_route, "find_gaps", find_gaps)
    monkeypatch.setattr(gaps_route, "network_metrics", network_metrics)
    return calls


def _app(settings: Settings, store: GraphStore, tmp_path: Path, **update: Any) -> TestClient:
    cfg = settings.model_copy(update={"data_dir": tmp_path, "warm_answers": True, **update})
    return TestClient(create_app(cfg, store=store), raise_server_exceptions=False)


@pytest.fixture
def key(store: GraphStore) -> dict[str, str]:
    secret, _ = create_api_key(store, "analyst", {Scope.write})
    return {"X-API-Key": secret}


def _answers(api: TestClient, key: dict[str, str]) -> dict[str, Any]:
    out = {}
    for theme in (*THEMES, None):
        params = {"theme": theme} if theme else {}
        gaps = api.get("/gaps", headers=key, params=params)
        metrics = api.get("/network/metrics", headers=key, params=params)
        assert gaps.status_code == metrics.status_code == 200, gaps.text + metrics.text
        out[theme] = (gaps.json(), metrics.json())
    return out


def _cold_answers(settings: Settings, store: GraphStore, tmp: Path, key: dict[str, str]) -> Any:
    with _app(settings, store, tmp, warm_answers=False) as cold:
        return _answers(cold, key)


def test_service_warm_serves_every_theme_from_the_cache_with_the_cold_answers(
    settings: Settings,
    store: GraphStore,
    tmp_path: Path,
    key: dict[str, str],
    counting: dict[str, int],
) -> None:
    _graph(store)
    with _app(settings, store, tmp_path) as api:
        warmer = api.app.state.warmer  # type: ignore[attr-defined]
        assert warmer.wait_idle(120)
        run = warmer.last
        assert run is not None and run.complete and sorted(run.themes) == sorted(THEMES)
        # Two themes and the whole graph, gaps and metrics for each.
        assert counting == {"gaps": 3, "metrics": 3} and run.computed == 6
        warm = _answers(api, key)
        assert counting == {"gaps": 3, "metrics": 3}  # every request was a cache hit
        # Nothing new to do for the same graph version: no snapshot read, nothing computed.
        assert warmer.run_once().computed == 0
    assert warm == _cold_answers(settings, store, tmp_path / "cold", key)
    assert counting == {"gaps": 6, "metrics": 6}  # the cold app computed them itself


def test_service_warm_follows_deletions_and_jobs(
    settings: Settings,
    store: GraphStore,
    tmp_path: Path,
    key: dict[str, str],
    counting: dict[str, int],
) -> None:
    _graph(store)
    link = _link(store)
    with _app(settings, store, tmp_path) as api:
        warmer = api.app.state.warmer  # type: ignore[attr-defined]
        assert warmer.wait_idle(120)
        assert api.delete(f"/documents/{link.document.id}", headers=key).status_code == 204
        assert warmer.wait_idle(120)
        assert warmer.last.version == graph_version(store)
        before = dict(counting)
        _answers(api, key)
        assert counting == before  # the new version's answers were warm

        # An upload: the job tells the warmer when it has written the document.
        plan = b"The Riverton City Council works with the Riverton Youth Trust on youth violence."
        r = api.post("/documents", headers=key, files={"files": ("strategy.md", plan)})
        assert r.status_code == 202
        api.app.state.jobs.wait_idle()  # type: ignore[attr-defined]
        deadline = time.monotonic() + 120
        while warmer.last.version != graph_version(store) and time.monotonic() < deadline:
            assert warmer.wait_idle(120)
            time.sleep(0.05)
        assert warmer.last.version == graph_version(store) and warmer.last.complete
        before = dict(counting)
        _answers(api, key)
        assert counting == before


def test_service_warm_notices_writes_by_other_processes(
    settings: Settings,
    store: GraphStore,
    tmp_path: Path,
    key: dict[str, str],
    counting: dict[str, int],
) -> None:
    _graph(store)
    with _app(settings, store, tmp_path, warm_answers_poll_seconds=0.2) as api:
        warmer = api.app.state.warmer  # type: ignore[attr-defined]
        assert warmer.wait_idle(120)
        first = warmer.last.version
        _link(store)  # as a CLI ingest would: nobody tells this app
        deadline = time.monotonic() + 60
        while (warmer.last.version == first or not warmer.last.complete) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.1)
        assert warmer.last.version == graph_version(store) != first
        before = dict(counting)
        warm = _answers(api, key)
        assert counting == before
    assert warm == _cold_answers(settings, store, tmp_path / "cold", key)


def test_service_warm_is_off_when_disabled(
    settings: Settings,
    store: GraphStore,
    tmp_path: Path,
    key: dict[str, str],
    counting: dict[str, int],
) -> None:
    _graph(store)
    with _app(settings, store, tmp_path, warm_answers=False) as api:
        time.sleep(0.3)
        assert counting == {"gaps": 0, "metrics": 0}
        api.get("/gaps", headers=key, params={"theme": "policing"})
        assert counting["gaps"] == 1


def test_service_warm_primes_the_actor_read_path_once(
    settings: Settings,
    store: GraphStore,
    tmp_path: Path,
    key: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import service.warm as warm

    read: list[str] = []
    real = warm.actor_detail

    def counting(store: GraphStore, actor_id: str, **kw: Any) -> Any:
        read.append(actor_id)
        return real(store, actor_id, **kw)

    monkeypatch.setattr(warm, "actor_detail", counting)
    _graph(store)
    with _app(settings, store, tmp_path) as api:
        warmer = api.app.state.warmer  # type: ignore[attr-defined]
        assert warmer.wait_idle(120)
        assert warmer.primed and sorted(read) == ["a:council", "a:police", "a:trust"]
        warmer.run_once()
        assert len(read) == 3  # once per process: the JIT and the pool stay warm
