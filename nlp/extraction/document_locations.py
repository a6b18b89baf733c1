"""LOCATED_IN facts of one document (nlp/locations finds them per passage)."""

from __future__ import annotations

from graph_schema.model import Label
from ingest.model import Passage
from nlp.extraction.state import DocState
from nlp.locations import located_in, names_with_places, place_names
from nlp.relations import RawRelation
from nlp.resolution import Resolver


def document_locations(state: DocState, resolver: Resolver) -> list[tuple[Passage, RawRelation]]:
    """LOCATED_IN facts, one piece of evidence per (actor, place) and document."""
    places = (
        place_names(pr.doc for pr in state.passages)
        | names_with_places(m.span.text for pr in state.passages for m in pr.mentions)
        | {e.name for e in resolver.entries.values() if e.label is Label.Location}
    )
    out: dict[tuple[str, str], tuple[Passage, RawRelation]] = {}
    for pr in state.passages:
        found = located_in(
            pr.doc, pr.mentions, resolver, known_places=places, document_id=state.document.id
        )
        for rel in found:
            out.setdefault((rel.source_id, rel.target_id), (pr.passage, rel))
    return list(out.values())
