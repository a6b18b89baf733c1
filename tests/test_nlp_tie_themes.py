"""What a tie between two bodies is about (invented texts; fictional places and bodies)."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from graph_schema.model import GraphBatch, RelationKind
from ingest.model import Document, DocumentKind, Passage, PassageKind, SpeakerRole
from nlp import extract_document
from nlp.extraction import statement_themes
from nlp.extraction.statement_themes import CONTEXT_LEVELS, statement_theme
from tests.document_fixtures import works_on_pairs

_TRUST = "Ossel Riverside Trust"
_ASSOCIATION = "Marlow Street Association"


def _passage(digest: str, i: int, text: str, **extra: object) -> Passage:
    return Passage(
        id=f"{digest}:{i}", index=i, text=text, char_start=0, char_end=len(text), **extra
    )


def _report(section: str, text: str) -> Document:
    digest = hashlib.sha256(section.encode()).hexdigest()
    return Document(
        id=digest,
        title="Ossel safety report",
        kind=DocumentKind.report,
        language="en",
        source_path=f"{section}.txt",
        media_type="text/plain",
        passages=(
            _passage(digest, 0, section, kind=PassageKind.heading, section=section),
            _passage(digest, 1, text, kind=PassageKind.text, section=section),
        ),
    )


def _interview(question: str, answer: str) -> Document:
    digest = hashlib.sha256(question.encode()).hexdigest()
    turns = [
        (question, "Interviewer", SpeakerRole.interviewer),
        (answer, "Respondent 1", SpeakerRole.respondent),
    ]
    return Document(
        id=digest,
        title="KII with a ward officer",
        kind=DocumentKind.kii,
        language="en",
        source_path="kii.txt",
        media_type="text/plain",
        passages=tuple(
            _passage(digest, i, text, kind=PassageKind.turn, turn=i, speaker=who, speaker_role=role)
            for i, (text, who, role) in enumerate(turns)
        ),
    )


def _tie_kinds(batch: GraphBatch) -> set[RelationKind]:
    names = {e.id: e.name for e in batch.entities}
    return {
        r.kind
        for r in batch.relations
        if {names.get(r.source_id), names.get(r.target_id)} == {_TRUST, _ASSOCIATION}
    }


def test_statement_theme_nearest_level_that_names_one_decides() -> None:
    hits = {"sentence": [], "question": ["gender_based_violence"], "section": ["corruption"]}
    decided = statement_theme(hits, CONTEXT_LEVELS)
    assert decided is not None
    assert (decided.theme, decided.level) == ("gender_based_violence", "question")
    assert statement_theme(hits, ("sentence",)) is None
    sentence_first = statement_theme(
        {"sentence": ["corruption"], "question": ["policing"]}, CONTEXT_LEVELS
    )
    assert sentence_first is not None and sentence_first.theme == "corruption"
    assert statement_theme({}) is None


def test_statement_theme_a_level_naming_two_themes_equally_does_not_decide() -> None:
    hits = {
        "sentence": ["youth_violence", "drug_prevention"],
        "section": ["drug_prevention", "drug_prevention", "youth_violence"],
    }
    decided = statement_theme(hits, CONTEXT_LEVELS)
    assert decided is not None and (decided.theme, decided.level) == ("drug_prevention", "section")
    assert statement_theme({"section": Counter({"policing": 0.5, "corruption": 0.5})}) is None


@pytest.fixture
def wider_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The question and section levels on (they are read but not in use by default)."""
    monkeypatch.setattr(statement_themes, "STATEMENT_LEVELS", CONTEXT_LEVELS)


def test_tie_themes_both_ends_of_a_tie_share_its_sentence_theme() -> None:
    # theme_relations credits the subject only; the tie says the Association works on it too
    batch = extract_document(
        _report(
            "Partners",
            f"The {_TRUST} has never worked with the {_ASSOCIATION} on domestic violence.",
        )
    )
    assert RelationKind.negative_coordination in _tie_kinds(batch)
    themes = works_on_pairs(batch)
    assert {(_TRUST, "gender_based_violence"), (_ASSOCIATION, "gender_based_violence")} <= themes


def test_tie_themes_by_default_an_answer_does_not_take_the_question_theme() -> None:
    batch = extract_document(
        _interview(
            "On domestic violence, which organisations do you work with in the ward?",
            f"The {_TRUST} has never worked with the {_ASSOCIATION}.",
        )
    )
    assert RelationKind.negative_coordination in _tie_kinds(batch)
    assert (_ASSOCIATION, "gender_based_violence") not in works_on_pairs(batch)


@pytest.mark.usefixtures("wider_levels")
def test_tie_themes_answer_takes_the_theme_of_the_question_it_answers() -> None:
    batch = extract_document(
        _interview(
            "On domestic violence, which organisations do you work with in the ward?",
            f"The {_TRUST} has never worked with the {_ASSOCIATION}.",
        )
    )
    assert RelationKind.negative_coordination in _tie_kinds(batch)
    themes = works_on_pairs(batch)
    assert (_TRUST, "gender_based_violence") in themes
    assert (_ASSOCIATION, "gender_based_violence") in themes


@pytest.mark.usefixtures("wider_levels")
def test_tie_themes_a_tie_under_a_heading_is_about_the_heading_theme() -> None:
    batch = extract_document(
        _report(
            "Component 2: Drug use prevention",
            f"The {_TRUST} coordinates with the {_ASSOCIATION} every month.",
        )
    )
    assert _tie_kinds(batch)
    themes = works_on_pairs(batch)
    assert {(_TRUST, "drug_prevention"), (_ASSOCIATION, "drug_prevention")} <= themes


@pytest.mark.usefixtures("wider_levels")
def test_tie_themes_a_heading_listing_two_themes_names_none() -> None:
    batch = extract_document(
        _report(
            "Youth violence and drug use",
            f"The {_TRUST} coordinates with the {_ASSOCIATION} every month.",
        )
    )
    assert _tie_kinds(batch)
    assert not {t for _, t in works_on_pairs(batch)} & {"youth_violence", "drug_prevention"}


@pytest.mark.usefixtures("wider_levels")
def test_tie_themes_the_sentence_theme_outweighs_its_heading() -> None:
    batch = extract_document(
        _report(
            "Component 2: Drug use prevention",
            f"On sexual harassment, the {_TRUST} coordinates with the {_ASSOCIATION}.",
        )
    )
    themes = works_on_pairs(batch)
    assert (_ASSOCIATION, "gender_based_violence") in themes
    assert (_ASSOCIATION, "drug_prevention") not in themes
