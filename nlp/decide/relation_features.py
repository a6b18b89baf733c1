"""General features of a candidate tie between two actors ("does this text say they work
together, fund, sign, or do not coordinate?").

Two pure steps, like ``features`` for actors: ``observe_evidence`` reads what one evidence
quote shows in its passage Doc (cue class and strength, negation, hedging, the parse between
the two ends, how each end is present, passage kind and speaker side); ``relation_features``
aggregates a tie's observations with how widely it is supported and how sure the actor
decision is of both ends. No feature names a body, a cue word or a sentence: only classes,
counts and shapes, so weights fitted on some corpora can mean something on the next.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ingest.model import Passage
from nlp.components.relation_cues import NEG_KEY, REL_CUES_KEY
from nlp.decide.features import _LIST
from nlp.relations import LinkedMention
from nlp.relations.modality import _CONDITIONAL_MARKS, _HYPOTHETICAL_MODALS, _irrealis

__all__ = ["EvidenceObs", "observe_evidence", "relation_features"]

# "will"/"shall" state a commitment: a plan is evidence, but weaker than a report.
_COMMITMENT = frozenset({"will", "shall", "deberá", "deberán", "va", "van"})
# The cue classes the linker writes before the ":" of an evidence's cue (nlp/relations).
_CUE_CLASSES = (
    "partnership",
    "coordinates",
    "funding",
    "mou",
    "mandate",
    "negation",
    "table",
)
_MAX_CLIMB = 4  # ancestors walked from an end to its cue's head


@dataclass(frozen=True)
class EvidenceObs:
    """What one evidence quote shows about the tie between ``source`` and ``target``."""

    cue_class: str
    strength: float  # the linker's confidence: which rule path produced it
    negated: bool
    hedged: bool
    conditional: bool
    commitment: bool
    question: bool
    both_in_quote: bool
    one_in_quote: bool
    speaker_end: bool  # an end is the speaker's organisation ("we"), not named
    anaphoric_end: bool  # an end comes from a pronoun or the previous sentence
    both_args: bool  # both named ends hang from the cue's head
    one_arg: bool
    path_len: int | None  # dependency path between the two named ends, same sentence
    token_gap: int | None
    n_actors: int  # distinct actors named in the quote (lists, greetings)
    n_tokens: int
    multi_sentence: bool
    passage_kind: str
    speaker_role: str
    list_item: bool
    document_id: str
    passage_id: str


def _ancestors_within(tok: Token, head: Token, limit: int = _MAX_CLIMB) -> bool:
    node = tok
    for _ in range(limit):
        if node == head:
            return True
        if node.head == node:
            return False
        node = node.head
    return node == head


def _path_len(a: Token, b: Token) -> int | None:
    if a.sent != b.sent:
        return None
    up_a = [a, *a.ancestors]
    depth = {t.i: d for d, t in enumerate(up_a)}
    for d_b, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return depth[t.i] + d_b
    return None


def _cue_span(doc: Doc, quote: Span | None, cue: str) -> Span | None:
    if quote is None:
        return None
    words = cue.split(":", 1)[-1].strip().lower()
    inside = [c for c in doc.spans.get(REL_CUES_KEY, []) if quote.start <= c.start < quote.end]
    return next((c for c in inside if c.text.lower() == words), inside[0] if inside else None)


def observe_evidence(
    doc: Doc,
    passage: Passage,
    mentions: Sequence[LinkedMention],
    *,
    source_id: str,
    target_id: str,
    char_start: int,
    char_end: int,
    cue: str,
    strength: float,
    document_id: str,
) -> EvidenceObs:
    quote = doc.char_span(char_start, char_end, alignment_mode="expand")
    lo, hi = (quote.start, quote.end) if quote is not None else (0, 0)
    inside = [m for m in mentions if lo <= m.span.start < hi]
    src = [m for m in inside if m.entity_id == source_id]
    tgt = [m for m in inside if m.entity_id == target_id]
    named_src = [m for m in src if not m.anaphoric]
    named_tgt = [m for m in tgt if not m.anaphoric]
    cue_class = cue.split(":", 1)[0].strip().lower() if ":" in cue else "other"
    if cue_class not in _CUE_CLASSES:
        cue_class = "other"
    cue_span = _cue_span(doc, quote, cue)
    head = cue_span.root if cue_span is not None else None
    args = [
        bool(ms) and head is not None and any(_ancestors_within(m.span.root, head) for m in ms)
        for ms in (named_src, named_tgt)
    ]
    path = gap = None
    if named_src and named_tgt:
        a, b = named_src[0].span, named_tgt[0].span
        path = _path_len(a.root, b.root)
        gap = max(0, max(a.start, b.start) - min(a.end, b.end))
    toks = list(quote) if quote is not None else []
    lower = {t.lower_ for t in toks}
    negs = [n for n in doc.spans.get(NEG_KEY, []) if lo <= n.start < hi]
    present = (bool(src), bool(tgt))
    return EvidenceObs(
        cue_class=cue_class,
        strength=strength,
        negated=bool(negs),
        hedged=bool(lower & _HYPOTHETICAL_MODALS) or (cue_span is not None and _irrealis(cue_span)),
        conditional=bool(lower & _CONDITIONAL_MARKS),
        commitment=bool(lower & _COMMITMENT),
        question=passage.text[char_start:char_end].rstrip().endswith("?"),
        both_in_quote=all(present),
        one_in_quote=any(present) and not all(present),
        speaker_end=not all(present) and passage.speaker is not None,
        anaphoric_end=any(m.anaphoric for m in (*src, *tgt)),
        both_args=all(args),
        one_arg=any(args) and not all(args),
        path_len=path,
        token_gap=gap,
        n_actors=len({m.entity_id for m in inside}),
        n_tokens=len(toks),
        multi_sentence=bool(toks) and toks[0].sent != toks[-1].sent,
        passage_kind=passage.kind.value,
        speaker_role=passage.speaker_role.value if passage.speaker_role else "none",
        list_item=bool(_LIST.match(passage.text)),
        document_id=document_id,
        passage_id=passage.id,
    )


def _evidence_vector(o: EvidenceObs) -> dict[str, float]:
    f = {
        f"cue:{o.cue_class}": 1.0,
        "strength": o.strength,
        "cooccurrence": float(o.strength < 0.5),
        "negated": float(o.negated),
        "hedged": float(o.hedged),
        "conditional": float(o.conditional),
        "commitment": float(o.commitment),
        "question": float(o.question),
        "both_in_quote": float(o.both_in_quote),
        "one_in_quote": float(o.one_in_quote),
        "speaker_end": float(o.speaker_end),
        "anaphoric_end": float(o.anaphoric_end),
        "both_args": float(o.both_args),
        "one_arg": float(o.one_arg),
        "no_path": float(o.path_len is None),
        "path_len": math.log1p(o.path_len) if o.path_len is not None else 0.0,
        "token_gap": math.log1p(o.token_gap) if o.token_gap is not None else 0.0,
        "crowded": math.log1p(max(0, o.n_actors - 2)),
        "quote_tokens": math.log1p(o.n_tokens) / 5.0,
        "multi_sentence": float(o.multi_sentence),
        f"passage:{o.passage_kind}": 1.0,
        f"speaker:{o.speaker_role}": 1.0,
        "list_item": float(o.list_item),
    }
    return f


def relation_features(
    kind: str,
    observations: Sequence[EvidenceObs],
    *,
    end_scores: tuple[float | None, float | None],
    n_documents: int,
) -> dict[str, float]:
    """A flat feature dict of one tie; absent keys are 0. ``end_scores``: the actor
    decision's scores of both ends (None: no decision applied); ``n_documents``: documents
    in the run, so support is a share, not a count that grows with the corpus."""
    f: dict[str, float] = {f"kind:{kind}": 1.0}
    n = max(1, len(observations))
    for o in observations:
        for k, v in _evidence_vector(o).items():
            f[f"mean:{k}"] = f.get(f"mean:{k}", 0.0) + v / n
            f[f"max:{k}"] = max(f.get(f"max:{k}", 0.0), v)
    passages = {o.passage_id for o in observations}
    docs = {o.document_id for o in observations}
    f["support_passages"] = math.log1p(len(passages))
    f["support_documents"] = math.log1p(len(docs))
    f["support_doc_share"] = len(docs) / max(1, n_documents)
    f["repeated"] = float(len(passages) > 1)
    scores = [1.0 if s is None else s for s in end_scores]
    f["end_score_min"] = min(scores)
    f["end_score_max"] = max(scores)
    f["end_score_none"] = float(any(s is None for s in end_scores))
    return {k: round(v, 6) for k, v in f.items() if v}
