"""Words per second of the full extraction vs bare ``nlp.pipe`` of the same model, one run.

    .venv/bin/python bench/nlp_speed.py [--corpus ../shared/corpus] [--repeat 1]

Corpus: the English and Spanish transcripts and the scenario-dev files, read with ingest.
"Bare" = the base spaCy model as nlp loads it (lemmatizer excluded), no govgraph
components, over the same passage texts. Single process (spaCy uses one core here).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from govgraph.settings import Settings  # noqa: E402
from ingest import read_document  # noqa: E402
from ingest.model import Document  # noqa: E402
from nlp import extract_documents, load_pipeline  # noqa: E402
from nlp.model_loading import load_base_model  # noqa: E402


def corpus_documents(corpus: Path) -> list[Document]:
    files = sorted((corpus / "transcripts").glob("*.txt"))
    files += sorted((corpus / "scenario-dev" / "docs").glob("*.md"))
    files += sorted((corpus / "scenario-dev" / "transcripts").glob("*.txt"))
    return [read_document(f) for f in files]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    docs = corpus_documents(args.corpus)
    words = sum(d.word_count for d in docs)
    by_lang: dict[str, list[str]] = {}
    for d in docs:
        lang = "es" if d.language.startswith("es") else "en"
        by_lang.setdefault(lang, []).extend(p.text for p in d.passages)
    # Warm up: load models and pipelines outside the timed regions.
    bare = {lang: load_base_model(lang, Settings()).nlp for lang in by_lang}
    for lang in by_lang:
        load_pipeline(lang)
    extract_documents(docs[:1])

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for lang, texts in by_lang.items():
            for _doc in bare[lang].pipe(texts, batch_size=64):
                pass
    t_bare = (time.perf_counter() - t0) / args.repeat

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        run = extract_documents(docs)
    t_full = (time.perf_counter() - t0) / args.repeat

    n_rel = sum(len(b.relations) for b in run.batches)
    print(f"corpus: {len(docs)} documents, {words} words, languages {sorted(by_lang)}")
    print("| pipeline | seconds | words/s |")
    print("| --- | --- | --- |")
    print(f"| bare spaCy nlp.pipe | {t_bare:.2f} | {words / t_bare:,.0f} |")
    print(f"| full extraction | {t_full:.2f} | {words / t_full:,.0f} |")
    print(
        f"\noverhead: {t_full / t_bare:.2f}x bare spaCy; {len(run.entities)} entities, "
        f"{n_rel} relations"
    )


if __name__ == "__main__":
    main()
