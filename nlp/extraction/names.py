"""Pass 1: a document's named mentions onto resolver entities.

Bare one-word references ("the Plan") are only collected here; they wait for pass 2
(references.py), when every document's names are known.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from govgraph.settings import Settings
from graph_schema.model import Label
from nlp.components.actor_ruler import SPANS_KEY
from nlp.components.name_context import compound_modifier
from nlp.extraction.state import DocState
from nlp.extraction.transcript_actors import participant_actors, respondent_actor
from nlp.lexicon import OrgLexicon, org_lexicon
from nlp.relations import LinkedMention
from nlp.resolution import Resolver, normalise

_LABEL = {
    "ACTOR": Label.Actor,
    "PERSON": Label.Person,
    "POLICY": Label.Policy,
    "PROGRAMME": Label.Programme,
}

# Bare references ("the Forum", "the Ministry", "the City") point at the latest entity in
# the document whose name contains the word; they become mentions, never aliases.
BARE_DETS = frozenset({"the", "this", "that", "la", "el", "esta", "este"})
_EXTRA_REF_HEADS = frozenset({"city", "municipality", "state", "ciudad", "estado"})


def resolve_names(state: DocState, resolver: Resolver, settings: Settings | None) -> None:
    """Pass 1: the document's named mentions onto entities; bare references wait for pass 2."""
    document = state.document
    lex = org_lexicon()
    heads = ref_heads(lex)
    state.self_id = respondent_actor(state, resolver, settings)
    state.speaker_ids = participant_actors(state, resolver, settings)
    acr_all = resolver.acronyms
    for pr in state.passages:
        found = list(pr.doc.spans.get(SPANS_KEY, []))
        # WEAK single words count only as acronyms the corpus defined; REF words are bare
        # references handled in pass 2.
        spans = [
            s
            for s in found
            if s.label_ in _LABEL or (s.label_ == "WEAK" and _known_acronym(s.text, acr_all))
        ]
        spans += _corpus_acronyms(pr.doc, spans, acr_all)
        for span in sorted(spans, key=lambda s: s.start):
            label = _LABEL.get(span.label_, Label.Actor)
            bare = _bare_head(span, heads)
            if bare is not None:
                # "the Plan", "this Strategy": an entity named earlier, decided in pass 2.
                pr.bare.append((span, bare, label))
                continue
            if _known_acronym(span.text, acr_all):
                label = resolver.label_of(acr_all[_acr_key(span.text, acr_all)]) or label
            eid = resolver.resolve(span.text, label, document_id=document.id)
            pr.mentions.append(LinkedMention(span, eid, label))
            state.used_aliases.add((eid, normalise(span.text)))
            cls = span._.govgraph_class if span.has_extension("govgraph_class") else None
            if label is Label.Actor and cls is not None:
                state.decisions[eid].append(cls)


def ref_heads(lex: OrgLexicon) -> frozenset[str]:
    policy_words = frozenset().union(*lex.policy_heads.values()) | lex.programme_heads
    return (
        lex.org_heads.get("es", frozenset()) | lex.org_heads["en"] | _EXTRA_REF_HEADS | policy_words
    )


def _bare_head(span: Span, heads: frozenset[str]) -> str | None:
    """The head word of a one-word name after a determiner ("the Plan"), else None."""
    if len(span) != 1 or span.start == 0:
        return None
    if span.doc[span.start - 1].lower_ not in BARE_DETS:
        return None
    word = span[0].lower_
    return word if word in heads else None


def name_words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", name.lower())


def _acr_key(text: str, acronyms: dict[str, str]) -> str:
    return text if text in acronyms else text[:-1]


def _known_acronym(text: str, acronyms: dict[str, str]) -> bool:
    return text in acronyms or (text.endswith("s") and text[:-1] in acronyms)


def _corpus_acronyms(doc: Doc, spans: list[Span], acronyms: dict[str, str]) -> list[Span]:
    covered = {i for s in spans for i in range(s.start, s.end)}
    out = []
    for tok in doc:
        if tok.i in covered or not tok.text[:1].isupper() or len(tok) < 2:
            continue
        if tok.text in acronyms or (tok.text.endswith("s") and tok.text[:-1] in acronyms):
            span = Span(doc, tok.i, tok.i + 1, label="ACTOR")
            if not compound_modifier(span):  # "a UN-to-UN agreement"
                out.append(span)
    return out
