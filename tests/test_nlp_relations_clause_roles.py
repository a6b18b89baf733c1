"""Who acts in a clause when the parse is unusual: conjoined subjects of a mutual tie verb,
possessive relatives, a sentence adverb the parser took as the subject. Invented texts
(fictional bodies), English and Spanish."""

from __future__ import annotations

from graph_schema.model import GraphBatch, RelationKind
from nlp import extract_document
from nlp.decide.actor import decision_weights
from nlp.decide.relation import relation_decision_weights
from tests.document_fixtures import text_document


def _extract(text: str, language: str) -> GraphBatch:
    # one sentence: neither decision has the support a real document gives its names
    with decision_weights(None), relation_decision_weights(None):
        return extract_document(text_document(text[:30], text, language=language))


def _directed(batch: GraphBatch, kind: RelationKind) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in batch.entities}
    return {
        (names[r.source_id], names[r.target_id])
        for r in batch.relations
        if r.kind is kind and r.source_id in names and r.target_id in names
    }


def _pairs(batch: GraphBatch, kind: RelationKind) -> set[frozenset[str]]:
    return {frozenset(p) for p in _directed(batch, kind)}


def _tied(batch: GraphBatch, kind: RelationKind, a: str, b: str) -> bool:
    """A tie of this kind between the two names, either way round."""
    return frozenset({a, b}) in _pairs(batch, kind)


def test_conjoined_subjects_of_a_mutual_verb_are_tied_to_each_other() -> None:
    # Three bodies in the sentence (the second one's parent is named too), so no
    # co-occurrence fallback can find the pair: only the conjoined subject says it.
    batch = _extract(
        "Además, el Instituto Municipal de la Juventud de Orvala y la Fiscalía Especializada "
        "en Delitos Ambientales (FEDA) de la Fiscalía General del Estado de Brena (FGEB) sesionan "
        "mensualmente en una mesa de revisión de casos.",
        "es",
    )
    assert _tied(
        batch,
        RelationKind.coordinates,
        "Instituto Municipal de la Juventud de Orvala",
        "Fiscalía Especializada en Delitos Ambientales",
    ), batch.relations


def test_a_possessive_relative_clause_acts_for_its_antecedent() -> None:
    batch = _extract(
        "Los comités vecinales de Orvala se reúnen en el salón de la Parroquia de San Telmo, "
        "cuya Pastoral Social colabora con la Dirección Municipal de Cultura de Orvala en la "
        "convocatoria.",
        "es",
    )
    assert _tied(
        batch,
        RelationKind.partnership,
        "Parroquia de San Telmo",
        "Dirección Municipal de Cultura de Orvala",
    ), batch.relations


def test_a_sentence_adverb_taken_as_subject_does_not_turn_the_tie_round() -> None:
    # es_core_news_sm hangs the name on "Complementariamente" as if it were the subject,
    # and the relative clause's own subject ("que administra el Instituto") is the only
    # other subject in the sentence: the funder must stay the funder.
    batch = _extract(
        "Complementariamente, el Consejo Empresarial de Orvala (CEO) financia, desde 2023, "
        "las becas de primer empleo que administra el Instituto Orvalense del Deporte para "
        "jóvenes.",
        "es",
    )
    funding = _directed(batch, RelationKind.funding)
    assert ("Consejo Empresarial de Orvala", "Instituto Orvalense del Deporte") in funding, (
        batch.relations
    )
    assert ("Instituto Orvalense del Deporte", "Consejo Empresarial de Orvala") not in funding


def test_work_done_under_an_agreement_with_a_body_makes_its_doer_a_party() -> None:
    batch = _extract(
        "The Tellavia Metropolitan University conducts the household survey under a "
        "Memorandum of Understanding with the Ossel Urban Safety Council signed in 2023.",
        "en",
    )
    assert _tied(
        batch, RelationKind.mou, "Tellavia Metropolitan University", "Ossel Urban Safety Council"
    ), batch.relations


def test_work_done_under_a_grant_agreement_is_funded_by_the_other_party() -> None:
    batch = _extract(
        "In Brenmoor, the sessions are delivered by the Brenmoor Youth Trust under a small "
        "grant agreement with the Ossel Peace Foundation.",
        "en",
    )
    assert ("Ossel Peace Foundation", "Brenmoor Youth Trust") in _directed(
        batch, RelationKind.funding
    ), batch.relations


def test_a_subjectless_negated_tie_is_about_the_previous_sentences_subject() -> None:
    for language, text in (
        (
            "en",
            "The Orvala Internal Affairs Unit handles administrative cases. There is no "
            "channel with the Brena Anti-Corruption Prosecutor.",
        ),
        (
            "es",
            "La Unidad de Asuntos Internos de Orvala ve lo administrativo. Con la Fiscalía "
            "Anticorrupción de Brena no hay un canal; cada quien por su lado.",
        ),
    ):
        pairs = _pairs(_extract(text, language), RelationKind.negative_coordination)
        assert len(pairs) == 1, (language, pairs)
        (pair,) = pairs
        assert any("Internal Affairs" in n or "Asuntos Internos" in n for n in pair), pair
        assert any("Anti-Corruption" in n or "Anticorrupción" in n for n in pair), pair


def test_a_subjectless_negated_tie_needs_a_named_topic() -> None:
    # the previous sentence's subject is no body ("The cases ..."): nobody lacks the channel
    batch = _extract(
        "The cases are handled administratively. There is no channel with the Brena "
        "Anti-Corruption Prosecutor.",
        "en",
    )
    assert not _pairs(batch, RelationKind.negative_coordination), batch.relations
