"""DOCX and HTML: headings as sections, tables as table passages, transcripts inside them."""

from __future__ import annotations

import io

from ingest_fixtures import PARAGRAPH, docx_bytes

from ingest import DocumentKind, PassageKind, SpeakerRole, read_bytes

HTML = """<!DOCTYPE html>
<html><head><title>Safety Observatory</title><style>p { color: red }</style>
<script>var secret = "do not ingest";</script></head>
<body>
<nav><a href="/">Home</a></nav>
<h1>Safety Observatory annual report</h1>
<p>The observatory works with the <b>city council</b> and the police.</p>
<div>Loose text in a div about the ministry.<p>Nested paragraph.</p></div>
<h2>Partners</h2>
<table><tr><th>Actor</th><th>Role</th></tr><tr><td>University</td><td>Data</td></tr></table>
<ul><li>First point on youth centres.</li><li>Second point on markets.</li></ul>
</body></html>"""


def test_formats_docx_headings_tables_and_spans() -> None:
    doc = read_bytes(docx_bytes(), filename="strategy.docx")
    assert doc.title == "District Safety Strategy"
    assert doc.kind is DocumentKind.policy
    kinds = [p.kind for p in doc.passages]
    assert kinds == [
        PassageKind.heading,
        PassageKind.text,
        PassageKind.heading,
        PassageKind.table,
        PassageKind.text,
    ]
    assert doc.passages[1].text == PARAGRAPH
    table = doc.passages[3]
    assert table.text.split("\n") == [
        "| Actor | Role |",
        "|---|---|",
        "| City council | Lead |",
        "| National police | Partner |",
    ]
    assert table.section == "1. Partners"
    # Spans index the document text: blocks joined by blank lines.
    assert doc.passages[1].char_start == doc.passages[0].char_end + 2


def test_formats_docx_interview_is_a_transcript() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("KEY INFORMANT INTERVIEW")
    for line in [
        "Q: Who funds the shelter?",
        "A: The city and a private foundation.",
        "Q: And the ministry?",
        "A: Nothing from the ministry.",
    ]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    doc = read_bytes(out.getvalue(), filename="kii.docx")
    assert doc.kind is DocumentKind.kii
    turns = [p for p in doc.passages if p.turn is not None]
    assert [p.speaker for p in turns] == ["Interviewer", "Respondent 1"] * 2
    assert turns[1].speaker_role is SpeakerRole.respondent


def test_formats_html_strips_script_and_keeps_structure() -> None:
    doc = read_bytes(HTML.encode(), filename="page.html")
    assert doc.title == "Safety Observatory"
    text = " ".join(p.text for p in doc.passages)
    assert "secret" not in text and "color" not in text
    heading = doc.passages[[p.text for p in doc.passages].index("Safety Observatory annual report")]
    assert heading.kind is PassageKind.heading
    para = next(p for p in doc.passages if p.text.startswith("The observatory"))
    assert para.text == "The observatory works with the city council and the police."
    assert para.section == "Safety Observatory annual report"
    assert any(p.text == "Nested paragraph." for p in doc.passages)
    assert any(p.text == "Loose text in a div about the ministry." for p in doc.passages)
    table = next(p for p in doc.passages if p.kind is PassageKind.table)
    assert table.text.split("\n")[2] == "| University | Data |"
    assert table.section == "Partners"
    assert [p.text for p in doc.passages][-2:] == [
        "First point on youth centres.",
        "Second point on markets.",
    ]


def test_formats_html_sniffed_without_extension() -> None:
    doc = read_bytes(HTML.encode(), filename="download")
    assert doc.media_type == "text/html"
