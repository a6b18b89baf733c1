"""The report's prose: theme labels and document kinds, never raw ids; empty themes folded."""

from __future__ import annotations

from graph_fixtures import actor, batch_for, make_document, relation
from reporting_fixtures import seed_graph

from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from ingest.model import DocumentKind
from reporting import ReportFormat, build_report, gather_report_inputs, render_report

THEME = "community_safety"

PLAN = """The Riverton City Council works on community safety in every district.

The Ministry of Interior works on community safety through the national programme."""

HEARING = """The Riverton Neighbourhood Watch patrols the estates for community safety.

The Riverton Neighbourhood Watch runs night patrols for community safety."""


def _seed_hearing(store: GraphStore) -> None:
    """A plan and a hearing; the watch is active only in the hearing (absent from policy).
    The Theme node carries its raw id as name, as an extraction without labels writes it."""
    theme = EntityNode(label=Label.Theme, id=THEME, name=THEME)
    council = actor("actor:council", "Riverton City Council", "local")
    ministry = actor("actor:ministry", "Ministry of Interior", "national")
    watch = actor("actor:watch", "Riverton Neighbourhood Watch", "non_state", "ngo")
    plan = make_document(PLAN, source_path="plan.md", kind=DocumentKind.plan)
    hearing = make_document(HEARING, source_path="hearing.txt", kind=DocumentKind.hearing)

    def works_on(doc, who: str, passage: int):  # type: ignore[no-untyped-def]
        return relation(
            doc, RelationKind.works_on, who, THEME, passage=passage, target_label=Label.Theme
        )

    write_document(
        store,
        batch_for(
            plan,
            [council, ministry, theme],
            [works_on(plan, "actor:council", 0), works_on(plan, "actor:ministry", 1)],
        ),
    )
    write_document(
        store,
        batch_for(
            hearing,
            [watch, theme],
            [works_on(hearing, "actor:watch", 0), works_on(hearing, "actor:watch", 1)],
        ),
    )


def _report(store: GraphStore, lang: str = "en", **kw):  # type: ignore[no-untyped-def]
    inputs, docs, filters = gather_report_inputs(store, **kw)
    return build_report(inputs, docs, generated_at="2026-01-01", filters=filters, lang=lang)


def test_reporting_prose_uses_theme_labels_and_document_kinds(store: GraphStore) -> None:
    _seed_hearing(store)
    report = _report(store, theme=THEME)
    (section,) = report.sections
    assert section.theme_name == "Community safety"
    absent = [f for f in section.findings if f.kind == "absent_from_policy"]
    assert absent, [f.kind for f in section.findings]
    assert "hearings" in absent[0].explanation
    assert "interview" not in absent[0].explanation
    md = render_report(report, ReportFormat.md).decode()
    assert THEME not in md and "community\\_safety" not in md
    assert "Community safety" in md
    # Only kii/fgd are interviews: the hearing is counted and quoted as a hearing.
    assert "1 hearings" in md and "hearing.txt (hearings), p. 1" in md
    spanish = render_report(_report(store, lang="es", theme=THEME), ReportFormat.md).decode()
    assert THEME not in spanish and "Seguridad comunitaria" in spanish
    assert "audiencias" in spanish


def test_reporting_empty_themes_fold_into_one_line(store: GraphStore) -> None:
    seed_graph(store)
    # Two themes nobody works on next to the seeded one: the graph links them to a policy.
    plan = make_document("Corruption and trafficking are named in the plan.", source_path="p.md")
    themes = [
        EntityNode(label=Label.Theme, id=tid, name=tid) for tid in ("corruption", "trafficking")
    ]
    policy = EntityNode(label=Label.Policy, id="policy:plan", name="Integrity Plan")
    write_document(
        store,
        batch_for(
            plan,
            [policy, *themes],
            [
                relation(
                    plan, RelationKind.addresses, "policy:plan", t.id, target_label=Label.Theme
                ).model_copy(update={"source_label": Label.Policy})
                for t in themes
            ],
        ),
    )
    report = _report(store)
    assert [s.theme_id for s in report.sections] == ["youth_violence"]
    assert report.unreported == ("Corruption", "Trafficking in persons")
    assert report.covered == ("Youth violence",)
    for fmt in (ReportFormat.md, ReportFormat.html):
        text = render_report(report, fmt).decode()
        assert "No finding for: Corruption, Trafficking in persons." in text
        assert "Themes covered: Youth violence." in text
        assert "nothing to report" not in text
        assert "Theme: Corruption" not in text


def test_reporting_finding_sentences_of_every_structural_kind_use_labels() -> None:
    """Level disconnect (with a statement) and single point of failure, built without a
    store: the sentence names the theme by its label, both sides in full, in either language."""
    from test_analysis_gaps import _two_levels
    from test_analysis_scenarios import actor as a_actor
    from test_analysis_scenarios import ev, rel, subgraph, works

    from analysis import find_gaps
    from reporting import ThemeInput

    no = rel(RelationKind.negative_coordination, "district_board", "ward_forum", ev("kii1", 2))
    levels = subgraph(*_two_levels(no))
    bridge = subgraph(
        [
            a_actor("recovery_trust", "non_state", "ngo"),
            a_actor("police_command", "national", "police_justice"),
            a_actor("clinic_network", "local", "government"),
        ],
        [
            works("recovery_trust", "drug_treatment", ("plan", 1), ("kii1", 1), ("kii2", 1)),
            works("police_command", "drug_treatment", ("kii1", 2)),
            works("clinic_network", "drug_treatment", ("plan", 2)),
            rel(RelationKind.partnership, "police_command", "recovery_trust", ev("kii1", 3)),
            rel(RelationKind.partnership, "clinic_network", "recovery_trust", ev("plan", 4)),
        ],
    )
    cases = [(levels, "community_safety"), (bridge, "drug_treatment")]
    for lang, names in (
        ("en", ("Community safety", "Drug dependence treatment")),
        ("es", ("Seguridad comunitaria", "Tratamiento de la dependencia de drogas")),
    ):
        inputs = [ThemeInput(tid, tid, sub, find_gaps(sub)) for sub, tid in cases]
        report = build_report(inputs, [], generated_at="now", lang=lang)
        sentences = {f.kind: f.explanation for s in report.sections for f in s.findings}
        assert {"level_disconnect", "single_point_of_failure"} <= sentences.keys(), sentences
        assert names[0] in sentences["level_disconnect"]
        assert names[1] in sentences["single_point_of_failure"]
        for text in sentences.values():
            assert "_" not in text, text  # no raw theme (or actor) id in the prose
