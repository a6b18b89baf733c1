"""Every transcript of the scenario corpora (scenario-*/transcripts and the system inputs
of scenario-*/inputs) read as a new user would read it: speaker turns found, the kind its
file name gives, speakers pseudonymised, the interviewer told apart, and nothing warned
(issue 10.2). The reader was not written against these files' formats one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import DocumentKind, SpeakerRole, read_document

_PSEUDONYM = re.compile(r"(?:Interviewer|Facilitator|Respondent \d+|Participant \d+)")
_SUMMARY = "_resumen"  # a note-style summary: one account, the respondent's


def _transcripts(corpus: Path) -> list[Path]:
    folders = [*corpus.glob("scenario-*/transcripts"), *corpus.glob("scenario-*/inputs")]
    return sorted(
        f for folder in folders for f in folder.iterdir() if f.name.startswith(("kii_", "fgd_"))
    )


@pytest.mark.corpus
def test_every_scenario_transcript_has_pseudonymised_turns_of_its_kind(corpus_dir: Path) -> None:
    files = _transcripts(corpus_dir)
    assert len(files) >= 10
    for path in files:
        doc = read_document(path)
        turns = [p for p in doc.passages if p.turn is not None]
        speakers = {p.speaker for p in turns}
        expected = DocumentKind.fgd if path.name.startswith("fgd_") else DocumentKind.kii
        assert doc.kind is expected, path
        assert not doc.warnings, (path, doc.warnings)
        assert all(s is not None and _PSEUDONYM.fullmatch(s) for s in speakers), (path, speakers)
        respondents = {p.speaker for p in turns if p.speaker_role is SpeakerRole.respondent}
        if _SUMMARY in path.name:
            assert speakers == respondents and len(speakers) == 1, path
            continue
        assert len({p.turn for p in turns}) >= 10, path
        assert any(p.speaker_role is SpeakerRole.interviewer for p in turns), path
        assert len(respondents) == 1 if expected is DocumentKind.kii else len(respondents) >= 3, (
            path,
            respondents,
        )
