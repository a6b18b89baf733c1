"""Pass 2: bare references ("the Forum") and corpus short names, in reading order."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import cast

from spacy.tokens import Span

from graph_schema.model import Label
from nlp.extraction.corpus_names import CorpusNames
from nlp.extraction.names import BARE_DETS, name_words, ref_heads
from nlp.extraction.state import DocState
from nlp.lexicon import org_lexicon
from nlp.relations import LinkedMention
from nlp.resolution import Resolver, normalise

# Lowercase heads that, after "the", point back at a named group of the document:
# "our association and the committee"; state heads ("the police") stay generic.
_GROUP_REF_HEADS = frozenset(
    {
        "committee",
        "association",
        "circle",
        "club",
        "network",
        "coalition",
        "forum",
        "shelter",
        "observatory",
        "collective",
        "cooperative",
        "comité",
        "asociación",
        "red",
        "colectivo",
    }
)


class _RefTracker:
    """Bare references in one document: the entity of the document so named, by salience.

    Within the same passage the latest such entity wins ("Ministry of Gender? We never see
    anyone from the Ministry."); further away the most mentioned one does (a directive's
    own ministry, not one named once in passing), then the corpus' most mentioned one.
    """

    def __init__(self, corpus: CorpusNames):
        self.corpus = corpus
        self.cands: dict[str, list[str]] = defaultdict(list)
        self.last: dict[str, tuple[str, int]] = {}
        self.count: Counter[str] = Counter()

    def note(self, eid: str, name: str, passage: int, heads: frozenset[str]) -> None:
        self.count[eid] += 1
        for word in name_words(name):
            if word in heads:
                if eid not in self.cands[word]:
                    self.cands[word].append(eid)
                self.last[word] = (eid, passage)

    def lookup(self, word: str, passage: int, *, corpus_fallback: bool) -> str | None:
        cands = self.cands.get(word)
        if not cands:
            return self.corpus.unique(word) if corpus_fallback else None
        last, where = self.last[word]
        if len(cands) == 1 or where == passage:
            return last
        order = {e: i for i, e in enumerate(cands)}
        return max(
            cands,
            key=lambda e: (self.count[e], self.corpus.count[e], e == last, order[e]),
        )


def resolve_refs(state: DocState, resolver: Resolver, corpus: CorpusNames) -> None:
    """Pass 2: bare references and corpus short names, in reading order."""
    document = state.document
    heads = ref_heads(org_lexicon())
    tracker = _RefTracker(corpus)
    for pidx, pr in enumerate(state.passages):
        covered = {i for m in pr.mentions for i in range(m.span.start, m.span.end)}
        covered |= {i for s, _, _ in pr.bare for i in range(s.start, s.end)}
        events: list[tuple[int, int, object]] = [(m.span.start, 0, m) for m in pr.mentions]
        for span, eid in corpus.find_short(pr.doc, covered):
            events.append((span.start, 0, LinkedMention(span, eid, resolver.entity(eid).label)))
            covered |= set(range(span.start, span.end))
        events += [(span.start, 1, (span, word, label)) for span, word, label in pr.bare]
        for tok in pr.doc:
            if tok.i in covered or tok.i == 0 or pr.doc[tok.i - 1].lower_ not in BARE_DETS:
                continue
            word = tok.lower_
            if (tok.is_title and word in heads) or (tok.is_lower and word in _GROUP_REF_HEADS):
                events.append((tok.i, 1, (Span(pr.doc, tok.i - 1, tok.i + 1), word, None)))
        out: list[LinkedMention] = []
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 0:
                assert isinstance(item, LinkedMention)
                out.append(item)
                tracker.note(item.entity_id, resolver.entity(item.entity_id).name, pidx, heads)
                continue
            assert isinstance(item, tuple)
            span, word, bare_label = cast("tuple[Span, str, Label | None]", item)
            ref_id = tracker.lookup(word, pidx, corpus_fallback=span[-1].is_title)
            if ref_id is not None:
                out.append(
                    LinkedMention(span, ref_id, resolver.entity(ref_id).label, anaphoric=True)
                )
                tracker.note(ref_id, "", pidx, heads)
            elif bare_label is not None:
                # a bare name with nothing to point at: an entity of its own, as before
                ref_id = resolver.resolve(span.text, bare_label, document_id=document.id)
                out.append(LinkedMention(span, ref_id, bare_label))
                state.used_aliases.add((ref_id, normalise(span.text)))
                tracker.note(ref_id, resolver.entity(ref_id).name, pidx, heads)
        pr.mentions[:] = sorted(out, key=lambda m: m.span.start)
