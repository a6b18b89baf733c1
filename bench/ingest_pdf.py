"""PDF ingestion benchmark: pages/s and peak RSS, govgraph's reader against pdfplumber.

    .venv/bin/python bench/ingest_pdf.py [--pages 300] [--corpus ../shared/corpus/pdfs]
        [--only SAFE-CITIES] [--before /tmp/old-tree]

Each (case, reader) pair runs in its own child process, so peak RSS (ru_maxrss of that
child) is not mixed between cases. The baseline is pdfplumber's per-page extract_text().
A 300-page text PDF is generated with fpdf2 for the run (dev extra). ``--before`` names
another source tree of govgraph (e.g. ``git archive <rev> | tar -x -C /tmp/old-tree``):
its reader runs in the same run, so before/after figures share the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "pdfs"
TEXT = (
    "The municipal Office for Community Safety coordinates the violence prevention plan "
    "with the national police, the youth centres and the women's market association. "
)


def generate(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    for i in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(
            0, 5, "Valdora Safety Assessment - benchmark document", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", size=10)
        for j in range(6):
            pdf.multi_cell(
                0, 5, f"Section {i + 1}.{j + 1}. " + TEXT * 3, new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(2)
    pdf.output(str(path))


def child(reader: str, path: str) -> None:
    """Run one reader on one file and print a JSON line with pages, seconds, peak RSS."""
    # Imports are outside the timing: both readers are measured on reading alone.
    import pdfplumber
    import pypdfium2

    from govgraph.errors import IngestError
    from ingest import read_document

    start = time.perf_counter()
    if reader == "govgraph":
        try:
            pages = read_document(Path(path)).page_count or 0
            status = "ok"
        except IngestError as error:
            pages = len(pypdfium2.PdfDocument(path))
            status = type(error).__name__
    else:
        status = "ok"
        with pdfplumber.open(path) as pdf:
            pages = 0
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"pages": pages, "seconds": seconds, "peak_mb": peak_kb / 1024, "status": status}
        )
    )


def measure(reader: str, path: Path, tree: Path = REPO) -> dict[str, float | str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", help="run only the cases whose file name contains this")
    parser.add_argument("--before", type=Path, help="another govgraph source tree to compare")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / f"generated_{args.pages}_pages.pdf"
        generate(generated, args.pages)
        cases = (
            [generated, *sorted(args.corpus.glob("*.pdf"))] if args.corpus.is_dir() else [generated]
        )
        if args.only:
            cases = [c for c in cases if args.only in c.name]
        before = f" {'before p/s':>10}" if args.before else ""
        header = (
            f"{'case':58} {'pages':>5}{before} {'gov p/s':>9} {'plumb p/s':>9} {'ratio':>6} "
            f"{'gov MB':>7} {'plumb MB':>8}  status"
        )
        print(header)
        print("-" * len(header))
        for case in cases:
            if args.before:
                old = measure("govgraph", case, args.before)
                before = f" {float(old['pages']) / float(old['seconds']):10.1f}"
            ours = measure("govgraph", case)
            base = measure("pdfplumber", case)
            ours_rate = float(ours["pages"]) / float(ours["seconds"])
            base_rate = float(base["pages"]) / float(base["seconds"])
            print(
                f"{case.name[:58]:58} {int(ours['pages']):5d}{before} {ours_rate:9.1f} "
                f"{base_rate:9.1f} {ours_rate / base_rate:6.1f} {float(ours['peak_mb']):7.0f} "
                f"{float(base['peak_mb']):8.0f}  {ours['status']}"
            )


if __name__ == "__main__":
    main()
