"""Theme cue entries of nlp/data/themes.json that name the theme, not an institution
(invented texts; fictional places and bodies)."""

from __future__ import annotations

from document_fixtures import text_document

from nlp import extract_document
from tests.document_fixtures import works_on_pairs


def test_theme_lexicon_a_court_named_in_passing_is_no_topic_of_the_sentence() -> None:
    # 'court' names an institution (a body word): the Trust is not a criminal-justice actor
    # for sending someone there, while the Court's own name carries the theme.
    themes = works_on_pairs(
        extract_document(
            text_document(
                "referrals",
                "The Ossel Riverside Trust takes families to the court when a landlord evicts "
                "them. The Ossel District Court hears those cases every Monday.",
            )
        )
    )
    assert ("Ossel Riverside Trust", "criminal_justice") not in themes
    assert ("Ossel District Court", "criminal_justice") in themes


def test_theme_lexicon_children_in_conflict_with_the_law_is_juvenile_justice() -> None:
    themes = works_on_pairs(
        extract_document(
            text_document(
                "diversion",
                "The Ossel Riverside Trust supports children in conflict with the law.",
            )
        )
    )
    assert ("Ossel Riverside Trust", "juvenile_justice") in themes


def test_theme_lexicon_spanish_addictions_are_dependence_as_in_english() -> None:
    themes = works_on_pairs(
        extract_document(
            text_document(
                "clinica",
                "La Asociación Civil Puerta Abierta atiende adicciones en la colonia Centro.",
                language="es",
            )
        )
    )
    assert ("Asociación Civil Puerta Abierta", "drug_treatment") in themes
    assert ("Asociación Civil Puerta Abierta", "drug_prevention") not in themes
