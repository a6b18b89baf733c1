"""Subgraph -> GraphML, GEXF (Gephi), Kumu CSV (zip of nodes.csv + edges.csv) and JSON.

One scalar-attribute graph is built first (``export_graph_model``) so every format carries
the same nodes, edges and attributes: GraphML and GEXF cannot hold lists or nested values,
so lists are joined with "|" (Kumu's multi-value separator too).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

import networkx as nx

from graph_schema.model import REL_TYPE_OF, Subgraph

from .figure import LEVEL_COLOURS
from .model import level_title

__all__ = [
    "EXPORT_MEDIA_TYPES",
    "KUMU_EDGE_COLUMNS",
    "KUMU_NODE_COLUMNS",
    "ExportFormat",
    "export_graph",
    "export_graph_model",
]


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"


EXPORT_MEDIA_TYPES = {
    ExportFormat.graphml: "application/graphml+xml",
    ExportFormat.gexf: "application/gexf+xml",
    ExportFormat.csv: "application/zip",
    ExportFormat.json: "application/json",
}
EXPORT_EXTENSIONS = {
    ExportFormat.graphml: "graphml",
    ExportFormat.gexf: "gexf",
    ExportFormat.csv: "zip",
    ExportFormat.json: "json",
}

# Kumu's import columns (docs.kumu.io, "Structure your data for Kumu"): elements need
# Label first, connections From and To first; other columns become fields.
KUMU_NODE_COLUMNS = ("Label", "Type", "Description", "Tags", "Level", "Actor type", "govgraph id")
KUMU_EDGE_COLUMNS = ("From", "To", "Type", "Description", "Tags", "Confidence", "Sources")


def _joined(values: Any) -> str:
    return "|".join(str(v) for v in values or ())


def export_graph_model(
    sub: Subgraph, *, theme_names: Mapping[str, str] | None = None
) -> nx.MultiDiGraph:
    """Nodes (actors, people, policies, programmes, themes) and fact relations, scalars only.

    Node attributes: label (display name), category (graph label), type, level, kind,
    aliases, themes, doc_count. Edge attributes: kind, rel_type, confidence, doc_ids,
    evidence_count. Absent values are left out rather than written as empty strings.
    """
    names = theme_names or {}
    g = nx.MultiDiGraph()
    for a in sub.actors:
        g.add_node(
            a.id,
            label=a.name,
            category=a.label,
            type=a.type,
            level=a.level,
            aliases=_joined(a.aliases),
            themes=_joined(a.themes),
            doc_count=len(a.doc_ids),
        )
    for p in sub.policies:
        g.add_node(
            p.id,
            label=p.name,
            category=p.label,
            kind=p.kind,
            aliases=_joined(p.aliases),
            themes=_joined(p.themes),
            doc_count=len(p.doc_ids),
        )
    for r in sub.relations:
        if r.target not in g:
            # Targets of works_on / mandate / addresses outside the actor and policy sets
            # are theme ids (the read contract carries them as plain strings).
            g.add_node(r.target, label=names.get(r.target, r.target), category="Theme")
        if r.source not in g:
            continue
        g.add_edge(
            r.source,
            r.target,
            key=r.key,
            kind=r.kind.value,
            rel_type=REL_TYPE_OF[r.kind].value,
            confidence=round(r.confidence, 4),
            doc_ids=_joined(r.doc_ids),
            evidence_count=len(r.evidence),
        )
    for _, data in g.nodes(data=True):
        for k in [k for k, v in data.items() if v is None or v == ""]:
            del data[k]
    return g


def _hex_rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1}


def _graphml(g: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(g, out, encoding="utf-8", named_key_ids=True)
    return out.getvalue()


def _gexf(g: nx.MultiDiGraph) -> bytes:
    h = g.copy()
    for _, data in h.nodes(data=True):
        # Gephi shows viz colours directly; actors by level, other nodes grey.
        colour = LEVEL_COLOURS.get(str(data.get("level")), "#BBBBBB")
        data["viz"] = {"color": _hex_rgb(colour)}
    for _u, _v, k, data in h.edges(keys=True, data=True):
        data["id"] = k  # the relation key: stable across exports
        data["weight"] = data.get("confidence", 1.0)
        data["label"] = data.get("kind", "")
    out = io.BytesIO()
    nx.write_gexf(h, out, encoding="utf-8")
    return out.getvalue()


def _kumu_labels(g: nx.MultiDiGraph) -> dict[str, str]:
    """Kumu links connections to elements by Label: make labels unique."""
    counts: dict[str, int] = {}
    for _, data in g.nodes(data=True):
        counts[data["label"]] = counts.get(data["label"], 0) + 1
    return {
        n: data["label"]
        if counts[data["label"]] == 1
        else f"{data['label']} ({data['category']}, {n})"
        for n, data in g.nodes(data=True)
    }


def _csv(rows: Sequence[Sequence[object]], header: tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    # BOM: Excel (the usual path into Kumu) reads the file as UTF-8 only with it.
    return ("\ufeff" + buf.getvalue()).encode()


def _kumu_zip(g: nx.MultiDiGraph) -> bytes:
    labels = _kumu_labels(g)
    nodes = []
    for n, d in sorted(g.nodes(data=True), key=lambda x: (x[1]["category"], x[1]["label"])):
        level = d.get("level")
        desc = [level_title(level) if level else "", d.get("type", ""), d.get("kind", "")]
        if d.get("aliases"):
            desc.append("also: " + d["aliases"].replace("|", ", "))
        tags = [t for t in (level, d.get("type"), *str(d.get("themes", "")).split("|")) if t]
        nodes.append(
            (
                labels[n],
                d["category"],
                "; ".join(x for x in desc if x),
                "|".join(tags),
                level or "",
                d.get("type", ""),
                n,
            )
        )
    edges = [
        (
            labels[u],
            labels[v],
            d["kind"],
            f"{d['rel_type']} ({d['evidence_count']} passage(s))",
            d["kind"],
            f"{d['confidence']:.2f}",
            d["doc_ids"],
        )
        for u, v, _, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", _csv(nodes, KUMU_NODE_COLUMNS))
        z.writestr("edges.csv", _csv(edges, KUMU_EDGE_COLUMNS))
    return out.getvalue()


def _json(sub: Subgraph, g: nx.MultiDiGraph) -> bytes:
    """Full fidelity: lists stay lists, and every relation carries its evidence passages."""
    rel_by_key = {r.key: r for r in sub.relations}
    doc = {
        "format": "govgraph-graph/1",
        "documents": [d.model_dump(mode="json") for d in sub.documents],
        "nodes": [
            {
                "id": n,
                "name": d["label"],
                "category": d["category"],
                **{k: d[k] for k in ("type", "level", "kind") if k in d},
                "aliases": [x for x in str(d.get("aliases", "")).split("|") if x],
                "themes": [x for x in str(d.get("themes", "")).split("|") if x],
            }
            for n, d in g.nodes(data=True)
        ],
        "edges": [
            {
                "key": k,
                "source": u,
                "target": v,
                "kind": d["kind"],
                "rel_type": d["rel_type"],
                "confidence": d["confidence"],
                "doc_ids": list(rel_by_key[k].doc_ids),
                "evidence": [e.model_dump(mode="json") for e in rel_by_key[k].evidence],
            }
            for u, v, k, d in g.edges(keys=True, data=True)
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def export_graph(
    sub: Subgraph, fmt: ExportFormat, *, theme_names: Mapping[str, str] | None = None
) -> bytes:
    g = export_graph_model(sub, theme_names=theme_names)
    if fmt is ExportFormat.graphml:
        return _graphml(g)
    if fmt is ExportFormat.gexf:
        return _gexf(g)
    if fmt is ExportFormat.csv:
        return _kumu_zip(g)
    return _json(sub, g)
