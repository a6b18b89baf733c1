"""HTTP API latency on a synthetic graph: p50/p95 of the analyst's hot endpoints.

The graph: 5,000 actors in 12 theme communities, 50 documents of 100 passages each, and
50,000 fact relations (~42,500 between actors, ~7,500 WORKS_ON to the 12 themes), each with
2 Evidence nodes citing a passage (100,000 Evidence). It is written through the project's own
writer (``write_document`` with one GraphBatch per document, 1,000 relations per document),
so the stored shape is exactly what ingestion produces: doc_ids, keys, Evidence, CITES.
Communities make it realistic: 85% of an actor's ties are inside its primary theme.

The API runs under uvicorn in this process (a background thread, 127.0.0.1, a free port,
auth on, a read key). Three phases, each reported:

1. cold: each endpoint's first request, alone, with the answer caches emptied before it
   (a theme nobody asked about since the graph last changed);
2. (before 1) the analytic view's load at start-up (graph_schema/view.py), waited for and
   timed, so that the cold requests measure answering, not loading;
3. load: a fixed number of requests per endpoint from N concurrent clients (keep-alive
   connections) in a separate process, so that client work does not take the server's GIL;
   p50/p95/max, throughput and errors.

Only loopback traffic. Targets (issue 5): /gaps?theme=... p95 < 300 ms, /actors/{id} p95 <
50 ms, zero errors.

    python bench/api_latency.py [--requests 200] [--clients 8] [--actors 5000] [--store both]

``--store neo4j`` (or ``both``) runs the same phases on the Neo4j 5 Community test server the
test suite uses (tests/neo4j_server/), one store after the other in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import multiprocessing
import random
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stores import BenchStore, StoreUnavailableForBench, bench_store, store_kinds
from bench.synthetic_shape import (
    ACTOR_KINDS,
    DOCS,
    EVIDENCE_PER_RELATION,
    PASSAGES_PER_DOC,
    TYPES_BY_LEVEL,
)
from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    GraphBatch,
    Label,
    RelationFact,
    RelationKind,
)
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from ingest.model import Document, DocumentKind, Passage
from service.app import create_app
from service.auth import Scope, create_api_key
from service.vocabulary import theme_ids

# The service's own theme vocabulary (the API refuses any other id with 422): 12 of its themes.
THEMES = tuple(theme_ids()[:12])
TARGETS = {"/gaps?theme=": 300.0, "/actors/{id}": 50.0}  # p95, ms (issue 5)


# --- synthetic graph -----------------------------------------------------------------------


@dataclass(frozen=True)
class Synthetic:
    actors: list[EntityNode]
    themes: list[EntityNode]
    home: dict[str, list[str]]  # actor id -> its themes (primary first)
    relations: list[tuple[RelationKind, str, str]]  # actor-actor and works_on


def synthesize(n_actors: int, n_relations: int, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    themes = [EntityNode(label=Label.Theme, id=t, name=t.replace("_", " ")) for t in THEMES]
    actors, home = [], {}
    members: dict[str, list[str]] = {t: [] for t in THEMES}
    for i in range(n_actors):
        level = rng.choices(list(TYPES_BY_LEVEL), weights=(4, 2, 1, 5))[0]
        ident = f"actor:{i:05d}"
        actors.append(
            EntityNode(
                label=Label.Actor,
                id=ident,
                name=f"Synthetic {level} actor {i}",
                aliases=(f"SA{i}",),
                properties={
                    "type": rng.choice(TYPES_BY_LEVEL[level]),
                    "level": level,
                    "type_confidence": 0.9,
                },
            )
        )
        primary = rng.choice(THEMES)
        mine = [primary] + ([rng.choice(THEMES)] if rng.random() < 0.5 else [])
        home[ident] = list(dict.fromkeys(mine))
        members[primary].append(ident)
    relations: list[tuple[RelationKind, str, str]] = [
        (RelationKind.works_on, a, t) for a, ts in home.items() for t in ts
    ]
    ids = [a.id for a in actors]
    seen: set[tuple[RelationKind, str, str]] = set(relations)
    while len(relations) < n_relations:
        source = rng.choice(ids)
        pool = members[home[source][0]] if rng.random() < 0.85 else ids
        target = rng.choice(pool)
        kind = rng.choices(ACTOR_KINDS, weights=(5, 5, 2, 2, 1, 1))[0]
        fact = (kind, source, target)
        if source != target and fact not in seen:
            seen.add(fact)
            relations.append(fact)
    rng.shuffle(relations)
    return Synthetic(actors, themes, home, relations)


def batches(syn: Synthetic, docs: int = DOCS) -> Iterator[GraphBatch]:
    by_id = {e.id: e for e in (*syn.actors, *syn.themes)}
    per_doc = -(-len(syn.relations) // docs)
    for d in range(docs):
        doc_id = hashlib.sha256(f"synthetic-document-{d}".encode()).hexdigest()
        text = "The municipality works with its partners on community safety. " * 3
        passages = tuple(
            Passage(
                id=f"{doc_id}:{i}",
                index=i,
                text=text,
                page=1 + i // 10,
                char_start=0,
                char_end=len(text),
            )
            for i in range(PASSAGES_PER_DOC)
        )
        kind = DocumentKind.kii if d % 3 == 0 else DocumentKind.plan
        document = Document(
            id=doc_id,
            title=f"Synthetic document {d}",
            kind=kind,
            language="en",
            source_path=f"synthetic/{d:02d}.md",
            media_type="text/markdown",
            passages=passages,
        )
        facts = []
        used: set[str] = set()
        for j, (rk, s, t) in enumerate(syn.relations[d * per_doc : (d + 1) * per_doc]):
            used |= {s, t}
            evidence = tuple(
                EvidenceRecord(
                    passage_id=passages[(j + k * 37) % PASSAGES_PER_DOC].id,
                    quote=text[:60],
                    char_start=k,
                    char_end=60 + k,
                    confidence=0.8,
                    cue="synthetic",
                )
                for k in range(EVIDENCE_PER_RELATION)
            )
            facts.append(
                RelationFact(
                    kind=rk,
                    source_label=Label.Actor,
                    source_id=s,
                    target_label=Label.Theme if rk is RelationKind.works_on else Label.Actor,
                    target_id=t,
                    confidence=0.6 + 0.4 * ((j * 13) % 10) / 10,
                    evidence=evidence,
                )
            )
        yield GraphBatch(
            document=document,
            entities=tuple(by_id[i] for i in sorted(used)),
            relations=tuple(facts),
        )


def build_graph(store: GraphStore, n_actors: int, n_relations: int) -> Synthetic:
    syn = synthesize(n_actors, n_relations)
    for batch in batches(syn):
        write_document(store, batch)
    return syn


# --- server and load -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # a background thread cannot own signals
        pass


@contextmanager
def serve(app: object, port: int) -> Iterator[None]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)  # type: ignore[arg-type]
    server = Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    wall: float = 0.0  # seconds for the whole load

    def pct(self, p: float) -> float:
        data = sorted(self.latencies)
        return (
            data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))] * 1000
            if data
            else float("nan")
        )


def _get(conn: http.client.HTTPConnection, path: str, key: str) -> bool:
    conn.request("GET", path, headers={"X-API-Key": key})
    response = conn.getresponse()
    response.read()
    return response.status == 200


def load(
    port: int, key: str, name: str, paths: list[str], clients: int, timeout: float = 120.0
) -> Result:
    """``clients`` threads, each on its own keep-alive connection, share the paths.

    Runs in a process of its own (see ``main``): the load generator must not take the
    server's GIL, or client work would show up as server latency. The stdlib HTTP client
    is used for the same reason: it costs the client less CPU per request than httpx.
    """
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    local = threading.local()
    todo = iter(paths)

    def worker() -> None:
        nonlocal errors
        while True:
            with lock:
                path = next(todo, None)
            if path is None:
                return
            start = time.perf_counter()
            try:
                if not hasattr(local, "c"):
                    local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                ok = _get(local.c, path, key)
            except (OSError, http.client.HTTPException):
                ok = False
                local.__dict__.pop("c", None)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(name, latencies, errors, time.perf_counter() - t0)


def timed_get(port: int, key: str, path: str, timeout: float) -> tuple[float, bool]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    try:
        ok = _get(conn, path, key)
    except (OSError, http.client.HTTPException):
        ok = False
    finally:
        conn.close()
    return time.perf_counter() - start, ok


def forget_answers(app: Any) -> None:
    """Empty the app's in-memory answer caches: the next request runs the cold path."""
    for name in ("answer_cache", "subgraph_cache"):
        cache = getattr(app.state, name, None)
        if cache is not None:
            cache.clear()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--relations", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200, help="per endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--heap", default="1g")
    parser.add_argument(
        "--endpoints",
        default="actors,gaps,metrics",
        help="comma-separated subset of actors,gaps,metrics (in this order)",
    )
    parser.add_argument(
        "--themes", type=int, default=len(THEMES), help="how many themes the requests cycle over"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--store", choices=("embedded", "neo4j", "both"), default="embedded")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the store here and reuse it on the next run (default: a temporary dir)",
    )
    args = parser.parse_args()

    for kind in store_kinds(args.store):
        print(f"\n=== store: {kind} ===", flush=True)
        with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
            # --data-dir keeps (and reuses) the embedded store only; Neo4j starts empty.
            data_dir = args.data_dir if args.data_dir and kind == "embedded" else Path(tmp)
            try:
                with bench_store(kind, data_dir, args.heap) as bench:
                    run(args, bench)
            except StoreUnavailableForBench as exc:
                print(f"{kind} store skipped: {exc}")


def run(args: argparse.Namespace, bench: BenchStore) -> None:
    settings, store = bench.settings, bench.store
    t0 = time.perf_counter()
    t0 = time.perf_counter()
    have = store.read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
    if have == DOCS:  # --data-dir from an earlier run: the same seeded graph
        syn = synthesize(args.actors, args.relations)
        how = "reused"
    else:
        store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
        syn = build_graph(store, args.actors, args.relations)
        how = "written"
    works_on = sum(1 for r in syn.relations if r[0] is RelationKind.works_on)
    print(
        f"graph: {len(syn.actors)} actors, {len(syn.relations)} relations ({works_on} WORKS_ON), "
        f"{DOCS} documents, {len(syn.relations) * EVIDENCE_PER_RELATION} evidence; "
        f"{how} in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    key, _ = create_api_key(store, "bench", {Scope.read})
    port = free_port()
    # The view loads at start-up (waited for first), then the cold path, then the load.
    app = create_app(settings, store=store)
    rng = random.Random(11)
    actor_ids = [a.id for a in syn.actors]
    picks = [rng.choice(actor_ids) for _ in range(args.requests)]
    themes = THEMES[: args.themes]
    available: dict[str, tuple[str, list[str]]] = {
        "actors": ("/actors/{id}", [f"/actors/{p}" for p in picks]),
        "gaps": (
            "/gaps?theme=",
            [f"/gaps?theme={themes[i % len(themes)]}" for i in range(args.requests)],
        ),
        "metrics": (
            "/network/metrics?theme=",
            [f"/network/metrics?theme={themes[i % len(themes)]}" for i in range(args.requests)],
        ),
    }
    endpoints = [available[e.strip()] for e in args.endpoints.split(",") if e.strip()]
    cold: dict[str, tuple[float, bool]] = {}
    results: list[Result] = []
    view_seconds: float | None = None
    with serve(app, port):
        view = getattr(app.state, "view", None)
        if view is not None:
            t0 = time.perf_counter()
            view.state()
            view_seconds = time.perf_counter() - t0
            print(f"analytic view loaded (waited {view_seconds:.1f} s)", flush=True)
        # 1. Cold: each endpoint's first request, alone, with every answer cache empty.
        for name, paths in endpoints:
            forget_answers(app)
            cold[name] = timed_get(port, key, paths[0], args.timeout)
            print(f"cold {name}: {cold[name][0] * 1000:.0f} ms", flush=True)
        # 3. Load, from another process (the server keeps its GIL to itself).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            for name, paths in endpoints:
                r = pool.submit(load, port, key, name, paths, args.clients, args.timeout).result()
                results.append(r)
                print(
                    f"{name}: p50 {r.pct(50):.1f} ms, p95 {r.pct(95):.1f} ms, {r.errors} errors",
                    flush=True,
                )

    print(
        f"\n[{bench.kind}] graph: {len(syn.actors)} actors, {len(syn.relations)} relations, "
        f"{len(syn.relations) * EVIDENCE_PER_RELATION} evidence, {DOCS} documents"
    )
    print("cold (first request, answer caches empty, alone):")
    for name, (seconds, ok) in cold.items():
        print(f"  {name:<26} {seconds * 1000:>9.0f} ms{'' if ok else '  (ERROR)'}")
    if view_seconds is not None:
        print(f"analytic view: waited {view_seconds:.1f} s for its load after start-up")
    print("warm-up: none (answers come from the analytic view, no background warm-up)")
    print(
        f"load: {args.requests} requests per endpoint, {args.clients} concurrent clients "
        f"(separate process), {args.themes} theme(s), loopback"
    )
    print(
        f"  {'endpoint':<26} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'req/s':>7} "
        f"{'errors':>7} {'target':>14}"
    )
    for r in results:
        target = TARGETS.get(r.name)
        verdict = ""
        if target is not None:
            met = r.pct(95) < target and r.errors == 0
            verdict = f"p95<{target:.0f} {'met' if met else 'MISSED'}"
        print(
            f"  {r.name:<26} {r.pct(50):>9.1f} {r.pct(95):>9.1f} "
            f"{max(r.latencies) * 1000:>9.1f} {len(r.latencies) / r.wall:>7.1f} "
            f"{r.errors:>7} {verdict:>14}"
        )
    print("targets (issue 5): /gaps?theme= p95 < 300 ms, /actors/{id} p95 < 50 ms, zero errors")


if __name__ == "__main__":
    main()
