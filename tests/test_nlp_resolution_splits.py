"""Splits (undone merges) keep an alias off an entity, whichever rule would merge it."""

from __future__ import annotations

from graph_schema.model import EntityNode, Label
from nlp.resolution import Resolver, display_name, normalise

KNOWN = EntityNode(
    label=Label.Actor,
    id="actor:harbour-district-council",
    name="Harbour District Council",
    aliases=("Harbour Council", "HDC"),
)


def test_nlp_resolution_known_alias_resolves_without_a_split() -> None:
    resolver = Resolver([KNOWN])
    assert resolver.resolve("Harbour Council", Label.Actor) == KNOWN.id
    assert resolver.resolve("Harbor District Council", Label.Actor) == KNOWN.id  # fuzzy


def test_nlp_resolution_split_alias_becomes_its_own_entity() -> None:
    splits = [
        (normalise("Harbour Council"), KNOWN.id),
        (normalise("Harbor District Council"), KNOWN.id),
    ]
    resolver = Resolver([KNOWN], splits=splits)
    assert "Harbour Council" not in resolver.entity(KNOWN.id).aliases
    exact = resolver.resolve("Harbour Council", Label.Actor)  # was a stored alias
    fuzzy = resolver.resolve("Harbor District Council", Label.Actor)  # would match fuzzily
    assert exact != KNOWN.id and fuzzy != KNOWN.id and exact != fuzzy
    assert resolver.resolve("Harbour District Council", Label.Actor) == KNOWN.id


def test_nlp_resolution_split_of_the_display_name_picks_the_next_fullest() -> None:
    resolver = Resolver([KNOWN], splits=[(normalise("Harbour District Council"), KNOWN.id)])
    assert resolver.entity(KNOWN.id).name == "Harbour Council"
    assert display_name(["HDC", "Harbour Council", "Council"]) == "Harbour Council"


def test_nlp_batches_report_the_merges_their_mentions_use() -> None:
    from document_fixtures import text_document

    from nlp import extract_documents

    first = text_document(
        "a", "The Harrowgate Metropolitan Police Service leads the night-time safety plan."
    )
    second = text_document(
        "b", "The Harrowgate Police Service works with the Eastfield Youth Trust."
    )
    run = extract_documents([first, second])
    assert run.batches[0].merges == ()
    (merge,) = [m for m in run.batches[1].merges if m.alias == "Harrowgate Police Service"]
    assert merge.rule in {"short_form", "fuzzy"} and merge.id.startswith("merge-")
    record = next(r for r in run.ledger.records if r.alias == "Harrowgate Police Service")
    undone = run.undo(record.id)
    assert not [m for m in undone.batches[1].merges if m.alias == "Harrowgate Police Service"]
