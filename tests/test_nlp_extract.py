from __future__ import annotations

from graph_schema.model import GraphBatch, Label, RelationKind
from ingest.model import Document, DocumentKind, Respondent
from nlp import extract_document, extract_documents
from tests.document_fixtures import turns_document


def _doc(
    name: str,
    texts: list[tuple[str | None, str]],
    *,
    kind: DocumentKind = DocumentKind.report,
    language: str = "en",
    respondents: tuple[Respondent, ...] = (),
) -> Document:
    """A document of (speaker, text) turns (tests/document_fixtures.turns_document)."""
    return turns_document(name, texts, kind=kind, language=language, respondents=respondents)


PLAN = _doc(
    "plan",
    [
        (
            None,
            "The Brenmoor Youth Employment Strategy 2025-2030 is led by the Office for "
            "Neighbourhood Renewal (ONR) of Brenmoor City Council.",
        ),
        (
            None,
            "The Brenmoor Chamber of Commerce funds the Brenmoor Youth Network, which runs "
            "after-school football for young people at risk of gang violence.",
        ),
    ],
)

KII = _doc(
    "kii",
    [
        ("Interviewer", "Does the ministry take part?"),
        (
            "R1",
            "We have never been invited by the Ministry of Water and Housing. Nobody from "
            "the ONR has come here either.",
        ),
        ("R1", "We work together with the Brenmoor Street Traders' Association on lighting."),
    ],
    kind=DocumentKind.kii,
    respondents=(
        Respondent(
            speaker="R1",
            organisation="Brenmoor Youth Network",
            organisation_type="registered NGO",
            level="non-state",
        ),
    ),
)


def _by_name(batch: GraphBatch) -> dict[str, str]:
    return {e.name: e.id for e in batch.entities}


def test_extract_document_returns_valid_batch_with_classified_actors() -> None:
    batch = extract_document(PLAN)
    GraphBatch.model_validate(batch.model_dump())
    actors = {e.name: e for e in batch.entities if e.label is Label.Actor}
    council = actors["Brenmoor City Council"]
    assert council.properties["type"] == "government"
    assert council.properties["level"] == "local"
    for key in ("type_confidence", "type_cue", "level_confidence", "level_cue"):
        assert council.properties[key] not in (None, "")
    for m in batch.mentions:
        text = next(p.text for p in PLAN.passages if p.id == m.passage_id)
        assert text[m.char_start : m.char_end] == m.text


def test_extract_funding_direction_and_evidence_span() -> None:
    batch = extract_document(PLAN)
    ids = _by_name(batch)
    funding = [r for r in batch.relations if r.kind is RelationKind.funding]
    assert any(
        r.source_id == ids["Brenmoor Chamber of Commerce"]
        and r.target_id == ids["Brenmoor Youth Network"]
        for r in funding
    )
    for r in batch.relations:
        for ev in r.evidence:
            text = next(p.text for p in PLAN.passages if p.id == ev.passage_id)
            assert text[ev.char_start : ev.char_end] == ev.quote
            assert ev.cue


def test_extract_implements_and_themes() -> None:
    batch = extract_document(PLAN)
    ids = _by_name(batch)
    assert any(
        r.kind is RelationKind.implements
        and r.target_id == ids["Brenmoor Youth Employment Strategy 2025-2030"]
        for r in batch.relations
    )
    works_on = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.works_on
    }
    assert (ids["Brenmoor Youth Network"], "youth_violence") in works_on


def test_extract_transcript_negative_coordination_attaches_to_respondent_org() -> None:
    run = extract_documents([PLAN, KII])
    kii = run.batches[1]
    ids = {e.name: e.id for e in run.entities}
    network = ids["Brenmoor Youth Network"]
    negatives = {
        (r.source_id, r.target_id)
        for r in kii.relations
        if r.kind is RelationKind.negative_coordination
    }
    assert (network, ids["Ministry of Water and Housing"]) in negatives
    # "the ONR" in the interview resolves to the plan's Office via the learned acronym
    assert (network, ids["Office for Neighbourhood Renewal"]) in negatives
    partners = {
        (r.source_id, r.target_id) for r in kii.relations if r.kind is RelationKind.partnership
    }
    assert (network, ids["Brenmoor Street Traders' Association"]) in partners
    assert not any(
        r.kind is RelationKind.partnership and r.target_id == ids["Ministry of Water and Housing"]
        for r in kii.relations
    )


def test_extract_documents_ids_agree_and_known_entities_are_reused() -> None:
    run = extract_documents([PLAN, KII])
    plan_ids = {e.name: e.id for e in run.batches[0].entities}
    kii_ids = {e.name: e.id for e in run.batches[1].entities}
    assert plan_ids["Brenmoor Youth Network"] == kii_ids["Brenmoor Youth Network"]
    again = extract_documents([KII], known=run.entities)
    assert {e.id for e in again.batches[0].entities} <= {e.id for e in run.entities} | {
        e.id for e in again.batches[0].entities if e.label is Label.Theme
    }


def test_extract_run_undo_repoints_mentions() -> None:
    doc = _doc(
        "short",
        [
            (None, "The Brenmoor Harbour Authority manages the docks."),
            (None, "The Harbour Authority also coordinates with the Tellavia Coast Guard."),
        ],
    )
    run = extract_documents([doc])
    merge = next(m for m in run.ledger.records if m.alias == "Harbour Authority")
    undone = run.undo(merge.id)
    assert undone.ledger.get(merge.id).undone
    moved = {m.entity_id for m in undone.batches[0].mentions if m.text == "Harbour Authority"}
    assert merge.entity_id not in moved


def test_extract_spanish_document_yields_institutions() -> None:
    doc = _doc(
        "es",
        [
            (
                None,
                "La Secretaría de Protección Civil y Bienestar Social no tiene coordinación con "
                "la Guardia Nacional ni con el Gobierno del Estado de Montalba.",
            ),
            (
                None,
                "La Comisión Estatal de Búsqueda de Personas trabaja con la Fundación Manos "
                "Abiertas en casos de violencia de género.",
            ),
        ],
        language="es",
    )
    batch = extract_document(doc)
    names = {e.name for e in batch.entities if e.label is Label.Actor}
    assert {
        "Secretaría de Protección Civil y Bienestar Social",
        "Guardia Nacional",
        "Gobierno del Estado de Montalba",
        "Comisión Estatal de Búsqueda de Personas",
        "Fundación Manos Abiertas",
    } <= names
    assert any(r.kind is RelationKind.negative_coordination for r in batch.relations)
    themes = {r.target_id for r in batch.relations if r.kind is RelationKind.works_on}
    assert "gender_based_violence" in themes


def _fgd(name: str, organisation: str, turns: list[tuple[str, str]]) -> Document:
    speakers = sorted({s for s, _ in turns if s != "Interviewer"})
    return _doc(
        name,
        turns,
        kind=DocumentKind.fgd,
        respondents=tuple(
            Respondent(
                speaker=s,
                role="frontline workers",
                organisation=organisation,
                organisation_type="Mixed: non-state and municipal",
            )
            for s in speakers
        ),
    )


def test_extract_fgd_participants_speak_for_their_own_organisations() -> None:
    doc = _fgd(
        "fgd-mixed",
        "P1 cook, Pellow Soup Kitchen Trust; P2 volunteer, Harrowgate Dockers",
        [
            ("Interviewer", "Who do you work with?"),
            ("Participant 1", "We work with the Tarnby Housing Department every week."),
            ("Participant 2", "We have never been invited by the Tarnby Housing Department."),
        ],
    )
    batch = extract_document(doc)
    ids = _by_name(batch)
    dept = ids["Tarnby Housing Department"]
    partners = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.partnership
    }
    negatives = {
        frozenset((r.source_id, r.target_id))
        for r in batch.relations
        if r.kind is RelationKind.negative_coordination
    }
    assert (ids["Pellow Soup Kitchen Trust"], dept) in partners
    # P2's organisation has no institutional head word; the header still declares it.
    dockers = ids["Harrowgate Dockers"]
    assert frozenset((dockers, dept)) in negatives
    assert not any(ids["Pellow Soup Kitchen Trust"] in p for p in negatives)
    node = next(e for e in batch.entities if e.id == dockers)
    assert node.properties["level"] == "non_state"


def _kii(name: str, organisation: str, answers: list[str], level: str = "non-state") -> Document:
    turns: list[tuple[str | None, str]] = []
    for a in answers:
        turns += [("Interviewer", "Tell me more."), ("R1", a)]
    return _doc(
        name,
        turns,
        kind=DocumentKind.kii,
        respondents=(Respondent(speaker="R1", organisation=organisation, level=level),),
    )


REPORT = _doc(
    "report",
    [
        (
            None,
            "The Pellow Harbour Recovery Trust runs a detox unit. The Dunmore Tenants "
            "Coalition campaigns for safer stairwells. The Ministry of Coastal Affairs funds "
            "the Eastbrook Youth Club.",
        ),
        (None, "Many families in Eastbrook are poor."),
    ],
)


def test_extract_corpus_short_names_and_coreferent_references_in_interviews() -> None:
    kii = _kii(
        "kii-short",
        "Eastbrook Youth Club",
        [
            "We send boys to Pellow Harbour every week.",
            "The Coalition helped us with the lights.",
            "Families in Eastbrook trust us.",
        ],
    )
    run = extract_documents([REPORT, kii])
    ids = {e.name: e.id for e in run.entities}
    club, trust = ids["Eastbrook Youth Club"], ids["Pellow Harbour Recovery Trust"]
    rels = {(r.kind, r.source_id, r.target_id) for r in run.batches[1].relations}
    assert (RelationKind.partnership, club, trust) in rels
    # "the Coalition" is named only in the report: the one coalition of the corpus
    coalition = ids["Dunmore Tenants Coalition"]
    assert any({s, t} == {club, coalition} for _, s, t in rels)
    # "Eastbrook" alone is the district, not the club
    texts = {m.text for m in run.batches[1].mentions}
    assert "Eastbrook" not in texts
    assert "Eastbrook" not in {m.text for m in run.batches[0].mentions}


def test_extract_bare_reference_prefers_the_salient_body_unless_just_named() -> None:
    doc = _doc(
        "salience",
        [
            (
                None,
                "The Ministry of Coastal Affairs issues this Order. The Ministry of Coastal "
                "Affairs will review it yearly.",
            ),
            (None, "Clinics are licensed by the Ministry of Health."),
            (None, "The Ministry will publish the review."),
            (None, "The Ministry of Rural Roads wrote. The Ministry later withdrew."),
        ],
    )
    batch = extract_document(doc)
    ids = _by_name(batch)

    def ref_in(passage: int) -> str:
        pid = doc.passages[passage].id
        return next(
            m.entity_id
            for m in batch.mentions
            if m.passage_id == pid and m.text.lower() == "the ministry"
        )

    assert ref_in(2) == ids["Ministry of Coastal Affairs"]
    assert ref_in(3) == ids["Ministry of Rural Roads"]


def test_extract_lowercase_group_reference_and_header_class_carry_across_documents() -> None:
    kii = _kii(
        "kii-group",
        "Dunmore Tenants Coalition",
        [
            "The women go to the Eastbrook Chapel women's committee. We work with the committee "
            "every week.",
        ],
        level="non-state, city level",
    )
    run = extract_documents([REPORT, kii])
    ids = {e.name: e.id for e in run.entities}
    partners = {
        frozenset((r.source_id, r.target_id))
        for r in run.batches[1].relations
        if r.kind is RelationKind.partnership
    }
    assert (
        frozenset((ids["Dunmore Tenants Coalition"], ids["Eastbrook Chapel women's committee"]))
        in partners
    )
    coalition = next(e for e in run.entities if e.id == ids["Dunmore Tenants Coalition"])
    assert coalition.properties["level"] == "non_state"


def test_extract_negation_about_a_condition_is_not_non_coordination() -> None:
    kii = _kii(
        "kii-if",
        "Eastbrook Youth Club",
        [
            "If the Pellow Harbour Recovery Trust closes, we have nowhere to send these boys.",
        ],
    )
    run = extract_documents([REPORT, kii])
    assert not any(r.kind is RelationKind.negative_coordination for r in run.batches[1].relations)


def test_extract_programme_in_the_theme_clause_and_a_strategy_its_own_themes() -> None:
    doc = _doc(
        "strategy",
        [
            (None, "Harrow Knife Crime Strategy 2025-2030"),
            (
                None,
                "Under the Safe Routes Initiative, Harrow Borough Council will fight gang violence "
                "near schools.",
            ),
            (None, "Gang violence fell in 2024, but gangs still recruit young people."),
        ],
        kind=DocumentKind.policy,
    )
    batch = extract_document(doc)
    ids = _by_name(batch)
    addresses = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.addresses
    }
    assert (ids["Safe Routes Initiative"], "youth_violence") in addresses
    assert (ids["Harrow Knife Crime Strategy 2025-2030"], "youth_violence") in addresses


def test_extract_a_body_works_on_the_themes_of_the_programme_it_runs() -> None:
    plan = _doc(
        "plan-themes",
        [
            (None, "The Safe Routes Initiative tackles gang violence around schools."),
        ],
        kind=DocumentKind.plan,
    )
    kii = _doc(
        "kii-runs",
        [
            ("Interviewer", "What do you do?"),
            ("R1", "We run the Safe Routes Initiative in two wards."),
        ],
        kind=DocumentKind.kii,
        respondents=(Respondent(speaker="R1", organisation="Fenwick Boxing Club"),),
    )
    run = extract_documents([plan, kii])
    ids = {e.name: e.id for e in run.entities}
    works_on = {
        (r.source_id, r.target_id)
        for b in run.batches
        for r in b.relations
        if r.kind is RelationKind.works_on
    }
    assert (ids["Fenwick Boxing Club"], "youth_violence") in works_on
    for b in run.batches:
        entity_ids = {e.id for e in b.entities}
        assert all(r.target_id in entity_ids for r in b.relations)


def test_extract_list_items_under_a_modal_heading_take_its_subject() -> None:
    doc = _doc(
        "duties",
        [
            (None, "2.1 The Harbour District Committees shall:"),
            (
                None,
                "a) review street lighting in each ward every month;\n"
                "b) coordinate their work with the Ossel Housing Office;\n"
                "c) report misconduct by public officials.",
            ),
            (None, "2.2 The Ossel Boxing Club met on:"),
            (None, "a) 3 May;\nb) review gang violence figures."),
        ],
        kind=DocumentKind.policy,
    )
    batch = extract_document(doc)
    ids = _by_name(batch)
    works_on = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.works_on
    }
    committees = ids["Harbour District Committees"]
    assert (committees, "community_safety") in works_on
    assert (committees, "corruption") in works_on
    assert any(
        r.kind in {RelationKind.coordinates, RelationKind.partnership}
        and {r.source_id, r.target_id} == {committees, ids["Ossel Housing Office"]}
        for r in batch.relations
    )
    # each item is its own clause: the Office is no holder of the other items' themes
    assert (ids["Ossel Housing Office"], "community_safety") not in works_on
    # a heading with no modal ("met on:") lists no duties of its subject
    assert (ids["Ossel Boxing Club"], "youth_violence") not in works_on


def test_extract_a_programme_with_no_lead_yet_has_owners_not_implementers() -> None:
    doc = _doc(
        "open-lead",
        [
            (
                None,
                "Under the Clean Parks Initiative, the Ossel City Council will repair benches "
                "and lighting in the parks.",
            ),
            (
                None,
                "The lead agency and budget for the Clean Parks Initiative will be determined "
                "in the first work plan.",
            ),
            (
                None,
                "Through the Youth Jobs Programme, the Ossel Welfare Department will offer "
                "internships.",
            ),
            (
                None,
                "| Action | Lead | Partners |\n|---|---|---|\n"
                "| Night Bus Scheme | to be determined | Ossel Drivers Union |\n"
                "| Youth Jobs Programme | Ossel Welfare Department | Ossel Chamber of Commerce |",
            ),
        ],
        kind=DocumentKind.plan,
    )
    batch = extract_document(doc)
    ids = _by_name(batch)
    implements = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.implements
    }
    mandates = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.mandate
    }
    parks, council = ids["Clean Parks Initiative"], ids["Ossel City Council"]
    assert not any(t == parks for _, t in implements)
    assert (council, parks) in mandates
    assert not any(t == ids["Night Bus Scheme"] for _, t in implements)
    assert (ids["Ossel Welfare Department"], ids["Youth Jobs Programme"]) in implements


def test_extract_a_ranked_officer_belongs_to_the_one_police_body_named_nearby() -> None:
    kii = _kii(
        "kii-rank",
        "Fenwick Women's Refuge",
        [
            "Most of our referrals come from the Fenwick Harbour Police Service.",
            "Sergeant Mora calls us at night when a woman arrives at the station.",
            "We also see families from the Ossel Housing Office.",
        ],
    )
    batch = extract_document(kii)
    ids = _by_name(batch)
    members = {
        (r.source_id, r.target_id) for r in batch.relations if r.kind is RelationKind.member_of
    }
    assert (ids["Sergeant Mora"], ids["Fenwick Harbour Police Service"]) in members
    two = _kii(
        "kii-rank-two",
        "Fenwick Women's Refuge",
        [
            "The Fenwick Harbour Police Service and the Ossel Border Police both call us.",
            "Sergeant Mora calls us at night when a woman arrives at the station.",
        ],
    )
    batch = extract_document(two)
    assert not [r for r in batch.relations if r.kind is RelationKind.member_of]


def test_extract_respondent_org_from_a_role_in_the_self_introduction() -> None:
    # No header names the organisation: the respondent says it ("I am the chairman of X"),
    # and the speaker's "we" is that body.
    kii = _doc(
        "kii-intro",
        [
            ("Interviewer", "Can you start by telling me about your work?"),
            (
                "Respondent 1",
                "Okay. I am the chairman of the Fenwick Traders' Association. "
                "We work with the Fenwick Market Police Post every week.",
            ),
            ("Interviewer", "And the Brenmoor Integrity Commission?"),
            ("Respondent 1", "The Commission? No. Never. We have never met them."),
        ],
        kind=DocumentKind.kii,
        respondents=(Respondent(speaker="Respondent 1"),),
    )
    run = extract_documents([kii])
    ids = {e.name: e.id for e in run.entities}
    traders = ids["Fenwick Traders' Association"]
    kinds = {(r.kind, r.source_id) for r in run.batches[0].relations}
    assert (RelationKind.negative_coordination, traders) in kinds
