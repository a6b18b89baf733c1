"""Extraction quality on every gold corpus, from the system inputs; prints markdown tables.

    .venv/bin/python bench/eval_extraction.py                 # every corpus, in-corpus figures
    .venv/bin/python bench/eval_extraction.py --loco          # + leave-one-corpus-out figures
    .venv/bin/python bench/eval_extraction.py --corpus scenario-ke --details --errors
    .venv/bin/python bench/eval_extraction.py --corpus path/to/exported-gold-folder
    .venv/bin/python bench/eval_extraction.py --gold reviewed.json --docs path/to/inputs

Corpora (bench/corpora.py): scenario-dev, scenario-es, scenario-ke, examples (fictional
assessments; PDF/DOCX/HTML/VTT inputs where a corpus has them) and real_documents (hand
gold for seven real files). One table per corpus, then the macro average over the scenario
corpora and real_documents on its own line. Metrics (bench/scoring.py): actors P/R/F1
(a predicted entity matches a gold actor when one of its names equals a gold name or alias
under bench.corpora.norm_name; real_documents' optional actors are neither credited nor
penalised), type and level accuracy over matched actors, policies/programmes, actor-actor
relations and all relations (endpoints mapped to gold ids, direction-insensitive for
symmetric kinds), person affiliations, policy themes, gap core actors holding their theme.

``--loco``: whatever govgraph fits from gold (bench/train_decisions.py) is refitted on all
corpora but one and scored on the one left out; the left-out figure is printed first, the
in-corpus figure (weights fitted on everything, as shipped) beside it.

Also: (a) Europarl NER gold (CoNLL-2002, EN and ES): exact-span P/R/F1 of ORG spans against
the bare statistical NER; (c) CrossRE politics-test: org-org pairs ("part-of"/"role"/
"related-to" = a positive tie, "opposite" = negative_coordination).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpora import (  # noqa: E402
    CORPORA,
    SCENARIOS,
    Corpus,
    load_corpus,
    read_gold_file,
    read_scenario_dir,
)
from bench.scoring import Score, gold_index, match_entity, prf, rel_key, score_run  # noqa: E402
from graph_schema.model import Label, RelationKind  # noqa: E402
from ingest.model import Document, DocumentKind, Passage  # noqa: E402
from nlp import extract_document, extract_documents, load_pipeline  # noqa: E402
from nlp.components.actor_ruler import SPANS_KEY  # noqa: E402

__all__ = ["gold_index", "match_entity", "prf", "score_run"]

ORG_SPAN_LABELS = {"ACTOR", "REF", "WEAK"}


# --------------------------------------------------------------------------------------
# (a) Europarl
# --------------------------------------------------------------------------------------
def read_conll(path: Path) -> list[tuple[list[str], set[tuple[int, int]]]]:
    sents: list[tuple[list[str], set[tuple[int, int]]]] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            spans: set[tuple[int, int]] = set()
            start = None
            for i, tag in enumerate([*tags, "O"]):
                if start is not None and not tag.startswith("I-ORG"):
                    spans.add((start, i))
                    start = None
                if tag == "B-ORG" or (tag == "I-ORG" and start is None):
                    start = i
            sents.append((list(words), spans))
        words.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        parts = line.split()
        words.append(parts[0])
        tags.append(parts[-1])
    flush()
    return sents


def eval_europarl(corpus: Path, lang: str) -> dict[str, tuple[float, float, float]]:
    path = corpus / "gold" / "europarl_ner_gold" / f"{lang}-europarl.test.conll02"
    sents = read_conll(path)
    nlp = load_pipeline(lang)
    texts, offsets = [], []
    for words, _ in sents:
        pos, offs = 0, []
        for w in words:
            offs.append((pos, pos + len(w)))
            pos += len(w) + 1
        texts.append(" ".join(words))
        offsets.append(offs)
    counts = {"govgraph": [0, 0, 0], "statistical NER": [0, 0, 0]}
    for (_words, gold), offs, doc in zip(
        sents, offsets, nlp.pipe(texts, batch_size=128), strict=True
    ):
        start_of = {s: i for i, (s, _) in enumerate(offs)}
        end_of = {e: i + 1 for i, (_, e) in enumerate(offs)}

        def to_tokens(
            spans: Iterable[tuple[int, int]],
            start_of: dict[int, int] = start_of,
            end_of: dict[int, int] = end_of,
        ) -> set[tuple[int, int]]:
            out = set()
            for s, e in spans:
                if s in start_of and e in end_of:
                    out.add((start_of[s], end_of[e]))
                else:
                    out.add((-s - 1, -e - 1))  # misaligned: can only be a false positive
            return out

        ours = to_tokens(
            (s.start_char, s.end_char) for s in doc.spans[SPANS_KEY] if s.label_ in ORG_SPAN_LABELS
        )
        ner = to_tokens((e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG")
        for name, pred in (("govgraph", ours), ("statistical NER", ner)):
            c = counts[name]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold)
    return {k: prf(*v) for k, v in counts.items()}


# --------------------------------------------------------------------------------------
# (b) scenario-dev
# --------------------------------------------------------------------------------------
def _print_relation_errors(gold, docs, run, to_gold, gold_rel, pred_rel, key) -> None:  # type: ignore[no-untyped-def]
    """Every missed gold relation with its evidence sentence and what was predicted there,
    and every false positive with its cue and quote: the material for finding causes."""
    by_path = {Path(d.source_path).name: d for d in docs}
    batch_of = {Path(b.document.source_path).name: b for b in run.batches}
    names = {e.id: e.name for e in run.entities}

    def show(eid: str) -> str:
        g = to_gold.get(eid)
        return f"{g or '?'}<{names.get(eid, eid)}>"

    print("\n== missed gold relations (FN) ==")
    for r in gold["relations"]:
        k = key(r["type"], r["source"], r["target"])
        if k not in gold_rel - pred_rel:
            continue
        fname = Path(r["evidence_file"]).name
        doc, batch = by_path.get(fname), batch_of.get(fname)
        print(f"- {r['type']} {r['source']} -> {r['target']}  [{fname}]")
        print(f"    gold quote: {r['evidence_quote']}")
        if doc is None or batch is None:
            continue
        hits = [p for p in doc.passages if r["evidence_quote"][:40] in p.text]
        for p in hits:
            at = p.text.find(r["evidence_quote"][:40])
            span = (at, at + len(r["evidence_quote"]))
            ms = [
                m
                for m in batch.mentions
                if m.passage_id == p.id
                and m.char_start < span[1] + 200
                and m.char_end > span[0] - 200
            ]
            print("    mentions near:", ", ".join(f"{m.text!r}->{show(m.entity_id)}" for m in ms))
            for rel in batch.relations:
                for ev in rel.evidence:
                    if ev.passage_id == p.id and ev.char_start < span[1] and ev.char_end > span[0]:
                        print(
                            f"    predicted here: {rel.kind.value} {show(rel.source_id)} -> "
                            f"{show(rel.target_id)} cue={ev.cue!r}"
                        )
    print("\n== false positive relations (FP) ==")
    fps = pred_rel - gold_rel
    for b in run.batches:
        for rel in b.relations:
            k = key(
                rel.kind.value,
                to_gold.get(rel.source_id) or rel.source_id,
                to_gold.get(rel.target_id) or rel.target_id,
            )
            if k not in fps:
                continue
            ev = rel.evidence[0]
            print(
                f"- {rel.kind.value} {show(rel.source_id)} -> {show(rel.target_id)} "
                f"[{Path(b.document.source_path).name}] cue={ev.cue!r}"
            )
            print(f"    quote: {ev.quote[:300]!r}")


# --------------------------------------------------------------------------------------
# (c) CrossRE
# --------------------------------------------------------------------------------------
ORG_TYPES = {"organisation", "politicalparty", "university"}
POSITIVE_GOLD = {"part-of", "role", "related-to"}
POSITIVE_PRED = {
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.funding,
    RelationKind.mou,
    RelationKind.member_of,
}


def _doc_for_sentence(text: str, n: int) -> Document:
    digest = hashlib.sha256(f"crossre-{n}".encode()).hexdigest()
    passage = Passage(id=f"{digest}:0", index=0, text=text, char_start=0, char_end=len(text))
    return Document(
        id=digest,
        title=f"crossre {n}",
        kind=DocumentKind.report,
        language="en",
        source_path=f"crossre/{n}",
        media_type="text/plain",
        passages=(passage,),
    )


def eval_crossre(corpus: Path) -> dict[str, tuple[float, float, float, int, int]]:
    path = corpus / "gold" / "crossre_politics_news" / "politics-test.json"
    counts = {"positive tie": [0, 0, 0], "negative_coordination": [0, 0, 0]}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        words = row["sentence"]
        offs, pos = [], 0
        for w in words:
            offs.append((pos, pos + len(w)))
            pos += len(w) + 1
        ents = {(a, b): t for a, b, t in row["ner"]}
        orgs = [(a, b) for (a, b), t in ents.items() if t in ORG_TYPES]
        if len(orgs) < 2:
            continue
        gold = {"positive tie": set(), "negative_coordination": set()}
        for a1, b1, a2, b2, label, *_ in row["relations"]:
            if (a1, b1) in orgs and (a2, b2) in orgs:
                pair = tuple(sorted([(a1, b1), (a2, b2)]))
                if label in POSITIVE_GOLD:
                    gold["positive tie"].add(pair)
                elif label == "opposite":
                    gold["negative_coordination"].add(pair)
        batch = extract_document(_doc_for_sentence(" ".join(words), n))
        ent_of: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for m in batch.mentions:
            for a, b in orgs:
                if m.char_start < offs[b][1] and offs[a][0] < m.char_end:
                    ent_of[m.entity_id].add((a, b))
        pred = {"positive tie": set(), "negative_coordination": set()}
        for rel in batch.relations:
            cls = (
                "positive tie"
                if rel.kind in POSITIVE_PRED
                else "negative_coordination"
                if rel.kind is RelationKind.negative_coordination
                else None
            )
            if cls is None:
                continue
            for s in ent_of.get(rel.source_id, ()):
                for t in ent_of.get(rel.target_id, ()):
                    if s != t:
                        pred[cls].add(tuple(sorted([s, t])))
            if not ent_of.get(rel.source_id) or not ent_of.get(rel.target_id):
                pred[cls].add(("unmapped", rel.key))  # type: ignore[arg-type]
        for cls in counts:
            counts[cls][0] += len(gold[cls] & pred[cls])
            counts[cls][1] += len(pred[cls])
            counts[cls][2] += len(gold[cls])
    return {k: (*prf(*v), v[1], v[2]) for k, v in counts.items()}


def _print_details(corpus: Corpus, run: object, score: Score) -> None:
    names = {e.id: e.name for e in run.entities}  # type: ignore[attr-defined]
    actors = [e for e in run.entities if e.label is Label.Actor]  # type: ignore[attr-defined]
    print(f"\n### {corpus.name}: details")
    print("unmatched predicted actors:", sorted(e.name for e in actors if not score.to_gold[e.id]))
    found = set(score.to_gold.values())
    print(
        "missed gold actors:",
        sorted(
            a["canonical_name"]
            for a in corpus.gold["actors"]
            if a["type"] != "person" and a["id"] not in found
        ),
    )
    print("FP relations:", sorted(map(str, score.pred_rel - score.gold_rel)))
    print("FN relations:", sorted(map(str, score.gold_rel - score.pred_rel)))
    del names


def _rows(score: Score) -> list[tuple[str, str, str, str, str]]:
    def f(x: float) -> str:
        return f"{x:.2f}"

    def prow(label: str, v: tuple[float, float, float, int, int]) -> tuple[str, ...]:
        return (label, f(v[0]), f(v[1]), f(v[2]), f"{v[3]} predicted / {v[4]} gold")

    rows = [
        prow("actors", score.actors),
        ("actor type accuracy", "", "", f(score.type_acc), "over matched actors"),
        ("actor level accuracy", "", "", f(score.level_acc), "over matched actors"),
        prow("actor-actor relations", score.actor_relations),
        prow("relations (all types)", score.relations),
        prow("policies/programmes", score.policies),
        prow("person affiliations (member_of)", score.affiliations),
        prow("policy/programme themes", score.policy_themes),
        (
            "gap core actors holding the gap's theme",
            "",
            f(score.gap_actor_themes[0]),
            "",
            f"recall over {score.gap_actor_themes[1]}",
        ),
    ]
    for k, v in score.relations_by_kind.items():
        rows.append(prow(f"  relations: {k}", v))
    return rows  # type: ignore[return-value]


def _print_table(title: str, rows: list[tuple[str, ...]], head: tuple[str, ...]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _run(corpus: Corpus) -> tuple[object, float]:
    t0 = time.perf_counter()
    run = extract_documents(list(corpus.documents))
    return run, time.perf_counter() - t0


def _loco_scores(corpora: list[Corpus], available: list[str]) -> dict[str, Score] | None:
    """Left-out scores: decisions refitted without the corpus, then applied to it."""
    try:
        from bench import train_decisions
    except ImportError:
        return None
    out: dict[str, Score] = {}
    for corpus in corpora:
        others = [n for n in available if n != corpus.name]
        weights = train_decisions.fit_decisions(others)
        with train_decisions.applied(weights):
            run, _ = _run(corpus)
        out[corpus.name] = score_run(corpus, run)  # type: ignore[arg-type]
    return out


def _headline(score: Score) -> dict[str, float]:
    """The summary's figures: the score's headline with actor-actor relation recall beside
    its precision (precision first needs both to be read)."""
    out: dict[str, float] = {}
    for k, v in score.headline().items():
        out[k] = v
        if k == "actor-actor rel P":
            out["actor-actor rel R"] = score.actor_relations[1]
    return out


def _macro(scores: list[Score]) -> dict[str, float]:
    keys = _headline(scores[0]).keys()
    return {k: sum(_headline(s)[k] for s in scores) / len(scores) for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--corpus",
        nargs="*",
        default=None,
        help=f"corpus names ({', '.join(CORPORA)}) or folders with gold.json; default: all",
    )
    ap.add_argument(
        "--gold-root",
        type=Path,
        default=REPO.parent / "shared" / "corpus",
        help="directory with gold/europarl_ner_gold and gold/crossre_politics_news",
    )
    ap.add_argument(
        "--gold",
        nargs="*",
        type=Path,
        default=[],
        help="gold files in the scenario format (govgraph decisions export --format gold); "
        "scored instead of the named corpora",
    )
    ap.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="where the --gold files' documents are (default: each file's folder)",
    )
    ap.add_argument("--loco", action="store_true", help="also leave-one-corpus-out figures")
    ap.add_argument("--details", action="store_true")
    ap.add_argument(
        "--errors",
        action="store_true",
        help="print each missed and each false relation with its evidence and cue",
    )
    ap.add_argument("--skip", nargs="*", default=[], choices=["europarl", "scenario", "crossre"])
    args = ap.parse_args()

    corpora: list[Corpus] = []
    available: list[str] = []
    if "scenario" not in args.skip:
        # Which corpora exist: needed for the default list and --loco, not to score --gold.
        for name in CORPORA if (args.loco or not args.gold) else ():
            try:
                load_corpus(name)
                available.append(name)
            except FileNotFoundError:
                print(f"(corpus {name} not found; skipped)", file=sys.stderr)
        corpora += [read_gold_file(p.resolve(), args.docs) for p in args.gold]
        for name in args.corpus or ([] if args.gold else available):
            path = Path(name)
            corpora.append(
                load_corpus(name) if name in CORPORA else read_scenario_dir(path.resolve())
            )
    scores: dict[str, Score] = {}
    for corpus in corpora:
        run, seconds = _run(corpus)
        score = score_run(corpus, run)  # type: ignore[arg-type]
        scores[corpus.name] = score
        words = sum(d.word_count for d in corpus.documents)
        head = ("measure", "P", "R", "F1 / acc", "notes")
        title = f"{corpus.name} ({len(corpus.documents)} files, {words} words, {seconds:.1f} s)"
        _print_table(title, _rows(score), head)  # type: ignore[arg-type]
        if args.details:
            _print_details(corpus, run, score)
        if args.errors:
            _print_relation_errors(
                corpus.gold,
                list(corpus.documents),
                run,
                score.to_gold,
                score.gold_rel,
                score.pred_rel,
                rel_key,
            )
    if scores:
        loco = _loco_scores(corpora, available) if args.loco else None
        summary: list[tuple[str, ...]] = []
        groups = [
            ("macro over scenario corpora", [s for n, s in scores.items() if n in SCENARIOS]),
            *[(n, [s]) for n, s in scores.items()],
        ]
        metrics = list(_headline(next(iter(scores.values()))))
        for label, group in groups:
            if not group:
                continue
            inc = _macro(group)
            if loco is not None:
                out = _macro([loco[s.corpus] for s in group])
                summary.append((label, *[f"**{out[m]:.2f}** ({inc[m]:.2f})" for m in metrics]))
            else:
                summary.append((label, *[f"{inc[m]:.2f}" for m in metrics]))
        note = "left-out (in-corpus)" if loco is not None else "in-corpus"
        if args.loco and loco is None:
            note += "; nothing is fitted from gold yet, so left-out = in-corpus"
        _print_table(f"summary, {note}", summary, ("corpus", *metrics))
    rows: list[tuple[str, str, str, str, str]] = []
    if "europarl" not in args.skip:
        for lang in ("en", "es"):
            for name, (p, r, f) in eval_europarl(args.gold_root, lang).items():
                rows.append(
                    (f"Europarl {lang.upper()} ORG ({name})", *(f"{x:.2f}" for x in (p, r, f)), "")
                )  # type: ignore[arg-type]
    if "crossre" not in args.skip:
        for k, (p, r, f, npred, ngold) in eval_crossre(args.gold_root).items():
            rows.append(
                (f"CrossRE org-org {k}", f"{p:.2f}", f"{r:.2f}", f"{f:.2f}", f"{npred} / {ngold}")
            )
    if rows:
        _print_table(
            "NER and relation gold outside the assessments",
            rows,
            ("measure", "P", "R", "F1", "notes"),
        )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
