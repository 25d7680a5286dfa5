"""The entity graph for Gephi, Neo4j and spreadsheets: GraphML, GEXF and CSV.

These formats hold flat attributes only, so provenance is flattened onto each edge:
`evidence` (the sentences, joined with " | "), `articles` (article titles), `article_iris`,
`offsets` ("start-end" per sentence), `confidence` (the highest), `evidence_count`; investments
add `amount` / `currency` (the first amount), `amounts` (all, readable), `investment_kind`,
`stake_percent`, `status`; positions add `roles`. Nodes keep `label`, `type`, `aliases`
(joined with "; ") and `iri`. CSV is two tables: nodes (id, label, type, aliases, degree)
and edges (source, target with their labels and types, predicate, kind, then provenance),
with Neo4j-import style headers available through `neo4j=True`.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import write_atomic
from kg.viz import format_amount

FORMATS = ("graphml", "gexf", "csv")
NODE_COLUMNS = ("id", "label", "type", "aliases", "degree", "articles")
EDGE_COLUMNS = (
    "source", "source_label", "source_type", "predicate", "target", "target_label",
    "target_type", "kind", "amount", "currency", "amounts", "investment_kind", "stake_percent",
    "status", "roles", "evidence", "articles", "article_iris", "offsets", "confidence",
    "evidence_count",
)


def flat_node(node: str, data: dict[str, Any], degree: int = 0) -> dict[str, Any]:
    """A node's attributes as strings and numbers only."""
    return {
        "id": node,
        "label": str(data.get("label", node)),
        "type": str(data.get("type", "Other")),
        "aliases": "; ".join(data.get("aliases", [])),
        "degree": degree,
        "articles": len(data.get("articles", [])),
    }


def flat_edge(G: nx.MultiDiGraph, u: str, v: str, data: dict[str, Any]) -> dict[str, Any]:
    """An edge's attributes, provenance flattened to strings and numbers."""
    evidence = data.get("evidence", [])
    amounts = data.get("amounts", [])
    confidences = [e["confidence"] for e in evidence if e.get("confidence") is not None]
    first = amounts[0] if amounts else None
    return {
        "source": u,
        "source_label": str(G.nodes[u].get("label", u)),
        "source_type": str(G.nodes[u].get("type", "Other")),
        "predicate": str(data.get("predicate", "")),
        "target": v,
        "target_label": str(G.nodes[v].get("label", v)),
        "target_type": str(G.nodes[v].get("type", "Other")),
        "kind": str(data.get("kind", "other")),
        "amount": first[0] if first else "",
        "currency": first[1] if first else "",
        "amounts": "; ".join(format_amount(a, c) for a, c in amounts),
        "investment_kind": str(data.get("investment_kind") or ""),
        "stake_percent": data.get("stake_percent") if data.get("stake_percent") is not None else "",
        "status": str(data.get("status") or ""),
        "roles": "; ".join(data.get("roles", [])),
        "evidence": " | ".join(e.get("sentence", "") for e in evidence),
        "articles": " | ".join(e.get("title", "") for e in evidence),
        "article_iris": " | ".join(e.get("article", "") for e in evidence),
        "offsets": " | ".join(f"{e.get('start')}-{e.get('end')}" for e in evidence),
        "confidence": max(confidences) if confidences else "",
        "evidence_count": len(evidence),
    }


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G whose attributes GraphML and GEXF can store (no lists, dicts or None)."""
    F = nx.MultiDiGraph()
    degree = dict(G.degree())
    for node, data in sorted(G.nodes(data=True), key=lambda nd: nd[0]):
        attrs = flat_node(node, data, degree.get(node, 0))
        attrs.pop("id")
        attrs["iri"] = node
        F.add_node(node, **attrs)
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        attrs = flat_edge(G, u, v, data)
        for k in ("source", "target"):
            attrs.pop(k)
        # GraphML/GEXF need one type per attribute: keep numbers numeric only when present.
        for k in ("amount", "stake_percent", "confidence"):
            attrs[k] = float(attrs[k]) if attrs[k] != "" else -1.0
        F.add_edge(u, v, key=key, **attrs)
    return F


def to_graphml(G: nx.MultiDiGraph) -> bytes:
    """GraphML (yEd, Gephi, Cytoscape); -1 marks a missing amount/stake/confidence."""
    buf = io.BytesIO()
    nx.write_graphml(flat_graph(G), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(G: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (Gephi); -1 marks a missing amount/stake/confidence."""
    buf = io.BytesIO()
    nx.write_gexf(flat_graph(G), buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buf.getvalue()


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]], header: list[str] | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header or columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def nodes_csv(G: nx.MultiDiGraph, neo4j: bool = False) -> str:
    """One row per entity; with neo4j=True the headers are `id:ID`, ..., `:LABEL`."""
    degree = dict(G.degree())
    rows = [flat_node(n, d, degree.get(n, 0)) for n, d in sorted(G.nodes(data=True), key=lambda x: x[0])]
    if not neo4j:
        return _csv(NODE_COLUMNS, rows)
    for row in rows:
        row["neo_label"] = "Entity;" + row["type"]
    cols = NODE_COLUMNS + ("neo_label",)
    header = ["id:ID", "label", "type", "aliases", "degree:int", "articles:int", ":LABEL"]
    return _csv(cols, rows, header)


def edges_csv(G: nx.MultiDiGraph, neo4j: bool = False) -> str:
    """One row per fact edge with its provenance; neo4j=True gives `:START_ID`/`:END_ID`/`:TYPE`."""
    rows = [flat_edge(G, u, v, d)
            for u, v, _, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))]
    if not neo4j:
        return _csv(EDGE_COLUMNS, rows)
    header = [":START_ID" if c == "source" else ":END_ID" if c == "target"
              else ":TYPE" if c == "predicate" else c for c in EDGE_COLUMNS]
    return _csv(EDGE_COLUMNS, rows, header)


def export_graph(G: nx.MultiDiGraph, fmt: str, output: str | Path | None = None) -> bytes | list[Path]:
    """Serialise G as graphml, gexf or csv.

    Without `output` the bytes are returned (for csv: the edges table, which names both ends
    by label and type, so it stands alone in a pipe). With `output` the file is written; for
    csv `output` is a directory that receives `nodes.csv` and `edges.csv` (Neo4j
    `neo4j-admin import` headers), or a `.csv` file path for the edges, with the nodes next to
    it as `<stem>_nodes.csv`. Returns the paths written.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}: use one of {', '.join(FORMATS)}")
    if output is None:
        if fmt == "graphml":
            return to_graphml(G)
        if fmt == "gexf":
            return to_gexf(G)
        return edges_csv(G).encode("utf-8")
    output = Path(output)
    if fmt in ("graphml", "gexf"):
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, to_graphml(G) if fmt == "graphml" else to_gexf(G))
        return [output]
    if output.suffix.lower() == ".csv":
        edges_path, nodes_path = output, output.with_name(output.stem + "_nodes.csv")
        neo4j = False
    else:
        output.mkdir(parents=True, exist_ok=True)
        edges_path, nodes_path = output / "edges.csv", output / "nodes.csv"
        neo4j = True
    edges_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(nodes_path, nodes_csv(G, neo4j=neo4j))
    write_atomic(edges_path, edges_csv(G, neo4j=neo4j))
    return [nodes_path, edges_path]
