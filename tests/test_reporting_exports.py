"""Graph exports: GraphML and GEXF parse back with networkx; Kumu CSV; JSON structure."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
import pytest
from reporting_fixtures import THEME_ID, THEME_NAME, seed_graph

from graph_schema.reader import read_subgraph
from graph_schema.store import GraphStore
from reporting.exports import KUMU_EDGE_COLUMNS, KUMU_NODE_COLUMNS, ExportFormat, export_graph


@pytest.fixture
def subgraph(store: GraphStore):  # type: ignore[no-untyped-def]
    seed_graph(store)
    return read_subgraph(store)


def _expected(sub):  # type: ignore[no-untyped-def]
    nodes = {a.id for a in sub.actors} | {p.id for p in sub.policies} | {THEME_ID}
    return len(nodes), len(sub.relations)


def test_reporting_exports_graphml_and_gexf_parse_back(subgraph) -> None:  # type: ignore[no-untyped-def]
    n_nodes, n_edges = _expected(subgraph)
    assert (n_nodes, n_edges) == (4, 5)  # 3 works_on, 1 partnership, 1 negative
    names = {THEME_ID: THEME_NAME}
    g = nx.read_graphml(
        io.BytesIO(export_graph(subgraph, ExportFormat.graphml, theme_names=names)),
        force_multigraph=True,
    )
    h = nx.read_gexf(io.BytesIO(export_graph(subgraph, ExportFormat.gexf, theme_names=names)))
    for graph in (g, h):
        assert graph.number_of_nodes() == n_nodes and graph.number_of_edges() == n_edges
        assert graph.nodes["actor:council"]["level"] == "local"
        assert graph.nodes["actor:ministry"]["level"] == "national"
        assert graph.nodes["actor:trust"]["level"] == "non_state"
        kinds = {d["kind"] for _, _, d in graph.edges(data=True)}
        assert {"works_on", "partnership", "negative_coordination"} <= kinds
    assert g.nodes[THEME_ID]["label"] == THEME_NAME and g.nodes[THEME_ID]["category"] == "Theme"
    assert h.nodes["actor:council"]["label"] == "Riverton City Council"


def test_reporting_exports_kumu_csv_columns(subgraph) -> None:  # type: ignore[no-untyped-def]
    z = zipfile.ZipFile(io.BytesIO(export_graph(subgraph, ExportFormat.csv)))
    assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]
    nodes = list(csv.reader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig"))))
    edges = list(csv.reader(io.StringIO(z.read("edges.csv").decode("utf-8-sig"))))
    assert tuple(nodes[0][:4]) == ("Label", "Type", "Description", "Tags")
    assert tuple(edges[0][:3]) == ("From", "To", "Type")
    assert tuple(nodes[0]) == KUMU_NODE_COLUMNS and tuple(edges[0]) == KUMU_EDGE_COLUMNS
    labels = {row[0] for row in nodes[1:]}
    assert len(labels) == len(nodes) - 1  # unique: Kumu links connections by Label
    assert all(row[0] in labels and row[1] in labels for row in edges[1:])
    council = next(r for r in nodes[1:] if r[0] == "Riverton City Council")
    assert council[1] == "Actor" and "local" in council[3].split("|")
    assert ("Riverton Youth Trust", "Riverton City Council", "partnership") in {
        tuple(r[:3]) for r in edges[1:]
    }


def test_reporting_exports_json_structure(subgraph) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(export_graph(subgraph, ExportFormat.json))
    assert doc["format"] == "govgraph-graph/1"
    assert {n["id"] for n in doc["nodes"]} == {
        "actor:council",
        "actor:ministry",
        "actor:trust",
        THEME_ID,
    }
    assert len(doc["edges"]) == 5 and len(doc["documents"]) == 2
    neg = [e for e in doc["edges"] if e["kind"] == "negative_coordination"]
    assert neg and neg[0]["rel_type"] == "DOES_NOT_COORDINATE_WITH"
    assert {ev["quote"] for ev in neg[0]["evidence"]} >= {
        "The Ministry of Justice never calls the Riverton City Council about youth violence."
    }


def test_reporting_exports_carry_the_review(store: GraphStore) -> None:
    """Every format shows a corrected tie in its corrected kind and direction and leaves
    rejected relations and actors out (issue 15)."""
    from graph_schema.decisions import Action, TargetKind, record_decision
    from graph_schema.model import RelationKind, relation_key

    seed_graph(store)
    partnership = relation_key(RelationKind.partnership, "actor:trust", "actor:council")
    negative = relation_key(RelationKind.negative_coordination, "actor:ministry", "actor:council")
    for kind, key, action, value in (
        (TargetKind.relation, partnership, Action.change_kind, {"kind": "funding"}),
        (TargetKind.relation, partnership, Action.reverse, None),  # the council funds it
        (TargetKind.relation, negative, Action.reject, None),
    ):
        record_decision(store, kind, key, action, author="curator", value=value, reason="quote")
    sub = read_subgraph(store)

    doc = json.loads(export_graph(sub, ExportFormat.json))
    edges = {e["key"]: e for e in doc["edges"]}
    assert negative not in edges
    tie = edges[partnership]
    assert (tie["kind"], tie["rel_type"], tie["source"], tie["target"]) == (
        "funding",
        "FUNDS",
        "actor:council",
        "actor:trust",
    )
    g = nx.read_graphml(io.BytesIO(export_graph(sub, ExportFormat.graphml)), force_multigraph=True)
    assert g.edges["actor:council", "actor:trust", partnership]["kind"] == "funding"
    assert not g.has_edge("actor:ministry", "actor:council")
    z = zipfile.ZipFile(io.BytesIO(export_graph(sub, ExportFormat.csv)))
    edge_rows = {
        tuple(r[:3]) for r in csv.reader(io.StringIO(z.read("edges.csv").decode("utf-8-sig")))
    }
    assert ("Riverton City Council", "Riverton Youth Trust", "funding") in edge_rows
    assert not any(r[2] == "negative_coordination" for r in edge_rows)

    record_decision(
        store, TargetKind.actor, "actor:ministry", Action.reject, author="curator", reason="x"
    )
    doc = json.loads(export_graph(read_subgraph(store), ExportFormat.json))
    assert "actor:ministry" not in {n["id"] for n in doc["nodes"]}
    assert all("actor:ministry" not in (e["source"], e["target"]) for e in doc["edges"])
