"""HTTP API latency on a synthetic graph: p50/p95 of the analyst's hot endpoints.

The graph: 5,000 actors in 12 theme communities, 50 documents of 100 passages each, and
50,000 fact relations (~42,500 between actors, ~7,500 WORKS_ON to the 12 themes), each with
2 Evidence nodes citing a passage (100,000 Evidence). It is written through the project's own
writer (``write_document`` with one GraphBatch per document, 1,000 relations per document),
so the stored shape is exactly what ingestion produces: doc_ids, keys, Evidence, CITES.
Communities make it realistic: 85% of an actor's ties are inside its primary theme.

The API runs under uvicorn in this process (a background thread, 127.0.0.1, a free port,
auth on, a read key); a thread pool of concurrent clients sends a fixed number of requests
per endpoint and stops by itself. Only loopback traffic.

Targets (issue 5): /gaps?theme=... p95 < 300 ms, /actors/{id} p95 < 50 ms, zero errors.

    python bench/api_latency.py [--requests 200] [--clients 8] [--actors 5000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from govgraph.settings import Settings
from graph_schema.embedded import EmbeddedServer
from graph_schema.migrations import apply_migrations
from graph_schema.model import (
    EntityNode,
    EvidenceRecord,
    GraphBatch,
    Label,
    RelationFact,
    RelationKind,
)
from graph_schema.store import GraphStore, open_store
from graph_schema.writer import write_document
from ingest.model import Document, DocumentKind, Passage
from service.app import create_app
from service.auth import Scope, create_api_key

THEMES = (
    "youth_violence",
    "gender_based_violence",
    "drug_prevention",
    "policing",
    "street_lighting",
    "public_space",
    "juvenile_justice",
    "victim_support",
    "community_safety",
    "road_safety",
    "organised_crime",
    "school_safety",
)
TYPES_BY_LEVEL = {
    "local": ("government", "police_justice"),
    "national": ("government", "police_justice"),
    "international": ("international_org",),
    "non_state": ("ngo", "community_group", "faith_group", "private_sector", "academia"),
}
ACTOR_KINDS = (
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.funding,
    RelationKind.mou,
    RelationKind.mandate_overlap,
    RelationKind.negative_coordination,
)
DOCS = 50
PASSAGES_PER_DOC = 100
EVIDENCE_PER_RELATION = 2


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
    first: float  # the very first request: cold caches

    def pct(self, p: float) -> float:
        data = sorted(self.latencies)
        return (
            data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))] * 1000
            if data
            else float("nan")
        )


def load(
    base: str,
    key: str,
    name: str,
    paths: Callable[[int], str],
    requests: int,
    clients: int,
    timeout: float = 60.0,
) -> Result:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "c"):
            local.c = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=timeout)
        return local.c  # type: ignore[no-any-return]

    def one(i: int) -> None:
        nonlocal errors
        start = time.perf_counter()
        try:
            ok = client().get(paths(i)).status_code == 200
        except httpx.HTTPError:
            ok = False
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            errors += 0 if ok else 1

    one(0)  # measured alone: the cold path
    first = latencies[0]
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(1, requests)))
    return Result(name, latencies, errors, first)


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
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the store here and reuse it on the next run (default: a temporary dir)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        server = EmbeddedServer(data_dir, heap=args.heap)
        server.ensure_running()
        try:
            settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
            store = open_store(settings, server=server)
            apply_migrations(store)
            t0 = time.perf_counter()
            have = store.read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
            if have == DOCS:  # --data-dir from an earlier run: the same seeded graph
                syn = synthesize(args.actors, args.relations)
                how = "reused"
            else:
                store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
                syn = build_graph(store, args.actors, args.relations)
                how = "written"
            print(
                f"graph: {len(syn.actors)} actors, {len(syn.relations)} relations "
                f"({sum(1 for r in syn.relations if r[0] is RelationKind.works_on)} WORKS_ON), "
                f"{DOCS} documents, {len(syn.relations) * EVIDENCE_PER_RELATION} evidence; "
                f"{how} in {time.perf_counter() - t0:.1f} s",
                flush=True,
            )
            key, _ = create_api_key(store, "bench", {Scope.read})
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            app = create_app(settings, store=store)
            rng = random.Random(11)
            actor_ids = [a.id for a in syn.actors]
            picks = [rng.choice(actor_ids) for _ in range(args.requests)]
            themes = THEMES[: args.themes]
            available: dict[str, tuple[str, Callable[[int], str]]] = {
                "actors": ("/actors/{id}", lambda i: f"/actors/{picks[i]}"),
                "gaps": ("/gaps?theme=", lambda i: f"/gaps?theme={themes[i % len(themes)]}"),
                "metrics": (
                    "/network/metrics?theme=",
                    lambda i: f"/network/metrics?theme={themes[i % len(themes)]}",
                ),
            }
            endpoints = [available[e.strip()] for e in args.endpoints.split(",") if e.strip()]
            results = []
            with serve(app, port):
                for name, paths in endpoints:
                    results.append(
                        load(base, key, name, paths, args.requests, args.clients, args.timeout)
                    )
                    r = results[-1]
                    print(f"{name}: p50 {r.pct(50):.1f} ms, p95 {r.pct(95):.1f} ms", flush=True)
            store.close()
        finally:
            server.stop()

    print(
        f"\n{args.requests} requests per endpoint, {args.clients} concurrent clients, "
        f"{args.themes} theme(s), loopback"
    )
    print(
        f"{'endpoint':<26} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'first ms':>9} {'errors':>7}"
    )
    for r in results:
        print(
            f"{r.name:<26} {r.pct(50):>9.1f} {r.pct(95):>9.1f} {max(r.latencies) * 1000:>9.1f} "
            f"{r.first * 1000:>9.1f} {r.errors:>7}"
        )


if __name__ == "__main__":
    main()
