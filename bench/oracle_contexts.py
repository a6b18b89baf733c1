"""The contexts around a gold relation's quote, as the extractor sees them, for the oracle.

``bench/eval_gaps_oracle.py`` decides what a gold statement is about with the extractor's
rule (``nlp.extraction.statement_themes``): the theme named in the statement's sentence,
else the interviewer's question it answers, else its passage, else its section heading.
Those contexts come from govgraph's own reader (``ingest.read_document``: passages,
speaker roles, section headings) over the files the gold quotes were written against, with
pseudonymisation off so that quotes naming people are still found. Cue hits come from the
oracle's reading of nlp's lexicon (``theme_ids_in``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from govgraph.settings import Settings
from ingest import read_document
from ingest.model import Document, Passage, PassageKind, SpeakerRole

__all__ = ["StatementContexts"]

_SENTENCE = re.compile(r"[^.!?;]+(?:[.!?;]+|$)")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class StatementContexts:
    def __init__(
        self,
        root: Path,
        files: list[str],
        theme_ids: Callable[[str], list[str]],
        names: Sequence[re.Pattern[str]] = (),
    ) -> None:
        """``names``: the bodies' and instruments' names, blanked out of the sentence, the
        question and the heading before cues are read (a theme word in a name is that
        body's remit). The passage and ``ends`` levels are there for ablations."""
        self.names = list(names)
        settings = Settings(pseudonymise_kinds=frozenset())
        self.docs: dict[str, Document] = {
            f: read_document(root / f, settings=settings) for f in files
        }
        self.theme_ids = theme_ids
        self._profiles: dict[tuple[str, ...], Counter[str]] = {}

    def _find(self, file: str, quote: str) -> tuple[int, str] | None:
        q = _norm(quote)
        passages = self.docs[file].passages
        for probe in (q, q[:40]):
            for i, p in enumerate(passages):
                if probe in _norm(p.text):
                    return i, probe
        return None

    def _unnamed(self, text: str) -> str:
        for pat in self.names:
            text = pat.sub(lambda m: " " * len(m.group()), text)
        return text

    def profile(self, patterns: list[re.Pattern[str]]) -> Counter[str]:
        """What a body is about across the corpus: the share of each theme among the cue
        hits of every passage that names it."""
        key = tuple(p.pattern for p in patterns)
        if key not in self._profiles:
            counts: Counter[str] = Counter()
            for doc in self.docs.values():
                for p in doc.passages:
                    if any(pat.search(p.text) for pat in patterns):
                        counts.update(self.theme_ids(p.text))
            total = sum(counts.values()) or 1
            self._profiles[key] = Counter({t: n / total for t, n in counts.items()})
        return self._profiles[key]

    def levels(
        self, file: str, quote: str, ends: Sequence[list[re.Pattern[str]]] = ()
    ) -> dict[str, Any]:
        """Theme ids of the cue hits in each context level of the quote (empty if the
        quote is not found in what the reader gives)."""
        found = self._find(file, quote)
        ends_profile: Counter[str] = Counter()
        for pats in ends:
            ends_profile.update(self.profile(pats))
        if found is None:
            return {"ends": ends_profile}
        i, probe = found
        doc = self.docs[file]
        passage = doc.passages[i]
        text = _norm(passage.text)
        if passage.kind is PassageKind.table:
            # a table row is a table's sentence (nlp reads tables row by row)
            sentence = next(
                (_norm(row) for row in passage.text.splitlines() if probe[:20] in _norm(row)), text
            )
        else:
            at = text.find(probe)
            sentence = next(
                (m.group() for m in _SENTENCE.finditer(text) if m.start() <= at < m.end()), text
            )
        return {
            "sentence": self.theme_ids(self._unnamed(sentence)),
            "question": self.theme_ids(self._unnamed(_question(doc, i))),
            "passage": self.theme_ids(text),
            "section": self.theme_ids(self._unnamed(passage.section or "")),
            "ends": ends_profile,
        }


def _question(doc: Document, i: int) -> str:
    """The interviewer's turn an answer follows ('' outside transcripts and for the
    interviewer's own turns)."""
    passages: tuple[Passage, ...] = doc.passages
    if not doc.is_transcript or passages[i].speaker_role is SpeakerRole.interviewer:
        return ""
    return next(
        (p.text for p in reversed(passages[:i]) if p.speaker_role is SpeakerRole.interviewer), ""
    )
