"""Transcript header blocks: field lines, tables, participant lists and sentences are read
as the header, and never become turns (issue 10.3/10.4)."""

from __future__ import annotations

from ingest import DocumentKind, read_bytes

FGD_WITHOUT_RULE = """FOCUS GROUP DISCUSSION TRANSCRIPT
FGD-07: Market traders and youth groups, Riverside Ward
Date: 9 April 2024, 10.00-11.30 a.m.
Venue: Community hall, Riverside
Moderator: K. Achola (City University). Note-taker: M. Were (City University).

Participants (organisation as stated by the participant):
P1 - Group treasurer, Riverside Traders Welfare Group (female, 40s)
P2 - Joseph Kariuki, football coach, Riverside Youth Football League (male, 20s)
P3 - Youth volunteer, Good Hope Church (female, 60s)

MODERATOR: Welcome. Tell us who you work with on safety in Riverside.

P1: We pay the night guards ourselves. The county has never replaced the lights.

P2: The boys in the league are stopped by the police every week.

MODERATOR: And the church?

P3: We open the hall for the league when it rains.

P1: The chief comes to our meetings, sometimes.
"""

KII_TABLE = """CITY SAFETY ASSESSMENT - KEY INFORMANT INTERVIEW RECORD

+------------------+-----------------------------------------------+
| Interview code   | KII-21                                        |
| Respondent       | District Probation Officer (female)           |
| Organisation     | Probation and Aftercare Service (national)    |
| Date             | 4 March 2024                                  |
| Place            | Probation office, Riverside                   |
| Consent          | Verbal; the respondent agreed to her role     |
|                  | being named, not her name                     |
+------------------+-----------------------------------------------+

Q. Thank you for your time. What does your office do?

R. We supervise young offenders on probation orders and we write reports for the court.

Q. Who refers young people to you?

R. The court mostly, and sometimes the children's officer.
"""


def _turns(doc) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    return [(p.speaker, p.text) for p in doc.passages if p.turn is not None]


def test_ingest_header_lines_above_the_conversation_are_fields_not_turns() -> None:
    doc = read_bytes(FGD_WITHOUT_RULE.encode(), filename="fgd.txt")
    assert doc.kind is DocumentKind.fgd
    turns = _turns(doc)
    assert [s for s, _ in turns] == [
        "Facilitator",
        "Participant 1",
        "Participant 2",
        "Facilitator",
        "Participant 3",
        "Participant 1",
    ]
    assert turns[0][1].startswith("Welcome.")
    text = " ".join(p.text for p in doc.passages)
    for header_only in ("treasurer", "Note-taker", "Market traders and youth groups", "10.00"):
        assert header_only not in text, header_only
    assert doc.date == "2024-04-09"
    assert doc.metadata["header.venue"] == "Community hall, Riverside"
    by_speaker = {r.speaker: r for r in doc.respondents}
    assert by_speaker["Participant 1"].organisation == "Riverside Traders Welfare Group"
    assert by_speaker["Participant 1"].role == "Group treasurer"
    # A name in the list is no role: "Joseph Kariuki, football coach, ..." keeps the rest.
    assert by_speaker["Participant 2"].role == "football coach"
    assert by_speaker["Participant 2"].organisation == "Riverside Youth Football League"
    assert by_speaker["Participant 3"].organisation == "Good Hope Church"
    dump = doc.model_dump_json()
    assert "Achola" not in dump and "Kariuki" not in dump


def test_ingest_header_key_value_table_with_continuation_rows() -> None:
    doc = read_bytes(KII_TABLE.encode(), filename="kii.txt")
    assert doc.kind is DocumentKind.kii
    assert doc.date == "2024-03-04"
    assert doc.place == "Probation office, Riverside"
    (respondent,) = doc.respondents
    assert respondent.organisation == "Probation and Aftercare Service"
    assert respondent.level == "national"
    assert respondent.role == "District Probation Officer"
    assert doc.metadata["header.consent"].endswith("being named, not her name")
    assert not any("|" in p.text or "+---" in p.text for p in doc.passages)
    assert [s for s, _ in _turns(doc)] == ["Interviewer", "Respondent 1"] * 2


KII_SENTENCE = """KEY INFORMANT INTERVIEW - EASTGATE
I interviewed the director of Riverside Women's Network, a women's organisation in
Eastgate, on 3 May 2024 at the network's drop-in centre.
------------------------------------------------------------------

INTERVIEWER: Who refers women to the shelter?

RESPONDENT: The hospital mostly. The police almost never do.

INTERVIEWER: And the county?

RESPONDENT: They pay the rent of one house, always late.
"""


def test_ingest_header_sentence_gives_the_respondents_organisation() -> None:
    doc = read_bytes(KII_SENTENCE.encode(), filename="kii.txt")
    assert doc.kind is DocumentKind.kii
    (respondent,) = doc.respondents
    assert respondent.organisation == "Riverside Women's Network"
    assert respondent.role == "director"
    assert [s for s, _ in _turns(doc)] == ["Interviewer", "Respondent 1"] * 2
    assert not any("I interviewed" in p.text for p in doc.passages if p.turn is not None)


def test_ingest_header_sentence_without_an_organisation_gives_none() -> None:
    text = KII_SENTENCE.replace("the director of Riverside Women's Network", "a local leader")
    (respondent,) = read_bytes(text.encode(), filename="kii.txt").respondents
    assert respondent.organisation is None


KII_ES_FIELDS = """EVALUACIÓN DE SEGURIDAD URBANA — CIUDAD DEL VALLE
Entrevista a informante clave: KII-12
Fecha: 3 de junio de 2025
Entrevistadora: integrante del equipo de evaluación (iniciales L. P.)
Entrevistada: Jefa de Área de la Dirección de Protección Civil Municipal (DPCM). Pidió que no se registre su nombre.
------------------------------------------------------------

ENTREVISTADORA: ¿Con quién trabajan en las colonias?

ENTREVISTADA: Con los comités vecinales, sobre todo en temporada de lluvias.

ENTREVISTADORA: ¿Y con Bomberos?

ENTREVISTADA: Con Bomberos no hay coordinación formal.
"""

LEGEND_KII = """KII03_IMD_CiudadDelValle_20250611.m4a
Transcripción: automática, corregida por el equipo
Speaker 1 = entrevistador (equipo de evaluación)
Speaker 2 = Ing. Marta Ruiz Sotelo, directora del Instituto Municipal del Deporte (IMD)

Speaker 1 (00:00:04):
Gracias por el tiempo. ¿Qué hace el Instituto en las colonias?

Speaker 2 (00:00:12):
Organizamos torneos los sábados y prestamos las canchas a las escuelas.

Speaker 1 (00:01:30):
¿Trabajan con la parroquia?

Speaker 2 (00:01:41):
No, con la parroquia no tenemos relación.
"""


def test_ingest_header_respondent_field_is_the_interviewee_not_the_interview_code() -> None:
    """'Entrevista a informante clave: KII-12' contains 'informante' and comes first; the
    'Entrevistadora' (the interviewer) contains 'entrevistad'. Neither is the respondent:
    'Entrevistada' is, and her role names her organisation after 'de la'."""
    doc = read_bytes(KII_ES_FIELDS.encode(), filename="kii.txt")
    (respondent,) = doc.respondents
    assert respondent.role == "Jefa de Área"
    assert respondent.organisation == "Dirección de Protección Civil Municipal (DPCM)"


def test_ingest_header_speaker_legend_gives_the_respondents_organisation() -> None:
    """'Speaker 2 = <name>, <role> del <organisation>': a transcription service's legend
    says who speaks under a label; the person's name never reaches a passage."""
    doc = read_bytes(LEGEND_KII.encode(), filename="kii.txt")
    assert doc.kind is DocumentKind.kii
    (respondent,) = doc.respondents
    assert respondent.role == "directora"
    assert respondent.organisation == "Instituto Municipal del Deporte"
    assert not any("Ruiz" in p.text or "Marta" in p.text for p in doc.passages)
    assert [t for _, t in _turns(doc)][-1].startswith("No, con la parroquia")
