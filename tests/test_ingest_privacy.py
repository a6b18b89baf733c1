"""Real names in KII/FGD headers and turns never leave ingest (issue 16, item 2)."""

from __future__ import annotations

import itertools
import re

from ingest import Document, read_bytes
from ingest._names import replace_names, split_person

KII = b"""KEY INFORMANT INTERVIEW - TRANSCRIPT

Date:        14 October 2024
Respondent:  Wanjiru Kamau, Centre Coordinator
Interviewer: Field researcher

----------------------------------------------------------------------

Q: Thank you. Could you introduce yourself?

A: I'm Wanjiru Kamau, everyone here knows me as Wanjiru. Ms Kamau is what the Ministry of Interior calls me. We work with Mama Salama Network on shelters.

Q: Who else helps?

A: Mr Odhiambo from the county office comes sometimes. Kamau is on every list.
"""

FGD = b"""FOCUS GROUP DISCUSSION (FGD) - TRANSCRIPT

FGD code:       FGD-09
Date:           19 October 2024
Type:           FGD, 2 participants (P1-P2)
Organisations:  P1 Achieng Otieno, caseworker, Mama Salama Network; P2 Baraka Mwangi, outreach worker, Ministry of Interior

----------------------------------------------------------------------

[00:01:12] Facilitator: Who do you go to first?
[00:01:40] P1: My name is Achieng Otieno. I go to Baraka, he is at the Ministry of Interior.
[00:02:15] P2: Achieng calls me. Mama Salama Network never talks to the police.
[00:02:30] Facilitator: And the police?
[00:02:41] P1: They do not come to the market.
"""

NAMES = ["Wanjiru", "Kamau", "Odhiambo", "Achieng", "Otieno", "Baraka", "Mwangi"]


def _dump(doc: Document) -> str:
    return doc.model_dump_json()


def test_ingest_privacy_split_person_keeps_role() -> None:
    assert split_person("Jane Doe, Centre Coordinator") == ("Jane Doe", "Centre Coordinator")
    assert split_person("District Commander, Central District (male, 50s)")[0] is None


def test_ingest_privacy_kii_header_and_turns_have_no_names() -> None:
    doc = read_bytes(KII, filename="kii.txt")
    dump = _dump(doc)
    for name in NAMES:
        assert not re.search(name, dump, re.IGNORECASE), name
    respondent = next(r for r in doc.respondents if r.speaker == "Respondent 1")
    assert respondent.role == "Centre Coordinator"
    text = " ".join(p.text for p in doc.passages)
    assert "I'm [respondent 1]" in text and "knows me as [respondent 1]" in text
    assert "[person 1] from the county office" in text
    assert "Ministry of Interior" in text and "Mama Salama Network" in text


def test_ingest_privacy_fgd_participants_pseudonymised_consistently() -> None:
    doc = read_bytes(FGD, filename="fgd.txt")
    dump = _dump(doc)
    for name in NAMES:
        assert not re.search(name, dump, re.IGNORECASE), name
    text = " ".join(p.text for p in doc.passages)
    assert "My name is [participant 1]" in text and "I go to [participant 2]" in text
    assert "[participant 1] calls me" in text
    assert "caseworker" in dump and "Mama Salama Network" in text


def test_ingest_privacy_spans_match_redacted_text() -> None:
    doc = read_bytes(KII, filename="kii.txt")
    for p in doc.passages:
        assert p.char_end - p.char_start == len(p.text)
    by_turn: dict[int, list] = {}  # type: ignore[type-arg]
    for p in doc.passages:
        if p.turn is not None:
            by_turn.setdefault(p.turn, []).append(p)
    for parts in by_turn.values():
        for a, b in itertools.pairwise(parts):
            assert a.char_end <= b.char_start


def test_ingest_privacy_public_records_keep_names() -> None:
    hearing = KII.replace(b"KEY INFORMANT INTERVIEW", b"PUBLIC HEARING")
    doc = read_bytes(
        hearing, filename="hearing.txt", kind=__import__("ingest").DocumentKind.hearing
    )
    assert "Kamau" in " ".join(p.text for p in doc.passages)


def test_ingest_privacy_replace_names_longest_first() -> None:
    text, edits = replace_names("Ms Jane Doe met Jane.", {"Jane Doe": "R1", "Jane": "R1"})
    assert text == "R1 met R1." and len(edits) == 2


def test_ingest_privacy_does_not_depend_on_the_kind_guess() -> None:
    """A transcript read as a report (misdetected or forced) is still pseudonymised; only an
    explicitly public record keeps its speakers' names."""
    from ingest.model import DocumentKind

    doc = read_bytes(FGD, filename="notes.txt", kind=DocumentKind.report)
    dump = _dump(doc)
    for name in NAMES:
        assert not re.search(name, dump, re.IGNORECASE), name
    public = read_bytes(FGD, filename="notes.txt", kind=DocumentKind.hearing)
    assert "Achieng" in _dump(public)


# Names no header and no fixed phrasing gives: only the statistical NER finds them.
KII_MENTIONS = b"""KEY INFORMANT INTERVIEW - TRANSCRIPT

Date:        2 November 2024
Respondent:  Outreach worker, Kibera Youth Network
Interviewer: Field researcher

----------------------------------------------------------------------

Q: Who did you meet last week?

A: Yesterday Grace Wambui and Peter Njoroge went to the Kibera Youth Network meeting. Grace Wambui from the Mama Salama Network called the Nairobi County Government.

Q: And after that?

A: Later Wambui phoned me, but Peter did not. The Amazing Grace Foundation was not there.
"""

MENTIONED = ["Grace Wambui", "Wambui", "Peter Njoroge", "Njoroge", "Peter"]


def _words(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def test_ingest_privacy_ner_names_in_turns_are_pseudonymised() -> None:
    doc = read_bytes(KII_MENTIONS, filename="kii-mentions.txt")
    text = "\n".join(p.text for p in doc.passages)
    for name in MENTIONED:
        assert not _words(doc.model_dump_json(), name), name
    # One pseudonym per person: the full name, the surname and the first name alone agree,
    # and the two people differ.
    assert "Yesterday [person 1] and [person 2] went" in text
    assert "Later [person 1] phoned me, but [person 2] did not." in text
    assert text.count("[person 1]") == 3 and text.count("[person 2]") == 2


def test_ingest_privacy_ner_keeps_organisations() -> None:
    doc = read_bytes(KII_MENTIONS, filename="kii-mentions.txt")
    text = "\n".join(p.text for p in doc.passages)
    # A sentence with a person and organisations keeps the organisations whole, and a
    # person's first name that is also a word of a body's name stays inside that name.
    assert "[person 1] from the Mama Salama Network called the Nairobi County Government" in text
    assert "Kibera Youth Network meeting" in text
    assert "The Amazing Grace Foundation was not there." in text


def test_ingest_privacy_ner_spanish_turns() -> None:
    fgd = """GRUPO FOCAL - TRANSCRIPCIÓN

Fecha: 3 de noviembre de 2024

Moderadora: ¿Con quién hablaron?
Participante 1: Hablé con María Fernández de la Fundación Manos Unidas sobre el albergue.
Participante 2: Bueno, Jorge Ramírez no vino nunca. Fernández sí vino.
Moderadora: ¿Y la policía?
Participante 1: La Secretaría de Seguridad Ciudadana no nos llama.
""".encode()
    doc = read_bytes(fgd, filename="grupo-focal.txt")
    text = "\n".join(p.text for p in doc.passages)
    for name in ["María Fernández", "Fernández", "Jorge Ramírez", "Ramírez", "Jorge"]:
        assert not _words(text, name), name
    assert "Hablé con [person 1] de la Fundación Manos Unidas" in text
    assert "Bueno, [person 2] no vino nunca. [person 1] sí vino." in text
    assert "Secretaría de Seguridad Ciudadana" in text


def test_ingest_privacy_ner_not_run_on_public_records() -> None:
    from ingest.model import DocumentKind

    doc = read_bytes(KII_MENTIONS, filename="hearing.txt", kind=DocumentKind.hearing)
    assert "Peter Njoroge" in " ".join(p.text for p in doc.passages)


def test_ingest_privacy_ner_hits_the_document_shows_are_places_or_things_stay() -> None:
    """Untitled PERSON hits are mostly places, programmes and common words: the document's
    own evidence keeps them ('in Mlango Saba', 'the Usalama Mtaani people', a one-word
    untitled hit); a titled one ('Inspector Wekesa') is a person."""
    kii = b"""KEY INFORMANT INTERVIEW - TRANSCRIPT

Date:        4 November 2024
Respondent:  Boda boda chairman
Interviewer: Field researcher

----------------------------------------------------------------------

Q: Where do the girls end up?

A: Some of those girls end up in the lodgings in Mlango Saba. Mlango Saba is far. Inspector Wekesa came once.

Q: Who else?

A: The Usalama Mtaani people meet the OCS. Usalama Mtaani is strong. Detail: the caseworker said so. Kilometres away.
"""
    doc = read_bytes(kii, filename="kii-places.txt")
    text = "\n".join(p.text for p in doc.passages)
    assert not _words(text, "Wekesa")
    assert "Inspector [person 1] came once" in text
    for kept in ["in Mlango Saba", "Mlango Saba is far", "Usalama Mtaani is strong", "Detail:"]:
        assert kept in text, kept
    assert "Kilometres away" in text
