"""The report's languages: one catalog of fixed strings per language, and theme names.

Every heading, scope line, label and methodology paragraph of a report is a key of
``reporting/locales/<lang>.json``; code never holds report wording, so a new language is one
new file with the same keys. Theme names come from the theme vocabulary (nlp/data/themes.json:
``label`` in English, ``name_<lang>`` otherwise), never from the raw id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from nlp.lexicon import theme_name

__all__ = [
    "DEFAULT_LANGUAGE",
    "Catalog",
    "ReportLanguage",
    "catalog",
    "dominant_language",
    "theme_name",
]

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# Read as a file, not through nlp.lexicon: importing nlp loads spaCy, a report must not.


class ReportLanguage(StrEnum):
    """Languages a report is written in: exactly the catalogs in reporting/locales/."""

    en = "en"
    es = "es"


DEFAULT_LANGUAGE = ReportLanguage.en


@dataclass(frozen=True)
class Catalog:
    lang: str
    strings: dict[str, str]

    def __call__(self, key: str, **values: object) -> str:
        # A missing key is a programming error (the key-set test keeps catalogs aligned).
        return self.strings[key].format(**values)

    def plural(self, key: str, n: int, **values: object) -> str:
        """``key.one`` for one, ``key.other`` otherwise ("1 needs evidence", "2 need ...")."""
        return self(f"{key}.{'one' if n == 1 else 'other'}", n=n, **values)

    def has(self, key: str) -> bool:
        return key in self.strings

    def join(self, items: Iterable[str]) -> str:
        """'A, B and C' in the catalog's language."""
        names = list(items)
        if len(names) < 2:
            return "".join(names)
        return self("list.and", items=", ".join(names[:-1]), last=names[-1])


@cache
def catalog(lang: str | ReportLanguage = DEFAULT_LANGUAGE) -> Catalog:
    code = ReportLanguage(str(lang)).value  # ValueError for a language with no catalog
    raw = json.loads((LOCALES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    return Catalog(code, {k: v for k, v in raw.items() if not k.startswith("_")})


def dominant_language(languages: Iterable[str | None]) -> ReportLanguage:
    """The language most documents in scope are written in, when a catalog exists for it
    (ties go to the first in catalog order); English otherwise."""
    counts = Counter((lang or "").split("-")[0].lower() for lang in languages if lang)
    supported = [code for code in ReportLanguage if counts.get(code.value)]
    if not supported:
        return DEFAULT_LANGUAGE
    return max(supported, key=lambda code: counts[code.value])
