"""Gap rules on small fictional scenarios: each kind fires, coordinating pairs never do."""

from __future__ import annotations

from test_analysis_scenarios import actor, ev, policy, rel, subgraph, works

from analysis import Finding, GapFilters, GapKind, find_gaps, finding_id
from graph_schema.model import RelationKind as K

GBV = "gender_based_violence"
ALL = GapFilters(min_score=0.0)


def _kinds(findings: list[Finding], kind: GapKind) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def _pairs(findings: list[Finding]) -> set[frozenset[str]]:
    return {frozenset(f.actor_ids) for f in findings if len(f.actors) == 2}


def _two_mandates(*extra_relations):  # type: ignore[no-untyped-def]
    actors = [
        actor("health_office", "local", "government"),
        actor("family_ministry", "national", "government"),
    ]
    relations = [
        works("health_office", GBV, ("plan", 1), ("kii1", 2)),
        works("family_ministry", GBV, ("law", 1), ("kii1", 3)),
        *extra_relations,
    ]
    return actors, relations


def test_gaps_shared_mandate_no_link_flags_unlinked_pair() -> None:
    actors, relations = _two_mandates()
    found = _kinds(find_gaps(subgraph(actors, relations)), GapKind.shared_mandate_no_link)
    assert [f.actor_ids for f in found] == [("family_ministry", "health_office")]
    f = found[0]
    assert f.theme == GBV and 0.3 <= f.score <= 1.0
    assert "Health Office" in f.explanation and "Family Ministry" in f.explanation
    # Absence-type gap: evidence is each actor's activity on the theme.
    assert {e.passage_id for e in f.evidence} >= {"plan:1", "law:1"}


def test_gaps_coordinating_pair_is_never_flagged() -> None:
    for kind in (K.partnership, K.coordinates, K.funding, K.mou):
        tie = rel(kind, "health_office", "family_ministry", ev("kii1", 9), conf=0.8)
        # A weaker contradicting statement does not make a coordinating pair a gap.
        no = rel(
            K.negative_coordination, "family_ministry", "health_office", ev("kii2", 1), conf=0.6
        )
        actors, relations = _two_mandates(tie, no)
        found = find_gaps(subgraph(actors, relations), filters=ALL)
        assert frozenset(("health_office", "family_ministry")) not in _pairs(found), kind


def test_gaps_contested_tie_is_reported_with_the_statement() -> None:
    # A weak positive reading ("one meeting a month, that is all we ask") against a
    # first-hand "nobody from the Ministry has ever come": the statement is the finding.
    tie = rel(K.coordinates, "health_office", "family_ministry", ev("kii1", 9), conf=0.45)
    no = rel(K.negative_coordination, "health_office", "family_ministry", ev("kii2", 1), conf=0.55)
    actors, relations = _two_mandates(tie, no)
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    flagged = [f for f in found if {a.id for a in f.actors} == {"health_office", "family_ministry"}]
    assert flagged and "kii2:1" in {e.passage_id for e in flagged[0].evidence}


def test_gaps_shared_body_counts_as_link() -> None:
    forum = actor("safety_forum", "local", "government")
    actors, relations = _two_mandates(
        rel(K.coordinates, "health_office", "safety_forum", ev("plan", 5)),
        rel(K.coordinates, "family_ministry", "safety_forum", ev("plan", 6)),
    )
    found = find_gaps(subgraph([*actors, forum], relations), filters=ALL)
    assert frozenset(("health_office", "family_ministry")) not in _pairs(found)


def test_gaps_person_tie_counts_for_their_organisation() -> None:
    officer = actor("inspector_vale", "national", "government", label="Person")
    actors, relations = _two_mandates(
        rel(K.member_of, "inspector_vale", "family_ministry"),
        rel(K.partnership, "inspector_vale", "health_office", ev("kii2", 4)),
    )
    found = find_gaps(subgraph([*actors, officer], relations), filters=ALL)
    assert frozenset(("health_office", "family_ministry")) not in _pairs(found)


def test_gaps_shared_mandate_and_statement_is_one_finding() -> None:
    actors, relations = _two_mandates(
        rel(K.negative_coordination, "health_office", "family_ministry", ev("kii2", 1))
    )
    plain = find_gaps(subgraph(*_two_mandates()), filters=ALL)
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    pair = [f for f in found if len(f.actors) == 2]
    assert [f.kind for f in pair] == [GapKind.shared_mandate_no_link]
    assert pair[0].score > plain[0].score  # the statement confirms the absence
    assert "kii2:1" in {e.passage_id for e in pair[0].evidence}


def test_gaps_negative_evidence_flags_stated_non_coordination() -> None:
    actors = [
        actor("drug_agency", "national", "government"),
        actor("north_youth_club", "non_state", "community_group"),
    ]
    relations = [
        works("drug_agency", "drug_prevention", ("law", 1)),
        rel(
            K.negative_coordination,
            "north_youth_club",
            "drug_agency",
            ev("kii1", 4, "Nobody from the agency has ever come here."),
        ),
        rel(K.partnership, "north_youth_club", "city_hall", ev("kii1", 5)),
    ]
    city = actor("city_hall", "local", "government")
    found = _kinds(find_gaps(subgraph([*actors, city], relations)), GapKind.negative_evidence)
    assert [f.actor_ids for f in found] == [("drug_agency", "north_youth_club")]
    assert found[0].theme == "drug_prevention"  # what the agency was expected to bring
    assert found[0].evidence[0].quote == "Nobody from the agency has ever come here."


def _two_levels(*extra):  # type: ignore[no-untyped-def]
    theme = "community_safety"
    actors = [
        actor("city_hall", "local", "government"),
        actor("ward_forum", "local", "government"),
        actor("interior_ministry", "national", "government"),
        actor("district_board", "national", "government"),
    ]
    relations = [
        works("city_hall", theme, ("plan", 1), ("plan", 2)),
        works("ward_forum", theme, ("plan", 3)),
        works("interior_ministry", theme, ("law", 1), ("law", 2)),
        works("district_board", theme, ("law", 3), ("kii1", 1)),
        rel(K.coordinates, "city_hall", "ward_forum", ev("plan", 4)),
        rel(K.mandate, "interior_ministry", "district_board", ev("law", 4)),
        *extra,
    ]
    return actors, relations


def test_gaps_level_disconnect_names_both_sides() -> None:
    no = rel(K.negative_coordination, "district_board", "ward_forum", ev("kii1", 2))
    found = _kinds(find_gaps(subgraph(*_two_levels(no))), GapKind.level_disconnect)
    assert len(found) == 1
    f = found[0]
    assert f.theme == "community_safety"
    assert {a.level for a in f.actors} == {"local", "national"}
    # One principal per side (those a source says do not coordinate come first); the rest
    # of each side is context, so no same-side pair is named as if it were a gap.
    assert set(f.actor_ids) == {"ward_forum", "district_board"}
    assert {a.id for a in f.context_actors} == {"city_hall", "interior_ministry"}
    assert "kii1:2" in {e.passage_id for e in f.evidence}
    # The cross-level statement is part of this story, not a second finding.
    assert not _kinds(find_gaps(subgraph(*_two_levels(no)), filters=ALL), GapKind.negative_evidence)


def test_gaps_level_disconnect_needs_no_cross_tie() -> None:
    tie = rel(K.partnership, "ward_forum", "district_board", ev("kii1", 7))
    found = find_gaps(subgraph(*_two_levels(tie)), filters=ALL)
    assert not _kinds(found, GapKind.level_disconnect)


def test_gaps_single_point_of_failure_flags_only_bridge() -> None:
    theme = "drug_treatment"
    actors = [
        actor("recovery_trust", "non_state", "ngo"),
        actor("police_command", "national", "police_justice"),
        actor("clinic_network", "local", "government"),
        actor("outreach_team", "local", "government"),
    ]
    relations = [
        works("recovery_trust", theme, ("plan", 1), ("kii1", 1), ("kii2", 1)),
        works("police_command", theme, ("kii1", 2)),
        works("clinic_network", theme, ("plan", 2)),
        works("outreach_team", theme, ("plan", 3)),
        rel(K.partnership, "police_command", "recovery_trust", ev("kii1", 3)),
        rel(K.partnership, "clinic_network", "recovery_trust", ev("plan", 4)),
        rel(K.coordinates, "clinic_network", "outreach_team", ev("plan", 5)),
        rel(K.partnership, "outreach_team", "recovery_trust", ev("plan", 6)),
    ]
    found = _kinds(find_gaps(subgraph(actors, relations)), GapKind.single_point_of_failure)
    assert [f.actor_ids for f in found] == [("recovery_trust",)]
    assert found[0].theme == theme
    # A second route between police and clinics removes the single point.
    relations.append(rel(K.partnership, "police_command", "outreach_team", ev("kii2", 2)))
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    assert not _kinds(found, GapKind.single_point_of_failure)


def test_gaps_absent_from_policy_flags_interview_only_actor() -> None:
    actors = [
        actor("mosque_committee", "non_state", "faith_group", docs=("fgd1", "kii2")),
        actor("vendor_union", "non_state", "community_group", docs=("fgd1", "plan")),
        actor("city_hall", "local", "government"),
    ]
    relations = [
        rel(K.partnership, "mosque_committee", "vendor_union", ev("fgd1", 1)),
        rel(K.partnership, "mosque_committee", "city_hall", ev("kii2", 1)),
        works("mosque_committee", GBV, ("fgd1", 2), kind=K.works_on),
    ]
    found = _kinds(find_gaps(subgraph(actors, relations)), GapKind.absent_from_policy)
    assert [f.actor_ids for f in found] == [("mosque_committee",)]
    assert found[0].theme == GBV
    assert {e.document_kind for e in found[0].evidence} <= {"kii", "fgd"}
    # Without policy documents there is nothing to be absent from.
    no_policy = subgraph(actors, relations, docs=("kii1", "kii2", "fgd1"))
    assert not _kinds(find_gaps(no_policy, filters=ALL), GapKind.absent_from_policy)


def test_gaps_policy_without_implementer_flags_orphan_programme() -> None:
    actors = [
        actor("city_hall", "local", "government"),
        actor("markets_office", "local", "government"),
    ]
    policies = [
        policy("safe_markets", ("community_safety", GBV), docs=("plan", "fgd1")),
        policy("night_buses", ("community_safety",)),
    ]
    relations = [
        rel(K.mandate, "city_hall", "safe_markets"),
        rel(K.implements, "markets_office", "night_buses", ev("plan", 2)),
    ]
    found = _kinds(
        find_gaps(subgraph(actors, relations, policies)), GapKind.policy_without_implementer
    )
    assert [[p.id for p in f.policies] for f in found] == [["safe_markets"]]
    assert found[0].actor_ids == ("city_hall",)  # the owner is named
    assert found[0].theme == "community_safety"  # the first listed theme


def test_gaps_isolated_actor_flags_only_untied_non_state() -> None:
    actors = [
        actor("crime_lab", "non_state", "academia", docs=("plan", "kii1")),
        actor("legal_aid", "non_state", "ngo"),
        actor("city_hall", "local", "government"),
        actor("police_command", "national", "police_justice"),
    ]
    relations = [
        rel(K.partnership, "legal_aid", "city_hall", ev("plan", 1)),
        rel(K.negative_coordination, "police_command", "crime_lab", ev("kii1", 1)),
    ]
    found = find_gaps(subgraph(actors, relations))
    isolated = _kinds(found, GapKind.isolated_actor)
    assert [f.actor_ids for f in isolated] == [("crime_lab",)]
    assert isolated[0].score > 0.9
    # The police statement is cited there rather than repeated as its own finding.
    assert "kii1:1" in {e.passage_id for e in isolated[0].evidence}
    assert not _kinds(found, GapKind.negative_evidence)


def test_gaps_filter_min_confidence_ignores_weak_relations() -> None:
    weak = rel(K.partnership, "health_office", "family_ministry", ev("kii1", 9), conf=0.4)
    sg = subgraph(*_two_mandates(weak))
    assert not _kinds(find_gaps(sg, filters=ALL), GapKind.shared_mandate_no_link)
    strict = GapFilters(min_score=0.0, min_confidence=0.5)
    assert _kinds(find_gaps(sg, filters=strict), GapKind.shared_mandate_no_link)


def test_gaps_filter_theme_level_kind_and_limit() -> None:
    sg = subgraph(*_two_levels())
    assert find_gaps(sg, filters=GapFilters(themes=frozenset({GBV}))) == []
    both = find_gaps(sg, filters=GapFilters(level_pair=("national", "local"), min_score=0.0))
    assert both and all({a.level for a in f.actors} == {"local", "national"} for f in both)
    assert (
        find_gaps(
            sg,
            filters=GapFilters(
                level_pair=("local", "local"),
                min_score=0.0,
                kinds=frozenset({GapKind.level_disconnect}),
            ),
        )
        == []
    )
    assert len(find_gaps(sg, filters=GapFilters(min_score=0.0, limit=1))) == 1


def test_gaps_filter_documents_restricts_evidence() -> None:
    actors, relations = _two_mandates()
    sg = subgraph(actors, relations)
    only_kii = find_gaps(sg, filters=GapFilters(document_kinds=frozenset({"kii"}), min_score=0.0))
    assert only_kii
    assert all(e.document_kind == "kii" for f in only_kii for e in f.evidence)
    only_plan = find_gaps(sg, filters=GapFilters(document_ids=frozenset({"plan"}), min_score=0.0))
    # The ministry has no passage in the plan: nothing is left to pair it with.
    assert not _kinds(only_plan, GapKind.shared_mandate_no_link)


def test_gaps_ids_are_stable_and_ranked() -> None:
    actors, relations = _two_levels()
    a = find_gaps(subgraph(actors, relations), filters=ALL)
    b = find_gaps(subgraph(actors[::-1], relations[::-1]), filters=ALL)
    assert [f.id for f in a] == [f.id for f in b]
    assert [f.score for f in a] == sorted((f.score for f in a), reverse=True)
    assert finding_id(GapKind.negative_evidence, ("x", "y"), "t") == finding_id(
        "negative_evidence", ("y", "x"), "t"
    )
    assert finding_id(GapKind.negative_evidence, ("x", "y"), "t") != finding_id(
        GapKind.negative_evidence, ("x", "y"), "u"
    )


def test_gaps_default_min_score_caps_noise() -> None:
    # Two actors, each seen once, informally, on a theme: not enough to report by default.
    actors = [
        actor("ngo_a", "non_state", "ngo"),
        actor("ngo_b", "non_state", "ngo"),
        actor("city_hall", "local", "government"),
    ]
    relations = [
        works("ngo_a", GBV, ("kii1", 1), kind=K.works_on),
        works("ngo_b", GBV, ("kii2", 1), kind=K.works_on),
        rel(K.funding, "city_hall", "ngo_a", ev("plan", 1)),
        rel(K.funding, "city_hall", "ngo_b", ev("plan", 2)),
    ]
    sg = subgraph(actors, relations)
    assert _kinds(find_gaps(sg, filters=ALL), GapKind.shared_mandate_no_link)
    assert not _kinds(find_gaps(sg), GapKind.shared_mandate_no_link)


def test_gaps_level_disconnect_national_vs_non_state_despite_local_funding() -> None:
    # The city funds the NGOs, so government as a whole is tied to them, but the national
    # agency on the theme has no non-state partner: a national / non-state disconnect.
    theme = "drug_treatment"
    actors = [
        actor("city_hall", "local", "government"),
        actor("treatment_agency", "national", "government"),
        actor("health_ministry", "national", "government"),
        actor("youth_rehab", "local", "ngo"),  # type decides the sector, not level
        actor("harm_reduction", "non_state", "ngo"),
        actor("city_clinic", "local", "government"),
    ]
    relations = [
        works("city_hall", theme, ("plan", 1)),
        works("city_clinic", theme, ("plan", 4)),
        rel(K.coordinates, "city_clinic", "youth_rehab", ev("plan", 5)),
        works("treatment_agency", theme, ("law", 1), ("kii1", 1)),
        works("health_ministry", theme, ("law", 2)),
        works("youth_rehab", theme, ("kii1", 2), ("kii1", 3), kind=K.works_on),
        works("harm_reduction", theme, ("kii2", 1), kind=K.works_on),
        rel(K.funding, "city_hall", "youth_rehab", ev("plan", 2)),
        rel(K.funding, "city_hall", "harm_reduction", ev("plan", 3)),
        rel(K.mandate, "health_ministry", "treatment_agency", ev("law", 3)),
    ]
    found = _kinds(find_gaps(subgraph(actors, relations)), GapKind.level_disconnect)
    # (The city and the national bodies are not tied either: a second, local/national one.)
    named = {frozenset(f.actor_ids) for f in found if f.theme == theme}
    assert frozenset(("treatment_agency", "youth_rehab")) in named


def test_gaps_policy_without_implementer_needs_an_owner_and_a_real_name() -> None:
    actors = [
        actor("port_authority", "national", "government"),
        actor("integrity_bureau", "national", "government"),
        actor("city_hall", "local", "government"),
    ]
    policies = [
        # Parties named in the passage of a policy document that states the pact.
        policy("port_integrity_pact", ("corruption",), label="Policy"),
        policy("penal_code", (), label="Policy", docs=("law",)),  # cited law
        policy("policy_brief", ("community_safety",), label="Policy"),  # a document title
        policy("night_buses", ("community_safety",)),  # funded: under way
    ]
    relations = [
        rel(K.addresses, "port_integrity_pact", "corruption", ev("plan", 7)),
        rel(K.coordinates, "port_authority", "integrity_bureau", ev("plan", 7)),
        rel(K.addresses, "penal_code", "policing", ev("law", 2)),
        rel(K.partnership, "port_authority", "city_hall", ev("law", 2)),
        rel(K.addresses, "policy_brief", "community_safety", ev("plan", 8)),
        rel(K.works_on, "city_hall", "community_safety", ev("plan", 8)),
        rel(K.mandate, "city_hall", "night_buses"),
        rel(K.funding, "city_hall", "night_buses", ev("plan", 9)),
    ]
    found = _kinds(
        find_gaps(subgraph(actors, relations, policies), filters=ALL),
        GapKind.policy_without_implementer,
    )
    assert [[p.id for p in f.policies] for f in found] == [["port_integrity_pact"]]
    assert set(found[0].actor_ids) == {"port_authority", "integrity_bureau"}
    # An inferred owner is less sure than a stated mandate.
    assert found[0].score < 0.75


def test_gaps_absent_and_isolated_actor_is_one_absent_finding() -> None:
    # Named by two respondents, never in a policy document, no tie to government.
    actors = [
        actor("mosque_committee", "non_state", "faith_group", docs=("fgd1", "kii2")),
        actor("city_hall", "local", "government"),
    ]
    found = find_gaps(subgraph(actors, []), filters=ALL)
    about = [f for f in found if f.actor_ids == ("mosque_committee",)]
    assert [f.kind for f in about] == [GapKind.absent_from_policy]
    assert "no tie to any government actor" in about[0].explanation
    assert about[0].score >= 0.75  # as sure as the isolation it absorbs


def test_gaps_single_point_counting_matches_the_definition() -> None:
    """The counted implementation agrees with the brute-force definition on random graphs:
    x is a single point when removing it cuts some cross-level pair of theme actors."""
    import random
    from itertools import combinations

    import networkx as nx

    from analysis._context import build_context
    from analysis._structure import single_point_findings, theme_graph

    theme = "drug_treatment"
    levels = ("local", "national", "non_state")
    flagged_somewhere = 0
    for seed in range(25):
        rng = random.Random(seed)
        n = rng.randint(4, 12)
        ids = [f"a{i}" for i in range(n)]
        actors = [actor(i, rng.choice(levels), "government") for i in ids]
        relations = [works(i, theme, ("plan", k + 1)) for k, i in enumerate(ids)]
        for k, (u, v) in enumerate(combinations(ids, 2)):
            if rng.random() < 0.25:
                relations.append(rel(K.partnership, u, v, ev("plan", 100 + k)))
        ctx = build_context(subgraph(actors, relations))
        g = theme_graph(ctx, theme)
        active = [a for a in ctx.on_theme(theme) if a in g]
        expected = set()
        for x in active:
            others = [a for a in active if a != x]
            rest = g.copy()
            rest.remove_node(x)
            for u, v in combinations(others, 2):
                if (
                    ctx.actors[u].level != ctx.actors[v].level
                    and nx.has_path(g, u, v)
                    and not nx.has_path(rest, u, v)
                ):
                    expected.add(x)
                    break
        got = {f.actor_ids[0] for f in single_point_findings(ctx, None)}
        assert got == expected, seed
        flagged_somewhere += bool(got)
    assert flagged_somewhere >= 5  # the random graphs do contain single points


def test_gaps_shared_mandate_pairs_are_capped_per_actor() -> None:
    from analysis._pairs import PAIRS_PER_ACTOR

    theme = "policing"
    ids = [f"body_{i}" for i in range(10)]
    actors = [actor(i, "local" if n % 2 else "national", "government") for n, i in enumerate(ids)]
    relations = [works(i, theme, ("plan", n + 1), ("kii1", n + 1)) for n, i in enumerate(ids)]
    found = _kinds(
        find_gaps(subgraph(actors, relations), filters=ALL), GapKind.shared_mandate_no_link
    )
    assert found, "unlinked actors on one theme do share a mandate"
    assert len(found) <= PAIRS_PER_ACTOR * len(ids) < 45  # 45 = every pair
    assert {a for f in found for a in f.actor_ids} == set(ids)  # nobody disappears


def test_gaps_level_disconnect_names_each_sides_convener() -> None:
    # Two tables that never meet: the city's forum (three local bodies sit at it) and the
    # national district board (two national bodies). A member of each side says it does
    # not work with a member of the other, but the link that would join the sides is
    # between the two conveners; the statement is cited, its speakers are context.
    theme = "community_safety"
    actors = [
        actor("safety_forum", "local", "government"),
        actor("city_hall", "local", "government"),
        actor("social_dept", "local", "government"),
        actor("parks_office", "local", "government"),
        actor("district_board", "national", "government"),
        actor("police_command", "national", "police_justice"),
        actor("interior_ministry", "national", "government"),
    ]
    relations = [
        *(works(a.id, theme, ("plan", n + 1)) for n, a in enumerate(actors)),
        works("city_hall", theme, ("plan", 11), ("plan", 12)),
        works("police_command", theme, ("kii1", 11), ("kii1", 12)),
        *(
            rel(K.coordinates, x, "safety_forum", ev("plan", 20 + n))
            for n, x in enumerate(("city_hall", "social_dept", "parks_office"))
        ),
        rel(K.coordinates, "police_command", "district_board", ev("law", 1)),
        rel(K.mandate, "interior_ministry", "district_board", ev("law", 2)),
        rel(K.negative_coordination, "police_command", "city_hall", ev("kii1", 1)),
    ]
    found = _kinds(find_gaps(subgraph(actors, relations)), GapKind.level_disconnect)
    assert len(found) == 1
    assert set(found[0].actor_ids) == {"safety_forum", "district_board"}
    assert {"city_hall", "police_command"} <= {a.id for a in found[0].context_actors}
    assert "kii1:1" in {e.passage_id for e in found[0].evidence}


def test_gaps_statement_about_an_organisation_does_not_undo_its_members_tie() -> None:
    # "Apart from her, the Port Division never calls us": the division as a body does not
    # coordinate with the shelter, one sergeant does. Her tie is the division's tie (people
    # fold into their organisation) and a statement about the body does not contest it, so
    # the shelter is not isolated from government. A statement about the sergeant herself
    # (or an organisation-level tie) is contested as before.
    actors = [
        actor("port_division", "national", "police_justice"),
        actor("sgt_castle", "national", "police_justice", label="Person"),
        actor("harbour_shelter", "non_state", "faith_group", docs=("plan", "fgd1")),
    ]
    relations = [
        works("harbour_shelter", "trafficking", ("plan", 1), ("fgd1", 1)),
        works("port_division", "trafficking", ("plan", 2)),
        rel(K.member_of, "sgt_castle", "port_division"),
        rel(K.partnership, "sgt_castle", "harbour_shelter", ev("fgd1", 2)),
        rel(K.negative_coordination, "harbour_shelter", "port_division", ev("fgd1", 3)),
    ]
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    assert not [f for f in found if "harbour_shelter" in f.actor_ids]
    about_her = rel(K.negative_coordination, "harbour_shelter", "sgt_castle", ev("fgd1", 4))
    found = find_gaps(subgraph(actors, [*relations, about_her]), filters=ALL)
    assert _kinds(found, GapKind.isolated_actor)


def test_gaps_statement_and_shared_theme_combine_as_independent_evidence() -> None:
    # An explicit statement and a shared theme are two independent signs of a gap: the pair
    # with both ranks above a pair with only the statement, whichever kind names it.
    actors, relations = _two_mandates(
        rel(K.negative_coordination, "health_office", "family_ministry", ev("kii2", 1)),
        rel(K.negative_coordination, "market_union", "family_ministry", ev("fgd1", 1)),
        rel(K.negative_coordination, "women_ngo", "family_ministry", ev("fgd1", 2)),
        works("women_ngo", GBV, ("fgd1", 3), kind=K.works_on),
        # Tied to the city, so neither is an isolated actor (which would absorb its statement).
        rel(K.partnership, "market_union", "health_office", ev("fgd1", 4)),
        rel(K.partnership, "women_ngo", "health_office", ev("fgd1", 5)),
    )
    actors += [
        actor("market_union", "non_state", "community_group"),
        actor("women_ngo", "non_state", "ngo"),
    ]
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    score = {frozenset(f.actor_ids): (f.kind, f.score) for f in found if len(f.actors) == 2}
    bare = score[frozenset(("market_union", "family_ministry"))]
    mandate = score[frozenset(("health_office", "family_ministry"))]
    informal = score[frozenset(("women_ngo", "family_ministry"))]
    assert bare[0] == informal[0] == GapKind.negative_evidence
    assert mandate[0] == GapKind.shared_mandate_no_link
    assert mandate[1] > bare[1] and informal[1] > bare[1]


def test_gaps_statement_confirms_the_disconnect_on_its_pairs_main_theme_only() -> None:
    # City and ministry bodies are disconnected on two themes. A statement that the city
    # hall and the district board do not coordinate is about the theme they both mostly
    # work on; it confirms that disconnect, not the one on a theme they touch in passing.
    main, side = "community_safety", "drug_prevention"
    actors, relations = _two_levels()
    relations += [
        works("city_hall", side, ("law", 7)),
        works("ward_forum", side, ("law", 8)),
        works("interior_ministry", side, ("law", 9)),
        works("district_board", side, ("law", 10)),
    ]
    no = rel(K.negative_coordination, "district_board", "city_hall", ev("kii2", 1))
    plain = {
        f.theme: f.score
        for f in find_gaps(subgraph(actors, relations), filters=ALL)
        if f.kind == GapKind.level_disconnect
    }
    said = {
        f.theme: f.score
        for f in find_gaps(subgraph(actors, [*relations, no]), filters=ALL)
        if f.kind == GapKind.level_disconnect
    }
    assert said[main] > plain[main]
    assert said[side] == plain[side]


def test_gaps_statement_on_another_theme_is_not_absorbed_by_a_disconnect() -> None:
    # The two levels are disconnected on community safety; the ward forum and the ministry
    # are also said not to coordinate, but what they most share is drug prevention. The
    # disconnect does not cite that statement, so it stays a finding of its own (and is
    # not lost).
    actors, relations = _two_levels()
    relations += [
        works(
            "ward_forum", "drug_prevention", ("kii1", 7), ("kii1", 8), ("kii1", 9), kind=K.works_on
        ),
        works("interior_ministry", "drug_prevention", ("law", 7), ("law", 8), ("law", 9)),
        rel(K.negative_coordination, "ward_forum", "interior_ministry", ev("kii2", 1)),
    ]
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    ld = _kinds(found, GapKind.level_disconnect)
    assert [f.theme for f in ld] == ["community_safety"]
    assert "kii2:1" not in {e.passage_id for e in ld[0].evidence}
    pair = [f for f in found if f.kind == GapKind.negative_evidence]
    assert [(f.actor_ids, f.theme) for f in pair] == [
        (("interior_ministry", "ward_forum"), "drug_prevention")
    ]


def _one_officer(*extra):  # type: ignore[no-untyped-def]
    theme = "trafficking"
    actors = [
        actor("port_police", "national", "police_justice"),
        actor("sgt_castle", "national", "police_justice", label="Person"),
        actor("harbour_shelter", "non_state", "faith_group"),
        actor("children_network", "non_state", "ngo"),
        actor("diversion_service", "national", "government"),
    ]
    relations = [
        *(
            works(a, theme, ("plan", n + 1))
            for n, a in enumerate(
                ("port_police", "harbour_shelter", "children_network", "diversion_service")
            )
        ),
        rel(K.member_of, "sgt_castle", "port_police"),
        rel(K.partnership, "sgt_castle", "harbour_shelter", ev("fgd1", 1)),
        rel(K.coordinates, "sgt_castle", "children_network", ev("fgd1", 2)),
        rel(K.partnership, "port_police", "diversion_service", ev("kii2", 1)),
        *extra,
    ]
    return actors, relations


def test_gaps_single_point_of_failure_flags_a_person_who_carries_the_ties() -> None:
    # The police's ties to the shelter and the children's network exist only through one
    # sergeant ("apart from her, the Port Division never calls us"): if she leaves, the
    # police have no link to the non-state side on the theme.
    no = rel(K.negative_coordination, "harbour_shelter", "port_police", ev("fgd1", 3))
    found = _kinds(
        find_gaps(subgraph(*_one_officer(no)), filters=ALL), GapKind.single_point_of_failure
    )
    person = [f for f in found if f.actor_ids == ("sgt_castle",)]
    assert len(person) == 1 and person[0].theme == "trafficking"
    assert {"port_police", "harbour_shelter", "children_network"} <= {
        a.id for a in person[0].context_actors
    }
    assert {"fgd1:1", "fgd1:3"} <= {e.passage_id for e in person[0].evidence}
    plain = [
        f
        for f in find_gaps(subgraph(*_one_officer()), filters=ALL)
        if f.actor_ids == ("sgt_castle",)
    ]
    assert plain[0].score < person[0].score  # the statement confirms the dependence
    # When the police also work with both directly, nothing rests on her.
    direct = (
        rel(K.partnership, "port_police", "harbour_shelter", ev("plan", 9)),
        rel(K.partnership, "port_police", "children_network", ev("plan", 10)),
    )
    found = find_gaps(subgraph(*_one_officer(*direct)), filters=ALL)
    assert not [f for f in found if f.actor_ids == ("sgt_castle",)]


def test_gaps_pair_theme_ties_go_to_the_rarer_theme() -> None:
    # Two ministries equally active on two themes: the one few others work on says more
    # about the pair than the one everybody works on (and the name order decides nothing).
    actors = [
        actor("interior_ministry", "national", "government"),
        actor("city_hall", "local", "government"),
        *(actor(f"ngo_{i}", "non_state", "ngo") for i in range(3)),
    ]
    relations = [
        works("interior_ministry", "a_common", ("law", 1)),
        works("interior_ministry", "z_rare", ("law", 2)),
        works("city_hall", "a_common", ("plan", 1)),
        works("city_hall", "z_rare", ("plan", 2)),
        *(works(f"ngo_{i}", "a_common", ("kii1", i + 1)) for i in range(3)),
        *(rel(K.partnership, f"ngo_{i}", "city_hall", ev("kii2", i + 1)) for i in range(3)),
        *(rel(K.partnership, f"ngo_{i}", "interior_ministry", ev("fgd1", i + 1)) for i in range(3)),
        rel(K.negative_coordination, "city_hall", "interior_ministry", ev("kii1", 9)),
    ]
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    pair = [f for f in found if set(f.actor_ids) == {"city_hall", "interior_ministry"}]
    assert [f.theme for f in pair] == ["z_rare"]


def test_gaps_pairs_with_one_actor_and_a_tied_group_are_one_story() -> None:
    # The recovery house has no link to the treatment service nor to the ministry that
    # mandates it: one story (the house and the national treatment system), not two pairs.
    theme = "drug_treatment"
    actors = [
        actor("recovery_house", "non_state", "ngo"),
        actor("treatment_service", "national", "government"),
        actor("health_ministry", "national", "government"),
        actor("city_hall", "local", "government"),
    ]
    relations = [
        works("recovery_house", theme, ("kii1", 1), ("plan", 1)),
        works("treatment_service", theme, ("law", 1), ("plan", 2)),
        works("health_ministry", theme, ("law", 2)),
        rel(K.mandate, "health_ministry", "treatment_service", ev("law", 3)),
        rel(K.funding, "city_hall", "recovery_house", ev("plan", 3)),
    ]
    found = _kinds(
        find_gaps(subgraph(actors, relations), filters=ALL), GapKind.shared_mandate_no_link
    )
    assert [set(f.actor_ids) for f in found] == [{"recovery_house", "treatment_service"}]
    assert "health_ministry" in {a.id for a in found[0].context_actors}
    assert "law:2" in {e.passage_id for e in found[0].evidence}


def test_gaps_pair_stories_gather_only_pairs_the_filters_keep() -> None:
    # The house's pair with the national service absorbs its pair with the city clinic
    # tied to it, but an analyst asking for local / non-state gaps still gets the latter.
    theme = "drug_treatment"
    actors = [
        actor("recovery_house", "non_state", "ngo"),
        actor("treatment_service", "national", "government"),
        actor("city_clinic", "local", "government"),
    ]
    relations = [
        works("recovery_house", theme, ("kii1", 1), ("plan", 1)),
        works("treatment_service", theme, ("law", 1), ("plan", 2)),
        works("city_clinic", theme, ("plan", 3)),
        rel(K.partnership, "city_clinic", "treatment_service", ev("plan", 4)),
    ]
    sg = subgraph(actors, relations)
    assert len(_kinds(find_gaps(sg, filters=ALL), GapKind.shared_mandate_no_link)) == 1
    local = find_gaps(sg, filters=GapFilters(min_score=0.0, level_pair=("local", "non_state")))
    assert _pairs(local) == {frozenset(("recovery_house", "city_clinic"))}


def test_analysis_explanations_name_themes_by_their_label_never_the_id() -> None:
    # issue 12: "both work on gender_based_violence" in every CLI and API finding
    from nlp.lexicon import themes

    actors, relations = _two_mandates()
    (f,) = _kinds(find_gaps(subgraph(actors, relations)), GapKind.shared_mandate_no_link)
    label = next(t.label for t in themes() if t.id == GBV)
    assert f.theme == GBV and label in f.explanation and GBV not in f.explanation


def test_analysis_theme_text_for_ids_inside_and_outside_the_vocabulary() -> None:
    from analysis._context import theme_text
    from nlp.lexicon import themes

    for t in themes():
        assert theme_text(t.id) == theme_text(f"theme:{t.id}") == t.label
    assert theme_text("street_lighting") == "Street lighting"


def test_gaps_a_statement_is_the_story_of_a_disconnect_between_its_own_two_actors() -> None:
    # A riders' association says the anti-corruption commission has never met them. They
    # are also the two principals of a disconnect on corruption between the national
    # bodies and the non-state groups; the statement says it outright, so it is the
    # finding, not a quote inside the disconnect.
    theme = "corruption"
    actors = [
        actor("integrity_commission", "national", "government"),
        actor("police_hq", "national", "police_justice"),
        actor("riders_association", "non_state", "community_group"),
        actor("youth_group", "non_state", "community_group"),
        actor("police_station", "national", "police_justice"),
        actor("city_youth_office", "local", "government"),
    ]
    relations = [
        works("integrity_commission", theme, ("law", 1), ("law", 2)),
        works("police_hq", theme, ("law", 3)),
        rel(K.mandate, "integrity_commission", "police_hq", ev("law", 4)),
        works("riders_association", theme, ("kii1", 1), ("kii1", 2), kind=K.works_on),
        works("youth_group", theme, ("kii2", 1), kind=K.works_on),
        rel(K.partnership, "riders_association", "youth_group", ev("kii2", 2)),
        # neither group is isolated: each has a government tie off the theme
        works("police_station", "policing", ("kii1", 7)),
        rel(K.partnership, "riders_association", "police_station", ev("kii1", 8)),
        works("city_youth_office", "youth_violence", ("plan", 1)),
        rel(K.funding, "city_youth_office", "youth_group", ev("plan", 2)),
        rel(K.negative_coordination, "riders_association", "integrity_commission", ev("kii1", 3)),
    ]
    found = find_gaps(subgraph(actors, relations), filters=ALL)
    pair = frozenset(("integrity_commission", "riders_association"))
    assert not _kinds(found, GapKind.level_disconnect)
    stated = _kinds(found, GapKind.negative_evidence)
    assert [(frozenset(f.actor_ids), f.theme) for f in stated] == [(pair, theme)]
    assert "kii1:3" in {e.passage_id for e in stated[0].evidence}
