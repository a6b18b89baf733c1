"""Tags safety themes in a Doc from the EN/ES cue lexicons in ``nlp/data/themes.json``.

Output: ``doc.spans["govgraph_themes"]``, one span per cue hit, labelled with the theme id.
Matching is on the text with word boundaries (one compiled regex per theme) because cues
include inflection wildcards ("gang*") and work the same with or without a lemmatizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.lexicon import DATA_DIR, cue_regex, themes

__all__ = ["THEMES_KEY", "ThemeTagger"]

THEMES_KEY = "govgraph_themes"


class ThemeTagger:
    def __init__(self, vocab: Vocab, name: str, language: str) -> None:
        self.vocab = vocab
        self.name = name
        self.language = language
        self.patterns: list[tuple[str, re.Pattern[str]]] = []

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str | None = None,
    ) -> None:
        self.patterns = []
        for theme in themes(Path(data_dir) if data_dir else DATA_DIR):
            cues = list(theme.cues.get(self.language, ()))
            if self.language != "en":
                # English terms ("CCTV", "GBV") turn up in other languages' documents too.
                cues += [c for c in theme.cues.get("en", ()) if c.isupper()]
            if cues:
                self.patterns.append((theme.id, re.compile(cue_regex(cues), re.IGNORECASE)))

    def __call__(self, doc: Doc) -> Doc:
        if not self.patterns:
            raise ValueError(f"{self.name} is not initialized; call nlp.initialize()")
        spans = []
        for theme_id, pattern in self.patterns:
            for m in pattern.finditer(doc.text):
                span = doc.char_span(m.start(), m.end(), label=theme_id, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[THEMES_KEY] = spans
        return doc


@Language.factory("govgraph_themes", default_config={"language": "en"})
def make_theme_tagger(nlp: Language, name: str, language: str) -> ThemeTagger:
    return ThemeTagger(nlp.vocab, name, language)
