from __future__ import annotations

from graph_schema.model import Label
from nlp import extract_documents
from nlp.decide import decision_weights
from tests.document_fixtures import text_document


def _actor_names(*texts: str) -> set[str]:
    with decision_weights(None):  # what is proposed, before the fitted decision
        run = extract_documents([text_document("brief.txt", *texts)])
    return {e.name for e in run.entities if e.label is Label.Actor}


def test_an_acronym_modifying_a_hyphenated_compound_names_no_body() -> None:
    # "UN" is a known acronym (gazetteer); inside "UN-to-UN" it only modifies "agreement"
    names = _actor_names("UN-Habitat works with UNODC under a UN-to-UN agreement in Brenmoor.")
    assert "United Nations" not in names, names
    assert {"United Nations Office on Drugs and Crime"} <= names, names
    assert "United Nations" in _actor_names("The UN and the City of Brenmoor met in March.")


def test_a_described_group_is_one_actor_with_its_acronym_and_short_name() -> None:
    names = _actor_names(
        "Sessions are delivered by Tamu Njema Dunmore (TND), a registered youth group.",
        "TND runs the league. Tamu Njema trains the coaches.",
    )
    assert "Tamu Njema Dunmore" in names, names
    assert not {"TND", "Tamu Njema"} & names, names


def test_a_name_described_as_an_organisation_once_is_an_actor_everywhere() -> None:
    with decision_weights(None):
        run = extract_documents(
            [
                text_document("plan.txt", "The Kesi Moja Recovery Initiative refers cases."),
                text_document(
                    "brief.txt",
                    "A shelter is run by the Kesi Moja Recovery Initiative, a community-based "
                    "organisation.",
                ),
            ]
        )
    named = [e for e in run.entities if e.name == "Kesi Moja Recovery Initiative"]
    assert [e.label for e in named] == [Label.Actor], named


def test_a_described_body_takes_its_type_from_the_description() -> None:
    with decision_weights(None):
        run = extract_documents(
            [
                text_document(
                    "brief.txt",
                    "Tamu Njema Dunmore (TND), a registered youth group, met the Ministry of Health.",
                )
            ]
        )
    tnd = next(e for e in run.entities if e.name == "Tamu Njema Dunmore")
    assert (tnd.properties["type"], tnd.properties["level"]) == ("community_group", "non_state")
    # a preposition and a place after the comma are no kind of body to type it by
    from nlp import load_pipeline
    from nlp.components.name_context import DESCRIBED_KEY

    doc = load_pipeline("es")("La canalizamos a la UNAIA, a la clínica de adicciones del centro.")
    assert not any(doc.user_data.get(DESCRIBED_KEY, {}).values()), doc.user_data
