"""The words a short form of a name is compared by (``nlp.resolution``, rule ``short_form``).

Two general ways a short form says the same as its long form with other words, both from
the vocabulary in ``nlp/data/org_lexicon.json`` (``short_form_doc``):

- **"Anti-X" is "against X".** "Fiscalía Antisecuestro" / "Fiscalía Especializada en
  Combate al Secuestro", "Anti-Fraud Office" / "Office against Fraud": an opposition prefix
  inside one word and an opposition word before the topic become one key, so the topic
  words can be compared.
- **A jurisdiction one side leaves implicit.** "the State Anti-Fraud Office" for an
  "Office for Combating Fraud": when only one of the two names says whose government it is
  ("State", "Municipal", "del Estado"), those words are not held against the other.

Neither loosens the rest of the rule: the shorter side's keys must all be in the longer
side's, with the same institutional head, and exactly one known entity may qualify.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from nlp.lexicon import org_lexicon

__all__ = ["AGAINST", "sense_keys", "without_implicit_jurisdiction"]

AGAINST = "<against>"
_MIN_TOPIC = 4  # "anti" + at least four letters: "antisecuestro", not "antes"


@cache
def _vocabulary() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    lex = org_lexicon()
    return lex.opposition_prefixes, lex.opposition_words, lex.jurisdiction_words


def sense_keys(words: Iterable[str], stop: frozenset[str]) -> tuple[str, ...]:
    """Comparison keys of a normalised name's words (stop words included, in order): stop
    words dropped, an opposition word or prefix read as ``AGAINST``."""
    prefixes, opposition, _ = _vocabulary()
    out: list[str] = []
    for word in words:
        if word in opposition:  # before the stop words: "contra" is one of them
            keys = [AGAINST]
        elif word in stop:
            continue
        else:
            pre = next(
                (p for p in prefixes if word.startswith(p) and len(word) - len(p) >= _MIN_TOPIC),
                None,
            )
            keys = [AGAINST, word[len(pre) :]] if pre else [word]
        for key in keys:
            if not (key == AGAINST and out and out[-1] == AGAINST):  # "in combating against"
                out.append(key)
    return tuple(out)


def without_implicit_jurisdiction(a: set[str], b: set[str]) -> tuple[set[str], set[str]] | None:
    """``a`` and ``b`` without the jurisdiction words of the one side that has any, when
    the other has none; None when both or neither name a jurisdiction."""
    _, _, jurisdiction = _vocabulary()
    ja, jb = a & jurisdiction, b & jurisdiction
    if bool(ja) == bool(jb):
        return None
    return a - ja, b - jb
