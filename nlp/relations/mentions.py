"""The linker's values: a resolved mention in a passage Doc, a raw relation, coordination verb forms."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from graph_schema.model import Label, RelationKind
from nlp.components.relation_cues import inflections, is_spanish_lemma
from nlp.lexicon import relation_lexicon


@dataclass(frozen=True)
class LinkedMention:
    span: Span
    entity_id: str
    label: Label
    anaphoric: bool = False


@dataclass(frozen=True)
class RawRelation:
    kind: RelationKind
    source_id: str
    source_label: Label
    target_id: str
    target_label: Label
    confidence: float
    cue: str
    char_start: int  # quote span within the passage
    char_end: int


@dataclass(frozen=True)
class _CoordForms:
    exact: frozenset[str]  # English inflected forms
    stems: tuple[str, ...]  # Spanish verb stems ("coordin" also catches "coordinación")


_coord_forms: _CoordForms | None = None


def _coordination_forms() -> _CoordForms:
    global _coord_forms
    if _coord_forms is None:
        exact: set[str] = set()
        stems: list[str] = []
        for lemma in relation_lexicon().coordination_lemmas:
            if is_spanish_lemma(lemma):
                stems.append(lemma[:-2])
            else:
                exact |= inflections(lemma)
        # "no coordination", "ninguna relación": the tie said as a noun (data: relation_cues)
        exact |= relation_lexicon().coordination_nouns
        _coord_forms = _CoordForms(frozenset(exact), tuple(s for s in stems if len(s) >= 3))
    return _coord_forms


def _is_coord_token(tok_lower: str, forms: _CoordForms) -> bool:
    return tok_lower in forms.exact or any(tok_lower.startswith(s) for s in forms.stems)
