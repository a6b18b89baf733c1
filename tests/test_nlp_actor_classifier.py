from __future__ import annotations

import pytest

from nlp.components.actor_classifier import classify_name
from nlp.lexicon import org_lexicon


@pytest.mark.parametrize(
    ("name", "type_", "level"),
    [
        ("Ministry of Water and Housing", "government", "national"),
        ("Brenmoor City Council", "government", "local"),
        ("Brenmoor Municipal Police Department", "police_justice", "local"),
        ("Tellavia National Police Service", "police_justice", "national"),
        ("Brenmoor Street Traders' Association", "community_group", "non_state"),
        ("St Anne's Parish Church", "faith_group", "non_state"),
        ("Brenmoor Chamber of Commerce", "private_sector", "non_state"),
        ("University of Brenmoor", "academia", "non_state"),
        ("Women's Shelter Foundation", "ngo", "non_state"),
        # The supra-municipal tiers (state, province) are national, as the gold corpora code
        # them (scenario-es and real_documents READMEs, "Levels"); the county is local.
        ("Gobierno del Estado de Montalba", "government", "national"),
        ("Comisión Estatal contra las Adicciones", "government", "national"),
        ("State Department of Health", "government", "national"),
        ("Provincial Police Headquarters", "police_justice", "national"),
        ("Guardia Civil Federal", "police_justice", "national"),
        ("Brenmoor County Council", "government", "local"),
        ("Secretaría de Seguridad y Protección Ciudadana", "government", "national"),
    ],
)
def test_actor_classifier_type_and_level_from_name(name: str, type_: str, level: str) -> None:
    cls = classify_name(name, org_lexicon())
    assert cls.type is not None and cls.level is not None
    assert (cls.type.value, cls.level.value) == (type_, level)
    assert cls.type.cue and 0 < cls.type.confidence <= 1


def test_actor_classifier_gazetteer_wins() -> None:
    cls = classify_name("Some Programme", org_lexicon(), gazetteer=True)
    assert cls.type is not None and cls.type.value == "international_org"
    assert cls.level is not None and cls.level.value == "international"


def test_actor_classifier_context_never_makes_a_state_body_international() -> None:
    cls = classify_name(
        "Office for Neighbourhood Renewal",
        org_lexicon(),
        context="The Office for Neighbourhood Renewal works with the United Nations.",
    )
    assert cls.level is None or cls.level.value != "international"
