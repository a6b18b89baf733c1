"""Where theme words attach (invented texts; fictional places and bodies)."""

from __future__ import annotations

from graph_schema.model import GraphBatch, RelationKind
from ingest.model import Document, DocumentKind
from nlp import extract_document
from nlp.components._cue_index import CueIndex
from nlp.pipeline import load_pipeline
from tests.document_fixtures import turns_document


def _doc(name: str, texts: list[str], kind: DocumentKind = DocumentKind.report) -> Document:
    return turns_document(name, [(None, t) for t in texts], kind=kind)


def _themes(batch: GraphBatch) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in batch.entities}
    return {
        (names[r.source_id], r.target_id)
        for r in batch.relations
        if r.kind in {RelationKind.works_on, RelationKind.addresses}
    }


def test_themes_table_row_theme_stays_in_its_row_and_skips_the_funder() -> None:
    table = (
        "| Activity | Lead | Partners | Funded by |\n"
        "|---|---|---|---|\n"
        "| Night buses for shift workers | Ossel Transport Department | Ossel Drivers Union "
        "| Ossel Chamber of Commerce |\n"
        "| Shelter places for survivors of domestic violence | Ossel Women's Network "
        "| Ossel Housing Trust | Nordic Aid Foundation |"
    )
    themes = _themes(extract_document(_doc("matrix", [table], DocumentKind.plan)))
    assert ("Ossel Women's Network", "gender_based_violence") in themes
    assert ("Ossel Housing Trust", "gender_based_violence") in themes
    assert ("Ossel Transport Department", "gender_based_violence") not in themes
    assert ("Ossel Drivers Union", "gender_based_violence") not in themes
    assert ("Nordic Aid Foundation", "gender_based_violence") not in themes


def test_themes_police_as_a_word_is_a_body_not_the_topic_of_others() -> None:
    batch = extract_document(
        _doc(
            "police-word",
            [
                "The Hillside Women's Network, not the police, accompanies survivors of "
                "domestic violence to court.",
                "The Hillside Ministry of Water and Housing published a new policy on rents.",
                "The Hillside Police Service runs foot patrols in the old town.",
            ],
        )
    )
    themes = _themes(batch)
    assert ("Hillside Women's Network", "gender_based_violence") in themes
    assert ("Hillside Women's Network", "policing") not in themes
    # "policy" is not a policing word
    assert ("Hillside Ministry of Water and Housing", "policing") not in themes
    assert ("Hillside Police Service", "policing") in themes


def test_themes_a_youth_centre_is_a_place_not_youth_violence() -> None:
    themes = _themes(
        extract_document(
            _doc(
                "venue",
                ["The Dunmore Library Service holds weekly reading sessions at the youth centre."],
            )
        )
    )
    assert ("Dunmore Library Service", "youth_violence") not in themes


def test_themes_general_assessment_vocabulary() -> None:
    batch = extract_document(
        _doc(
            "vocabulary",
            [
                "The Fenwick Harbour Shelter houses victims of trafficking.",
                "The Fenwick Schools Board trains teachers in safeguarding.",
                "The Fenwick Procurement Office runs integrity checks on every tender.",
                "The Fenwick National Urban Safety Strategy 2026-2030 was adopted in May.",
            ],
        )
    )
    themes = _themes(batch)
    assert ("Fenwick Harbour Shelter", "trafficking") in themes
    assert ("Fenwick Schools Board", "violence_against_children") in themes
    assert ("Fenwick Procurement Office", "corruption") in themes
    assert any(
        n.endswith("Urban Safety Strategy 2026-2030") and t == "community_safety" for n, t in themes
    )


def test_themes_cue_index_finds_a_lowercase_word_once() -> None:
    nlp = load_pipeline("en")
    index = CueIndex([("treatment", "drug_treatment")], lambda t: [w.text for w in nlp(t)])
    assert index.find(nlp("treatment and more treatment")) == [
        (0, 1, "drug_treatment"),
        (3, 4, "drug_treatment"),
    ]
