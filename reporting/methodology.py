"""Plain-language account of the gap kinds and their scores, for the report's methodology.

The wording lives in the locale catalogs (``methodology.intro.*`` and ``gap.<kind>.*`` in
reporting/locales/<lang>.json), written for the report reader from docs/gaps.md (the
technical contract); when a rule or score changes there, the catalogs change with it.
"""

from __future__ import annotations

from analysis import GapKind

from .locale import catalog
from .model import MethodItem

__all__ = ["intro", "kind_title", "methods"]


def intro(lang: str = "en") -> tuple[str, ...]:
    t = catalog(lang)
    keys = sorted(
        (k for k in t.strings if k.startswith("methodology.intro.")),
        key=lambda k: int(k.rsplit(".", 1)[1]),
    )
    return tuple(t(k) for k in keys)


def methods(lang: str = "en") -> tuple[MethodItem, ...]:
    t = catalog(lang)
    return tuple(
        MethodItem(
            kind.value,
            t(f"gap.{kind.value}.title"),
            t(f"gap.{kind.value}.meaning"),
            t(f"gap.{kind.value}.scoring"),
        )
        for kind in GapKind
    )


def kind_title(kind: str, lang: str = "en") -> str:
    t = catalog(lang)
    key = f"gap.{kind}.title"
    return t(key) if t.has(key) else kind.replace("_", " ").capitalize()
