"""The closed vocabularies a user can type (themes, gap kinds, levels, actor types, relation
and document kinds), and the one check that refuses anything else with the valid values.

An unknown value used to filter to nothing ("No coordination gaps found on 'nonsense'"),
which an analyst reads as an answer. The CLI turns :class:`UnknownValue` into exit 2, the
API into a 422 problem whose ``allowed`` member lists the values.
"""

from __future__ import annotations

from enum import StrEnum

from govgraph.errors import GovgraphError

# The vocabulary's data file, read by nlp.lexicon: it imports no spaCy (the nlp package
# imports its members on first use), so --help and the API's start-up stay cheap.
from nlp.lexicon import themes

__all__ = [
    "UnknownValue",
    "check",
    "check_theme",
    "theme_ids",
    "theme_labels",
    "vocabulary",
]


class UnknownValue(GovgraphError):
    """A value outside a closed vocabulary; ``allowed`` lists the valid ones."""

    def __init__(self, name: str, value: str, allowed: list[str]) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(
            f"unknown {name} {value!r}; valid values: {', '.join(allowed)}",
            hint=None,
        )


def theme_ids() -> list[str]:
    return [t.id for t in themes()]


def theme_labels() -> dict[str, str]:
    """Theme id -> its human label ("community_safety" -> "Community safety")."""
    return {t.id: t.label for t in themes()}


def check_theme(value: str) -> str:
    """The theme id for an id ("policing", "theme:policing") or a label ("Policing")."""
    wanted = value.strip().lower().removeprefix("theme:")
    for t in themes():
        if wanted in {t.id.lower(), t.label.lower()}:
            return t.id
    raise UnknownValue("theme", value, theme_ids())


def _enums() -> dict[str, type[StrEnum]]:
    # Imported here: each model module is light, but the CLI imports this at start-up.
    from analysis.model import GapKind
    from graph_schema.model import ActorLevel, ActorType, RelationKind
    from ingest.model import DocumentKind

    return {
        "kind": GapKind,
        "level": ActorLevel,
        "level_pair": ActorLevel,
        "type": ActorType,
        "relation_kind": RelationKind,
        "document_kind": DocumentKind,
    }


def vocabulary(name: str) -> list[str]:
    """The valid values of the vocabulary ``name`` (theme, kind, level, type, ...)."""
    if name == "theme":
        return theme_ids()
    return [m.value for m in _enums()[name]]


def check(name: str, value: str) -> str:
    """``value`` if it belongs to the vocabulary ``name``, else :class:`UnknownValue`."""
    if name == "theme":
        return check_theme(value)
    allowed = vocabulary(name)
    if value.strip() in allowed:
        return value.strip()
    raise UnknownValue(name.replace("_", " "), value, allowed)
