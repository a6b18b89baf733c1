"""Speaker roles when the labels name none (Otter, Rev, names): the one who asks interviews."""

from __future__ import annotations

import pytest

from ingest import DocumentKind, SpeakerRole, read_bytes
from ingest._roles import asking_speaker, speaker_roles

QUESTIONS = [
    "Could you tell me what your office does?",
    "And who pays for the shelter?",
    "Have you ever met the county team?",
    "So the police came once.",  # interviewers also restate
    "Why did that stop?",
]
ANSWERS = [
    "We run the referral desk with the chiefs, and we follow every case up to court.",
    "The county pays part of it; the rest comes from a church group. Is that enough? No.",
    "Never. They have an office in town, but nobody from there has ever come to the market.",
    "Yes, once, after the fire. They took statements and did not come back after that.",
    "The new commander changed things, we now meet every month at the station.",
]


def _otter(asker: str, answerer: str) -> str:
    lines = []
    for n, (q, a) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
        lines += [f"{asker}  {n}:0{n}", q, "", f"{answerer}  {n}:3{n}", a, ""]
    return "KII-12 chair of the association\n\n" + "\n".join(lines)


def _rev(asker: str, answerer: str) -> str:
    lines = []
    for n, (q, a) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
        lines += [f"{asker} (00:0{n}:12):", q, "", f"{answerer} (00:0{n}:40):", a, ""]
    return "Key informant interview, transcribed by Rev\n\n" + "\n".join(lines)


@pytest.mark.parametrize("render", [_otter, _rev])
@pytest.mark.parametrize("asker,answerer", [("Speaker 1", "Speaker 2"), ("Speaker 2", "Speaker 1")])
def test_ingest_roles_the_speaker_who_asks_interviews(render, asker: str, answerer: str) -> None:  # type: ignore[no-untyped-def]
    doc = read_bytes(render(asker, answerer).encode(), filename="kii.txt", kind=DocumentKind.kii)
    roles = [p.speaker_role for p in doc.passages if p.turn is not None]
    assert roles == [SpeakerRole.interviewer, SpeakerRole.respondent] * len(QUESTIONS)
    speakers = {p.speaker for p in doc.passages if p.turn is not None}
    assert "Interviewer" in speakers and len(speakers) == 2
    assert all(s == "Interviewer" or (s or "").startswith("Respondent ") for s in speakers)


def test_ingest_roles_answerer_speaking_first_is_not_the_interviewer() -> None:
    # The respondent opens (a greeting) and the interviewer asks after: questions decide.
    turns = [("Ana Ruiz", "Good morning, thank you for coming all this way to our centre.")]
    for q, a in zip(QUESTIONS, ANSWERS, strict=True):
        turns += [("Tom Weller", q), ("Ana Ruiz", a)]
    assert asking_speaker(turns) == "Tom Weller"


def test_ingest_roles_no_clear_asker_leaves_roles_alone() -> None:
    turns = [("Speaker 1", a) for a in ANSWERS[:2]] + [("Speaker 2", a) for a in ANSWERS[2:4]]
    assert asking_speaker(turns) is None
    roles = speaker_roles(turns, DocumentKind.kii)
    assert set(roles.values()) == {SpeakerRole.respondent}


def test_ingest_roles_named_labels_decide_and_public_records_have_no_interviewer() -> None:
    turns = [("Q", "Who funds it?"), ("A", "The city."), ("Q", "Since when?"), ("A", "2020.")]
    assert speaker_roles(turns, DocumentKind.kii) == {
        "Q": SpeakerRole.interviewer,
        "A": SpeakerRole.respondent,
    }
    hearing = [("SENATOR SMITH", q) for q in QUESTIONS] + [("SHERIFF JONES", ANSWERS[0])]
    assert set(speaker_roles(hearing, DocumentKind.hearing).values()) == {SpeakerRole.official}


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path",
    ["scenario-ke/inputs/kii_05_kbra_chair_otter.txt", "scenario-es/inputs/kii_07_unaia_rev.txt"],
)
def test_ingest_roles_corpus_transcription_services(corpus_dir, path: str) -> None:  # type: ignore[no-untyped-def]
    from ingest import read_document

    doc = read_document(corpus_dir / path)
    turns = {p.turn: p for p in doc.passages if p.turn is not None}
    # Both files open with the interviewer's "thank you for the time"; Speaker 1 asks.
    assert turns[0].speaker == "Interviewer"
    assert turns[0].speaker_role is SpeakerRole.interviewer
    assert {p.speaker_role for p in turns.values()} == {
        SpeakerRole.interviewer,
        SpeakerRole.respondent,
    }
