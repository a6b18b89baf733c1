"""Extraction quality on the development corpus; prints a markdown table.

    .venv/bin/python bench/eval_extraction.py [--corpus DIR] [--gold-root ../shared/corpus]
        [--details] [--errors] [--skip europarl scenario crossre]

``--corpus`` is the assessment to score (a directory with gold.json; default
../shared/corpus/scenario-dev; e.g. ``--corpus examples`` for the held-out check).
``--gold-root`` holds the Europarl and CrossRE gold sets.

(a) Europarl NER gold (CoNLL-2002, EN and ES): exact-span P/R/F1 of ORG. Predicted ORG =
    the govgraph actor ruler's organisation spans (ACTOR, bare references, single-word
    NER hits), compared with the bare statistical NER ORG of the same model.
(b) scenario-dev (gold.json): actors (organisations; a predicted entity matches a gold
    actor when one of its names equals one of the gold names/aliases, case-insensitive
    except all-caps acronyms, optional plural "s"), type and level accuracy over matched
    actors, policies/programmes, people's organisations (member_of person -> actor against
    the gold "affiliation"), and relations by type (endpoints mapped to gold ids,
    direction-insensitive for symmetric types; works_on/addresses are not in the gold).
    ``--errors`` prints every missed and every false relation with its evidence and cue.
(c) CrossRE politics-test: org-org pairs. Gold "part-of"/"role"/"related-to" count as a
    positive tie (our partnership/coordinates/funding/mou/member_of), "opposite" as
    negative_coordination. Pair-level P/R/F1, direction-insensitive.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph_schema.model import Label, RelationKind  # noqa: E402
from ingest import read_document  # noqa: E402
from ingest.model import Document, DocumentKind, Passage  # noqa: E402
from nlp import extract_document, extract_documents, load_pipeline  # noqa: E402
from nlp.components.actor_ruler import SPANS_KEY  # noqa: E402

SYMMETRIC = {"partnership", "coordinates", "mou", "negative_coordination", "mandate_overlap"}
ORG_SPAN_LABELS = {"ACTOR", "REF", "WEAK"}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


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
def _norm(name: str) -> str:
    name = name.replace("’", "'").strip()
    name = re.sub(r"^(the|a|an)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s\b|'", "", name)
    name = re.sub(r"\s+", " ", name)
    if not name.isupper():
        name = name.lower()
    return re.sub(r"(?<=\w{3})s$", "", name)


def gold_index(items: list[dict[str, object]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in items:
        names = [item.get("canonical_name") or item.get("name"), *item.get("aliases", [])]  # type: ignore[list-item]
        for n in names:
            if isinstance(n, str) and n:
                index.setdefault(_norm(n), str(item["id"]))
    return index


def match_entity(names: Iterable[str], index: dict[str, str]) -> str | None:
    hits = Counter(index[_norm(n)] for n in names if _norm(n) in index)
    return hits.most_common(1)[0][0] if hits else None


def load_scenario(corpus: Path) -> tuple[dict[str, object], list[Document]]:
    root = corpus if (corpus / "gold.json").exists() else corpus / "scenario-dev"
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    docs = [read_document(root / f) for f in gold["files"]]
    return gold, docs


def eval_scenario(corpus: Path, details: bool, errors: bool = False) -> dict[str, object]:
    gold, docs = load_scenario(corpus)
    t0 = time.perf_counter()
    run = extract_documents(docs)
    elapsed = time.perf_counter() - t0
    actors_gold = [a for a in gold["actors"] if a["type"] != "person"]  # type: ignore[index,union-attr]
    people_gold = [a for a in gold["actors"] if a["type"] == "person"]  # type: ignore[index,union-attr]
    pol_gold = gold["policies_programmes"]  # type: ignore[index]
    a_index, p_index = gold_index(actors_gold), gold_index(pol_gold)  # type: ignore[arg-type]
    person_index = gold_index(people_gold)  # type: ignore[arg-type]
    gold_by_id = {a["id"]: a for a in actors_gold}

    to_gold: dict[str, str | None] = {}
    actors = [e for e in run.entities if e.label is Label.Actor]
    pols = [e for e in run.entities if e.label in (Label.Policy, Label.Programme)]
    for e in run.entities:
        names = [e.name, *e.aliases]
        if e.label is Label.Actor:
            to_gold[e.id] = match_entity(names, a_index)
        elif e.label is Label.Person:
            to_gold[e.id] = match_entity(names, person_index)
        elif e.label in (Label.Policy, Label.Programme):
            to_gold[e.id] = match_entity(names, p_index)

    res: dict[str, object] = {"seconds": elapsed}
    matched = [e for e in actors if to_gold[e.id]]
    found = {to_gold[e.id] for e in matched}
    p, _, _ = prf(len(matched), len(actors), 1)
    r = len(found) / len(actors_gold)
    res["actors"] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, len(actors), len(actors_gold))
    type_ok = sum(e.properties.get("type") == gold_by_id[to_gold[e.id]]["type"] for e in matched)
    level_ok = sum(e.properties.get("level") == gold_by_id[to_gold[e.id]]["level"] for e in matched)
    res["type_acc"] = type_ok / len(matched) if matched else 0.0
    res["level_acc"] = level_ok / len(matched) if matched else 0.0
    pm = [e for e in pols if to_gold[e.id]]
    pf = {to_gold[e.id] for e in pm}
    p2 = len(pm) / len(pols) if pols else 0.0
    r2 = len(pf) / len(pol_gold)  # type: ignore[arg-type]
    res["policies"] = (
        p2,
        r2,
        2 * p2 * r2 / (p2 + r2) if p2 + r2 else 0.0,
        len(pols),
        len(pol_gold),
    )  # type: ignore[arg-type]

    def key(kind: str, a: str | None, b: str | None) -> tuple[str, str | None, str | None]:
        if kind in SYMMETRIC and a and b and b < a:
            a, b = b, a
        return kind, a, b

    gold_rel = {key(r["type"], r["source"], r["target"]) for r in gold["relations"]}  # type: ignore[index,union-attr]
    kinds = sorted({k for k, _, _ in gold_rel})
    pred_rel: set[tuple[str, str | None, str | None]] = set()
    for b in run.batches:
        for rel in b.relations:
            # a mandate on a theme ("responsible for survivor services") is theme holding,
            # scored below with works_on; the gold relations tie actors and policies
            if rel.kind.value not in kinds or rel.target_label is Label.Theme:
                continue
            pred_rel.add(
                key(
                    rel.kind.value,
                    to_gold.get(rel.source_id) or rel.source_id,
                    to_gold.get(rel.target_id) or rel.target_id,
                )
            )
    per_kind = {}
    for k in kinds:
        g = {x for x in gold_rel if x[0] == k}
        pr = {x for x in pred_rel if x[0] == k}
        per_kind[k] = (*prf(len(g & pr), len(pr), len(g)), len(pr), len(g))
    res["relations"] = (
        *prf(len(gold_rel & pred_rel), len(pred_rel), len(gold_rel)),
        len(pred_rel),
        len(gold_rel),
    )
    res["relations_by_kind"] = per_kind
    # people and their organisations: member_of person -> actor against gold "affiliation"
    gold_aff = {(str(a["id"]), str(a["affiliation"])) for a in people_gold if a.get("affiliation")}  # type: ignore[union-attr]
    pred_aff = {
        (to_gold.get(r.source_id) or r.source_id, to_gold.get(r.target_id) or r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.member_of and r.source_label is Label.Person
    }
    # themes: policies' themes (addresses) against the gold, and whether the core actors of
    # each planted gap hold the gap's theme (works_on, or a mandate on it) - recall only,
    # the gold lists no complete actor themes
    gold_pt = {(str(pp["id"]), t) for pp in pol_gold for t in pp.get("themes", [])}  # type: ignore[union-attr,attr-defined]
    pred_pt = {
        (to_gold.get(r.source_id) or r.source_id, r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.addresses
    }
    res["policy_themes"] = (
        *prf(len(gold_pt & pred_pt), len(pred_pt), len(gold_pt)),
        len(pred_pt),
        len(gold_pt),
    )
    org_ids = {str(a["id"]) for a in actors_gold}  # type: ignore[index]
    gold_at = {
        (str(a), str(g["theme"]))
        for g in gold.get("gaps", [])  # type: ignore[union-attr]
        for a in g["actors"]
        if str(a) in org_ids
    }
    pred_at = {
        (to_gold.get(r.source_id) or r.source_id, r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.works_on
        or (r.kind is RelationKind.mandate and r.target_label is Label.Theme)
    }
    res["gap_actor_themes"] = (
        len(gold_at & pred_at) / len(gold_at) if gold_at else 0.0,
        len(gold_at),
    )
    if details:
        print("missed gap-actor themes:", sorted(gold_at - pred_at))
        print("missed policy themes:", sorted(gold_pt - pred_pt))
        print(
            "extra policy themes:",
            sorted(x for x in pred_pt - gold_pt if x[0] in {str(pp["id"]) for pp in pol_gold}),
        )  # type: ignore[index]
    res["affiliations"] = (
        *prf(len(gold_aff & pred_aff), len(pred_aff), len(gold_aff)),
        len(pred_aff),
        len(gold_aff),
    )
    if details:
        print("unmatched predicted actors:", sorted(e.name for e in actors if not to_gold[e.id]))
        print("missed gold actors:", sorted(a["id"] for a in actors_gold if a["id"] not in found))
        for e in matched:
            g = gold_by_id[to_gold[e.id]]
            if e.properties.get("level") != g["level"] or e.properties.get("type") != g["type"]:
                print(
                    "  class",
                    e.name,
                    e.properties.get("type"),
                    e.properties.get("level"),
                    "gold",
                    g["type"],
                    g["level"],
                    "|",
                    e.properties.get("level_cue"),
                )
        print("unmatched policies:", sorted(e.name for e in pols if not to_gold[e.id]))
        print("missed policies:", sorted(str(x["id"]) for x in pol_gold if x["id"] not in pf))  # type: ignore[union-attr,index]
        print("FP relations:", sorted(map(str, pred_rel - gold_rel)))
        print("FN relations:", sorted(map(str, gold_rel - pred_rel)))
    if errors:
        _print_relation_errors(gold, docs, run, to_gold, gold_rel, pred_rel, key)
    return res


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus",
        type=Path,
        default=REPO.parent / "shared" / "corpus" / "scenario-dev",
        help="assessment directory with gold.json (scenario-dev, examples, ...)",
    )
    ap.add_argument(
        "--gold-root",
        type=Path,
        default=REPO.parent / "shared" / "corpus",
        help="directory with gold/europarl_ner_gold and gold/crossre_politics_news",
    )
    ap.add_argument("--details", action="store_true")
    ap.add_argument(
        "--errors",
        action="store_true",
        help="print each missed and each false relation with its evidence and cue",
    )
    ap.add_argument("--skip", nargs="*", default=[], choices=["europarl", "scenario", "crossre"])
    args = ap.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []

    def f3(x: float) -> str:
        return f"{x:.2f}"

    if "europarl" not in args.skip:
        for lang in ("en", "es"):
            for name, (p, r, f) in eval_europarl(args.gold_root, lang).items():
                rows.append(
                    (f"Europarl {lang.upper()} ORG spans ({name})", f3(p), f3(r), f3(f), "")
                )
    if "scenario" not in args.skip:
        s = eval_scenario(args.corpus, args.details, args.errors)
        name = args.corpus.name if (args.corpus / "gold.json").exists() else "scenario-dev"
        p, r, f, npred, ngold = s["actors"]  # type: ignore[misc]
        rows.append((f"{name} actors", f3(p), f3(r), f3(f), f"{npred} predicted / {ngold} gold"))
        rows.append(
            (f"{name} actor type accuracy", "", "", f3(s["type_acc"]), "over matched actors")
        )  # type: ignore[arg-type]
        rows.append(
            (f"{name} actor level accuracy", "", "", f3(s["level_acc"]), "over matched actors")
        )  # type: ignore[arg-type]
        p, r, f, npred, ngold = s["policies"]  # type: ignore[misc]
        rows.append(
            (
                f"{name} policies/programmes",
                f3(p),
                f3(r),
                f3(f),
                f"{npred} predicted / {ngold} gold",
            )
        )
        p, r, f, npred, ngold = s["relations"]  # type: ignore[misc]
        rows.append(
            (
                f"{name} relations (all types)",
                f3(p),
                f3(r),
                f3(f),
                f"{npred} predicted / {ngold} gold",
            )
        )
        p, r, f, npred, ngold = s["affiliations"]  # type: ignore[misc]
        rows.append(
            (
                f"{name} person affiliations (member_of)",
                f3(p),
                f3(r),
                f3(f),
                f"{npred} predicted / {ngold} gold",
            )
        )
        p, r, f, npred, ngold = s["policy_themes"]  # type: ignore[misc]
        rows.append(
            (
                f"{name} policy/programme themes",
                f3(p),
                f3(r),
                f3(f),
                f"{npred} predicted / {ngold} gold",
            )
        )
        rec, ngold = s["gap_actor_themes"]  # type: ignore[misc]
        rows.append(
            (
                f"{name} gap core actors holding the gap's theme",
                "",
                f3(rec),
                "",
                f"recall over {ngold} (actor, theme)",
            )
        )
        for k, (p, r, f, npred, ngold) in s["relations_by_kind"].items():  # type: ignore[attr-defined]
            rows.append((f"  relations: {k}", f3(p), f3(r), f3(f), f"{npred} / {ngold}"))
    if "crossre" not in args.skip:
        for k, (p, r, f, npred, ngold) in eval_crossre(args.gold_root).items():
            rows.append(
                (f"CrossRE politics-test org-org {k}", f3(p), f3(r), f3(f), f"{npred} / {ngold}")
            )
    print("| measure | P | R | F1 / acc | notes |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
