"""Marks relation cues and negation in a Doc; ``nlp.relations`` links them to actors.

Output: ``doc.spans["govgraph_rel_cues"]`` labelled with a RelationKind value, and
``doc.spans["govgraph_negation"]``. Lemmas are matched through generated inflections so
the pipeline can run without its lemmatizer (the slowest optional component).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from nlp.components._cue_index import CueIndex
from nlp.components.absence import absence_spans
from nlp.lexicon import DATA_DIR, Absence, relation_lexicon

__all__ = ["NEG_KEY", "REL_CUES_KEY", "RelationCueTagger", "inflections", "is_spanish_lemma"]

REL_CUES_KEY = "govgraph_rel_cues"
NEG_KEY = "govgraph_negation"

_IRREGULAR = {
    "lead": ["led"],
    "run": ["ran"],
    "meet": ["met"],
    "pay": ["paid"],
    "sit": ["sat"],
    "come": ["came"],
    "see": ["saw", "seen"],
    "send": ["sent"],
    "give": ["gave", "given"],
    "take": ["took", "taken"],
    "hear": ["heard"],
    "fund": ["funded"],
    "task": ["tasked"],
}


def inflections(lemma: str) -> set[str]:
    """English inflected forms of a verb/noun lemma; Spanish infinitives give their stem."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_IRREGULAR.get(lemma, []))
    return forms


class RelationCueTagger:
    def __init__(self, vocab: Vocab, name: str, language: str) -> None:
        self.vocab = vocab
        self.name = name
        self.language = language
        self.forms: dict[str, str] = {}  # inflected form -> kind
        self.stems: list[tuple[str, str]] = []  # Spanish verb stems -> kind
        self.phrases: CueIndex | None = None
        self.neg_words: frozenset[str] = frozenset()
        self.neg_phrases: CueIndex | None = None
        self.absence: Absence | None = None
        self.tie_nouns: frozenset[str] = frozenset()
        self.ready = False

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str | None = None,
    ) -> None:
        lex = relation_lexicon(Path(data_dir) if data_dir else DATA_DIR)
        self.forms = {}
        self.stems = []
        for kind, lemmas in lex.lemmas.items():
            for lemma in lemmas:
                if is_spanish_lemma(lemma):
                    self.stems.extend((stem, kind) for stem in spanish_stems(lemma))
                else:
                    for form in inflections(lemma):
                        self.forms.setdefault(form, kind)
        if nlp is None:
            raise ValueError(f"{self.name}.initialize needs nlp= (for its tokenizer)")
        tokenizer = nlp.tokenizer

        def tokenize(text: str) -> list[str]:
            return [t.text for t in tokenizer(text)]

        self.phrases = CueIndex(
            [(p, kind) for kind, ph in lex.phrases.items() for p in ph], tokenize
        )
        self.neg_words = lex.negation_words
        # Single negation words are matched on tokens below; phrases need more than one.
        self.neg_phrases = CueIndex(
            [(p, "NEG") for p in lex.negation_phrases if len(tokenize(p)) > 1], tokenize
        )
        self.absence = lex.absence
        self.tie_nouns = lex.coordination_nouns
        self.ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self.ready or self.neg_phrases is None or self.phrases is None:
            raise ValueError(f"{self.name} is not initialized; call nlp.initialize()")
        cues: list[Span] = []
        for tok in doc:
            kind = self.forms.get(tok.lower_)
            # Spanish stems ("integr", "don") would fire inside English words.
            if (
                kind is None
                and self.stems
                and self.language == "es"
                and tok.is_alpha
                and len(tok) > 4
                and _can_be_verb(tok)
            ):
                kind = next((k for stem, k in self.stems if tok.lower_.startswith(stem)), None)
            if kind is not None:
                cues.append(Span(doc, tok.i, tok.i + 1, label=kind))
        cues += [Span(doc, s, e, label=k) for s, e, k in self.phrases.find(doc)]
        negs = [Span(doc, t.i, t.i + 1, label="NEG") for t in doc if t.lower_ in self.neg_words]
        negs += [Span(doc, s, e, label="NEG") for s, e, _ in self.neg_phrases.find(doc)]
        # "its seat stays empty", "only comes to inspect the stalls": absence without "not"
        negs += absence_spans(doc, self.absence, self.neg_words, self.tie_nouns)
        doc.spans[REL_CUES_KEY] = sorted(cues, key=lambda s: s.start)
        doc.spans[NEG_KEY] = sorted(negs, key=lambda s: s.start)
        return doc


_NAME_POS = frozenset({"PROPN"})
# What a token matched by a Spanish verb stem ("presid", "reun", "integr") must be tagged
# to be that verb. The nouns that share its letters name a role or a gathering, not a tie:
# "el presidente de la República", "esta reunión del Consejo", "los integrantes"; the tie
# nouns that do state one are phrases of their own ("coordinación", "participación").
# English lemma forms are exact words; the English tagger reads too many of them as nouns
# where they are verbs ("UNICEF funds the programme") for the same test to pay there.
_NOT_VERB_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "PRON"})


def _can_be_verb(tok: Token) -> bool:
    """True unless the tagger reads the token as a noun or another non-verb word; an
    untagged token (a pipeline without a tagger) passes."""
    return tok.pos_ not in _NOT_VERB_POS


_SPANISH_VERBS = re.compile(r"(ar|er|ir)$")


def spanish_stems(lemma: str) -> list[str]:
    """The stems a Spanish infinitive's forms start with. The pipeline runs without a
    lemmatizer, so forms are matched by stem; stem-changing verbs stress their last stem
    vowel into a diphthong (encomendar -> encomienda, acordar -> acuerda) or, in -ir verbs,
    close it (impedir -> impide). Over-generated variants are harmless: they are not words."""
    stem = lemma[:-2]
    out = [stem]
    for i in range(len(stem) - 1, -1, -1):
        vowel = stem[i]
        if vowel in "aiu":
            break  # only the stressed last stem vowel changes, and only e or o
        if vowel == "e":
            out.append(stem[:i] + "ie" + stem[i + 1 :])
            if lemma.endswith("ir"):
                out.append(stem[:i] + "i" + stem[i + 1 :])
            break
        if vowel == "o":
            out.append(stem[:i] + "ue" + stem[i + 1 :])
            break
    return out


def is_spanish_lemma(lemma: str) -> bool:
    # Spanish lemmas in the lexicon are infinitives that are not also English words.
    return bool(_SPANISH_VERBS.search(lemma)) and lemma not in {
        "partner",
        "refer",
        "chair",
        "administer",
        "sponsor",
        "register",
        "deliver",
        "bankroll",
    }


@Language.factory("govgraph_relation_cues", default_config={"language": "en"})
def make_relation_cue_tagger(nlp: Language, name: str, language: str) -> RelationCueTagger:
    return RelationCueTagger(nlp.vocab, name, language)
