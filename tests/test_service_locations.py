"""Places: LOCATED_IN from extraction, GET /locations, and gaps filtered by location."""

from __future__ import annotations

import pytest
from document_fixtures import text_document

from graph_schema.model import RelationKind
from graph_schema.store import GraphStore
from ingest.model import Document
from nlp import extract_documents
from service.pipeline import ingest_documents

REVIEW = text_document(
    "review.txt",
    "Brenmoor City Council runs youth violence prevention programmes for young people.",
    "The Brenmoor Youth Network works on youth violence and gang prevention.",
    "The Municipality of Eastfield also works on youth violence prevention.",
    "The Riverside Youth Trust in Eastfield runs mentoring against youth violence.",
    "The Ministry of Health works on drug treatment and youth violence.",
)


def _located(doc: Document) -> set[tuple[str, str]]:
    batch = extract_documents([doc]).batches[0]
    names = {e.id: e.name for e in batch.entities}
    return {
        (names[r.source_id], names[r.target_id])
        for r in batch.relations
        if r.kind is RelationKind.located_in
    }


def test_nlp_locations_from_names_and_explicit_placement() -> None:
    located = _located(REVIEW)
    assert ("Brenmoor City Council", "Brenmoor") in located
    assert ("Municipality of Eastfield", "Eastfield") in located
    # Placed by "in <place>" (the place known from another body's name).
    assert [a for a, p in located if a.startswith("Riverside Youth Trust") and p == "Eastfield"]
    # A domain after "of" is not a place.
    assert not [pair for pair in located if pair[0] == "Ministry of Health"]


def test_service_gaps_filtered_by_location(settings, store: GraphStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.auth import Scope, create_api_key

    ingest_documents(store, [("review.txt", REVIEW)])
    key, _ = create_api_key(store, "analyst", {Scope.read})
    h = {"X-API-Key": key}
    cfg = settings.model_copy(update={"data_dir": tmp_path})
    with TestClient(create_app(cfg, store=store), raise_server_exceptions=False) as api:
        places = {p["name"]: p for p in api.get("/locations", headers=h).json()["items"]}
        assert places["Brenmoor"]["actors"] == 2 and places["Eastfield"]["actors"] == 2
        everything = api.get("/gaps", headers=h, params={"min_score": 0}).json()
        assert everything["total"] > 0
        here = api.get("/gaps", headers=h, params={"min_score": 0, "location": "brenmoor"})
        assert here.status_code == 200, here.text
        found = here.json()["items"]
        assert 0 < len(found) < everything["total"]
        brenmoor = {"Brenmoor City Council", "Brenmoor Youth Network"}
        for f in found:
            assert brenmoor & {a["name"] for a in f["actors"]}
        unknown = api.get("/gaps", headers=h, params={"location": "Atlantis"})
        assert unknown.status_code == 404
        assert "Brenmoor" in unknown.json()["hint"]


@pytest.mark.parametrize(
    "name",
    [
        "Ministry of Justice",
        "National Crime Agency",
        "City Council",
        "Ministerio de Salud",
        "Ministry of Justice and Security",
        "Guardia Nacional",
    ],
)
def test_nlp_locations_never_invent_a_place(name: str) -> None:
    from nlp.locations import names_with_places

    assert names_with_places([name]) == set()


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Gobierno del Estado de Jalisco", "Jalisco"),
        ("Secretaría de Seguridad Pública de la Ciudad de México", "Ciudad de México"),
        ("Ministry of the Interior of Norland", "Norland"),
        ("City of Cape Town", "Cape Town"),
        ("Valdora Metropolitan Police Command", "Valdora"),
    ],
)
def test_nlp_locations_place_inside_a_body_name(name: str, place: str) -> None:
    from nlp.locations import names_with_places

    assert names_with_places([name]) == {place}


def test_nlp_locations_a_place_is_never_an_organisation_or_a_head_noun() -> None:
    from nlp.locations import _is_place_name, _names_place

    assert not _is_place_name("Directorate for Children and Families")
    assert _names_place("Marisco Port Authority", "Marisco")
    assert _names_place("Valdora's Urban Safety Observatory", "Valdora")
    assert _names_place("University of Valdora", "Valdora")
    assert not _names_place("Quayside Mothers' Circle", "Circle")
    assert not _names_place("Marisco", "Marisco")
