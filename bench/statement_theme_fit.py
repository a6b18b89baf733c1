"""Is a statement's theme learnable from its contexts? A leave-one-corpus-out check.

The gold relations of scenario-es and scenario-ke carry the theme each statement is about.
For every statement and every theme named in any of its contexts (``oracle_contexts``:
sentence, question, passage, section outside names, and ``ends``, what the two bodies are
about elsewhere in the corpus), the features are that theme's share of the cue hits at each
level and whether it is the sentence's first theme; a logistic regression (scikit-learn,
class_weight=balanced, as ``bench/train_decisions.py`` fits the other decisions) scores
each candidate, the best one is the statement's theme if its score reaches a threshold.
Fitted on one corpus, scored on the other: the printed figures are left-out ones, beside
the rule the extractor uses (``nlp.extraction.statement_themes``) on the same statements.

    .venv/bin/python bench/statement_theme_fit.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from eval_gaps_oracle import _name_pattern, theme_ids_in
from oracle_contexts import StatementContexts
from sklearn.linear_model import LogisticRegression

from nlp.extraction.statement_themes import CONTEXT_LEVELS, STATEMENT_LEVELS, statement_theme

CORPUS_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
CORPORA = ("scenario-es", "scenario-ke")
LEVELS = ("sentence", "question", "passage", "section", "ends")
THRESHOLDS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.0)

Candidates = dict[str, list[float]]


def _counts(found: Any) -> Counter[str]:
    return Counter(dict(found)) if isinstance(found, dict) else Counter(found)


def features(levels: dict[str, Any]) -> Candidates:
    """Each theme named at some level -> its share of each level's hits, first in sentence."""
    counts = {lv: _counts(levels.get(lv, ())) for lv in LEVELS}
    themes = list(dict.fromkeys(t for lv in LEVELS for t in counts[lv]))
    sentence = list(levels.get("sentence", ()))
    return {
        t: [
            *(
                counts[lv][t] / total if (total := sum(counts[lv].values())) else 0.0
                for lv in LEVELS
            ),
            float(bool(sentence) and sentence[0] == t),
        ]
        for t in themes
    }


def statements(name: str) -> list[tuple[dict[str, Any], str]]:
    root = CORPUS_ROOT / name
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    files = [*gold["files"]["documents"], *gold["files"]["transcripts"]]
    named = (*gold["actors"], *gold["policies_programmes"])
    patterns: dict[str, list[Any]] = defaultdict(list)
    for x in named:
        for n in (x.get("canonical_name") or x["name"], *x.get("aliases", [])):
            patterns[x["id"]].append(_name_pattern(n))
    contexts = StatementContexts(
        root, files, theme_ids_in, [p for ps in patterns.values() for p in ps]
    )
    out = []
    for r in gold["relations"]:
        ends = [patterns[e] for e in (r["source"], r["target"]) if e in patterns]
        out.append((contexts.levels(r["evidence_file"], r["evidence_quote"], ends), r["theme"]))
    return out


def main() -> int:
    data = {name: statements(name) for name in CORPORA}
    for left_out in CORPORA:
        train = [(features(lv), gold) for n in CORPORA if n != left_out for lv, gold in data[n]]
        x = np.array([f for cands, _ in train for f in cands.values()])
        y = np.array([int(t == gold) for cands, gold in train for t in cands])
        model = LogisticRegression(class_weight="balanced", max_iter=1000).fit(x, y)
        scored = []
        for lv, gold in data[left_out]:
            cands = features(lv)
            if not cands:
                scored.append((0.0, False))
                continue
            probs = model.predict_proba(np.array(list(cands.values())))[:, 1]
            best = int(np.argmax(probs))
            scored.append((float(probs[best]), list(cands)[best] == gold))
        n = len(scored)
        print(f"{left_out} left out ({n} statements; fitted on the other corpus)")
        weights = ", ".join(
            f"{name} {w:+.2f}"
            for name, w in zip((*LEVELS, "first_in_sentence"), model.coef_[0], strict=True)
        )
        print(f"  weights: {weights}")
        for thr in THRESHOLDS:
            decided = [ok for p, ok in scored if p >= thr and p > 0]
            print(
                f"  fit, score >= {thr}: {len(decided)} decided, {sum(decided)} right "
                f"({sum(decided) / max(len(decided), 1):.2f})"
            )
        for levels in (STATEMENT_LEVELS, CONTEXT_LEVELS):
            rule = [statement_theme(lv, levels) for lv, _ in data[left_out]]
            right = sum(
                d is not None and d.theme == g
                for d, (_, g) in zip(rule, data[left_out], strict=True)
            )
            made = sum(d is not None for d in rule)
            print(
                f"  rule ({','.join(levels)}): {made} decided, {right} right "
                f"({right / max(made, 1):.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
