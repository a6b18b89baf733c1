"""The review queue: the unreviewed actors and relations that most need an analyst's look,
each with the reasons it is there and what its score is made of.

The score adds up named signals, each with its weight (so ``reasons`` explains the whole
score, and the ranking can be argued with):

- ``low_confidence``  the extraction was unsure (0.4 x (1 - confidence));
- ``weak_type_cue`` / ``weak_level_cue``  an actor's type or level came from a weak cue or a
  default (0.2 / 0.1 x (1 - its confidence), when that is below 0.6);
- ``conflicting_evidence``  the same pair of actors is also linked by another kind: 0.3 when
  one says they coordinate and another that they do not, 0.15 for any other kind;
- ``thin_evidence``  a relation resting on a single passage (0.1);
- ``high_impact``  the actor (or an end of the relation) is named in the top gap findings,
  where a wrong fact changes what the city is told (0.1 per finding, 0.3 at most).

The score is capped at 1. Items with no signal are not queued: nothing says they need a look.
Ranking is pure (``rank``); the route and ``govgraph review`` feed it the same reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from analysis import Finding
from graph_schema.catalog import evidence_for
from graph_schema.decisions import REJECTED
from graph_schema.model import POSITIVE_RELATIONS, Label, RelationKind
from graph_schema.review_reads import ActorCues, actor_mentions, unreviewed_actor_cues
from graph_schema.store import GraphStore
from graph_schema.view import ViewState

__all__ = [
    "TOP_FINDINGS",
    "QueueEvidence",
    "QueueItem",
    "QueueKind",
    "Reason",
    "attach_evidence",
    "queue_page",
    "rank",
]

TOP_FINDINGS = 20  # the gap findings whose actors count as high impact
WEAK_CUE = 0.6  # a type or level confidence below this is a weak cue
_ACTOR_LABELS = (Label.Actor, Label.Person)


class QueueKind(StrEnum):
    actor = "actor"
    relation = "relation"


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    signal: str
    weight: float  # this signal's share of the score
    detail: str  # one sentence for the analyst


class QueueEvidence(BaseModel):
    """A passage to judge the item on: for a relation its evidence, for an actor a mention."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    document_title: str
    document_kind: str
    passage_id: str
    page: int | None = None
    turn: int | None = None
    speaker: str | None = None
    quote: str
    char_start: int
    char_end: int


class QueueItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    target_kind: QueueKind
    target_id: str  # the actor id or the relation key: what a decision is posted on
    summary: str  # the actor's name, or "A -[kind]-> B"
    score: float
    reasons: tuple[Reason, ...]
    type: str | None = None  # an actor's
    level: str | None = None
    kind: str | None = None  # a relation's
    source: str | None = None
    target: str | None = None
    confidence: float | None = None
    evidence: tuple[QueueEvidence, ...] = ()


def _reason(signal: str, weight: float, detail: str) -> Reason | None:
    weight = round(weight, 3)
    return Reason(signal=signal, weight=weight, detail=detail) if weight > 0 else None


def _impact(ids: Iterable[str], named_in: Mapping[str, list[Finding]]) -> Reason | None:
    findings = {f.id: f for i in ids for f in named_in.get(i, ())}
    if not findings:
        return None
    best = max(findings.values(), key=lambda f: f.score)
    where = f" on {best.theme}" if best.theme else ""
    return _reason(
        "high_impact",
        min(0.3, 0.1 * len(findings)),
        f"Named in {len(findings)} of the top {TOP_FINDINGS} gap findings "
        f"(e.g. {best.kind.value}{where}, score {best.score:.2f}).",
    )


def _float(value: Any, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default


def _actor_item(cues: ActorCues, named_in: Mapping[str, list[Finding]]) -> QueueItem:
    confidence = _float(cues.get("confidence"), 1.0)
    reasons = [
        _reason(
            "low_confidence",
            0.4 * (1 - confidence),
            f"The extraction is {confidence:.0%} sure this names an organisation.",
        )
    ]
    for field, weight in (("type", 0.2), ("level", 0.1)):
        value = _float(cues.get(f"{field}_confidence"), 1.0)
        if value < WEAK_CUE:
            cue = cues.get(f"{field}_cue") or "no cue"
            reasons.append(
                _reason(
                    f"weak_{field}_cue",
                    weight * (1 - value),
                    f"{field.capitalize()} '{cues.get(field)}' rests on a weak cue "
                    f"({cue}; {value:.2f}).",
                )
            )
    reasons.append(_impact([str(cues["id"])], named_in))
    kept = tuple(r for r in reasons if r is not None)
    return QueueItem(
        target_kind=QueueKind.actor,
        target_id=str(cues["id"]),
        summary=str(cues.get("name") or cues["id"]),
        score=round(min(1.0, sum(r.weight for r in kept)), 3),
        reasons=kept,
        type=cues.get("type"),
        level=cues.get("level"),
        confidence=confidence,
    )


def _conflict(kind: str, others: set[str]) -> Reason | None:
    if not others:
        return None
    negative = RelationKind.negative_coordination.value
    positive = {k.value for k in POSITIVE_RELATIONS}
    contradicts = (kind == negative and others & positive) or (
        kind in positive and negative in others
    )
    detail = f"The same pair is also linked as {', '.join(sorted(others))}"
    if contradicts:
        return _reason("conflicting_evidence", 0.3, detail + ": the sources contradict.")
    return _reason("conflicting_evidence", 0.15, detail + ".")


def _name(state: ViewState, entity_id: str) -> str:
    label = state.labels.get(entity_id)
    node = state.nodes.get(label, {}).get(entity_id) if label else None
    return str((node or {}).get("name") or entity_id)


def _present(state: ViewState, entity_id: str) -> bool:
    label = state.labels.get(entity_id)
    node = state.nodes.get(label, {}).get(entity_id) if label else None
    return node is not None and node.get("review") != REJECTED and bool(node.get("doc_ids"))


def _relation_items(state: ViewState, named_in: Mapping[str, list[Finding]]) -> list[QueueItem]:
    live = [
        r
        for r in state.relations.values()
        if r.get("doc_ids")
        and r.get("review") != REJECTED
        and _present(state, r["source"])
        and _present(state, r["target"])
    ]
    kinds_of_pair: dict[frozenset[str], set[str]] = defaultdict(set)
    for r in live:
        if state.labels.get(r["target"]) in _ACTOR_LABELS:
            kinds_of_pair[frozenset((r["source"], r["target"]))].add(r["kind"])
    items = []
    for r in live:
        if r.get("review") is not None:
            continue  # accepted: reviewed
        confidence = float(r["confidence"])
        source, target = _name(state, r["source"]), _name(state, r["target"])
        others = kinds_of_pair.get(frozenset((r["source"], r["target"])), set()) - {r["kind"]}
        passages = len(state.evidence.get(r["key"], ()))
        reasons = [
            _reason(
                "low_confidence",
                0.4 * (1 - confidence),
                f"The extraction is {confidence:.0%} sure of this {r['kind']} tie.",
            ),
            _conflict(r["kind"], others),
            _reason("thin_evidence", 0.1, "One passage only supports it.")
            if passages == 1
            else None,
            _impact([r["source"], r["target"]], named_in),
        ]
        kept = tuple(x for x in reasons if x is not None)
        items.append(
            QueueItem(
                target_kind=QueueKind.relation,
                target_id=r["key"],
                summary=f"{source} -[{r['kind']}]-> {target}",
                score=round(min(1.0, sum(x.weight for x in kept)), 3),
                reasons=kept,
                kind=r["kind"],
                source=r["source"],
                target=r["target"],
                confidence=confidence,
            )
        )
    return items


def rank(
    state: ViewState,
    actor_cues: Mapping[str, ActorCues],
    top_findings: Sequence[Finding],
    *,
    kind: QueueKind | None = None,
    min_score: float = 0.0,
) -> list[QueueItem]:
    """Every unreviewed actor (``actor_cues``, those the view still has) and unreviewed
    relation with a reason to look at it, highest score first."""
    named_in: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(top_findings, key=lambda f: -f.score)[:TOP_FINDINGS]:
        for actor_id in f.actor_ids:
            named_in[actor_id].append(f)
    items: list[QueueItem] = []
    if kind in (None, QueueKind.actor):
        items += [
            _actor_item(cues, named_in) for i, cues in actor_cues.items() if _present(state, i)
        ]
    if kind in (None, QueueKind.relation):
        items += _relation_items(state, named_in)
    kept = [i for i in items if i.reasons and i.score >= min_score]
    return sorted(kept, key=lambda i: (-i.score, i.target_kind.value, i.target_id))


def attach_evidence(
    store: GraphStore, items: Sequence[QueueItem], *, per_item: int = 2
) -> list[QueueItem]:
    """The page's items with the passages to judge them on: a relation's most confident
    evidence, an actor's first mentions."""
    relation_keys = [i.target_id for i in items if i.target_kind is QueueKind.relation]
    evidence = evidence_for(store, relation_keys) if relation_keys else {}
    actor_ids = [i.target_id for i in items if i.target_kind is QueueKind.actor]
    mentions = actor_mentions(store, actor_ids, per_actor=per_item) if actor_ids else {}
    out = []
    for item in items:
        if item.target_kind is QueueKind.relation:
            best = sorted(evidence.get(item.target_id, ()), key=lambda e: -e.confidence)
            rows: Sequence[Mapping[str, Any]] = [e.model_dump() for e in best[:per_item]]
        else:
            rows = mentions.get(item.target_id, [])
        shown = tuple(
            QueueEvidence.model_validate({k: v for k, v in row.items() if k in _EVIDENCE})
            for row in rows
        )
        out.append(item.model_copy(update={"evidence": shown}))
    return out


_EVIDENCE = frozenset(QueueEvidence.model_fields)


def queue_page(
    store: GraphStore,
    state: ViewState,
    findings: Sequence[Finding],
    *,
    kind: QueueKind | None = None,
    min_score: float = 0.0,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[QueueItem], int]:
    """One page of the queue, with its evidence, and how many items the queue has: what
    GET /review/queue and ``govgraph review`` both show."""
    ranked = rank(state, unreviewed_actor_cues(store), findings, kind=kind, min_score=min_score)
    return attach_evidence(store, ranked[offset : offset + limit]), len(ranked)
