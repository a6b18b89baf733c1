"""Network metrics on textbook graphs: brokerage roles, constraint, articulation points."""

from __future__ import annotations

import networkx as nx
import pytest
from test_analysis_scenarios import actor, ev, rel, subgraph, works

from analysis import BrokerageCounts, build_graph, network_metrics, tie_graph
from analysis.metrics import brokerage_roles
from graph_schema.model import RelationKind as K


def test_metrics_brokerage_directed_path_roles() -> None:
    # a -> b -> c; the role of b depends only on the groups.
    g = nx.DiGraph([("a", "b"), ("b", "c")])
    cases = {
        ("X", "X", "X"): "coordinator",
        ("X", "Y", "X"): "itinerant",
        ("X", "X", "Y"): "representative",
        ("X", "Y", "Y"): "gatekeeper",
        ("X", "Y", "Z"): "liaison",
    }
    for groups, role in cases.items():
        of = dict(zip("abc", groups, strict=True))
        counts = brokerage_roles(g, of.__getitem__)
        assert counts["b"] == BrokerageCounts(**{role: 1}), role
        assert counts["a"].total == 0 and counts["c"].total == 0


def test_metrics_brokerage_undirected_counts_both_orientations() -> None:
    g = nx.Graph([("a", "b"), ("b", "c")])
    counts = brokerage_roles(g, {"a": "X", "b": "X", "c": "Y"}.__getitem__)
    assert counts["b"] == BrokerageCounts(representative=1, gatekeeper=1)
    # A closed triad is no brokerage at all.
    g.add_edge("a", "c")
    assert brokerage_roles(g, lambda _: "X")["b"].total == 0


def _path_scenario():  # type: ignore[no-untyped-def]
    actors = [
        actor("city_hall", "local", "government"),
        actor("youth_club", "non_state", "community_group"),
        actor("police_command", "national", "police_justice"),
        actor("legal_aid", "non_state", "ngo"),
    ]
    relations = [
        rel(K.partnership, "city_hall", "youth_club", ev("plan", 1)),
        rel(K.partnership, "youth_club", "police_command", ev("kii1", 1)),
        rel(K.funding, "city_hall", "legal_aid", ev("plan", 2)),
        works("city_hall", "youth_violence", ("plan", 3)),
        works("youth_club", "youth_violence", ("kii1", 2), kind=K.works_on),
        works("police_command", "youth_violence", ("kii1", 3)),
    ]
    return subgraph(actors, relations)


def test_metrics_network_metrics_match_networkx() -> None:
    sg = _path_scenario()
    m = network_metrics(sg)
    ties = tie_graph(sg)
    constraint = nx.constraint(ties)
    eff = nx.effective_size(ties)
    between = nx.betweenness_centrality(ties)
    by_id = {a.actor.id: a for a in m.actors}
    for x in ties:
        assert by_id[x].constraint == pytest.approx(constraint[x])
        assert by_id[x].effective_size == pytest.approx(eff[x])
        assert by_id[x].betweenness == pytest.approx(between[x])
    assert by_id["youth_club"].degree == 2
    # police (national) -> club (non_state) -> city (local): three groups.
    assert by_id["youth_club"].brokerage.liaison == 2
    # club and legal aid (both non-state) meet only through the city: itinerant.
    assert by_id["city_hall"].brokerage == BrokerageCounts(itinerant=2)
    assert {a.id for a in m.articulation_points} == {"youth_club", "city_hall"}
    themes = {t.theme: {a.id for a in t.articulation_points} for t in m.by_theme}
    assert themes == {"youth_violence": {"youth_club", "city_hall"}}


def test_metrics_group_by_sector_and_isolates() -> None:
    sg = _path_scenario()
    lonely = actor("crime_lab", "non_state", "academia")
    sg = sg.model_copy(update={"actors": (*sg.actors, lonely)})
    m = network_metrics(sg, group_by="sector")
    by_id = {a.actor.id: a for a in m.actors}
    assert by_id["city_hall"].group == "state"
    assert by_id["crime_lab"].degree == 0 and by_id["crime_lab"].constraint is None
    with pytest.raises(ValueError):
        network_metrics(sg, group_by="colour")


def test_metrics_build_graph_keeps_evidence() -> None:
    g = build_graph(_path_scenario())
    data = g.get_edge_data("city_hall", "youth_club")
    (edge,) = data.values()
    assert edge["kind"] == K.partnership
    assert edge["evidence"][0].passage_id == "plan:1"
    assert g.nodes["youth_violence"]["node_kind"] == "theme"


def test_metrics_constraint_and_effective_size_match_networkx_on_random_graphs() -> None:
    import math
    import random

    from analysis.metrics import burt_constraint, effective_size

    for seed in range(10):
        g = nx.gnp_random_graph(random.Random(seed).randint(5, 40), 0.2, seed=seed)
        g = nx.relabel_nodes(g, str)
        for mine, theirs in (
            (burt_constraint(g), nx.constraint(g)),
            (effective_size(g), nx.effective_size(g)),
        ):
            for v in g:
                if math.isnan(theirs[v]):
                    assert math.isnan(mine[v])
                else:
                    assert mine[v] == pytest.approx(theirs[v]), (seed, v)
