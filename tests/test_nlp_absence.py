"""Absence statements (nlp/components/absence.py) on invented sentences, English and Spanish.

Each construction is tested on a sentence of fictional bodies written for the test, and on
a near miss the construction must not read as absence.
"""

from __future__ import annotations

import pytest

from graph_schema.model import RelationKind
from ingest.model import Document, Respondent
from nlp import extract_document, load_pipeline
from nlp.components.relation_cues import NEG_KEY
from nlp.decide.actor import ENV as ACTOR_ENV
from nlp.decide.relation import ENV as RELATION_ENV
from tests.document_fixtures import turns_document


def _negs(text: str, lang: str = "en") -> list[str]:
    doc = load_pipeline(lang)(text)
    return [s.text.lower() for s in doc.spans[NEG_KEY] if len(s) > 1]


@pytest.mark.parametrize(
    ("lang", "text", "span"),
    [
        ("en", "At the Tarnby board the chair of the Ossel Trust stays vacant.", "vacant"),
        ("en", "Since March the youth seat on the Harrow Forum has been empty.", "empty"),
        ("es", "En el consejo de Tarnby la silla de la Fundación Ossel sigue vacía.", "vacía"),
    ],
)
def test_absence_empty_seat_predicate(lang: str, text: str, span: str) -> None:
    assert any(s.endswith(span) for s in _negs(text, lang)), _negs(text, lang)


def test_absence_empty_as_a_plain_modifier_is_no_absence() -> None:
    assert not _negs("The Ossel Trust collects empty bottles for recycling.")


@pytest.mark.parametrize(
    ("lang", "text", "span"),
    [
        ("en", "The Harrow Water Board has no office anywhere in Tarnby.", "no office"),
        ("en", "We have never had anybody from the Ossel Land Registry here.", "anybody"),
        ("es", "La Junta de Aguas de Harrow no tiene oficina en Tarnby.", "oficina"),
        ("es", "Nunca hemos tenido a nadie del Registro de Ossel en el barrio.", "nadie"),
    ],
)
def test_absence_negated_presence(lang: str, text: str, span: str) -> None:
    assert any(s.endswith(span) for s in _negs(text, lang)), _negs(text, lang)


def test_absence_a_presence_pronoun_needs_a_having_verb() -> None:
    # "never told anybody" is no absence of anybody from a body
    assert not _negs("We never told anybody about the Ossel Land Registry.")


@pytest.mark.parametrize(
    ("lang", "text", "span"),
    [
        ("en", "The Harrow Licensing Office only comes to inspect the stalls.", "only comes"),
        ("en", "The Ossel Health Directorate rarely visits the clinics in Tarnby.", "visits"),
        ("es", "La Tesorería de Harrow solo viene a revisar los permisos.", "viene"),
        ("es", "La Dirección de Salud de Ossel apenas visita las clínicas.", "visita"),
    ],
)
def test_absence_restricted_attendance(lang: str, text: str, span: str) -> None:
    assert any(s.endswith(span) for s in _negs(text, lang)), _negs(text, lang)


@pytest.mark.parametrize(
    "text",
    [
        # restriction without a purpose clause on a working verb says whom they work with
        "The Harrow Licensing Office only works with registered vendors.",
        # "just" is emphatic here, a wish, not a restriction
        "If the Harrow Licensing Office would just come one day, we could talk.",
    ],
)
def test_absence_restriction_that_is_no_absence(text: str) -> None:
    assert not _negs(text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "There is a lack of coordination between the Ossel Trust and the Harrow Police."),
        ("es", "Hay falta de coordinación entre la Fundación Ossel y la Policía de Harrow."),
    ],
)
def test_absence_lack_of_a_tie(lang: str, text: str) -> None:
    assert any(s.startswith(("lack", "falta")) for s in _negs(text, lang)), _negs(text, lang)


def test_absence_lack_of_a_non_tie_is_no_absence() -> None:
    assert not _negs("The Ossel Trust reports a lack of lit spaces near the market.")


def _kii(text: str, org: str, lang: str = "en") -> Document:
    turns: list[tuple[str | None, str]] = [
        ("Interviewer", "Go on." if lang == "en" else "Continúe."),
        ("R1", text),
    ]
    return turns_document(
        f"absence-{lang}-{text[:24]}",
        turns,
        language=lang,
        respondents=(Respondent(speaker="R1", organisation=org),),
    )


@pytest.mark.parametrize(
    ("lang", "org", "text", "other"),
    [
        (
            "en",
            "Tarnby Market Traders Association",
            "The Harrow Licensing Authority only comes to fine the stallholders.",
            "Harrow Licensing Authority",
        ),
        (
            "es",
            "Asociación de Comerciantes de Tarnby",
            "A nosotros la Tesorería Municipal de Harrow solo viene a multar a los puestos.",
            "Tesorería Municipal de Harrow",
        ),
    ],
)
def test_absence_gives_the_speakers_body_a_negative_tie(
    lang: str, org: str, text: str, other: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The speaker's body and the body that only comes to fine them: the linker's negative
    tie, and no positive one from the attendance verb. Decisions off: which linker ties
    they accept is fitted (tests/test_nlp_decide.py), this is the mechanism."""
    monkeypatch.setenv(ACTOR_ENV, "off")
    monkeypatch.setenv(RELATION_ENV, "off")
    batch = extract_document(_kii(text, org, lang))
    names = {e.id: e.name for e in batch.entities}
    ties = {(r.kind, frozenset({names[r.source_id], names[r.target_id]})) for r in batch.relations}
    pair = frozenset({org, other})
    assert (RelationKind.negative_coordination, pair) in ties, ties
    assert not any(k is not RelationKind.negative_coordination and p == pair for k, p in ties)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "es",
            "Dos usuarias fueron presionadas por agentes, y ninguna acudió a la Tesorería "
            "Municipal de Harrow. Con la Dirección de Salud de Harrow no tenemos relación.",
        ),
        (
            "es",
            "Dos usuarias fueron presionadas para no presentar denuncia, y ninguna de ellas "
            "acudió a la Tesorería Municipal de Harrow. Con la Dirección de Salud de Harrow no "
            "tenemos relación.",
        ),
        (
            "en",
            "Two women were pressured by officers, and none of them ever contacted the Harrow "
            "Licensing Authority. We have no relationship with the Harrow Health Department.",
        ),
    ],
)
def test_none_of_a_group_just_named_is_not_the_speakers_statement(
    lang: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "none of them contacted X": the women just named did not, which says nothing of the
    speaker's body; the speaker's own "we have no relationship" does."""
    monkeypatch.setenv(ACTOR_ENV, "off")
    monkeypatch.setenv(RELATION_ENV, "off")
    org = "Asociación de Mujeres de Tarnby" if lang == "es" else "Tarnby Women's Association"
    batch = extract_document(_kii(text, org, lang))
    names = {e.id: e.name for e in batch.entities}
    negatives = {
        " / ".join(sorted({names[r.source_id], names[r.target_id]}))
        for r in batch.relations
        if r.kind is RelationKind.negative_coordination
    }
    health = "Salud" if lang == "es" else "Health"
    named = "Tesorería" if lang == "es" else "Licensing"
    assert any(org in pair and health in pair for pair in negatives), negatives
    assert not any(org in pair and named in pair for pair in negatives), negatives
