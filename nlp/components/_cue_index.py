"""Token-level matching of cue phrases with a trailing-* wildcard (faster than big regexes).

Cues are tokenized with the pipeline's own tokenizer so "gender-based violence" lines up
with the Doc's tokens; all-caps cues ("GBV") match case-sensitively, others on lowercase.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["CueIndex"]

_PREFIX_KEY = 4


@dataclass(frozen=True)
class _Cue:
    words: tuple[str, ...]
    wildcard: bool  # last word is a prefix
    exact_case: bool
    label: str
    text: str


class CueIndex:
    def __init__(self, cues: Iterable[tuple[str, str]], tokenize: Callable[[str], list[str]]):
        self._by_first: dict[str, list[_Cue]] = defaultdict(list)
        self._by_prefix: dict[str, list[_Cue]] = defaultdict(list)
        self._prefix_lengths: set[int] = set()
        for text, label in cues:
            wildcard = text.endswith("*")
            exact_case = text.isupper() and len(text) > 1
            words = tokenize(text.rstrip("*"))
            if not exact_case:
                words = [w.lower() for w in words]
            if not words:
                continue
            cue = _Cue(tuple(words), wildcard, exact_case, label, text)
            if wildcard and len(words) == 1:
                key = words[0][:_PREFIX_KEY]
                self._by_prefix[key].append(cue)
                self._prefix_lengths.add(len(key))
            else:
                self._by_first[words[0]].append(cue)

    def find(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start token, end token, label) for every cue occurrence; longest per start."""
        out: list[tuple[int, int, str]] = []
        n = len(doc)
        lower = [t.lower_ for t in doc]
        orth = [t.text for t in doc]
        for i in range(n):
            cands = self._by_first.get(lower[i], [])
            if orth[i] != lower[i]:
                cands = cands + self._by_first.get(orth[i], [])
            for k in self._prefix_lengths:
                cands = cands + self._by_prefix.get(lower[i][:k], [])
            for cue in cands:
                end = i + len(cue.words)
                if end > n:
                    continue
                seq = orth if cue.exact_case else lower
                last = len(cue.words) - 1
                ok = all(seq[i + j] == cue.words[j] for j in range(last))
                if ok:
                    w = seq[i + last]
                    ok = w.startswith(cue.words[last]) if cue.wildcard else w == cue.words[last]
                    # a word boundary: "*" must not start inside another word
                if ok:
                    out.append((i, end, cue.label))
        return out
