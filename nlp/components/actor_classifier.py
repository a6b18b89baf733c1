"""Actor type and level, each with a confidence and the cue that decided it.

Evidence, strongest first: the gazetteer (international body); cue words in the name
("Ministry", "Mosque", "Chamber of Commerce", "municipal", "National"); cue words in the
sentence around a mention ("the municipal department"). Decisions are kept per mention in
``span._.govgraph_class``; ``nlp.extract`` aggregates them per resolved entity, where the
document context (a transcript header's "national institution") can also speak.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from nlp.components.actor_ruler import ACRONYMS_KEY, GAZETTEER_KEY, SPANS_KEY
from nlp.components.name_context import DESCRIBED_KEY
from nlp.lexicon import DATA_DIR, OrgLexicon, org_lexicon

__all__ = ["ActorClass", "ActorClassifier", "Decision", "classify_name", "level_from_text"]

NON_STATE_TYPES = frozenset({"ngo", "community_group", "faith_group", "private_sector", "academia"})


@dataclass(frozen=True)
class Decision:
    value: str
    confidence: float
    cue: str


@dataclass(frozen=True)
class ActorClass:
    type: Decision | None
    level: Decision | None


def _find(cues: Iterable[str], text: str) -> str | None:
    for cue in cues:
        if re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", text):
            return cue
    return None


def level_from_text(
    text: str, lex: OrgLexicon, *, confidence: float, source: str
) -> Decision | None:
    """A level from cue words in free text (a name, a sentence, a transcript header)."""
    low = text.lower()
    # An explicit status outranks a scale word: "non-state, city level" is a non-state
    # body working in one city, not a city body.
    if re.search(r"\b(non[- ]?state|civil society|sociedad civil)\b", low):
        return Decision("non_state", confidence, f"{source} cue 'non-state'")
    # Local cues are checked first: "City Police Department" is local although "police"
    # alone would suggest a national service.
    for level in ("international", "local", "national"):
        cue = _find(lex.level_cues.get(level, ()), low)
        if cue:
            return Decision(level, confidence, f"{source} cue '{cue}'")
    if re.search(r"\bcommunity level\b", low):
        return Decision("non_state", confidence, f"{source} cue 'non-state'")
    return None


def classify_name(
    name: str, lex: OrgLexicon, *, gazetteer: bool = False, context: str = ""
) -> ActorClass:
    """Type and level from a name (plus optional sentence context)."""
    if gazetteer:
        return ActorClass(
            Decision("international_org", 0.95, "gazetteer: international organisations"),
            Decision("international", 0.95, "gazetteer: international organisations"),
        )
    low = name.lower()
    type_dec: Decision | None = None
    for type_, cues in lex.type_cues:
        cue = _find(cues, low)
        if cue:
            type_dec = Decision(type_, 0.85, f"name cue '{cue}'")
            break
    if type_dec is None and context:
        ctx = context.lower()
        for type_, cues in lex.type_cues:
            cue = _find(cues, ctx)
            if cue:
                type_dec = Decision(type_, 0.45, f"context cue '{cue}'")
                break
    level_dec: Decision | None
    if type_dec and type_dec.value == "international_org":
        level_dec = Decision("international", 0.85, type_dec.cue)
    elif type_dec and type_dec.value in NON_STATE_TYPES:
        intl = _find(lex.level_cues["international"], low)
        level_dec = (
            Decision("international", 0.6, f"name cue '{intl}'")
            if intl
            else Decision("non_state", type_dec.confidence, f"non-state type ({type_dec.value})")
        )
    else:
        level_dec = level_from_text(name, lex, confidence=0.85, source="name")
        if level_dec is None and context:
            level_dec = level_from_text(context, lex, confidence=0.5, source="context")
            if level_dec is not None and level_dec.value in {"non_state", "international"}:
                # A state body is never non-state, and a sentence naming the UN beside it
                # does not make it international.
                level_dec = None
        if level_dec is None and type_dec and type_dec.value == "police_justice":
            # Police, courts and prosecutors are national services unless the name says city.
            level_dec = Decision("national", 0.55, "default for police and justice bodies")
    return ActorClass(type_dec, level_dec)


class ActorClassifier:
    def __init__(self, vocab: Vocab, name: str) -> None:
        self.vocab = vocab
        self.name = name
        self.lex: OrgLexicon | None = None
        if not Span.has_extension("govgraph_class"):
            Span.set_extension("govgraph_class", default=None)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str | None = None,
    ) -> None:
        self.lex = org_lexicon(Path(data_dir) if data_dir else DATA_DIR)

    def __call__(self, doc: Doc) -> Doc:
        if self.lex is None:
            raise ValueError(f"{self.name} is not initialized; call nlp.initialize()")
        gaz = doc.user_data.get(GAZETTEER_KEY, {})
        acronyms = doc.user_data.get(ACRONYMS_KEY, {})
        descriptions = doc.user_data.get(DESCRIBED_KEY, {})
        for span in doc.spans.get(SPANS_KEY, []):
            if span.label_ != "ACTOR":
                continue
            context = span.sent.text if doc.has_annotation("SENT_START") else ""
            # An acronym is classified by the long form it was defined with.
            name = acronyms.get(span.text, span.text)
            cls = classify_name(
                name, self.lex, gazetteer=(span.start, span.end) in gaz, context=context
            )
            description = descriptions.get((span.start, span.end))
            if description and (cls.type is None or cls.type.confidence < 0.85):
                # what the text calls it ("a registered youth group") says more than the
                # words around it, less than the name's own cue words
                said = classify_name(description, self.lex)
                cls = said if said.type is not None else cls
            span._.govgraph_class = cls
        return doc


@Language.factory("govgraph_actor_classifier")
def make_actor_classifier(nlp: Language, name: str) -> ActorClassifier:
    return ActorClassifier(nlp.vocab, name)
