"""What a statement between two bodies is about: the theme named nearest to it.

Most statements of a tie name no theme word ("Con la Colectiva no tenemos relación", "UNODC
will keep the SESFSP informed"); the text around them may. ``CONTEXT_LEVELS`` are the
contexts the extractor reads, nearest first:

1. ``sentence``: the statement's own sentence (a table's row);
2. ``question``: in a transcript, the interviewer's turn the answer follows ("En temas de
   violencia contra las mujeres, ¿trabajan con la Colectiva?" - "Directamente, no.");
3. ``section``: the heading the passage sits under ("Component 2: Drug use prevention").

Callers leave out theme words inside names: a word in a body's name is that body's remit,
not the statement's topic. At the nearest level that names themes the most frequent one
wins; a level naming two themes equally ("Youth violence and drug use") is a list of
topics and decides nothing, so the next level is read.

``STATEMENT_LEVELS``, the levels in use, is the sentence alone. Measured on the gold
relations of scenario-es and scenario-ke, which carry the theme each statement is about
(158 statements, ``bench/eval_gaps_oracle.py --levels``): the sentence decides 34, 25 of
them right; with the question 37 (28 right); with the section too 45 (34 right). The wider
levels are as often right as the sentence, but they cost planted gaps the sentence keeps:
on gold input scenario-dev 0.75 to 0.62 and scenario-ke 0.50 to 0.40 (with the section),
end to end scenario-dev 0.75 to 0.62. Each more theme an actor is seen on can change which
story the gap rules tell of it (a youth question gave the Riverside women's committee a
second theme, which then named its absent-from-policy finding).

The sentence alone costs one planted gap end to end (scenario-dev 0.88 to 0.75) with themes
that are right: the GBV of the tie between WLAC's lawyers at the GBV Referral Desks and the
Family Protection Office (and of the missing referral protocol between the Department of
Social Development and the Ministry of Gender) makes the gap rules tell those two as a
level disconnect, where the gold codes a shared mandate without a link (the same with and
without the negative tie's theme). ``STATEMENT_LEVELS = ()`` turns tie themes off.

Read more widely still, the passage (26 more right, 22 more wrong) and what the tie's two
bodies are about elsewhere in the corpus (83 right, 74 wrong at full coverage) name the
wrong theme nearly as often as the right one and lower gap recall on two or more corpora. A
logistic fit of all levels, fitted on one corpus and scored on the other
(``bench/statement_theme_fit.py``), is at no threshold more precise than the rule (best
0.74 and 0.71 left out, against 0.77 and 0.74 for the three levels); with two labelled
corpora its threshold cannot be chosen on data it is not scored on, and what it decides
beyond the rule leans on the bodies' profile, the level that cost gaps.

The decision itself is pure (counts in, theme out), so ``bench/eval_gaps_oracle.py`` reads
gold relations' themes with the same rule the extractor uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["CONTEXT_LEVELS", "STATEMENT_LEVELS", "StatementTheme", "statement_theme"]

CONTEXT_LEVELS = ("sentence", "question", "section")
STATEMENT_LEVELS: tuple[str, ...] = ("sentence",)


@dataclass(frozen=True)
class StatementTheme:
    theme: str
    level: str  # which of the levels named it
    hits: float  # cue occurrences (or weight) of the theme at that level


def statement_theme(
    hits: Mapping[str, Iterable[str] | Mapping[str, float]],
    levels: Iterable[str] | None = None,
) -> StatementTheme | None:
    """The theme of a statement from the theme ids of the cue hits at each context level
    (in text order; or weights per theme), read in ``levels`` order (default: the levels
    in use, ``STATEMENT_LEVELS``); None when no level names a theme."""
    for level in STATEMENT_LEVELS if levels is None else levels:
        found = hits.get(level, ())
        counts = Counter(found) if not isinstance(found, Mapping) else Counter(dict(found))
        counts = +counts
        if counts:
            (theme, n), *rest = counts.most_common(2)
            if rest and rest[0][1] == n:
                # "Youth violence and drug use": a context naming several themes as much
                # is a list of topics, not this statement's; a wider one may still say
                continue
            return StatementTheme(theme, level, n)
    return None
