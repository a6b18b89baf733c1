"""Typed access to the data files shipped in ``nlp/data`` (the only files nlp reads).

Everything institution-specific lives in those files, so the code stays general and the
vocabulary can grow without code changes. Loaded lazily and cached: components call these
from ``initialize()``, never at import time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "IntlOrg",
    "OrgLexicon",
    "RelationLexicon",
    "Theme",
    "cue_regex",
    "intl_orgs",
    "org_lexicon",
    "relation_lexicon",
    "themes",
]

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class IntlOrg:
    name: str
    acronym: str | None
    same_as: str | None = None  # the same body's name in another language ("Unión Europea")


@dataclass(frozen=True)
class OrgLexicon:
    org_heads: dict[str, frozenset[str]]  # language -> lowercase head words
    connectors: dict[str, frozenset[str]]
    policy_heads: dict[str, frozenset[str]]  # policy kind -> head words
    programme_heads: frozenset[str]
    type_cues: tuple[tuple[str, tuple[str, ...]], ...]  # ordered: first match wins
    level_cues: dict[str, tuple[str, ...]]
    person_titles: frozenset[str]
    police_ranks: frozenset[str] = frozenset()  # "Sergeant X" belongs to a police body
    police_words: tuple[str, ...] = ()  # what makes a police_justice body the police
    occasion_words: frozenset[str] = frozenset()  # "Monthly ... Forum": an event's name
    # short form vs long form (org_lexicon.json "short_form_doc"): "Anti-X" = "against X"
    opposition_prefixes: tuple[str, ...] = ()
    opposition_words: frozenset[str] = frozenset()
    jurisdiction_words: frozenset[str] = frozenset()  # "State", "Municipal", "del Estado"

    def policy_kind(self, head: str) -> str | None:
        for kind, words in self.policy_heads.items():
            if head in words:
                return kind
        return None


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> cues
    # cues that also name a body ("the police"): the theme of that body's name only
    body_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # language -> name ("es" from name_es)


@dataclass(frozen=True)
class RelationLexicon:
    lemmas: dict[str, frozenset[str]]  # kind -> lemmas
    phrases: dict[str, tuple[str, ...]]  # kind -> phrases
    negation_words: frozenset[str]
    negation_phrases: tuple[str, ...]
    coordination_lemmas: frozenset[str]
    undetermined_phrases: tuple[str, ...] = ()  # "the lead agency will be determined"
    lead_words: tuple[str, ...] = ()
    # nouns of a working tie ("no structured engagement between A and B")
    coordination_nouns: frozenset[str] = frozenset()
    # who sits on a body: "the Committee comprises A and B", "integrado por A y B"
    composition: Composition | None = None
    # absence said without a tie word: "that seat is empty", "X has no office here"
    absence: Absence | None = None


@dataclass(frozen=True)
class Absence:
    """Word classes of absence statements (relation_cues.json "absence"); lowercase forms,
    a trailing * allows any ending (Spanish inflects)."""

    empty_words: tuple[str, ...]  # "the seat is empty", "la silla está vacía"
    presence_nouns: tuple[str, ...]  # "no office", "ningún representante"
    presence_pronouns: tuple[str, ...]  # "never had anyone", "no hay nadie"
    having_words: tuple[str, ...]  # what a presence pronoun is the object of
    restrictive_words: tuple[str, ...]  # "only comes to collect the fees"
    rarity_words: tuple[str, ...]  # "rarely visits"
    attendance_words: tuple[str, ...]  # come, visit, attend; venir, acudir
    purpose_marks: frozenset[str]  # "to"/"para"/"a" of a purpose clause
    lack_words: tuple[str, ...]  # "a lack of coordination", "falta de coordinación"


@dataclass(frozen=True)
class Composition:
    active_words: tuple[str, ...]  # lowercase forms; a trailing * allows any ending
    active_phrases: tuple[str, ...]
    passive_words: tuple[str, ...]
    passive_preps: frozenset[str]

    @staticmethod
    def matches(word: str, forms: tuple[str, ...]) -> bool:
        return any(word.startswith(f[:-1]) if f.endswith("*") else word == f for f in forms)


def cue_regex(cues: tuple[str, ...] | list[str], *, case_sensitive_acronyms: bool = True) -> str:
    """One alternation for a cue list; ``word*`` allows any ending, all-caps cues stay exact."""
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        star = cue.endswith("*")
        core = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
        if case_sensitive_acronyms and cue.isupper() and len(cue) > 1:
            core = f"(?-i:{core})"
        parts.append(core + (r"\w*" if star else ""))
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


@cache
def org_lexicon(data_dir: Path = DATA_DIR) -> OrgLexicon:
    raw = _read_json(data_dir / "org_lexicon.json")
    return OrgLexicon(
        org_heads={k: frozenset(v) for k, v in raw["org_heads"].items()},
        connectors={k: frozenset(v) for k, v in raw["connectors"].items()},
        policy_heads={k: frozenset(v) for k, v in raw["policy_heads"].items()},
        programme_heads=frozenset(raw["programme_heads"]),
        type_cues=tuple((t, tuple(ws)) for t, ws in raw["type_cues"]),
        level_cues={k: tuple(v) for k, v in raw["level_cues"].items()},
        person_titles=frozenset(raw["person_titles"]),
        police_ranks=frozenset(raw.get("police_ranks", ())),
        police_words=tuple(raw.get("police_words", ())),
        occasion_words=frozenset(raw.get("occasion_words", ())),
        opposition_prefixes=tuple(raw.get("opposition_prefixes", ())),
        opposition_words=frozenset(raw.get("opposition_words", ())),
        jurisdiction_words=frozenset(raw.get("jurisdiction_words", ())),
    )


@cache
def intl_orgs(data_dir: Path = DATA_DIR) -> tuple[IntlOrg, ...]:
    rows = []
    with (data_dir / "intl_orgs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                rows.append(
                    IntlOrg(
                        name=row["name"], acronym=row.get("acronym"), same_as=row.get("same_as")
                    )
                )
    return tuple(rows)


@cache
def themes(data_dir: Path = DATA_DIR) -> tuple[Theme, ...]:
    raw = _read_json(data_dir / "themes.json")
    return tuple(
        Theme(
            id=t["id"],
            label=t["label"],
            description=t["description"],
            cues={"en": tuple(t.get("en", ())), "es": tuple(t.get("es", ()))},
            body_words={k: tuple(v) for k, v in t.get("body_words", {}).items()},
            names={k.removeprefix("name_"): v for k, v in t.items() if k.startswith("name_")},
        )
        for t in raw["themes"]
    )


def theme_name(theme_id: str, lang: str = "en", fallback: str | None = None) -> str:
    """A theme as people read it, in ``lang``: the vocabulary's name for it (its label when
    the language has none), else ``fallback`` (e.g. the graph's name), else the id made
    readable - a theme outside the vocabulary must still never print as 'a_b'."""
    bare = theme_id.removeprefix("theme:")
    theme = next((t for t in themes() if t.id == bare), None)
    if theme is not None:
        return theme.names.get(lang) or theme.label
    if fallback and fallback != theme_id:
        return fallback
    return bare.replace("_", " ").capitalize()


@cache
def relation_lexicon(data_dir: Path = DATA_DIR) -> RelationLexicon:
    raw = _read_json(data_dir / "relation_cues.json")
    kinds = raw["kinds"]
    neg = raw["negation"]
    return RelationLexicon(
        lemmas={k: frozenset(v["lemmas"]) for k, v in kinds.items()},
        phrases={k: tuple(v["phrases"]) for k, v in kinds.items()},
        negation_words=frozenset(neg["words"]),
        negation_phrases=tuple(neg["phrases"]),
        coordination_lemmas=frozenset(neg["coordination_lemmas"]),
        undetermined_phrases=tuple(raw.get("undetermined", {}).get("phrases", ())),
        lead_words=tuple(raw.get("undetermined", {}).get("lead_words", ())),
        coordination_nouns=frozenset(neg.get("coordination_nouns", ())),
        composition=_composition(raw.get("composition")),
        absence=_absence(raw.get("absence")),
    )


def _absence(raw: dict[str, Any] | None) -> Absence | None:
    if not raw:
        return None
    return Absence(
        empty_words=tuple(raw["empty_words"]),
        presence_nouns=tuple(raw["presence_nouns"]),
        presence_pronouns=tuple(raw["presence_pronouns"]),
        having_words=tuple(raw["having_words"]),
        restrictive_words=tuple(raw["restrictive_words"]),
        rarity_words=tuple(raw["rarity_words"]),
        attendance_words=tuple(raw["attendance_words"]),
        purpose_marks=frozenset(raw["purpose_marks"]),
        lack_words=tuple(raw["lack_words"]),
    )


def _composition(raw: dict[str, Any] | None) -> Composition | None:
    if not raw:
        return None
    return Composition(
        active_words=tuple(raw["active_words"]),
        active_phrases=tuple(raw["active_phrases"]),
        passive_words=tuple(raw["passive_words"]),
        passive_preps=frozenset(raw["passive_preps"]),
    )
