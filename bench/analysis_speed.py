"""Speed of the analysis layer alone (no store, no HTTP): gap findings and network metrics.

The graph follows bench/api_latency.py's ``synthesize`` (12 theme communities, 85% of an
actor's ties inside its primary theme, every actor ``works_on`` one or two themes), built
directly as a ``graph_schema.model.Subgraph``: 2 evidence passages per relation over 50
documents (a third interviews), plus what the gap rules also read - people who are
members of an organisation (2% of actors), programmes and policies with ``addresses``,
``mandate``, ``implements`` and ``funding`` relations, and explicit non-coordination.

Timed, each the median of ``--repeat`` runs (the first run is reported apart as "cold"):

* build_context on the whole graph;
* find_gaps on the whole graph (default filters; level_pair + min_confidence filters);
* find_gaps per theme on the theme's view (the theme's actors, their tie partners and
  the relations among them: what the service reads for /gaps?theme=...);
* network_metrics on each theme's view and on the whole graph.

    python bench/analysis_speed.py [--actors 5000 --relations 50000] [--scale large]
        [--repeat 3] [--profile find_gaps|theme|metrics|whole_metrics|context]
        [--skip-whole-metrics] [--themes-only] [--themes N] [--reference] [--plain]

``--scale large`` is 50,000 actors and 500,000 relations. ``--reference`` times the code
before issue 14 (tests/analysis_reference.py, the equivalence test's oracle) instead, so
before and after figures come from one machine state.

``--plain`` times the analysis alone, on what the service hands it: every graph and theme
view is turned into its plain data (graph_schema/plain.py, what a cut of the analytic view
is) before the clock starts, and each run gets a new holder of those facts, so every run
builds its context as a cold request does (the shared-context cache is keyed by the cut's
identity). Without it the first run also converts pydantic views, and later runs reuse the
context the first one built.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import analysis
from analysis import GapFilters
from bench.synthetic_shape import (
    DOCS,
    EVIDENCE_PER_RELATION,
    PASSAGES_PER_DOC,
    TYPES_BY_LEVEL,
    add_actor_ties,
)
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
from graph_schema.plain import PlainSubgraph, plain_subgraph
from nlp.lexicon import themes as theme_vocabulary

THEMES = tuple(t.id for t in theme_vocabulary()[:12])
PEOPLE_SHARE = 0.02
POLICIES = 120
SCALES = {"default": (5_000, 50_000), "large": (50_000, 500_000)}


def _documents() -> tuple[tuple[DocumentView, ...], list[list[EvidenceView]]]:
    """The documents and, per document, one shared EvidenceView per (passage, k): frozen
    views can be shared, which keeps a 1M-passage-citation graph in memory."""
    docs, evidence = [], []
    quote = "The municipality works with its partners on community safety."
    for d in range(DOCS):
        kind = "kii" if d % 3 == 0 else "plan"
        doc = DocumentView(
            id=f"doc{d:02d}",
            title=f"Synthetic document {d}",
            kind=kind,
            language="en",
            source_path=f"synthetic/{d:02d}.md",
            passage_count=PASSAGES_PER_DOC,
        )
        docs.append(doc)
        evidence.append(
            [
                EvidenceView(
                    document_id=doc.id,
                    document_title=doc.title,
                    document_kind=kind,
                    passage_id=f"{doc.id}:{p}",
                    page=1 + p // 10,
                    turn=None,
                    speaker=None,
                    quote=quote,
                    char_start=k,
                    char_end=60 + k,
                    confidence=0.5 + 0.5 * ((p * 7 + k) % 10) / 10,
                    cue="synthetic",
                )
                for p in range(PASSAGES_PER_DOC)
                for k in range(EVIDENCE_PER_RELATION)
            ]
        )
    return tuple(docs), evidence


def synthesize(n_actors: int, n_relations: int, seed: int = 7) -> Subgraph:
    rng = random.Random(seed)
    docs, evidence = _documents()
    actors: list[ActorView] = []
    home: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {t: [] for t in THEMES}
    for i in range(n_actors):
        level = rng.choices(list(TYPES_BY_LEVEL), weights=(4, 2, 1, 5))[0]
        ident = f"actor:{i:05d}"
        person = rng.random() < PEOPLE_SHARE
        actors.append(
            ActorView(
                id=ident,
                name=f"Synthetic {level} actor {i}",
                label="Person" if person else "Actor",
                type=rng.choice(TYPES_BY_LEVEL[level]),
                level=level,
                doc_ids=tuple(sorted({docs[rng.randrange(DOCS)].id for _ in range(2)})),
            )
        )
        primary = rng.choice(THEMES)
        home[ident] = list(dict.fromkeys([primary, rng.choice(THEMES)][: 1 + (rng.random() < 0.5)]))
        members[primary].append(ident)
    ids = [a.id for a in actors]
    people = [a.id for a in actors if a.label == "Person"]
    policies = [
        PolicyView(
            id=f"policy:{j:03d}",
            name=f"{'Act' if j % 10 == 0 else 'Harbour'} safety plan {j}",
            label="Programme" if j % 3 == 0 else "Policy",
            doc_ids=(docs[j % DOCS].id,),
            themes=(THEMES[j % len(THEMES)],) if j % 2 == 0 else (),
        )
        for j in range(POLICIES)
    ]

    facts: list[tuple[RelationKind, str, str]] = [
        (RelationKind.works_on if rng.random() < 0.8 else RelationKind.mandate, a, t)
        for a, ts in home.items()
        for t in ts
    ]
    facts += [(RelationKind.member_of, p, rng.choice(ids)) for p in people]
    for p in policies:
        facts.append((RelationKind.addresses, p.id, rng.choice(THEMES)))
        for kind in (RelationKind.mandate, RelationKind.implements, RelationKind.funding):
            if rng.random() < 0.4:
                facts.append((kind, rng.choice(ids), p.id))
    add_actor_ties(rng, facts, home, members, n_relations)
    rng.shuffle(facts)

    relations = []
    for j, (kind, s, t) in enumerate(facts):
        d = j % DOCS
        cited = tuple(
            evidence[d][((j + k * 37) % PASSAGES_PER_DOC) * EVIDENCE_PER_RELATION + k]
            for k in range(EVIDENCE_PER_RELATION)
        )
        relations.append(
            RelationView(
                key=relation_key(kind, s, t),
                kind=kind,
                source=s,
                target=t,
                confidence=0.6 + 0.4 * ((j * 13) % 10) / 10,
                doc_ids=(docs[d].id,),
                evidence=cited,
            )
        )
    return Subgraph(
        documents=docs, actors=tuple(actors), policies=tuple(policies), relations=tuple(relations)
    )


def theme_view(sg: Subgraph, theme: str) -> Subgraph:
    """The theme's actors (a works_on / mandate to it), their direct partners, and every
    relation among those actors or from them to a theme or policy."""
    actor_ids = {a.id for a in sg.actors}
    on_theme = {r.source for r in sg.relations if r.target == theme and r.source in actor_ids}
    keep = set(on_theme)
    for r in sg.relations:
        if r.source in on_theme and r.target in actor_ids:
            keep.add(r.target)
        elif r.target in on_theme and r.source in actor_ids:
            keep.add(r.source)
    relations = tuple(
        r
        for r in sg.relations
        if r.source in keep and (r.target in keep or r.target not in actor_ids)
    )
    return sg.model_copy(
        update={"actors": tuple(a for a in sg.actors if a.id in keep), "relations": relations}
    )


@dataclass
class Timing:
    name: str
    cold_ms: float
    median_ms: float
    cpu_ms: float  # median process CPU time: what a shared, loaded machine distorts least
    note: str = ""


def timed(name: str, fn: Callable[[], object], repeat: int, note: str = "") -> Timing:
    runs, cpu = [], []
    for _ in range(max(repeat, 1)):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return Timing(name, runs[0], statistics.median(runs), statistics.median(cpu), note)


def _table(rows: list[Timing]) -> str:
    width = max(len(r.name) for r in rows)
    out = [f"{'step':<{width}}  {'cold ms':>9}  {'median ms':>9}  {'cpu ms':>9}  note"]
    out += [
        f"{r.name:<{width}}  {r.cold_ms:>9.1f}  {r.median_ms:>9.1f}  {r.cpu_ms:>9.1f}  {r.note}"
        for r in rows
    ]
    return "\n".join(out)


def implementation(reference: bool) -> tuple[Any, Any, Any]:
    """(build_context, find_gaps, network_metrics): the current analysis package, or the
    pre-issue-14 copy kept as the test oracle (tests/analysis_reference.py), so before and
    after are timed in one run, on one machine state."""
    if reference:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        import analysis_reference as old

        return old.build_context, old.find_gaps, old.network_metrics
    from analysis._context import build_context

    return build_context, analysis.find_gaps, analysis.network_metrics


def _fresh(sg: Subgraph | PlainSubgraph) -> Subgraph | PlainSubgraph:
    """A plain subgraph as a new cut of the same facts: a new identity, so no context the
    analysis keeps for an earlier cut (analysis/_context_cache.py) answers for it."""
    return replace(sg) if isinstance(sg, PlainSubgraph) else sg


def run(args: argparse.Namespace) -> list[Timing]:
    if args.plain and args.reference:
        raise SystemExit("--plain times the current analysis; the reference reads Subgraphs")
    build, gaps, metrics_of = implementation(args.reference)

    def build_context(sg: Subgraph | PlainSubgraph, **kw: Any) -> Any:
        return build(_fresh(sg), **kw)

    def find_gaps(sg: Subgraph | PlainSubgraph, **kw: Any) -> Any:
        return gaps(_fresh(sg), **kw)

    def network_metrics(sg: Subgraph | PlainSubgraph, **kw: Any) -> Any:
        return metrics_of(_fresh(sg), **kw)

    n_actors, n_relations = (
        SCALES["large"] if args.scale == "large" else (args.actors, args.relations)
    )
    start = time.perf_counter()
    built = synthesize(n_actors, n_relations)
    views: dict[str, Subgraph | PlainSubgraph] = {
        t: theme_view(built, t) for t in THEMES[: args.themes]
    }
    sg: Subgraph | PlainSubgraph = built
    if args.plain:
        sg = plain_subgraph(built)
        views = {t: plain_subgraph(v) for t, v in views.items()}
    print(
        f"graph: {len(sg.actors)} actors, {len(sg.relations)} relations, "
        f"{len(views)} theme views of ~{statistics.mean(len(v.actors) for v in views.values()):.0f} "
        f"actors (built in {time.perf_counter() - start:.1f} s)",
        flush=True,
    )
    filtered = GapFilters(level_pair=("local", "national"), min_confidence=0.7)
    rows = (
        []
        if args.themes_only
        else [
            timed("build_context (whole graph)", lambda: build_context(sg), args.repeat),
            timed("find_gaps (whole graph, defaults)", lambda: find_gaps(sg), args.repeat),
            timed(
                "find_gaps (whole, level_pair+min_conf)",
                lambda: find_gaps(sg, filters=filtered),
                args.repeat,
            ),
        ]
    )
    per_theme = [
        timed(
            f"find_gaps theme view {t}",
            lambda t=t: find_gaps(views[t], filters=GapFilters(themes=frozenset({t}))),
            args.repeat,
            note=f"{len(views[t].actors)} actors",
        )
        for t in views
    ]
    rows.append(_summary("find_gaps per theme (max of themes)", per_theme))
    metrics = [
        timed(
            f"network_metrics theme view {t}",
            lambda t=t: network_metrics(views[t]),
            args.repeat,
            note=f"{len(views[t].actors)} actors",
        )
        for t in views
    ]
    rows.append(_summary("network_metrics per theme (max)", metrics))
    if not (args.skip_whole_metrics or args.themes_only):
        rows.append(timed("network_metrics (whole graph)", lambda: network_metrics(sg), 1))
    if args.verbose:
        rows += per_theme + metrics
    if args.profile:
        target = {
            "find_gaps": lambda: find_gaps(sg),
            "theme": lambda: find_gaps(
                views[THEMES[0]], filters=GapFilters(themes=frozenset({THEMES[0]}))
            ),
            "metrics": lambda: network_metrics(views[THEMES[0]]),
            "whole_metrics": lambda: network_metrics(sg),
            "context": lambda: build_context(sg),
        }[args.profile]
        prof = cProfile.Profile()
        prof.runcall(target)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    return rows


def _summary(name: str, rows: list[Timing]) -> Timing:
    worst = max(rows, key=lambda r: r.cold_ms)
    return Timing(
        name,
        worst.cold_ms,
        max(r.median_ms for r in rows),
        max(r.cpu_ms for r in rows),
        note=f"worst cold: {worst.name.rsplit(' ', 1)[-1]} ({worst.note})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--actors", type=int, default=SCALES["default"][0])
    parser.add_argument("--relations", type=int, default=SCALES["default"][1])
    parser.add_argument("--scale", choices=tuple(SCALES), default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--themes", type=int, default=len(THEMES), help="theme views timed")
    parser.add_argument(
        "--profile", choices=("find_gaps", "theme", "metrics", "whole_metrics", "context")
    )
    parser.add_argument("--skip-whole-metrics", action="store_true")
    parser.add_argument(
        "--themes-only", action="store_true", help="only the theme views (what /gaps?theme= cuts)"
    )
    parser.add_argument("--verbose", action="store_true", help="one row per theme too")
    parser.add_argument(
        "--reference", action="store_true", help="time the pre-issue-14 code (the 'before')"
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="time the analysis alone on plain inputs, every run a cold context",
    )
    rows = run(parser.parse_args())
    print(_table(rows))


if __name__ == "__main__":
    main()
