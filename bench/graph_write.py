"""Graph write throughput on the embedded Bolt server and on a real Neo4j 5, side by side.

Node and relationship upserts per second at 1k, 10k and 100k rows, using govgraph's own
query builders (UNWIND batches, one managed transaction per batch), with peak memory of
this process and of the server. Baseline, measured in the same run: one MERGE statement per
row (no UNWIND), on 1k rows; the ratio shows what batching buys.

Targets (issue 2): >= 10k node rows/s and >= 5k relationship rows/s.

    python bench/graph_write.py [--sizes 1000,10000,100000] [--batch 1000] [--store both]

``--store neo4j`` starts the Neo4j 5 Community test server the test suite uses
(tests/neo4j_server/, Java + Maven); each store's ratio is against its own baseline.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stores import BenchStore, StoreUnavailableForBench, bench_store, store_kinds
from graph_schema import queries as q
from graph_schema.model import Label, RelType
from graph_schema.store import GraphStore


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # peak resident set size
            return int(line.split()[1]) / 1024
    return float("nan")


def node_rows(n: int, offset: int = 0) -> list[dict[str, object]]:
    return [
        {
            "id": f"actor:{offset + i}",
            "name": f"Actor {offset + i}",
            "aliases": [f"A{offset + i}"],
            "confidence": 0.9,
            "props": {"type": "ngo", "level": "non_state"},
        }
        for i in range(n)
    ]


def rel_rows(n: int, actors: int) -> list[dict[str, object]]:
    return [
        {
            "key": f"partnership:actor:{i % actors}->actor:{(i * 7 + 1) % actors}:{i}",
            "kind": "partnership",
            "source_id": f"actor:{i % actors}",
            "target_id": f"actor:{(i * 7 + 1) % actors}",
            "confidence": 0.8,
            "evidence_count": 1,
        }
        for i in range(n)
    ]


def timed_batches(
    store: GraphStore, query: str, rows: list[dict[str, object]], batch: int
) -> float:
    start = time.perf_counter()
    for chunk in q.batched(rows, batch):
        store.execute_write(
            lambda tx, chunk=chunk: tx.run(query, rows=chunk, document_id="bench").consume(),
            action="bench",
        )
    return time.perf_counter() - start


def clear(store: GraphStore) -> None:
    # Delete in slices: one giant DETACH DELETE would measure the server's heap, not ours.
    while store.write("MATCH (n:Actor) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c")[0][
        "c"
    ]:
        pass


def measure(bench: BenchStore, sizes: list[int], batch: int) -> list[str]:
    """The table rows for one store: baseline first, then each size."""
    store = bench.store
    # Baseline: one statement per row, same data, same transactions-per-row cost model.
    base_rows = node_rows(1000, offset=10_000_000)
    single = q.merge_entities(Label.Actor)
    start = time.perf_counter()
    for row in base_rows:
        store.execute_write(
            lambda tx, row=row: tx.run(single, rows=[row], document_id="bench").consume(),
            action="bench",
        )
    base_rate = len(base_rows) / (time.perf_counter() - start)
    clear(store)
    lines = [f"baseline on {bench.kind} (one MERGE per row, 1k rows): {base_rate:,.0f} node rows/s"]
    merge_rel = q.merge_relations(RelType.PARTNERS_WITH, Label.Actor, Label.Actor)
    for n in sizes:
        node_s = timed_batches(store, q.merge_entities(Label.Actor), node_rows(n), batch)
        rel_s = timed_batches(store, merge_rel, rel_rows(n, n), batch)
        client = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        server_mb = rss_mb(bench.server_pid) if bench.server_pid else float("nan")
        lines.append(
            f"| {bench.kind} | {n:,} | {n / node_s:,.0f} | {n / node_s / base_rate:.1f}x | "
            f"{n / rel_s:,.0f} | {server_mb:.0f} | {client:.0f} |"
        )
        clear(store)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--heap", default="512m")
    parser.add_argument("--store", choices=("embedded", "neo4j", "both"), default="both")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    rows: list[str] = []
    for kind in store_kinds(args.store):
        with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
            t0 = time.perf_counter()
            try:
                with bench_store(kind, Path(tmp), args.heap) as bench:
                    startup = time.perf_counter() - t0
                    print(
                        f"{kind} store start-up: {startup:.2f} s (heap {args.heap}); batch {args.batch}"
                    )
                    lines = measure(bench, sizes, args.batch)
            except StoreUnavailableForBench as exc:
                print(f"{kind} store skipped: {exc}")
                continue
            print(lines[0], flush=True)
            rows.extend(lines[1:])
    print(
        "\n| store | rows | node rows/s | vs its baseline | rel rows/s | server peak RSS MB | client peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
