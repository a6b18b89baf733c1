"""Tags safety themes in a Doc from the EN/ES cue lexicons in ``nlp/data/themes.json``.

Output: ``doc.spans["govgraph_themes"]``, one span per cue hit, labelled with the theme id;
a hit of a word that also names a body ("police") has ``kb_id_ == BODY_WORD``.
Matching is on tokens through a first-word index (cues may end in an inflection wildcard,
"gang*"), so it works the same with or without a lemmatizer and costs one dict lookup per
token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from nlp.components._cue_index import CueIndex
from nlp.lexicon import DATA_DIR, themes

__all__ = ["BODY_WORD", "THEMES_KEY", "ThemeTagger"]

THEMES_KEY = "govgraph_themes"
BODY_WORD = "body_word"
_BODY_SUFFIX = "|" + BODY_WORD


class ThemeTagger:
    def __init__(self, vocab: Vocab, name: str, language: str) -> None:
        self.vocab = vocab
        self.name = name
        self.language = language
        self.index: CueIndex | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str | None = None,
    ) -> None:
        if nlp is None:
            raise ValueError(f"{self.name}.initialize needs nlp= (for its tokenizer)")
        cues: list[tuple[str, str]] = []
        for theme in themes(Path(data_dir) if data_dir else DATA_DIR):
            own = list(theme.cues.get(self.language, ()))
            if self.language != "en":
                # English terms ("CCTV", "GBV") turn up in other languages' documents too.
                own += [c for c in theme.cues.get("en", ()) if c.isupper()]
            cues += [(c, theme.id) for c in own]
            cues += [(c, theme.id + _BODY_SUFFIX) for c in theme.body_words.get(self.language, ())]
        tokenizer = nlp.tokenizer
        self.index = CueIndex(cues, lambda text: [t.text for t in tokenizer(text)])

    def __call__(self, doc: Doc) -> Doc:
        if self.index is None:
            raise ValueError(f"{self.name} is not initialized; call nlp.initialize()")
        spans = []
        for start, end, label in self.index.find(doc):
            if label.endswith(_BODY_SUFFIX):
                spans.append(
                    Span(doc, start, end, label=label[: -len(_BODY_SUFFIX)], kb_id=BODY_WORD)
                )
            else:
                spans.append(Span(doc, start, end, label=label))
        doc.spans[THEMES_KEY] = spans
        return doc


@Language.factory("govgraph_themes", default_config={"language": "en"})
def make_theme_tagger(nlp: Language, name: str, language: str) -> ThemeTagger:
    return ThemeTagger(nlp.vocab, name, language)
