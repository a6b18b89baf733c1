"""How many gold evidence quotes of a scenario's PDF inputs survive PDF ingestion verbatim.

    .venv/bin/python bench/pdf_gold_quotes.py [--corpus ../shared/corpus]

For each PDF in scenario-*/inputs whose .md source is in scenario-*/docs, the quotes of
the gold relations citing that .md are looked up (whitespace- and case-normalised) in
each passage the reader produced. A quote split across two passages, or glued to a cover
line or running header, is a miss: that is the residue this figure tracks.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def _norm(text: str) -> str:
    # Typographic quotes/dashes differ between the .md source and the PDF text layer.
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


def quotes_found(pdf: Path, quotes: list[str]) -> tuple[int, list[str]]:
    from ingest import read_document

    passages = [_norm(p.text) for p in read_document(pdf).passages]
    missed = [q for q in quotes if not any(_norm(q) in p for p in passages)]
    return len(quotes) - len(missed), missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="print the quotes missed")
    args = parser.parse_args()
    total_found = total = 0
    for scenario in sorted(args.corpus.glob("scenario-*")):
        gold_path = scenario / "gold.json"
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text())
        for pdf in sorted((scenario / "inputs").glob("*.pdf")):
            source = f"docs/{pdf.stem}.md"
            quotes = [
                r["evidence_quote"]
                for r in gold.get("relations", [])
                if r.get("evidence_file") == source and r.get("evidence_quote")
            ]
            if not quotes:
                continue
            found, missed = quotes_found(pdf, quotes)
            total_found += found
            total += len(quotes)
            print(f"{scenario.name}/{pdf.name}: {found}/{len(quotes)}")
            if args.verbose:
                for quote in missed:
                    print("   MISS:", re.sub(r"\s+", " ", quote)[:160])
    print(f"total: {total_found}/{total}")


if __name__ == "__main__":
    main()
