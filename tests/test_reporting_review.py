"""Reports say how many findings the assessment team reviewed, and mark each reviewed one
(validated, disputed, needs evidence; evidence changed since), in English and Spanish; they
say nothing of review when no decision exists."""

from __future__ import annotations

import io
import re
from html import unescape

from docx import Document as open_docx
from graph_fixtures import actor, batch_for, make_document, relation
from reporting_fixtures import THEME_ID, THEME_NAME, seed_graph

from analysis import Finding
from graph_schema.decisions import Action, TargetKind, record_decision
from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.view import quote_digest
from graph_schema.writer import delete_document, write_document
from reporting import ReportFormat, build_report, gather_report_inputs, render_report
from reporting.model import Report

POLICE_REPORT = """The Riverton Police Service works on youth violence in the old town.

The National Police Agency works on youth violence through its gang unit.

The Riverton Police Service works on youth violence with school patrols."""


def _seed(store: GraphStore) -> None:
    """The reporting fixture graph and a police report: two more organisations on the theme,
    tied to nobody, so the report lists several findings to review."""
    seed_graph(store)
    doc = make_document(POLICE_REPORT, source_path="police.md")
    police = [
        actor("actor:police", "Riverton Police Service", "local", "government"),
        actor("actor:npa", "National Police Agency", "national", "government"),
    ]

    def works_on(who: str, passage: int):  # type: ignore[no-untyped-def]
        return relation(
            doc, RelationKind.works_on, who, THEME_ID, passage=passage, target_label=Label.Theme
        )

    theme = EntityNode(label=Label.Theme, id=THEME_ID, name=THEME_NAME)
    write_document(
        store,
        batch_for(
            doc,
            [*police, theme],
            [works_on("actor:police", 0), works_on("actor:npa", 1), works_on("actor:police", 2)],
        ),
    )


def _report(store: GraphStore, lang: str = "en") -> Report:
    inputs, docs, filters = gather_report_inputs(store, theme=THEME_ID, min_score=0.0)
    return build_report(inputs, docs, generated_at="now", filters=filters, lang=lang)


def _findings(store: GraphStore) -> list[Finding]:
    """The findings the report lists, best first (as the report ranks them)."""
    (theme,) = gather_report_inputs(store, theme=THEME_ID, min_score=0.0)[0]
    return sorted(theme.findings, key=lambda f: (-f.score, f.kind.value, f.id))


def _decide(store: GraphStore, finding: Finding, action: Action) -> None:
    # What POST /gaps/{id}/decisions records: the evidence passages and quote digests.
    basis = sorted({f"{e.passage_id}|{quote_digest(e.quote)}" for e in finding.evidence})
    record_decision(
        store, TargetKind.gap, finding.id, action, author="analyst", note="checked", basis=basis
    )


def _texts(report: Report) -> dict[str, str]:
    doc = open_docx(io.BytesIO(render_report(report, ReportFormat.docx)))
    return {
        "md": render_report(report, ReportFormat.md).decode().replace("\\", ""),
        "html": unescape(render_report(report, ReportFormat.html).decode()),
        "docx": "\n".join(p.text for p in doc.paragraphs),
    }


def test_reporting_review_counts_and_marks_in_english_and_spanish(store: GraphStore) -> None:
    _seed(store)
    findings = _findings(store)
    assert len(findings) >= 4, [f.kind for f in findings]
    _decide(store, findings[0], Action.validated)
    _decide(store, findings[1], Action.disputed)
    _decide(store, findings[2], Action.needs_evidence)
    total = len(findings)

    en = _report(store)
    marks = {f.id: f.review for s in en.sections for f in s.findings}
    assert marks[findings[0].id].status == "validated"  # type: ignore[union-attr]
    assert marks[findings[1].id].status == "disputed"  # type: ignore[union-attr]
    assert not any(m.evidence_changed for m in marks.values() if m)
    assert all(marks[f.id] is None for f in findings[3:])
    summary = (
        f"1 of {total} findings validated by the assessment team (1 disputed, 1 needs evidence)."
    )
    for fmt, text in _texts(en).items():
        assert summary in text, fmt
        assert text.count("Validated by the assessment team.") == 1, fmt
        assert "Disputed by the assessment team." in text, fmt
        assert "The assessment team asks for more evidence." in text, fmt
        assert "evidence changed" not in text.lower(), fmt

    es = _texts(_report(store, "es"))
    summary_es = (
        f"1 de {total} hallazgos validados por el equipo de evaluación "
        "(1 cuestionado, 1 requiere más evidencia)."
    )
    for fmt, text in es.items():
        assert summary_es in text, fmt
        assert "Validado por el equipo de evaluación." in text, fmt
        assert "Cuestionado por el equipo de evaluación." in text, fmt
        assert "El equipo de evaluación pide más evidencia." in text, fmt

    # A second validation: the count follows, and the finding is marked where it is listed.
    _decide(store, findings[3], Action.validated)
    html = _texts(_report(store))["html"]
    assert f"2 of {total} findings validated" in html
    first = re.search(rf'id="{re.escape(findings[0].id)}".*?</article>', html, re.S)
    assert first and "Validated by the assessment team." in first.group(0)


def test_reporting_review_flags_evidence_changed_when_a_document_goes(store: GraphStore) -> None:
    seed_graph(store)
    # A finding with evidence in both documents: deleting the interview takes part of it.
    before = _findings(store)
    both = [f for f in before if len({e.document_id for e in f.evidence}) == 2]
    assert both, "the seeded pair gap is evidenced by the plan and the interview"
    finding = both[0]
    _decide(store, finding, Action.validated)
    interview = next(e.document_id for e in finding.evidence if e.document_kind == "kii")
    assert delete_document(store, interview)

    after = {f.id: f for s in _report(store).sections for f in s.findings}
    assert finding.id in after, "the plan alone still gives the finding"
    assert after[finding.id].review is not None
    assert after[finding.id].review.status == "validated"  # type: ignore[union-attr]
    assert after[finding.id].review.evidence_changed  # type: ignore[union-attr]
    for fmt, text in _texts(_report(store)).items():
        assert (
            "Validated by the assessment team. The evidence changed since it was validated." in text
        ), fmt
        assert "evidence changed on 1 since its review" in text, fmt
    es = _texts(_report(store, "es"))["md"]
    assert "Validado por el equipo de evaluación. La evidencia cambió desde que se validó." in es


def test_reporting_review_says_nothing_without_decisions(store: GraphStore) -> None:
    seed_graph(store)
    report = _report(store)
    assert all(f.review is None for s in report.sections for f in s.findings)
    for lang in ("en", "es"):
        for fmt, text in _texts(_report(store, lang)).items():
            assert "assessment team" not in text and "equipo de evaluación" not in text, fmt
