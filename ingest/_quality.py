"""Is an extracted text layer real text, or glyph garbage from a broken font encoding?

A PDF can carry a text layer that is useless: Type 3 or subset fonts without a Unicode
map extract as control characters, private-use code points or shifted letters. Signals:

- control / private-use / replacement characters among the visible ones;
- too few letters and digits among the visible characters;
- for longer texts, words that are neither known function words nor pronounceable
  (real prose always has stopwords; a shifted alphabet has none and odd vowel ratios).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ._language import stopword_ratio

__all__ = ["MIN_VISIBLE_CHARS", "text_problem"]

MIN_VISIBLE_CHARS = 20
_MAX_BAD_RATIO = 0.05
_MIN_ALNUM_RATIO = 0.45
_WORD = re.compile(r"[^\W\d_]{2,}")
# Dot leaders in tables of contents and rule lines are layout, not symbols in text.
_LEADERS = re.compile(r"([.·_\-–—=*…])\1{2,}")
_SPACE = re.compile(r"\s+")
_VOWELS = frozenset("aeiouáéíóúàèìòùâêîôûäëïöüyæøå")


def text_problem(text: str) -> str | None:
    """None when ``text`` reads as text, else a short reason ('no text', 'unreadable ...')."""
    text = _LEADERS.sub(" ", text)
    visible = _SPACE.sub("", text)
    if len(visible) < MIN_VISIBLE_CHARS:
        return "no text"
    # Each distinct character is classified once: a page has a few dozen of them.
    counts = Counter(visible)
    bad = sum(
        n
        for c, n in counts.items()
        if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs")
    )
    if bad / len(visible) > _MAX_BAD_RATIO:
        return "unreadable characters (broken font encoding)"
    alnum = sum(n for c, n in counts.items() if c.isalnum())
    if alnum / len(visible) < _MIN_ALNUM_RATIO:
        return "mostly symbols (broken font encoding)"
    words = _WORD.findall(text)
    if len(words) >= 40 and stopword_ratio(text) < 0.01:
        letters = [c.lower() for w in words for c in w]
        vowels = sum(1 for c in letters if c in _VOWELS) / len(letters)
        if not 0.2 <= vowels <= 0.7:
            return "letters do not form words (broken font encoding)"
    return None
