"""End-to-end coordination-gap evaluation through the HTTP API.

Starts the API on a fresh embedded store, uploads a gold-labelled corpus with
``POST /documents``, waits for the job, pulls ``GET /gaps`` and compares the findings with
the corpus's gold ``gaps`` and ``non_gaps`` (matching rules in bench/gap_matching.py):

- recall of the planted gaps (a finding of the same kind covering the gap's core actors and
  theme),
- precision of the top-k findings (k = number of planted gaps),
- how many non-gap pairs (pairs that do coordinate) were flagged at all.

Targets (issue 5): recall >= 0.8, precision >= 0.6, zero non-gaps flagged.

    python bench/eval_gaps.py                       # every scenario corpus, then the macro
    python bench/eval_gaps.py --corpus scenario-ke  # one corpus (a name or a folder)
    python bench/eval_gaps.py --loco                # decisions refitted without the corpus
    python bench/eval_gaps.py --show 20             # also print the top findings

The files uploaded are each corpus' system inputs (PDF/DOCX/HTML/VTT under ``inputs/``
where it has them), as an analyst would upload them.
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


def _inputs(corpus: Path, gold: dict[str, object]) -> list[Path]:
    files = gold.get("inputs") or gold["files"]
    if isinstance(files, dict):
        files = [*files.get("documents", []), *files.get("transcripts", [])]
    return [corpus / str(f) for f in files]  # type: ignore[union-attr]


def run(corpus: Path, show: int, min_score: float | None) -> tuple[float, float, int] | None:
    """Recall, top-k precision and non-gaps flagged of one corpus (None if ingestion failed)."""
    gold = load_gold(corpus / "gold.json")
    files = _inputs(corpus, gold)
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
                return None
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
    return result.recall, result.precision_at_k, len(result.non_gaps_flagged)


SCENARIOS = ("scenario-dev", "scenario-es", "scenario-ke", "examples")


def _corpus_path(name: str) -> Path:
    if name == "examples":
        return ROOT / "examples"
    if (ROOT.parent / "shared" / "corpus" / name / "gold.json").exists():
        return ROOT.parent / "shared" / "corpus" / name
    return Path(name).resolve()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", nargs="*", default=None, help="corpus names or folders; default: all scenarios"
    )
    parser.add_argument("--loco", action="store_true", help="leave-one-corpus-out decisions")
    parser.add_argument("--show", type=int, default=0, help="print the top N findings")
    parser.add_argument("--min-score", type=float, default=None, help="override the API default")
    args = parser.parse_args()
    names = args.corpus or [n for n in SCENARIOS if (_corpus_path(n) / "gold.json").exists()]
    available = [n for n in SCENARIOS if (_corpus_path(n) / "gold.json").exists()]
    results: dict[str, tuple[float, float, int] | None] = {}
    for name in names:
        corpus = _corpus_path(name)
        if not (corpus / "gold.json").exists():
            sys.exit(f"no gold.json in {corpus}")
        print(f"\n## {name}")
        if args.loco:
            sys.path.insert(0, str(ROOT))
            from bench import train_decisions

            weights = train_decisions.fit_decisions(
                [n for n in [*available, "real_documents"] if n != name]
            )
            with train_decisions.applied(weights):
                results[name] = run(corpus, args.show, args.min_score)
        else:
            results[name] = run(corpus, args.show, args.min_score)
    done = {n: r for n, r in results.items() if r is not None}
    label = "left-out (decisions fitted without the corpus)" if args.loco else "in-corpus"
    print(f"\n## summary, {label}\n")
    print("| corpus | gap recall | top-k precision | non-gaps flagged |")
    print("|---|---:|---:|---:|")
    for n, (rec, prec, flagged) in done.items():
        print(f"| {n} | {rec:.2f} | {prec:.2f} | {flagged} |")
    if len(done) > 1:
        k = len(done)
        rec = sum(r[0] for r in done.values()) / k
        prec = sum(r[1] for r in done.values()) / k
        flagged = sum(r[2] for r in done.values())
        print(f"| macro | {rec:.2f} | {prec:.2f} | {flagged} (total) |")
    sys.exit(0 if len(done) == len(results) else 1)


if __name__ == "__main__":
    main()
