"""Coordination-gap analysis on gold input: extraction assumed perfect.

Builds a Subgraph straight from scenario-dev gold.json (actors, policies, relations with
their quotes, documents with kinds from the path), runs ``analysis.find_gaps`` and prints
recall of the planted gaps, precision@k and the non-gap pairs flagged.

The gold labels carry no actor -> theme facts (what nlp would emit as works_on), so they
are derived here, as an extractor would:
* structural (default): an actor that owns a policy gets ``mandate`` -> policy; each gold
  relation quote that names a theme (nlp's lexicon) yields ``works_on`` from each actor end
  of the relation to that theme (or, for a theme word only inside names, from those
  bodies), citing the quote; and each relation's statement gets the theme the extractor
  would decide for it (``nlp.extraction.statement_themes``: the theme named in its
  sentence outside names, else in the question it answers, else in its section heading;
  contexts from ``oracle_contexts``), ``works_on`` from both actor ends. The line
  "statement themes" says how many decided themes equal the gold relation themes, where
  the gold has them; ``--levels`` reads other contexts (``passage``, ``ends``: what the
  two bodies are about elsewhere), for ablations;
* ``--relation-themes``: later gold (scenario-es, scenario-ke) labels each relation with the
  theme it is about; this mode gives that theme, instead of the decided one, to both ends,
  citing the relation's quote: perfect relation-theme extraction, still no gap labels
  used. The distance between it and structural mode is what theme extraction loses; what
  it still misses, the gap rules do;
* ``--gap-themes`` adds ``works_on`` core actor -> gap theme (citing the passages of the
  gap's evidence files that name the actor). That uses gap labels as input, so it is an
  upper bound on what better theme extraction could give, not a fair score.

    .venv/bin/python bench/eval_gaps_oracle.py [--corpus DIR] [--relation-themes | --gap-themes]
        [--levels sentence,question,section] [--all]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gap_matching import GoldIndex, evaluate, finding_actor_ids, load_gold, matches
from oracle_contexts import StatementContexts

from analysis import GapFilters, find_gaps
from graph_schema.model import (
    ActorView,
    DocumentView,
    EvidenceView,
    PolicyView,
    RelationKind,
    RelationView,
    Subgraph,
    relation_key,
)
from nlp.extraction.statement_themes import STATEMENT_LEVELS, statement_theme

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "scenario-dev"


# Theme cues: nlp's own lexicon (nlp/data/themes.json, English and Spanish), so the oracle
# reads themes the way extraction does, in either language. Cues match from a word start
# in the lower-cased quote; a trailing * allows any word ending.
def _theme_cues() -> dict[str, tuple[str, ...]]:
    data = json.loads((ROOT / "nlp" / "data" / "themes.json").read_text(encoding="utf-8"))
    return {
        t["id"]: tuple(
            re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c)
            for lang in ("en", "es")
            for c in t.get(lang, [])
        )
        for t in data["themes"]
    }


THEME_CUES = _theme_cues()


def theme_ids_in(text: str) -> list[str]:
    """The theme of every cue occurrence in ``text``, in text order."""
    low = text.lower()
    found = [
        (m.start(), theme)
        for theme, cues in THEME_CUES.items()
        for c in cues
        for m in re.finditer(rf"\b{c}", low)
    ]
    return [theme for _, theme in sorted(found)]


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}s?\b", 0 if name.isupper() else re.IGNORECASE)


def _theme_holders(
    low: str, names: list[tuple[int, int, str]], ends: tuple[str, str]
) -> list[tuple[str, tuple[str, ...]]]:
    """Themes a relation quote speaks of, and who works on them, as nlp reads it: a theme
    word found only inside names ("Hope Harbour Recovery Trust", "Counter-Trafficking
    Commission") is those bodies' own remit, not the topic of the sentence; otherwise the
    relation's ends work on it."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for theme, cues in THEME_CUES.items():
        hits = [m.span() for c in cues for m in re.finditer(rf"\b{c}", low)]
        if not hits:
            continue
        inside = {i for s, e in hits for ns, ne, i in names if ns <= s and e <= ne}
        if all(any(ns <= s and e <= ne for ns, ne, _ in names) for s, e in hits):
            out.append((theme, tuple(sorted(inside))))
        else:
            out.append((theme, ends))
    return out


def _doc_kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if path.startswith("transcripts/"):
        return "fgd" if name.startswith("fgd") else "kii"
    return "policy"


def _passages(text: str, transcript: bool) -> list[tuple[int, int]]:
    """Spans of paragraphs (documents) or lines (transcript turns)."""
    sep = r"\n" if transcript else r"\n\s*\n"
    spans, start = [], 0
    for m in re.finditer(sep, text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in spans if text[s[0] : s[1]].strip()]


class Corpus:
    def __init__(self, root: Path, files: list[str]) -> None:
        self.text = {f: (root / f).read_text(encoding="utf-8") for f in files}
        self.spans = {f: _passages(t, f.startswith("transcripts/")) for f, t in self.text.items()}

    def evidence(self, file: str, quote: str, title: str) -> EvidenceView:
        pos = self.text[file].find(quote)
        idx = next((i for i, (s, e) in enumerate(self.spans[file]) if s <= pos < e), 0)
        start = self.spans[file][idx][0]
        transcript = file.startswith("transcripts/")
        return EvidenceView(
            document_id=file,
            document_title=title,
            document_kind=_doc_kind(file),
            passage_id=f"{file}:{idx}",
            page=None if transcript else 1,
            turn=idx if transcript else None,
            speaker=None,
            quote=quote,
            char_start=max(pos - start, 0),
            char_end=max(pos - start, 0) + len(quote),
            confidence=1.0,
            cue="gold",
        )

    def files_naming(self, names: list[str]) -> list[str]:
        """Files whose text names one of these (later corpora do not list policy mentions)."""
        pats = [_name_pattern(n) for n in names]
        return [f for f, text in self.text.items() if any(p.search(text) for p in pats)]

    def passages_naming(self, file: str, names: list[str], title: str) -> list[EvidenceView]:
        pats = [
            re.compile(rf"\b{re.escape(n)}s?\b", 0 if n.isupper() else re.IGNORECASE) for n in names
        ]
        out = []
        for s, e in self.spans[file]:
            para = self.text[file][s:e]
            if any(p.search(para) for p in pats):
                out.append(self.evidence(file, para.strip()[:300], title))
        return out


def build_subgraph(
    gold: dict[str, Any],
    corpus_dir: Path,
    gap_themes: bool,
    relation_themes: bool = False,
    levels: tuple[str, ...] = STATEMENT_LEVELS,
    agreement: Counter[bool | str] | None = None,
) -> Subgraph:
    """``levels``: the statement-theme contexts to read (an ablation; default the
    extractor's); ``agreement`` counts decided statement themes equal to the gold ones."""
    agreement = Counter() if agreement is None else agreement
    listed = gold["files"]
    # scenario-dev lists its files; later corpora group them ({"documents": [...], ...})
    files: list[str] = (
        [f for group in listed.values() for f in group] if isinstance(listed, dict) else listed
    )
    corpus = Corpus(corpus_dir, files)
    docs = tuple(
        DocumentView(
            id=f, title=f.rsplit("/", 1)[-1], kind=_doc_kind(f), language="en", source_path=f
        )
        for f in files
    )
    title = {d.id: d.title for d in docs}
    actors = tuple(
        ActorView(
            id=a["id"],
            name=a["canonical_name"],
            label="Person" if a["type"] == "person" else "Actor",
            type=None if a["type"] == "person" else a["type"],
            level=a["level"],
            aliases=tuple(a.get("aliases", [])),
            doc_ids=tuple(a["mentioned_in"]),
        )
        for a in gold["actors"]
    )
    actor_ids = {a.id for a in actors}
    policies = tuple(
        PolicyView(
            id=p["id"],
            name=p["name"],
            label="Programme" if p["kind"] == "programme" else "Policy",
            kind=p["kind"],
            aliases=tuple(p.get("aliases", [])),
            doc_ids=tuple(
                p.get("mentioned_in") or corpus.files_naming([p["name"], *p.get("aliases", [])])
            ),
            themes=tuple(p["themes"]),
        )
        for p in gold["policies_programmes"]
    )

    # Names of actors and policies (gold matching rules: whole words, optional plural,
    # acronyms in capitals case-sensitive), to tell a theme word inside a name.
    name_patterns = [
        (x["id"], _name_pattern(n))
        for x in (*gold["actors"], *gold["policies_programmes"])
        for n in (x.get("canonical_name") or x["name"], *x.get("aliases", []))
    ]
    contexts = StatementContexts(corpus_dir, files, theme_ids_in, [p for _, p in name_patterns])
    patterns: dict[str, list[re.Pattern[str]]] = defaultdict(list)
    for x_id, pat in name_patterns:
        patterns[x_id].append(pat)
    evidence: dict[tuple[RelationKind, str, str], list[EvidenceView]] = defaultdict(list)
    for r in gold["relations"]:
        quote = r["evidence_quote"]
        ev = corpus.evidence(r["evidence_file"], quote, title[r["evidence_file"]])
        kind = RelationKind(r["type"])
        evidence[(kind, r["source"], r["target"])].append(ev)
        spans = [(m.start(), m.end(), i) for i, pat in name_patterns for m in pat.finditer(quote)]
        for theme, holders in _theme_holders(quote.lower(), spans, (r["source"], r["target"])):
            for end in holders:
                if end in actor_ids:
                    evidence[(RelationKind.works_on, end, theme)].append(ev)
        # What the statement is about: the gold theme (--relation-themes) or the theme
        # the extractor decides from the statement's contexts; both actor ends work on it.
        if relation_themes:
            about = r.get("theme")
        else:
            ends = [patterns[e] for e in (r["source"], r["target"]) if e in patterns]
            decided = statement_theme(contexts.levels(r["evidence_file"], quote, ends), levels)
            about = decided.theme if decided else None
            if r.get("theme"):
                agreement["none" if about is None else about == r["theme"]] += 1
        if about:
            # as the extractor does (nlp/extraction/tie_themes.py), a funder pays for the
            # work rather than doing it; gold relation themes go to both ends
            funder = not relation_themes and kind is RelationKind.funding
            for end in (r["target"],) if funder else (r["source"], r["target"]):
                if end in actor_ids:
                    evidence[(RelationKind.works_on, end, about)].append(ev)
    unquoted: set[tuple[RelationKind, str, str]] = set()
    for a in gold["actors"]:
        if a.get("affiliation"):
            unquoted.add((RelationKind.member_of, a["id"], a["affiliation"]))
    for p in gold["policies_programmes"]:
        for owner in p["owner_actor_ids"]:
            unquoted.add((RelationKind.mandate, owner, p["id"]))
    if gap_themes:
        names = {a["id"]: [a["canonical_name"], *a.get("aliases", [])] for a in gold["actors"]}
        for g in gold["gaps"]:
            for x in g["actors"]:
                for f in g["evidence_files"]:
                    evidence[(RelationKind.works_on, x, g["theme"])].extend(
                        corpus.passages_naming(f, names[x], title[f])[:2]
                    )
                unquoted.add((RelationKind.works_on, x, g["theme"]))

    relations = []
    for kind, src, dst in sorted(set(evidence) | unquoted):
        evs = tuple(
            {(e.passage_id, e.quote): e for e in evidence.get((kind, src, dst), [])}.values()
        )
        relations.append(
            RelationView(
                key=relation_key(kind, src, dst),
                kind=kind,
                source=src,
                target=dst,
                confidence=1.0,
                doc_ids=tuple(sorted({e.document_id for e in evs})),
                evidence=evs,
            )
        )
    return Subgraph(documents=docs, actors=actors, policies=policies, relations=tuple(relations))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    modes = ap.add_mutually_exclusive_group()
    modes.add_argument("--relation-themes", action="store_true")
    modes.add_argument("--gap-themes", action="store_true")
    ap.add_argument("--all", action="store_true", help="list every finding, not the top 20")
    ap.add_argument(
        "--levels",
        default=",".join(STATEMENT_LEVELS),
        help="statement-theme contexts to read, nearest first (default: the extractor's; "
        "also question, section, passage, ends; '' for none)",
    )
    args = ap.parse_args(argv)
    gold = load_gold(args.corpus / "gold.json")
    levels = tuple(x for x in args.levels.split(",") if x)
    agreement: Counter[bool | str] = Counter()
    findings = find_gaps(
        build_subgraph(gold, args.corpus, args.gap_themes, args.relation_themes, levels, agreement),
        filters=GapFilters(),
    )
    result = evaluate(findings, gold)
    index = GoldIndex.from_gold(gold)

    mode = (
        "gap-themes (upper bound)"
        if args.gap_themes
        else "relation-themes (gold relation themes)"
        if args.relation_themes
        else "structural"
    )
    print(f"oracle mode: {mode}; findings: {len(findings)} (default min_score)")
    if agreement:
        print(
            f"statement themes ({','.join(levels) or 'none'}): "
            f"{agreement[True]} right, {agreement[False]} wrong, {agreement['none']} undecided "
            f"of {agreement.total()} gold relation themes"
        )
    print(
        f"recall: {result.recall:.3f}  precision@{result.k}: {result.precision_at_k:.3f}  "
        f"non-gaps flagged: {len(result.non_gaps_flagged)} {result.non_gaps_flagged}"
    )
    for ng, hits in result.flagged_detail.items():
        print(f"  flagged {ng}: {hits}")
    print("\nper gold gap:")
    for g in gold["gaps"]:
        rank = result.found[g["id"]]
        near = [
            f"#{i} {f.kind.value}:{f.theme}:{sorted(finding_actor_ids(f, index))}"
            for i, f in enumerate(findings, 1)
            if set(g["actors"]) <= finding_actor_ids(f, index)
        ][:3]
        print(
            f"  {g['id']} {g['kind']:<27} {','.join(g['actors']):<10} {g['theme']:<22} "
            f"{'rank ' + str(rank) if rank else 'MISSED'}"
            + ("" if rank else f"   same actors: {near or 'none'}")
        )
    print("\nranked findings:")
    for i, f in enumerate(findings if args.all else findings[:20], 1):
        ok = any(matches(f, g, index, gold) for g in gold["gaps"])
        print(
            f"  {i:>2} {'+' if ok else ' '} {f.score:.3f} {f.kind.value:<27} "
            f"{f.theme!s:<22} {','.join(a.id for a in f.actors)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
