"""Relation linking on invented texts (fictional places and bodies, not from any corpus)."""

from __future__ import annotations

from graph_schema.model import GraphBatch, Label, RelationKind
from ingest.model import Document, DocumentKind, Respondent
from nlp import extract_document
from nlp.decide.actor import decision_weights
from tests.document_fixtures import turns_document


def _doc(
    name: str,
    texts: list[tuple[str | None, str]],
    *,
    kind: DocumentKind = DocumentKind.report,
    respondents: tuple[Respondent, ...] = (),
) -> Document:
    """A document of (speaker, text) turns (tests/document_fixtures.turns_document)."""
    return turns_document(name, texts, kind=kind, language="en", respondents=respondents)


def _pairs(batch: GraphBatch, kind: RelationKind) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in batch.entities}
    return {(names[r.source_id], names[r.target_id]) for r in batch.relations if r.kind is kind}


def _undirected(batch: GraphBatch, kind: RelationKind) -> set[frozenset[str]]:
    return {frozenset(p) for p in _pairs(batch, kind)}


def test_relations_cue_links_only_its_syntactic_arguments() -> None:
    # Three bodies in one sentence; only the verb's subject and object are partners.
    batch = extract_document(
        _doc(
            "args",
            [
                (
                    None,
                    "The Tarnby Housing Trust works with the Ossel Tenants Union on evictions, while "
                    "the Ministry of Rural Roads publishes its annual bulletin.",
                )
            ],
        )
    )
    part = _undirected(batch, RelationKind.partnership)
    assert frozenset({"Tarnby Housing Trust", "Ossel Tenants Union"}) in part
    assert not any("Ministry of Rural Roads" in p for p in part)


def test_relations_member_list_links_group_to_each_member_not_members_to_each_other() -> None:
    batch = extract_document(
        _doc(
            "members",
            [
                (
                    None,
                    "The Corvale Neighbourhood Network (CNN) was founded in 2015. Members include the "
                    "Corvale Legal Advice Centre, the Pellow Street Traders Association and the Dunmore "
                    "Youth Club.",
                )
            ],
        )
    )
    part = _undirected(batch, RelationKind.partnership)
    for member in (
        "Corvale Legal Advice Centre",
        "Pellow Street Traders Association",
        "Dunmore Youth Club",
    ):
        assert frozenset({"Corvale Neighbourhood Network", member}) in part
    assert frozenset({"Corvale Legal Advice Centre", "Dunmore Youth Club"}) not in part


def test_relations_passive_agent_is_the_funder() -> None:
    batch = extract_document(
        _doc(
            "passive",
            [
                (
                    None,
                    "The Ambrel Shelter Foundation runs two safe houses. Its safe houses are funded by "
                    "the Harrow Community Trust.",
                )
            ],
        )
    )
    assert ("Harrow Community Trust", "Ambrel Shelter Foundation") in _pairs(
        batch, RelationKind.funding
    )


def test_relations_possessive_we_object_attaches_to_respondent_org() -> None:
    batch = extract_document(
        _doc(
            "kii-pay",
            [
                ("Interviewer", "Who supports the centre?"),
                ("R1", "The Department of Leisure Services pays the salaries of our coaches."),
            ],
            kind=DocumentKind.kii,
            respondents=(
                Respondent(
                    speaker="R1", organisation="Fenwick Boxing Club", organisation_type="community"
                ),
            ),
        )
    )
    assert ("Department of Leisure Services", "Fenwick Boxing Club") in _pairs(
        batch, RelationKind.funding
    )


def test_relations_cue_english_chair_is_a_verb_not_a_spanish_stem() -> None:
    from nlp import load_pipeline
    from nlp.components.relation_cues import REL_CUES_KEY

    doc = load_pipeline("en")(
        "The Brisk Harbour Panel is chaired by the Port Warden. A change of channel is due."
    )
    cues = {c.text.lower(): c.label_ for c in doc.spans[REL_CUES_KEY]}
    assert cues.get("chaired") == "coordinates"
    assert "change" not in cues and "channel" not in cues


def test_relations_cue_spanish_stem_changing_verbs_match_their_stressed_forms() -> None:
    from nlp import load_pipeline
    from nlp.components.relation_cues import REL_CUES_KEY, spanish_stems

    assert spanish_stems("encomendar") == ["encomend", "encomiend"]
    assert spanish_stems("acordar") == ["acord", "acuerd"]
    doc = load_pipeline("es")(
        "El Cabildo de Puerto Lirio encomienda a la Dirección de Barrios Seguros la "
        "coordinación del plan."
    )
    cues = {c.text.lower(): c.label_ for c in doc.spans[REL_CUES_KEY]}
    assert cues.get("encomienda") == "mandate"


def test_relations_cue_spanish_stem_is_a_verb_not_a_noun_sharing_its_letters() -> None:
    from nlp import load_pipeline
    from nlp.components.relation_cues import REL_CUES_KEY

    doc = load_pipeline("es")(
        "Saludo al presidente del Consejo Estatal de Lirio y a los integrantes de esta "
        "reunión. El Consejo Estatal de Lirio preside la mesa."
    )
    cues = {c.text.lower(): c.label_ for c in doc.spans[REL_CUES_KEY]}
    assert "presidente" not in cues and "integrantes" not in cues and "reunión" not in cues
    assert cues.get("preside") == "coordinates"


def test_relations_bare_policy_reference_is_the_latest_named_policy() -> None:
    batch = extract_document(
        _doc(
            "bare-plan",
            [
                (None, "The Lantern Bay Safer Streets Plan 2026-2029 was adopted in March."),
                (None, "The Office for Harbour Safety leads the implementation of the Plan."),
            ],
        )
    )
    policies = [e for e in batch.entities if e.label in {Label.Policy, Label.Programme}]
    assert [p.name for p in policies] == ["Lantern Bay Safer Streets Plan 2026-2029"]
    assert ("Office for Harbour Safety", "Lantern Bay Safer Streets Plan 2026-2029") in _pairs(
        batch, RelationKind.implements
    )


def _themes_of(batch: GraphBatch) -> dict[str, set[str]]:
    names = {e.id: e.name for e in batch.entities}
    out: dict[str, set[str]] = {}
    for r in batch.relations:
        if r.kind is RelationKind.works_on:
            out.setdefault(names[r.source_id], set()).add(r.target_id)
    return out


def test_relations_theme_goes_to_the_acting_subject_not_every_name_in_the_sentence() -> None:
    batch = extract_document(
        _doc(
            "themes",
            [
                (
                    None,
                    "The Ossel Youth Trust runs gang exit mentoring in Harl, in rooms rented from the "
                    "Harl Cathedral Chapter and the Kestrel Insurance Group.",
                )
            ],
        )
    )
    themes = _themes_of(batch)
    assert "youth_violence" in themes.get("Ossel Youth Trust", set())
    assert "youth_violence" not in themes.get("Harl Cathedral Chapter", set())
    assert "youth_violence" not in themes.get("Kestrel Insurance Group", set())


def test_relations_requests_and_permissions_are_not_ties() -> None:
    from graph_fixtures import make_document

    from nlp import extract_document

    def ties(text: str) -> set[tuple[str, str, str]]:
        batch = extract_document(make_document(text))
        return {
            (r.kind.value, r.source_id, r.target_id)
            for r in batch.relations
            if r.kind.value not in {"works_on", "addresses"}
        }

    asked = (
        "The Harbour Youth League wrote to the Department of Welfare to ask if its coaches "
        "could attend the case conferences."
    )
    allowed = "The Department of Welfare may attend the Harbour Safety Board only as an observer."
    assert ties(asked) == set()
    assert ties(allowed) == set()
    # Reported practice and commitments stay relations.
    done = "The Department of Welfare works in partnership with the Harbour Youth League."
    planned = "The Department of Welfare will coordinate with the Harbour Youth League."
    assert ("partnership", "actor:department-of-welfare", "actor:harbour-youth-league") in ties(
        done
    )
    assert any(k == "coordinates" for k, _, _ in ties(planned))


def test_relations_its_members_refer_to_the_previous_subject_not_the_last_name() -> None:
    batch = extract_document(
        _doc(
            "topic",
            [
                (
                    None,
                    "The Harrow Street Safety Forum is the platform of Harrow Borough Council for "
                    "safety. Its standing members are the Harrow Tenants Union and the Ossel Youth "
                    "Trust.",
                )
            ],
        )
    )
    coord = _undirected(batch, RelationKind.coordinates) | _undirected(
        batch, RelationKind.partnership
    )
    assert frozenset({"Harrow Street Safety Forum", "Harrow Tenants Union"}) in coord
    assert frozenset({"Harrow Street Safety Forum", "Ossel Youth Trust"}) in coord
    assert not any("Harrow Borough Council" in p for p in coord)


def _one(text: str) -> GraphBatch:
    return extract_document(_doc(text[:30], [(None, text)]))


def test_relations_conjoined_passive_agents_all_implement() -> None:
    batch = _one(
        "The Safe Harbour Programme is implemented by the Tellavia Red Crescent Society "
        "and the Ossel Youth Trust."
    )
    impl = _pairs(batch, RelationKind.implements)
    assert ("Tellavia Red Crescent Society", "Safe Harbour Programme") in impl
    assert ("Ossel Youth Trust", "Safe Harbour Programme") in impl


def test_relations_relative_clause_subject_is_its_antecedent() -> None:
    batch = _one(
        "Cases go to the Coastal Referral Mechanism for victims of smuggling, which is "
        "coordinated by the Anti-Smuggling Commission."
    )
    assert ("Anti-Smuggling Commission", "Coastal Referral Mechanism") in _pairs(
        batch, RelationKind.implements
    )


def test_relations_under_the_instrument_takes_the_passive_agent() -> None:
    batch = _one(
        "Methadone is provided in Ossel by the National Addiction Service under the "
        "National Methadone Protocol."
    )
    assert ("National Addiction Service", "National Methadone Protocol") in _pairs(
        batch, RelationKind.implements
    )


def test_relations_responsible_for_an_instrument_implements_it_not_in_participles() -> None:
    batch = _one("The Harbour Police Service is responsible for the Night Patrol Plan.")
    assert ("Harbour Police Service", "Night Patrol Plan") in _pairs(batch, RelationKind.implements)
    # (a mandate on the plan's theme is no tie between bodies)
    assert not [
        r
        for r in batch.relations
        if r.kind is RelationKind.mandate and r.target_label is not Label.Theme
    ]
    other = _one(
        "In the towns covered by the Night Patrol Plan, the Harbour Police Service "
        "shall train wardens."
    )
    assert not _pairs(other, RelationKind.implements)


def test_relations_agreements_between_bodies_are_mou() -> None:
    between = _one(
        "Under the Memorandum of Understanding signed between Harrow Borough Council "
        "and the Ossel Youth Trust in 2021, the Trust runs two clubs."
    )
    assert frozenset({"Harrow Borough Council", "Ossel Youth Trust"}) in _undirected(
        between, RelationKind.mou
    )
    signed = _one(
        "The Dunmore Tenants Union and the Harrow Housing Department signed a referral "
        "protocol in May."
    )
    assert frozenset({"Dunmore Tenants Union", "Harrow Housing Department"}) in _undirected(
        signed, RelationKind.mou
    )
    since = _one(
        "Since the Memorandum of Understanding with Harrow Borough Council was signed "
        "in 2022, the Dunmore Tenants Union has held monthly surgeries."
    )
    assert frozenset({"Harrow Borough Council", "Dunmore Tenants Union"}) in _undirected(
        since, RelationKind.mou
    )


def test_relations_grant_agreement_is_funding_and_using_a_protocol_is_not_an_mou() -> None:
    grant = _one(
        "The Tellavia Red Crescent Society has signed a grant agreement with the Ossel "
        "Youth Trust to train volunteers."
    )
    assert ("Tellavia Red Crescent Society", "Ossel Youth Trust") in _pairs(
        grant, RelationKind.funding
    )
    assert not _pairs(grant, RelationKind.mou)
    kii = extract_document(
        _doc(
            "kii-protocol",
            [
                ("Interviewer", "Who do you refer to?"),
                ("R1", "Since May we have a referral protocol with the Harrow Housing Department."),
                ("R1", "We use the discharge protocol with the Ossel Youth Trust."),
            ],
            kind=DocumentKind.kii,
            respondents=(Respondent(speaker="R1", organisation="Fenwick Boxing Club"),),
        )
    )
    mou = _undirected(kii, RelationKind.mou)
    assert frozenset({"Fenwick Boxing Club", "Harrow Housing Department"}) in mou
    assert not any("Ossel Youth Trust" in p for p in mou)


def test_relations_mandates_are_given_by_one_body_to_another() -> None:
    told = _one(
        "The Harbour Police Service is instructed by the Ministry of Coastal Affairs to "
        "refer every stowaway to the Ossel Youth Trust."
    )
    assert ("Ministry of Coastal Affairs", "Harbour Police Service") in _pairs(
        told, RelationKind.mandate
    )
    assigned = _one(
        "The Ministry of Coastal Affairs assigns to the Harbour Wardens Agency the staff it needs."
    )
    assert ("Ministry of Coastal Affairs", "Harbour Wardens Agency") in _pairs(
        assigned, RelationKind.mandate
    )
    remit = _one(
        "Harrow Borough Council recognises the mandates of the Ministry of Coastal "
        "Affairs in the field of security."
    )
    assert not _pairs(remit, RelationKind.mandate)


def test_relations_issued_instrument_duties_are_mandates_from_its_issuer() -> None:
    order = extract_document(
        _doc(
            "order",
            [
                (None, "MINISTRY OF COASTAL AFFAIRS"),
                (None, "Ministry of Coastal Affairs"),
                (
                    None,
                    "This Decree gives effect to the National Coastline Strategy. It establishes "
                    "the Harbour Safety Boards.",
                ),
                (None, "The Harbour Wardens Agency shall patrol the piers at night."),
            ],
            kind=DocumentKind.law,
        )
    )
    mandates = _pairs(order, RelationKind.mandate)
    assert ("Ministry of Coastal Affairs", "Harbour Wardens Agency") in mandates
    assert ("Ministry of Coastal Affairs", "Harbour Safety Boards") in mandates
    assert ("Ministry of Coastal Affairs", "National Coastline Strategy") in _pairs(
        order, RelationKind.implements
    )


def _kii(texts: list[str], org: str = "Tarnby Recovery House") -> GraphBatch:
    turns: list[tuple[str | None, str]] = []
    for t in texts:
        turns += [("Interviewer", "Go on."), ("R1", t)]
    return extract_document(
        _doc(
            "kii-" + texts[0][:20],
            turns,
            kind=DocumentKind.kii,
            respondents=(Respondent(speaker="R1", organisation=org),),
        )
    )


def test_relations_testimony_exchange_verbs_tie_only_with_the_speakers_body() -> None:
    batch = _kii(
        [
            "The Ossel Outreach Trust brings us young people they meet at the station.",
            "For treatment we use the Dunmore Recovery Centre.",
            "We tell families to call the Harbour Helpline Service.",
            "We called the Anti-Fraud Bureau twice.",
            "Inspector Varo calls us when a girl is found.",
        ]
    )
    part = _undirected(batch, RelationKind.partnership)
    assert frozenset({"Tarnby Recovery House", "Ossel Outreach Trust"}) in part
    assert frozenset({"Tarnby Recovery House", "Dunmore Recovery Centre"}) in part
    assert frozenset({"Tarnby Recovery House", "Inspector Varo"}) in part
    assert not any("Harbour Helpline Service" in p or "Anti-Fraud Bureau" in p for p in part)


def test_relations_they_were_not_invited_is_about_the_group_just_named() -> None:
    batch = _kii(
        [
            "The Quay Mothers' Circle meets here on Thursdays. When Harrow Borough Council held "
            "the consultation they were not invited.",
        ]
    )
    neg = _undirected(batch, RelationKind.negative_coordination)
    assert frozenset({"Quay Mothers' Circle", "Harrow Borough Council"}) in neg
    assert not any("Tarnby Recovery House" in p for p in neg)


def test_relations_case_reviews_coordinate_and_allocations_fund() -> None:
    review = _one(
        "The Ossel Youth Trust holds a joint case review with the Harrow Housing "
        "Department every month."
    )
    assert frozenset({"Ossel Youth Trust", "Harrow Housing Department"}) in _undirected(
        review, RelationKind.coordinates
    )
    money = _one(
        "Harrow Borough Council has allocated two million crowns to the Ossel Youth Trust."
    )
    assert ("Harrow Borough Council", "Ossel Youth Trust") in _pairs(money, RelationKind.funding)


def test_relations_negation_must_negate_the_contact_itself() -> None:
    batch = _kii(
        [
            "Complaints about the wardens come to us, but those are Harbour Wardens Agency "
            "staff, not police.",
            "I invited the Ossel Youth Trust once, in June. They did not come.",
        ],
        org="Tarnby Police Command",
    )
    neg = _undirected(batch, RelationKind.negative_coordination)
    assert not any("Harbour Wardens Agency" in p for p in neg)
    assert frozenset({"Tarnby Police Command", "Ossel Youth Trust"}) in neg


def test_relations_one_direction_per_kind_for_a_pair_in_a_sentence() -> None:
    batch = _one(
        "The Ossel Youth Trust runs forty beds. Its beds are funded by a single "
        "Tellavia Red Crescent Society grant that ends in 2026."
    )
    funding = _pairs(batch, RelationKind.funding)
    assert ("Tellavia Red Crescent Society", "Ossel Youth Trust") in funding
    assert ("Ossel Youth Trust", "Tellavia Red Crescent Society") not in funding


def test_relations_implementation_matrix_rows_by_column_role() -> None:
    table = (
        "| No. | Action | Lead | Partners | Budget |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Safe Routes Initiative | Harrow Housing Department | Ossel Youth Trust; "
        "World Bank | 20,000 |\n"
        "| 2 | Street lighting | Harrow Housing Department | Dunmore Tenants Union | 5,000 |"
    )
    batch = extract_document(
        _doc("matrix", [(None, "Annex: implementation matrix."), (None, table)])
    )
    impl = _pairs(batch, RelationKind.implements)
    assert ("Harrow Housing Department", "Safe Routes Initiative") in impl
    assert ("Ossel Youth Trust", "Safe Routes Initiative") in impl
    assert ("World Bank", "Safe Routes Initiative") not in impl  # supports, not delivers
    part = _undirected(batch, RelationKind.partnership)
    assert frozenset({"Harrow Housing Department", "Dunmore Tenants Union"}) in part
    # rows are not one sentence: bodies of different rows are not tied
    assert frozenset({"Ossel Youth Trust", "Dunmore Tenants Union"}) not in part


def test_relations_partner_table_funder_column_funds_the_rows_body() -> None:
    table = (
        "| Partner | Type | Role | Funded by |\n"
        "|---|---|---|---|\n"
        "| Ossel Youth Trust (OYT), Harrow Borough Council | NGO | clubs | World Bank |\n"
        "| Dunmore Tenants Union | community | lights | Tellavia Red Crescent Society |"
    )
    batch = extract_document(_doc("partners", [(None, table)]))
    funding = _pairs(batch, RelationKind.funding)
    assert ("World Bank", "Ossel Youth Trust") in funding
    assert ("World Bank", "Harrow Borough Council") not in funding
    assert ("Tellavia Red Crescent Society", "Dunmore Tenants Union") in funding


def test_relations_questions_assert_nothing_and_visits_to_us_are_ties() -> None:
    batch = extract_document(
        _doc(
            "kii-q",
            [
                ("Interviewer", "Does anyone from the Harbour Wardens Agency come to the club?"),
                ("R1", "Inspector Varo comes to our Saturday league."),
                ("R1", "Since January we are a Safe Routes Initiative site."),
            ],
            kind=DocumentKind.kii,
            respondents=(Respondent(speaker="R1", organisation="Fenwick Boxing Club"),),
        )
    )
    part = _undirected(batch, RelationKind.partnership)
    assert frozenset({"Fenwick Boxing Club", "Inspector Varo"}) in part
    assert not any("Harbour Wardens Agency" in p for p in part)
    assert ("Fenwick Boxing Club", "Safe Routes Initiative") in _pairs(
        batch, RelationKind.implements
    )


def test_relations_co_organising_and_receiving_referrals_are_partnerships() -> None:
    batch = _one(
        "The Dunmore Tenants Union has co-organised nine consultations with the Harrow "
        "Housing Department and receives referrals from the Ossel Youth Trust."
    )
    part = _undirected(batch, RelationKind.partnership)
    assert frozenset({"Dunmore Tenants Union", "Harrow Housing Department"}) in part
    assert frozenset({"Dunmore Tenants Union", "Ossel Youth Trust"}) in part


def test_relations_costs_met_from_budgets_are_not_meetings() -> None:
    batch = _one(
        "Most costs will be met from the budget of the Harrow Housing Department, the "
        "rest by the Ossel Youth Trust."
    )
    assert not _pairs(batch, RelationKind.coordinates)


def test_relations_they_did_not_only_after_the_speaker_reached_out() -> None:
    batch = _kii(
        [
            "Even the old men go to the Dunmore Chapel women's group. They don't ask who you are.",
        ],
        org="Kessel Traders Association",
    )
    assert not _pairs(batch, RelationKind.negative_coordination)


def test_relations_it_is_the_programme_the_question_was_about() -> None:
    batch = extract_document(
        _doc(
            "kii-it",
            [
                ("Interviewer", "Tell me about the Night Patrol Programme."),
                ("R1", "We run it in four wards."),
            ],
            kind=DocumentKind.kii,
            respondents=(Respondent(speaker="R1", organisation="Tarnby Police Command"),),
        )
    )
    assert ("Tarnby Police Command", "Night Patrol Programme") in _pairs(
        batch, RelationKind.implements
    )


def test_relations_people_belong_to_their_organisations() -> None:
    kii = _kii(["Inspector Dana Varo is our liaison for youth."], org="Tarnby Police Command")
    assert ("Inspector Dana Varo", "Tarnby Police Command") in _pairs(kii, RelationKind.member_of)
    # a member is not also a partner of her own service
    assert not _undirected(kii, RelationKind.coordinates) | _undirected(
        kii, RelationKind.partnership
    )
    doc = _one(
        "The Directorate for Families (DFF), a directorate of Harrow Borough Council "
        "headed by Dr Lidia Marr, leads the Safe Homes Strategy. *Contact: Amara Kolo, "
        "Coordinator, Harrow Safe Streets Network*"
    )
    members = _pairs(doc, RelationKind.member_of)
    assert ("Dr Lidia Marr", "Directorate for Families") in members
    assert ("Amara Kolo", "Harrow Safe Streets Network") in members
    assert "Dr Lidia Marr" in {e.name for e in doc.entities if e.label is Label.Person}


def test_relations_fallback_uses_the_cues_own_subject_and_skips_modifier_clauses() -> None:
    paid = _kii(
        ["I was trained last year as a mentor, the World Bank paid for the course."],
        org="Harrow Education Board",
    )
    assert ("World Bank", "Harrow Education Board") in _pairs(paid, RelationKind.funding)
    assert ("Harrow Education Board", "World Bank") not in _pairs(paid, RelationKind.funding)
    clause = _one(
        "The Ossel Youth Trust, an agency of the Ministry of Coastal Affairs, assesses "
        "every child referred under the scheme."
    )
    assert not _undirected(clause, RelationKind.partnership)


def test_relations_taking_the_speakers_details_is_not_a_tie() -> None:
    batch = _kii(
        ["We wrote to the Anti-Fraud Bureau. The first time they took my name."],
        org="Quay Mothers' Circle",
    )
    assert not _undirected(batch, RelationKind.partnership)


def test_relations_negative_without_speaker_takes_the_between_pair() -> None:
    batch = extract_document(
        _doc(
            "between",
            [
                (
                    None,
                    "The Ossel Housing Office refers families to shelters, but there is no "
                    "data-sharing protocol between the Ossel Health Directorate and the "
                    "Ministry of Labour and Employment.",
                )
            ],
        )
    )
    assert _undirected(batch, RelationKind.negative_coordination) == {
        frozenset({"Ossel Health Directorate", "Ministry of Labour and Employment"})
    }


def _theme_mandates(batch: GraphBatch) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in batch.entities}
    return {
        (names[r.source_id], r.target_id)
        for r in batch.relations
        if r.kind is RelationKind.mandate and r.target_label is Label.Theme
    }


def test_relations_a_given_remit_is_a_mandate_on_its_theme() -> None:
    batch = extract_document(
        _doc(
            "remits",
            [
                (
                    None,
                    "The Child Safety Act 2018 gives the Ministry of Family Affairs "
                    "responsibility for shelters for survivors of domestic violence.",
                ),
                (
                    None,
                    "The Ossel Safety Plan gives the Harbour Welfare Department the task of "
                    "running family support desks for children at risk of abuse and neglect.",
                ),
                (
                    None,
                    "The Ministry of Health tasks the Ossel Treatment Service with opioid "
                    "substitution in the port districts.",
                ),
                (None, "The Ossel Youth Office is responsible for gang prevention."),
            ],
            kind=DocumentKind.plan,
        )
    )
    mandates = _theme_mandates(batch)
    assert ("Ministry of Family Affairs", "gender_based_violence") in mandates
    assert ("Harbour Welfare Department", "violence_against_children") in mandates
    assert ("Ossel Treatment Service", "drug_treatment") in mandates
    assert ("Ossel Youth Office", "youth_violence") in mandates
    # the giver of a remit keeps no mandate on it
    assert not any(n == "Ministry of Health" for n, _ in mandates)
    pairs = _pairs(batch, RelationKind.mandate)
    assert ("Ministry of Health", "Ossel Treatment Service") in pairs
    # a policy's remit is no tie between bodies, and no "support" partnership either
    assert not any(a.startswith(("Child Safety Act", "Ossel Safety Plan")) for a, _ in pairs)
    assert not _pairs(batch, RelationKind.partnership)


def test_relations_coordinating_part_of_a_programme_is_not_running_it() -> None:
    batch = _one(
        "The Harbour District Committees coordinate the deployment of the Safe Streets "
        "Programme of the Ossel Police Service."
    )
    assert ("Harbour District Committees", "Safe Streets Programme") in _pairs(
        batch, RelationKind.coordinates
    )
    assert not _pairs(batch, RelationKind.implements)
    runs = _one(
        "The Ossel Anti-Trafficking Commission coordinates the National Referral Mechanism."
    )
    assert ("Ossel Anti-Trafficking Commission", "National Referral Mechanism") in _pairs(
        runs, RelationKind.implements
    )


def test_relations_an_answer_about_the_body_the_interviewer_asked_about() -> None:
    batch = extract_document(
        _doc(
            "asked",
            [
                ("Interviewer", "Have you heard of the Fenwick Integrity Office?"),
                (
                    "R1",
                    "The integrity office? That is in the capital. Nobody here has ever seen them.",
                ),
            ],
            kind=DocumentKind.kii,
            respondents=(
                Respondent(speaker="R1", organisation="Fenwick Street Traders' Association"),
            ),
        )
    )
    assert _undirected(batch, RelationKind.negative_coordination) == {
        frozenset({"Fenwick Street Traders' Association", "Fenwick Integrity Office"})
    }


def test_relations_spanish_person_with_role_of_a_body_is_its_member() -> None:
    # Universal Dependencies (the Spanish model) hang "de" under the body, not the role.
    doc = _doc(
        "es-member",
        [
            (
                None,
                "Agradecemos el compromiso del Dr. Ramiro Ocaña Vidal, coordinador de la "
                "Unidad de Atención en Adicciones de Puerto Lirio.",
            ),
        ],
    ).model_copy(update={"language": "es"})
    with decision_weights(None):  # one sentence: the actor decision wants more support
        batch = extract_document(doc)
    assert (
        "Dr. Ramiro Ocaña Vidal",
        "Unidad de Atención en Adicciones de Puerto Lirio",
    ) in _pairs(batch, RelationKind.member_of)


def test_relations_passive_participle_acts_on_the_noun_it_modifies() -> None:
    with decision_weights(None):
        batch = _one(
            "The Brenmoor Youth Mentoring Programme (BYMP), implemented by the Department "
            "of Sport and Culture, reached 400 young people."
        )
    assert ("Department of Sport and Culture", "Brenmoor Youth Mentoring Programme") in _pairs(
        batch, RelationKind.implements
    )


def test_relations_negated_tie_noun_between_two_named_bodies() -> None:
    """'no structured engagement between A and B': a negation scoping a noun of a working
    tie (nlp/data/relation_cues.json coordination_nouns), the two sides from 'between'."""
    batch = _one(
        "The Department notes that there is at present no structured engagement between "
        "the Ossel Family Services Directorate and the Harbour Anti-Trafficking Unit."
    )
    assert _undirected(batch, RelationKind.negative_coordination) == {
        frozenset({"Ossel Family Services Directorate", "Harbour Anti-Trafficking Unit"})
    }


def test_relations_negation_without_named_sides_guesses_no_pair() -> None:
    """'The Chair noted that the group was not registered with the Department and that the
    Committee had no working relationship with it': a negated clause with one named side
    ties nobody (it used to pair whichever two bodies came first)."""
    batch = _one(
        "The Chair of the Ossel Ward Safety Committee noted that the group was not registered "
        "with the Harrow Social Services Department and that the Committee had no working "
        "relationship with it."
    )
    assert not _undirected(batch, RelationKind.negative_coordination)


def test_relations_speaker_negation_stays_inside_its_clause() -> None:
    """A semicolon ends the negated clause: the body named after it is not the one the
    speaker has no relationship with."""
    batch = _kii(
        [
            "With the Quay Women's Network we have no relationship; the Harrow Health Office "
            "sees to that."
        ],
        org="Tarnby Police Command",
    )
    assert _undirected(batch, RelationKind.negative_coordination) == {
        frozenset({"Tarnby Police Command", "Quay Women's Network"})
    }


def test_relations_a_third_partys_negation_is_not_the_speakers() -> None:
    """'Bright Steps, for example, has never had any arrangement with X': the subject is a
    third party (not even recognised as a body), so the speaker's body is not a side."""
    batch = _kii(
        [
            "Bright Steps, for example, has never had any direct arrangement with the Ossel Youth Trust."
        ],
        org="Tarnby Police Command",
    )
    neg = _undirected(batch, RelationKind.negative_coordination)
    assert not any("Tarnby Police Command" in p for p in neg)


def _report(texts: list[str]) -> GraphBatch:
    return extract_document(_doc("report-" + texts[0][:20], [(None, t) for t in texts]))


_BODIES = [
    "The Harrow Borough Council runs the night shelter. The Ossel Youth Trust runs the "
    "mentoring scheme. The Tarnby Police Command patrols the market.",
    "The Harrow Borough Council, the Ossel Youth Trust and the Tarnby Police Command "
    "report every quarter to the Harrow Street Safety Forum.",
]


def test_relations_a_body_that_brings_members_together_gives_them_seats() -> None:
    """'The Forum brings together A, B and C' / 'is composed of A, B and C': each listed
    body sits on the forum (member_of -> it); the members get no ties to each other."""
    for sentence in (
        "The Harrow Street Safety Forum brings together the Harrow Borough Council, the "
        "Ossel Youth Trust and the Tarnby Police Command.",
        "The Harrow Street Safety Forum is composed of the Harrow Borough Council, the "
        "Ossel Youth Trust and the Tarnby Police Command.",
    ):
        batch = _report([*_BODIES, sentence])
        seats = {
            (s, t)
            for s, t in _pairs(batch, RelationKind.member_of)
            if t == "Harrow Street Safety Forum"
        }
        assert seats == {
            ("Harrow Borough Council", "Harrow Street Safety Forum"),
            ("Ossel Youth Trust", "Harrow Street Safety Forum"),
            ("Tarnby Police Command", "Harrow Street Safety Forum"),
        }, sentence


def test_relations_bringing_together_people_is_no_membership() -> None:
    """'The Trust brings together young people and the Police Command': one named body
    besides the subject is not a list of members."""
    batch = _report(
        [
            *_BODIES,
            "The Ossel Youth Trust brings together young people and the Tarnby Police Command.",
        ]
    )
    assert not {t for _, t in _pairs(batch, RelationKind.member_of)} & {"Ossel Youth Trust"}
