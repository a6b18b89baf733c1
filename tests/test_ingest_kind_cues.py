"""The kind and why it was chosen reach the ingest summary; a weak guess and a transcript
read without turns are warned about (issue 10.4, 10.6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli_ingest_summary import _cli_env
from typer.testing import CliRunner

from ingest import read_bytes
from ingest.model import DocumentKind
from service.cli import app

BODY = (
    "The city office works with the police on street lighting in the northern wards. "
    "Youth groups meet at the community hall every week."
)


def test_ingest_kind_cue_from_the_title_is_confident() -> None:
    doc = read_bytes(f"# Youth Safety Action Plan\n\n{BODY}\n".encode(), filename="a.md")
    assert doc.kind is DocumentKind.plan
    assert "title word" in doc.metadata["kind_cue"]
    assert not [w for w in doc.warnings if "weak guess" in w]


_SPANISH_BODY = "La oficina municipal trabaja con la policía en el alumbrado de los barrios."


@pytest.mark.parametrize(
    ("title", "body", "kind", "cue"),
    [
        ("Concept Note: Safer Markets Programme", BODY, DocumentKind.report, "Concept Note"),
        ("Nota conceptual: Mercados Seguros", _SPANISH_BODY, DocumentKind.report, "Nota"),
        ("Project Brief: Youth Safety Hubs", BODY, DocumentKind.report, "Project Brief"),
        ("Workshop Report: Community Safety Dialogue", BODY, DocumentKind.report, "Report"),
        ("Memoria del taller de seguridad", _SPANISH_BODY, DocumentKind.report, "Memoria"),
        ("Annual Report 2022", BODY, DocumentKind.report, "Report"),
        ("Decree No. 14 of 2021 on Community Policing", BODY, DocumentKind.law, "Decree"),
        ("Resolution 2021/7 of the County Assembly", BODY, DocumentKind.law, "Resolution"),
        ("National Crime Prevention Strategy 2022-2026", BODY, DocumentKind.policy, "Strategy"),
        (
            "Minutes of the Ward Safety Committee, 3 May 2023",
            "Attendees: Ward administrator; OCS Central; market vendors' chair. " + BODY,
            DocumentKind.meeting,
            "Minutes of",
        ),
        (
            "Acta de la sesión del Consejo Municipal de Seguridad",
            "Asistentes: Alcalde; Secretario de Gobierno. " + _SPANISH_BODY,
            DocumentKind.meeting,
            "Acta de la sesión",
        ),
    ],
)
def test_ingest_kind_of_each_genre_from_its_title(
    title: str, body: str, kind: DocumentKind, cue: str
) -> None:
    doc = read_bytes(f"# {title}\n\n{body}\n".encode(), filename="doc.md")
    assert doc.kind is kind
    assert doc.metadata["kind_cue"].startswith(f"title word '{cue}")


def test_ingest_kind_minutes_of_a_length_of_time_are_no_meeting() -> None:
    doc = read_bytes(
        f"# Youth Safety Action Plan\n\nIt meets for 30 minutes. {BODY}\n".encode(), filename="a.md"
    )
    assert doc.kind is DocumentKind.plan


def test_ingest_kind_from_one_body_word_is_a_weak_guess() -> None:
    text = f"Notes\n\n{BODY} {BODY} {BODY} A short review of the lighting follows in spring.\n"
    doc = read_bytes(text.encode(), filename="notes.txt")
    assert doc.kind is DocumentKind.report
    assert "body word" in doc.metadata["kind_cue"]
    assert any("weak guess" in w and "--kind" in w for w in doc.warnings)


def test_ingest_kind_set_by_the_user_says_so_and_never_warns() -> None:
    text = f"Notes\n\n{BODY} A short review follows.\n"
    doc = read_bytes(text.encode(), filename="notes.txt", kind=DocumentKind.policy)
    assert doc.kind is DocumentKind.policy and doc.metadata["kind_cue"] == "set by the user"
    assert not [w for w in doc.warnings if "weak guess" in w]


@pytest.mark.parametrize(
    ("filename", "opening"),
    [("kii_07_youth_worker.txt", "Notes"), ("notes.txt", "Transcript of the discussion")],
)
def test_ingest_a_transcript_without_turns_is_warned(filename: str, opening: str) -> None:
    doc = read_bytes(f"{opening}\n\n{BODY}\n\n{BODY}\n".encode(), filename=filename)
    assert any("looks like a transcript" in w and "no speaker turns" in w for w in doc.warnings)


def test_ingest_a_transcript_with_turns_is_not_warned() -> None:
    turns = "\n\n".join(
        [
            "Interviewer: Who do you work with on lighting?",
            "Respondent: The city office, and the police now and then.",
            "Interviewer: And the county?",
            "Respondent: Nobody from the county has ever come here.",
        ]
    )
    doc = read_bytes(turns.encode(), filename="kii_07.txt")
    assert doc.kind is DocumentKind.kii
    assert not [w for w in doc.warnings if "looks like a transcript" in w]


def test_cli_ingest_summary_shows_each_kind_with_its_cue(
    settings, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _cli_env(settings, monkeypatch)
    (tmp_path / "plan.md").write_text(f"# Youth Safety Action Plan\n\n{BODY}\n")
    (tmp_path / "fgd_03.txt").write_text(f"Focus group notes\n\n{BODY}\n\n{BODY}\n")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "kind of plan.md: plan (title word 'Action Plan')" in result.output
    assert "fgd_03.txt: this looks like a transcript (file name says 'fgd')" in result.output
