"""Note-style interview summaries are the respondent's account (issue 10.1/10.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import DocumentKind, SpeakerRole, read_bytes, read_document

FILLER = "The details were confirmed later against the minutes of the ward committee meetings."

EN_NOTES = f"""INTERVIEW NOTES - KII-31
Safety governance assessment, Riverside

The interview took place on 3 May 2024 at the office of the Riverside Women's Network. It
was not recorded; these notes were written from the interviewers' notebooks.

Work of the network

The respondent explained that the network runs two shelters and a hotline, and that most
women are referred by the county hospital rather than by the police. {FILLER}

Police

She said that the station commander had never attended the referral meetings, and added
that the gender desk closes at five in the evening, when most calls come in. {FILLER}

County government

According to the respondent, the county pays the rent of one shelter. She noted that the
payment is always late and that nobody from the county has visited since 2022. {FILLER}

Recommendations

The interviewee recommended that the hotline be linked to the police control room, so that
calls at night reach an officer who can act on them. {FILLER}
"""

ES_NOTES = """RESUMEN DE ENTREVISTA — KII-40
Evaluación de la gobernanza de la seguridad, San Telmo

La entrevista se realizó el 4 de junio de 2025 en la sede de la asociación. No se grabó
audio; el resumen se elaboró a partir de las notas del equipo de evaluación.

1. Trabajo de la asociación

La persona entrevistada señaló que la asociación acompaña a familias de personas
desaparecidas desde 2016 y que recibe casos de toda la zona oriente de la ciudad.

2. Fiscalía

Agregó que la fiscalía regional no comparte información con las familias y que las
reuniones prometidas en 2023 nunca se realizaron, pese a las solicitudes por escrito.

3. Municipio

La entrevistada afirmó que el municipio no tiene ningún enlace con la asociación y que
nadie de la dirección de seguridad ha asistido a sus reuniones mensuales en la colonia.
"""


def _turn_passages(doc):  # type: ignore[no-untyped-def]
    return [p for p in doc.passages if p.turn is not None]


@pytest.mark.parametrize("text", [EN_NOTES, ES_NOTES], ids=["en", "es"])
def test_ingest_notes_third_person_summary_is_the_respondents_account(text: str) -> None:
    doc = read_bytes(text.encode(), filename="kii_notes.txt")
    assert doc.kind is DocumentKind.kii
    assert doc.metadata["transcript_layout"] == "notes"
    assert doc.metadata["kind_cue"].startswith("third-person notes")
    turns = _turn_passages(doc)
    assert len(turns) >= 3
    assert {(p.turn, p.speaker, p.speaker_role) for p in turns} == {
        (0, "Respondent 1", SpeakerRole.respondent)
    }
    assert [r.speaker for r in doc.respondents] == ["Respondent 1"]
    # The circumstances of the interview are the preamble, not the respondent speaking.
    preamble = [p.text for p in doc.passages if p.turn is None]
    assert any("interview" in t.lower() or "entrevista" in t.lower() for t in preamble)
    assert any("nobody" in p.text or "nadie" in p.text for p in turns)


def test_ingest_notes_a_report_that_quotes_officials_is_no_interview() -> None:
    # Reporting verbs about a ministry in a policy paragraph: no interview, no respondent.
    report = (
        "ANNUAL SAFETY REPORT 2024\n\n"
        + "\n\n".join(
            f"The ministry explained that programme {n} was delayed. Note: figures are "
            "provisional and the council noted that the audit will follow in the spring."
            for n in range(5)
        )
        + "\n"
    )
    doc = read_bytes(report.encode(), filename="report.txt")
    assert not doc.is_transcript
    assert all(p.turn is None for p in doc.passages)


def test_ingest_notes_an_interview_word_without_reported_speech_is_no_account() -> None:
    text = "Interview guide for the assessment\n\n" + "\n\n".join(
        f"Question {n}: what does your office do on safety, and who does it work with?"
        for n in range(6)
    )
    doc = read_bytes(text.encode(), filename="guide.txt")
    assert all(p.turn is None for p in doc.passages)


@pytest.mark.corpus
def test_ingest_notes_corpus_es_kii_09(corpus_dir: Path) -> None:
    doc = read_document(corpus_dir / "scenario-es" / "inputs" / "kii_09_colectiva_resumen.txt")
    assert doc.kind is DocumentKind.kii
    turns = _turn_passages(doc)
    assert len(turns) >= 10 and {p.speaker for p in turns} == {"Respondent 1"}
    assert any("ninguna coordinación con la Policía Municipal" in p.text for p in turns)
    # The organisation is given in a sentence: "en las oficinas de X ... con la coordinadora
    # del área de acompañamiento de esa organización".
    (respondent,) = doc.respondents
    assert respondent.organisation == "Colectiva Mujeres del Oriente, A.C."
