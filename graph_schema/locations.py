"""Places: the locations actors are based in, and which actors are in a place.

An analyst names a place as they know it ("Valdora", "central district"); it matches a
Location by id, name or alias, ignoring case, accents and a leading article.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from govgraph.errors import NotFound

from . import queries as q
from .store import GraphStore

__all__ = ["actors_located_in", "list_locations", "match_locations"]


def list_locations(store: GraphStore) -> list[dict[str, Any]]:
    """Every location with the number of actors located in it, most populated first."""
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "aliases": list(r["aliases"] or []),
            "actors": int(r["actors"]),
        }
        for r in store.read(q.LIST_LOCATIONS)
    ]


def match_locations(store: GraphStore, place: str) -> list[dict[str, Any]]:
    """The locations an analyst's place name refers to; NotFound, listing some, if none."""
    want = _fold(place)
    locations = list_locations(store)
    found = [
        loc
        for loc in locations
        if place == loc["id"] or want in {_fold(n) for n in [loc["name"], *loc["aliases"]]}
    ]
    if not found:
        known = ", ".join(loc["name"] for loc in locations[:15]) or "none yet"
        raise NotFound(
            f"No location called {place!r} in the graph.", hint=f"Known locations: {known}."
        )
    return found


def actors_located_in(store: GraphStore, place: str, *, min_confidence: float = 0.0) -> set[str]:
    ids = [loc["id"] for loc in match_locations(store, place)]
    rows = store.read(q.ACTORS_LOCATED_IN, {"ids": ids, "min_confidence": min_confidence})
    return {str(r["id"]) for r in rows}


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = text.replace("-", " ").split()
    if words and words[0] in {"the", "la", "el"}:
        words = words[1:]
    return " ".join(words)
