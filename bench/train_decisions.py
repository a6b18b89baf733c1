"""Fit the actor and relation decisions on the gold corpora; write both weight files.

    .venv/bin/python bench/train_decisions.py            # fit on all corpora, write
                                                         # nlp/models/actor_decision.json and
                                                         # nlp/models/relation_decision.json
    .venv/bin/python bench/train_decisions.py --loco     # leave-one-corpus-out tables

The one command reproduces both shipped files exactly (deterministic lbfgs solver, inputs
sorted, values rounded; ``tests/test_nlp_decide.py`` refits from the cached candidates and
compares). Candidates come from extraction with both decisions disabled, cached under
/tmp/govgraph_decide keyed by the sources that shape them (nlp/, ingest/, bench/corpora.py,
bench/scoring.py), to save CPU between fits.

Actor decision: a candidate is positive when one of its names matches a gold actor
(bench/scoring's ``gold_index`` / ``match_entity``); gold optional actors are dropped. The
threshold is the one of best macro F1 among those reaching macro precision 0.85 on
out-of-fold scores (the issue's target; the best F0.5 when none does).

Relation decision: a candidate actor-actor tie is positive when its kind and its two ends,
mapped to gold ids, are a gold actor-actor relation (bench/scoring's ``rel_key``,
direction-insensitive for symmetric kinds). Its ends' actor scores come from the actor
decision fitted on the same corpora, and ties with an end that decision rejects are left
out (at run time they never reach the relation decision). The threshold is the lowest
one within one bootstrap standard error of the best macro F0.5 (precision counts four
times) of out-of-fold scores.

Folds are corpora: a threshold is never tuned on the corpus it is scored on; thresholds
are calibrated on the assessment corpora (real_documents trains but is reported apart).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpora import CORPORA, SCENARIOS, load_corpus, norm_name  # noqa: E402
from bench.scoring import gold_index, match_entity, rel_key  # noqa: E402
from nlp import extract_documents  # noqa: E402
from nlp.decide import decision_weights  # noqa: E402
from nlp.decide.actor import ENV, SHIPPED, ActorDecision  # noqa: E402
from nlp.decide.relation import ENV as REL_ENV  # noqa: E402
from nlp.decide.relation import SHIPPED as REL_SHIPPED  # noqa: E402
from nlp.decide.relation import relation_decision_weights  # noqa: E402

CACHE = Path("/tmp/govgraph_decide")
CACHE_FORMAT = "2"  # bump when the cached rows change shape
TARGET_PRECISION = 0.85  # macro precision an actor threshold must reach (issue 11's target)
REL_BETA = 0.5  # F-beta of both thresholds: precision weighs 1/beta^2 = 4x recall
REL_BOOTSTRAPS = 200  # resamples for the F0.5 curve's standard error (see _relation_threshold)
REL_BOOTSTRAP_SEED = 0
_END_KEYS = ("end_score_min", "end_score_max", "end_score_none")
# The relation model reads a compact subset of the tie features: with ~160 labelled ties the
# full vector (78 features) fitted each corpus' own conventions and ranked the left-out
# corpus' ties no better than chance (mean out-of-fold AUC 0.47-0.53 for C in 0.01..1);
# these eight - rule path strength, co-occurrence fallback, crowded quotes, hedging,
# negation, the speaker's "we", support across documents, the weaker end's actor score -
# reached 0.71. The subset was chosen on out-of-fold AUC over every corpus (see README).
REL_FEATURES = (
    "end_score_min",
    "mean:cooccurrence",
    "mean:crowded",
    "mean:hedged",
    "mean:negated",
    "mean:speaker_end",
    "mean:strength",
    "support_doc_share",
)

Rows = list[dict[str, Any]]


@functools.cache
def _source_key() -> str:
    """Once per process: every corpus of one fit is read with the same sources."""
    h = hashlib.sha256(CACHE_FORMAT.encode())
    paths = [
        *sorted((REPO / "nlp").rglob("*.py")),
        *sorted((REPO / "nlp" / "data").rglob("*")),
        *sorted((REPO / "ingest").rglob("*.py")),
        REPO / "bench" / "corpora.py",
        REPO / "bench" / "scoring.py",
    ]
    for p in paths:
        if p.is_file() and "models" not in p.parts:
            h.update(str(p.relative_to(REPO)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def candidates(name: str) -> dict[str, Any]:
    """Labelled candidates of one corpus: actor rows, every actor candidate's features (for
    the ends of ties), relation rows, and the gold counts."""
    path = CACHE / f"{name}-{_source_key()}.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    corpus = load_corpus(name)
    with decision_weights(None), relation_decision_weights(None):
        run = extract_documents(list(corpus.documents))
    gold = [a for a in corpus.gold["actors"] if a["type"] != "person"]
    index = gold_index(gold)
    optional = set(corpus.optional_names) | {
        norm_name(o if isinstance(o, str) else o.get("name", ""))
        for o in corpus.gold.get("optional_actors", [])
    }
    actors, to_gold, dropped = [], {}, set()
    for c in run.candidates:
        names = [c.name, *c.aliases]
        gid = match_entity(names, index)
        if gid is None and any(norm_name(n) in optional for n in names):
            dropped.add(c.entity_id)
            continue
        to_gold[c.entity_id] = gid
        actors.append(
            {
                "entity_id": c.entity_id,
                "name": c.name,
                "features": c.features,
                "gold": gid,
                "y": int(gid is not None),
            }
        )
    org_ids = {str(a["id"]) for a in gold}
    gold_ties = {
        rel_key(r["type"], str(r["source"]), str(r["target"]))
        for r in corpus.gold["relations"]
        if str(r["source"]) in org_ids and str(r["target"]) in org_ids
    }
    relations = []
    for t in run.relation_candidates:
        if t.source_id in dropped or t.target_id in dropped:
            continue  # scoring neither credits nor penalises ties of optional actors
        key = rel_key(
            t.kind, to_gold.get(t.source_id) or t.source_id, to_gold.get(t.target_id) or t.target_id
        )
        relations.append(
            {
                "kind": t.kind,
                "source_id": t.source_id,
                "target_id": t.target_id,
                "features": t.features,
                "key": list(key),
                "y": int(key in gold_ties),
            }
        )
    data = {
        "actors": actors,
        "actor_features": {c.entity_id: c.features for c in run.candidates},
        "relations": relations,
        "n_gold": len(gold),
        "n_gold_ties": len(gold_ties),
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, sort_keys=True))
    return data


# --------------------------------------------------------------------------------------
# fitting (shared by both decisions)
# --------------------------------------------------------------------------------------
def _fit(rows: Rows, c: float = 0.5) -> tuple[list[str], np.ndarray, np.ndarray, Any]:
    from sklearn.linear_model import LogisticRegression

    # Sorted names and rows: the same candidates always give the same matrix, so lbfgs
    # (deterministic) gives the same weights and the shipped file is reproducible.
    rows = sorted(rows, key=lambda r: json.dumps(r["features"], sort_keys=True) + str(r["y"]))
    names = sorted({k for r in rows for k in r["features"]})
    x = np.array([[float(r["features"].get(n, 0.0)) for n in names] for r in rows])
    y = np.array([r["y"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(
        class_weight="balanced", C=c, solver="lbfgs", tol=1e-8, max_iter=10000
    )
    model.fit((x - mean) / scale, y)
    return names, mean, scale, model


def _weights(
    fitted: tuple[list[str], np.ndarray, np.ndarray, Any],
    thr: float,
    provenance: dict[str, Any],
) -> dict[str, Any]:
    names, mean, scale, model = fitted
    return {
        "model": "logistic regression (scikit-learn lbfgs, L2, class_weight=balanced), standardised",
        "features": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": round(thr, 4),
        "provenance": provenance,
    }


def _scores(w: dict[str, Any], rows: Rows) -> np.ndarray:
    d = ActorDecision.from_weights(w)
    return np.array([d.score(r["features"]) for r in rows])


def _calibration_folds(corpora: list[str]) -> list[str]:
    return [c for c in corpora if c in SCENARIOS] or list(corpora)


# --------------------------------------------------------------------------------------
# actor decision
# --------------------------------------------------------------------------------------
def _actor_threshold(folds: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The threshold of the best macro F1 among those whose macro precision reaches
    TARGET_PRECISION over the held-out folds (corpora): the issue's own target, "F1 with
    precision >= 0.85", read on out-of-fold scores. Pooled figures would let the corpus
    with most candidates decide alone. With no threshold reaching the target, the best
    macro F0.5 (precision counts four times).

    Two rules were tried before and compared on left-out candidates (see README):
    - "the lowest threshold reaching the precision target" hung on one spurious early
      crossing of a non-monotonic precision curve: 0.84 with both weak corpora among the
      calibration folds, 0.33 without one;
    - "the best F0.5" met the target but, once the acronym merge changed scenario-es'
      candidates, cut scenario-ke's left-out actor recall from 0.88 to 0.70."""
    every = np.unique(np.round(np.concatenate([s for s, _ in folds]), 4))
    best: tuple[float, float] | None = None
    fallback, fallback_f = 0.5, -1.0
    for t in every:
        prs = [_kept_pr(s >= t, y) for s, y in folds]
        p = float(np.mean([pr[0] for pr in prs]))
        f1 = float(np.mean([_f_beta(*pr, beta=1.0) for pr in prs]))
        f05 = float(np.mean([_f_beta(*pr) for pr in prs]))
        if p >= TARGET_PRECISION and (best is None or f1 > best[1]):
            best = (float(t), f1)
        if f05 > fallback_f:
            fallback, fallback_f = float(t), f05
    return best[0] if best is not None else fallback


def _kept_pr(keep: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Precision and recall of the kept candidates among a fold's candidates."""
    p = float(y[keep].mean()) if keep.any() else 0.0
    r = float(y[keep].sum() / y.sum()) if y.sum() else 0.0
    return p, r


def fit_actor_decision(corpora: list[str], *, cv: bool = True) -> dict[str, Any]:
    """Weights fitted on these corpora; threshold from leave-one-corpus-out scores inside them."""
    data = {c: candidates(c)["actors"] for c in corpora}
    rows = [r for c in corpora for r in data[c]]
    folds: list[tuple[np.ndarray, np.ndarray]] = []
    if cv and len(corpora) > 1:
        for held in _calibration_folds(corpora):
            train = [r for c in corpora if c != held for r in data[c]]
            w = _weights(_fit(train), 0.5, {})
            folds.append((_scores(w, data[held]), np.array([r["y"] for r in data[held]])))
    fitted = _fit(rows)
    if not folds:
        folds = [(_scores(_weights(fitted, 0.5, {}), rows), np.array([r["y"] for r in rows]))]
    prov = {
        "command": "bench/train_decisions.py",
        "corpora": sorted(corpora),
        "n_candidates": len(rows),
        "n_positive": int(sum(r["y"] for r in rows)),
        "threshold_rule": "best macro out-of-fold (per corpus) F1 among thresholds with macro "
        f"precision >= {TARGET_PRECISION}; else the best macro F{REL_BETA}",
    }
    return _weights(fitted, _actor_threshold(folds), prov)


def actor_prf(rows: Rows, n_gold: int, keep: np.ndarray) -> tuple[float, ...]:
    kept = [r for r, k in zip(rows, keep, strict=True) if k]
    p = sum(r["y"] for r in kept) / len(kept) if kept else 0.0
    rec = len({r["gold"] for r in kept if r["gold"]}) / n_gold if n_gold else 0.0
    return p, rec, 2 * p * rec / (p + rec) if p + rec else 0.0, len(kept)


# --------------------------------------------------------------------------------------
# relation decision
# --------------------------------------------------------------------------------------
def relation_rows(name: str, actor_weights: dict[str, Any]) -> Rows:
    """A corpus' tie rows with their ends scored by these actor weights; ties with an end
    those weights reject are dropped, as extraction drops them."""
    data = candidates(name)
    decide = ActorDecision.from_weights(actor_weights)
    feats = data["actor_features"]
    score = {eid: decide.score(f) for eid, f in feats.items()}
    out = []
    for r in data["relations"]:
        ends = [score.get(r["source_id"]), score.get(r["target_id"])]
        if any(s is not None and not decide.accepts(s) for s in ends):
            continue
        vals = [1.0 if s is None else round(s, 4) for s in ends]
        f = {k: v for k, v in r["features"].items() if k not in _END_KEYS}
        f["end_score_min"], f["end_score_max"] = min(vals), max(vals)
        if any(s is None for s in ends):
            f["end_score_none"] = 1.0
        out.append({**r, "features": {k: f[k] for k in REL_FEATURES if f.get(k)}})
    return out


def relation_prf(rows: Rows, n_gold: int, keep: np.ndarray) -> tuple[float, ...]:
    """bench/scoring's actor-actor figures on candidate rows: distinct keys, gold count."""
    kept = {tuple(r["key"]): r["y"] for r, k in zip(rows, keep, strict=True) if k}
    tp = sum(kept.values())
    p = tp / len(kept) if kept else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return p, rec, 2 * p * rec / (p + rec) if p + rec else 0.0, len(kept)


def _f_beta(p: float, r: float, beta: float = REL_BETA) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def _macro_f(folds: list[tuple[np.ndarray, Rows, int]], t: float) -> float:
    return float(np.mean([_f_beta(*relation_prf(r, n, s >= t)[:2]) for s, r, n in folds]))


def _resampled(folds: list[tuple[np.ndarray, Rows, int]], rng: np.random.Generator) -> list:
    """The folds with each fold's ties drawn again with replacement (a bootstrap sample)."""
    out = []
    for s, r, n in folds:
        pick = rng.integers(0, len(r), len(r)) if len(r) else np.array([], dtype=int)
        out.append((s[pick], [r[i] for i in pick], n))
    return out


def _relation_threshold(folds: list[tuple[np.ndarray, Rows, int]]) -> float:
    """The lowest threshold whose macro F0.5 over the held-out folds is within one
    bootstrap standard error of the best one (Breiman's one-standard-error rule).

    With three calibration folds of ~40 ties each the F0.5 curve is noisy: with a fixed
    tolerance (0.02) its peak, and so the threshold, moved between 0.04 and 0.41 from one
    refit to the next while the extraction barely changed, and at 0.31 the left-out corpus
    (scenario-ke) lost two fifths of its ties for no precision gain. The curve's own
    sampling error says how far below the peak is still "as good": each fold's ties are
    resampled (fixed seed, so the fit stays reproducible) and the spread of the best
    threshold's macro F0.5 over the resamples is that error. A tie is dropped only where
    dropping it paid on the other corpora by more than chance would."""
    every = np.unique(np.round(np.concatenate([s for s, _, _ in folds]), 4))
    if not len(every):
        return 0.0
    curve = [(float(t), _macro_f(folds, float(t))) for t in every]
    best_t, best_f = max(curve, key=lambda c: c[1])
    rng = np.random.default_rng(REL_BOOTSTRAP_SEED)
    spread = [_macro_f(_resampled(folds, rng), best_t) for _ in range(REL_BOOTSTRAPS)]
    error = float(np.std(spread))
    return next(t for t, f in curve if f >= best_f - error)


def fit_relation_decision(
    corpora: list[str],
    actor_weights: dict[str, Any],
    *,
    actor_fit: Callable[[list[str]], dict[str, Any]] = fit_actor_decision,
) -> dict[str, Any]:
    """Weights fitted on these corpora's ties; threshold from leave-one-corpus-out scores,
    each fold with the actor decision fitted without its held-out corpus too."""
    rows = [r for c in corpora for r in relation_rows(c, actor_weights)]
    folds: list[tuple[np.ndarray, Rows, int]] = []
    if len(corpora) > 1:
        for held in _calibration_folds(corpora):
            others = [c for c in corpora if c != held]
            fold_actor = actor_fit(others)
            train = [r for c in others for r in relation_rows(c, fold_actor)]
            if len({r["y"] for r in train}) < 2:
                # the fold's actor threshold kept too few ends for a tie model (it can
                # reach 0.99 on three corpora): no calibration from this fold
                continue
            w = _weights(_fit(train), 0.5, {})
            test = relation_rows(held, fold_actor)
            folds.append((_scores(w, test), test, int(candidates(held)["n_gold_ties"])))
    fitted = _fit(rows)
    if not folds:
        n = sum(int(candidates(c)["n_gold_ties"]) for c in corpora)
        folds = [(_scores(_weights(fitted, 0.5, {}), rows), rows, n)]
    prov = {
        "command": "bench/train_decisions.py",
        "corpora": sorted(corpora),
        "n_candidates": len(rows),
        "n_positive": int(sum(r["y"] for r in rows)),
        "threshold_rule": (
            "lowest threshold within one bootstrap standard error "
            f"({REL_BOOTSTRAPS} resamples, seed {REL_BOOTSTRAP_SEED}) of the best macro "
            f"out-of-fold (per corpus) F{REL_BETA} of actor-actor ties"
        ),
    }
    return _weights(fitted, _relation_threshold(folds), prov)


def fit_decisions(corpora: list[str]) -> dict[str, Any]:
    """Both decisions fitted on these corpora (what the --loco evaluations call)."""
    names = [c for c in corpora if c in CORPORA]
    actor = fit_actor_decision(names)
    return {"actor": actor, "relation": fit_relation_decision(names, actor)}


@contextlib.contextmanager
def applied(weights: dict[str, Any]) -> Iterator[None]:
    """These weights for every extraction inside the block, in this thread (context
    variables) and in the service's worker threads (the two environment variables)."""
    files: list[str] = []
    before = {ENV: os.environ.get(ENV), REL_ENV: os.environ.get(REL_ENV)}
    for env, w in ((ENV, weights["actor"]), (REL_ENV, weights["relation"])):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(w, fh)
        files.append(fh.name)
        os.environ[env] = fh.name
    try:
        with decision_weights(weights["actor"]), relation_decision_weights(weights["relation"]):
            yield
    finally:
        for env, value in before.items():
            if value is None:
                os.environ.pop(env, None)
            else:
                os.environ[env] = value
        for f in files:
            os.unlink(f)


def _dump(w: dict[str, Any]) -> str:
    return json.dumps(w, indent=1, sort_keys=True) + "\n"


def _fmt(t: tuple[float, ...]) -> str:
    return f"{t[0]:.2f}/{t[1]:.2f}/{t[2]:.2f} ({t[3]})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loco", action="store_true", help="leave-one-corpus-out tables")
    ap.add_argument("--corpora", nargs="*", default=list(CORPORA))
    args = ap.parse_args()
    full = fit_decisions(args.corpora)
    if not args.loco:
        for path, w in ((SHIPPED, full["actor"]), (REL_SHIPPED, full["relation"])):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dump(w), encoding="utf-8")
            print(f"wrote {path} (threshold {w['threshold']}, {len(w['features'])} features)")
        return
    print("candidate level (no re-extraction): before = no decision")
    print("| corpus | actors before | left-out | in-corpus | ties before | left-out | in-corpus |")
    print("|---|---|---|---|---|---|---|")
    for held in args.corpora:
        data = candidates(held)
        w = fit_decisions([c for c in args.corpora if c != held])
        rows, n_gold = data["actors"], int(data["n_gold"])
        cells = [actor_prf(rows, n_gold, np.ones(len(rows), bool))]
        for ws in (w, full):
            cells.append(
                actor_prf(rows, n_gold, _scores(ws["actor"], rows) >= ws["actor"]["threshold"])
            )
        ties, n_ties = data["relations"], int(data["n_gold_ties"])
        cells.append(relation_prf(ties, n_ties, np.ones(len(ties), bool)))
        for ws in (w, full):
            kept = relation_rows(held, ws["actor"])
            keep = _scores(ws["relation"], kept) >= ws["relation"]["threshold"]
            cells.append(relation_prf(kept, n_ties, keep))
        print(f"| {held} | " + " | ".join(_fmt(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
