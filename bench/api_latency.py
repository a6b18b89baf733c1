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
        [--scale 5k|50k] [--data-dir DIR]

4. one more document (100 ties, written as another process's ingest would) and the first
   /gaps?theme= after it: the view's incremental refresh, the cut and the analysis.

Issue 14's targets are printed with their verdicts: cold analysis questions < 300 ms at 5k
actors / 50k relations and < 3 s at ``--scale 50k``; the first /gaps after one more
document < 500 ms; /actors/{id} p95 < 50 ms; the server's peak RSS < 1 GB at 50k.

``--store neo4j`` (or ``both``) runs the same phases on the Neo4j 5 Community test server the
test suite uses (tests/neo4j_server/), one store after the other in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import random
import resource
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

from bench.api_graph import THEMES, build_graph, document_id, one_more_document, synthesize
from bench.stores import BenchStore, StoreUnavailableForBench, bench_store, store_kinds
from bench.synthetic_shape import DOCS, EVIDENCE_PER_RELATION
from graph_schema.model import RelationKind
from graph_schema.version import graph_version
from graph_schema.writer import delete_document, write_document
from service.app import create_app
from service.auth import Scope, create_api_key

TARGETS = {"/gaps?theme=": 300.0, "/actors/{id}": 50.0}  # p95, ms (issue 5)
SCALES = {"5k": (5_000, 50_000), "50k": (50_000, 500_000)}
# Issue 14, at each scale: cold p95 of any analysis question, and the first /gaps after one
# more document is ingested; the serve process's peak RSS at 50k.
COLD_TARGET_MS = {"5k": 300.0, "50k": 3000.0}
AFTER_ONE_MORE_MS = 500.0
RSS_TARGET_MB = 1024.0


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


def peak_rss_mb() -> float:
    """This process's peak resident set (it is the server: uvicorn runs in a thread)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def version_query_ms(store: Any, calls: int = 50) -> tuple[float, float]:
    """Median and p95 of the graph-version query every answer makes (graph_schema/version),
    in this process, with the server idle."""
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        graph_version(store)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2], times[max(0, int(len(times) * 0.95) - 1)]


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
    parser.add_argument(
        "--scale", choices=tuple(SCALES), help="actors and relations at once: 5k or 50k (x10)"
    )
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
    if args.scale:
        args.actors, args.relations = SCALES[args.scale]

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
    # One more document left by an interrupted run goes: the graph is then reusable.
    delete_document(store, document_id(DOCS))
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
        # 4. One more document, written as another process's ingest would (the view sees
        # it through the graph version): the next /gaps refreshes the view and answers.
        extra = one_more_document(syn)
        write_document(store, extra)
        after_one_more = timed_get(port, key, f"/gaps?theme={THEMES[0]}", args.timeout)
        print(f"first /gaps after one more document: {after_one_more[0] * 1000:.0f} ms")
        delete_document(store, extra.document.id)  # the stored graph stays reusable
        version_ms = version_query_ms(store)

    print(
        f"\n[{bench.kind}] graph: {len(syn.actors)} actors, {len(syn.relations)} relations, "
        f"{len(syn.relations) * EVIDENCE_PER_RELATION} evidence, {DOCS} documents"
    )
    scale = "50k" if len(syn.actors) >= SCALES["50k"][0] else "5k"
    cold_target = COLD_TARGET_MS[scale]
    print(f"cold (first request, answer caches empty, alone; target < {cold_target:.0f} ms):")
    for name, (seconds, ok) in cold.items():
        verdict = ("met" if seconds * 1000 < cold_target else "MISSED") if "?" in name else ""
        print(f"  {name:<26} {seconds * 1000:>9.0f} ms {verdict}{'' if ok else '  (ERROR)'}")
    seconds, ok = after_one_more
    print(
        f"first /gaps?theme= after one more document: {seconds * 1000:.0f} ms "
        f"(target < {AFTER_ONE_MORE_MS:.0f} ms: "
        f"{'met' if seconds * 1000 < AFTER_ONE_MORE_MS and ok else 'MISSED'})"
    )
    rss = peak_rss_mb()
    print(
        f"serve process peak RSS: {rss:.0f} MB (target < {RSS_TARGET_MB:.0f} MB at 50k: "
        f"{'met' if rss < RSS_TARGET_MB else 'MISSED'}; includes writing the graph when "
        "this run wrote it, and the synthetic graph's own objects)"
    )
    print(
        f"graph version query (each answer's freshness check): median {version_ms[0]:.2f} ms, "
        f"p95 {version_ms[1]:.2f} ms over 50 calls, server idle"
    )
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
