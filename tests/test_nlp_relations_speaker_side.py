"""Ties between a respondent's organisation and another body, said the way testimony says
them: a Spanish verb ending with no pronoun ("coordinamos"), a dative clitic ("nos
facilita"), a common noun named by its apposition ("the licensing unit, the X, calls us").
Invented texts (fictional bodies), English and Spanish."""

from __future__ import annotations

from graph_schema.model import GraphBatch, RelationKind
from ingest.model import DocumentKind, Respondent
from nlp import extract_document
from nlp.decide.actor import decision_weights
from nlp.decide.relation import relation_decision_weights
from tests.document_fixtures import text_document, turns_document

_ORG = "Casa del Puerto de Orvala"


def _kii(answers: list[str], *, language: str) -> GraphBatch:
    """One interview: each answer follows an interviewer turn; respondent R1 speaks for
    ``_ORG``. Both decisions are off: one sentence has no support across documents."""
    turns: list[tuple[str | None, str]] = []
    for a in answers:
        turns += [("Interviewer", "¿Y luego?" if language == "es" else "Go on."), ("R1", a)]
    doc = turns_document(
        "kii-" + answers[0][:20],
        turns,
        language=language,
        respondents=(Respondent(speaker="R1", organisation=_ORG),),
    )
    with decision_weights(None), relation_decision_weights(None):
        return extract_document(doc)


def _tied(batch: GraphBatch, kind: RelationKind, a: str, b: str) -> bool:
    names = {e.id: e.name for e in batch.entities}
    return any(
        r.kind is kind and {names.get(r.source_id), names.get(r.target_id)} == {a, b}
        for r in batch.relations
    )


def test_a_first_person_verb_ending_is_the_speakers_side() -> None:
    # no "nosotros": Spanish says "we" with the verb ending alone
    batch = _kii(
        ["Con la Dirección Municipal de Cultura de Orvala coordinamos las visitas a las escuelas."],
        language="es",
    )
    assert _tied(batch, RelationKind.coordinates, _ORG, "Dirección Municipal de Cultura de Orvala")


def test_a_third_person_verb_ending_is_not_the_speakers_side() -> None:
    batch = _kii(
        ["Con la Dirección Municipal de Cultura de Orvala coordinan las visitas a las escuelas."],
        language="es",
    )
    assert not _tied(
        batch, RelationKind.coordinates, _ORG, "Dirección Municipal de Cultura de Orvala"
    ), batch.relations


def test_a_dative_clitic_names_the_speakers_side_as_receiver() -> None:
    batch = _kii(
        ["La Parroquia de San Telmo nos facilita cada martes su salón para las reuniones."],
        language="es",
    )
    assert _tied(batch, RelationKind.partnership, _ORG, "Parroquia de San Telmo")


def test_a_subject_named_by_its_apposition_acts() -> None:
    batch = _kii(
        [
            "The Harbour Licensing Office (HLO) inspects the bars on the quay.",
            "The licensing unit, the HLO, calls us when a bar is closed.",
        ],
        language="en",
    )
    assert _tied(batch, RelationKind.partnership, _ORG, "Harbour Licensing Office")


def test_lending_verbs_tie_no_two_other_bodies() -> None:
    # "_self" verbs hold only with the speaker's side: two other bodies are not tied by them
    batch = _kii(
        [
            "La Parroquia de San Telmo presta su salón a la Dirección Municipal de Cultura de Orvala."
        ],
        language="es",
    )
    assert not _tied(
        batch,
        RelationKind.partnership,
        "Parroquia de San Telmo",
        "Dirección Municipal de Cultura de Orvala",
    ), batch.relations


def test_a_clause_without_the_negation_still_reports_its_tie() -> None:
    batch = _kii(
        [
            "Con la Colectiva Mujeres de Brena no tenemos relación; eso lo ve el Instituto "
            "Municipal de las Mujeres de Orvala, ellas nos capacitan a los policías."
        ],
        language="es",
    )
    instituto = "Instituto Municipal de las Mujeres de Orvala"
    assert _tied(batch, RelationKind.partnership, _ORG, instituto), batch.relations
    # the denied tie stays denied, and no positive one is read from its clause
    assert not _tied(batch, RelationKind.partnership, _ORG, "Colectiva Mujeres de Brena")


def test_a_pronoun_refers_to_the_body_named_before_it_in_its_sentence() -> None:
    batch = _kii(
        [
            "The Dunmore Recovery Centre opened in the old school last year.",
            "The Ossel Outreach Trust runs the night shelter, and they send us young people.",
        ],
        language="en",
    )
    assert _tied(batch, RelationKind.partnership, _ORG, "Ossel Outreach Trust"), batch.relations
    assert not _tied(batch, RelationKind.partnership, _ORG, "Dunmore Recovery Centre")


def _report(*texts: str, language: str = "en") -> GraphBatch:
    with decision_weights(None), relation_decision_weights(None):
        return extract_document(text_document("annual-report.docx", *texts, language=language))


def test_a_reports_we_is_the_body_its_title_block_names() -> None:
    batch = _report(
        "Ossel Outreach Trust - Annual Report 2024",
        "Our work this year",
        "The Harbour Licensing Office lends us its hall every Tuesday for the parents' group.",
    )
    assert _tied(
        batch, RelationKind.partnership, "Ossel Outreach Trust", "Harbour Licensing Office"
    )


def test_a_report_whose_title_names_no_body_has_no_voice() -> None:
    batch = _report(
        "Annual Report 2024",
        "Our work this year",
        "The Harbour Licensing Office lends us its hall every Tuesday for the parents' group.",
    )
    assert not [r for r in batch.relations if r.kind is RelationKind.partnership], batch.relations


def test_each_focus_group_participant_speaks_for_their_own_organisation() -> None:
    doc = turns_document(
        "fgd-own-organisations",
        [
            ("Moderator", "Who do you work with?"),
            ("Participant 1", "We are Ossel Outreach Trust. We run a night shelter by the quay."),
            ("Participant 2", "The Dunmore Recovery Centre trains us every month."),
            ("Participant 3", "The Kellhaven Police Division sends us girls from the station."),
        ],
        kind=DocumentKind.fgd,
        respondents=(
            Respondent(speaker="Participant 1", organisation="Ossel Outreach Trust"),
            Respondent(speaker="Participant 2", organisation="Harbour Women's Circle"),
            Respondent(speaker="Participant 3"),
        ),
    )
    with decision_weights(None), relation_decision_weights(None):
        batch = extract_document(doc)
    trust = "Ossel Outreach Trust"
    assert _tied(
        batch, RelationKind.partnership, "Harbour Women's Circle", "Dunmore Recovery Centre"
    )
    assert not _tied(batch, RelationKind.partnership, trust, "Dunmore Recovery Centre")
    # a participant the header gives no organisation speaks for none
    assert not _tied(batch, RelationKind.partnership, trust, "Kellhaven Police Division")


def test_a_report_naming_its_own_body_as_the_negated_subject_is_its_side() -> None:
    batch = _report(
        "Secretaría de Protección Civil de Orvala - Informe Anual 2024",
        "La Secretaría de Protección Civil de Orvala no tiene coordinación con la Guardia "
        "Nacional ni con el Gobierno del Estado de Montalba.",
        language="es",
    )
    own = "Secretaría de Protección Civil de Orvala"
    for other in ("Guardia Nacional", "Gobierno del Estado de Montalba"):
        assert _tied(batch, RelationKind.negative_coordination, own, other), batch.relations
