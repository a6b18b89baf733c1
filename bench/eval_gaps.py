"""End-to-end coordination-gap evaluation through the HTTP API.

Starts the API on a fresh embedded store, uploads a gold-labelled corpus with
``POST /documents``, waits for the job, pulls ``GET /gaps`` and compares the findings with
the corpus's gold ``gaps`` and ``non_gaps`` (matching rules in bench/gap_matching.py):

- recall of the planted gaps (a finding of the same kind covering the gap's core actors and
  theme),
- precision of the top-k findings (k = number of planted gaps),
- how many non-gap pairs (pairs that do coordinate) were flagged at all.

Targets (issue 5): recall >= 0.8, precision >= 0.6, zero non-gaps flagged.

    python bench/eval_gaps.py                       # ../shared/corpus/scenario-dev
    python bench/eval_gaps.py --corpus examples     # the bundled fictional assessment
    python bench/eval_gaps.py --show 20             # also print the top findings
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from gap_matching import GoldIndex, evaluate, finding_actor_ids, load_gold

from govgraph.settings import Settings
from service.app import create_app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "scenario-dev"


def run(corpus: Path, show: int, min_score: float | None) -> int:
    gold = load_gold(corpus / "gold.json")
    files = [corpus / f for f in gold["files"]]
    with tempfile.TemporaryDirectory(prefix="govgraph-eval-") as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), auth_disabled=True)  # type: ignore[call-arg]
        with TestClient(create_app(settings)) as api:
            t0 = time.perf_counter()
            upload = api.post(
                "/documents", files=[("files", (f.name, f.read_bytes())) for f in files]
            )
            upload.raise_for_status()
            job_id = upload.json()["id"]
            while (job := api.get(f"/jobs/{job_id}").json())["status"] in {"queued", "running"}:
                time.sleep(0.2)
            ingest_s = time.perf_counter() - t0
            if job["status"] != "done" or job["failed_files"]:
                print(f"ingestion job ended {job['status']}: {job}", file=sys.stderr)
                return 1
            params: dict[str, object] = {"limit": 500}
            if min_score is not None:
                params["min_score"] = min_score
            t1 = time.perf_counter()
            response = api.get("/gaps", params=params)
            gaps_s = time.perf_counter() - t1
            response.raise_for_status()
            findings = response.json()["items"]

    result = evaluate(findings, gold)
    index = GoldIndex.from_gold(gold)
    print(
        f"corpus: {corpus} ({len(files)} files; ingest {ingest_s:.1f} s, /gaps {gaps_s * 1000:.0f} ms)"
    )
    print(f"findings: {len(findings)}\n")
    print("| metric | value | target |")
    print("|---|---:|---:|")
    print(
        f"| recall of planted gaps | {result.recall:.2f} ({sum(r is not None for r in result.found.values())}/{len(result.found)}) | >= 0.8 |"
    )
    print(f"| precision of top {result.k} | {result.precision_at_k:.2f} | >= 0.6 |")
    print(
        f"| non-gap pairs flagged | {len(result.non_gaps_flagged)}/{len(gold.get('non_gaps', []))} | 0 |"
    )
    print("\nper planted gap:")
    for gap in gold["gaps"]:
        rank = result.found[gap["id"]]
        status = f"found at rank {rank}" if rank else "MISSED"
        print(
            f"  {gap['id']} {gap['kind']:<28} {'+'.join(gap['actors']):<24} {gap.get('theme') or '':<26} {status}"
        )
    for ng in result.non_gaps_flagged:
        print(f"  non-gap {ng} flagged as: {', '.join(result.flagged_detail[ng])}")
    if show:
        print(f"\ntop {show} findings:")
        for rank, f in enumerate(findings[:show], 1):
            gold_ids = sorted(finding_actor_ids(f, index))
            names = ", ".join(a["name"] for a in f["actors"])
            print(
                f"  {rank:>2}. {f['score']:.2f} {f['kind']:<27} {f.get('theme') or '-':<26} [{names}] -> gold {gold_ids}"
            )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with gold.json")
    parser.add_argument("--show", type=int, default=0, help="print the top N findings")
    parser.add_argument("--min-score", type=float, default=None, help="override the API default")
    args = parser.parse_args()
    corpus = args.corpus if args.corpus.is_absolute() else (Path.cwd() / args.corpus)
    if not (corpus / "gold.json").exists():
        sys.exit(f"no gold.json in {corpus}")
    sys.exit(run(corpus.resolve(), args.show, args.min_score))


if __name__ == "__main__":
    main()
