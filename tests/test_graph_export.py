"""GraphML / GEXF / CSV exports: readable by networkx (as Gephi would), provenance on edges."""
from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from kg import graph_export, network
from viz_graphs import load_store

ID = "https://w3id.org/kg/id/"
KMART_SENTENCE = "Kmart Holding Corp said it will buy Sears, Roebuck and Co for $11 billion."


@pytest.fixture(scope="module")
def G():
    from kg.store import OxigraphStore

    with OxigraphStore.in_memory() as s:
        load_store(s)
        return network.entity_graph(s)


def _acquires(H):
    return [d for u, v, d in H.edges(data=True)
            if u == ID + "company/kmart" and v == ID + "company/sears" and d["predicate"] == "acquires"]


@pytest.mark.parametrize("fmt,reader", [
    ("graphml", lambda b: nx.read_graphml(io.BytesIO(b), force_multigraph=True)),
    ("gexf", lambda b: nx.read_gexf(io.BytesIO(b))),
])
def test_graphml_and_gexf_round_trip_with_provenance(G, fmt, reader):
    H = reader(graph_export.export_graph(G, fmt))
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    alibaba = H.nodes[ID + "company/alibaba"]
    assert alibaba["label"] == "Alibaba Group Holding" and alibaba["type"] == "Company"
    assert alibaba["aliases"] == "Alibaba; il gruppo di Hangzhou"
    [edge] = _acquires(H)
    assert edge["evidence"] == KMART_SENTENCE
    assert edge["articles"] == "Kmart to buy Sears for US$11 billion"
    assert edge["amount"] == 11_000_000_000 and edge["currency"] == "USD"
    assert edge["status"] == "announced"
    assert float(edge["confidence"]) == pytest.approx(0.9)


def test_export_is_byte_stable(G):
    for fmt in graph_export.FORMATS:
        assert graph_export.export_graph(G, fmt) == graph_export.export_graph(G, fmt)


def test_csv_to_stdout_is_one_self_describing_edge_table(G):
    rows = list(csv.DictReader(io.StringIO(graph_export.export_graph(G, "csv").decode("utf-8"))))
    assert len(rows) == G.number_of_edges()
    buy = [r for r in rows if r["predicate"] == "acquires"][0]
    assert buy["source_label"] == "Kmart Holding Corp"
    assert buy["target_label"] == "Sears, Roebuck and Co"
    assert buy["evidence"] == KMART_SENTENCE and buy["amounts"] == "11 bn USD"
    works = [r for r in rows if r["roles"] == "presidente"][0]
    assert (works["source_label"], works["predicate"]) == ("Jeff Zhang", "worksFor")


def test_csv_directory_has_neo4j_nodes_and_edges(G, tmp_path):
    paths = graph_export.export_graph(G, "csv", tmp_path / "neo")
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv"]
    nodes = list(csv.DictReader((tmp_path / "neo" / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "neo" / "edges.csv").open(encoding="utf-8")))
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert {"id:ID", ":LABEL"} <= set(nodes[0])
    assert {":START_ID", ":END_ID", ":TYPE"} <= set(edges[0])
    ids = {n["id:ID"] for n in nodes}
    assert all(e[":START_ID"] in ids and e[":END_ID"] in ids for e in edges)


def test_csv_file_path_writes_edges_and_nodes_beside_it(G, tmp_path):
    paths = graph_export.export_graph(G, "csv", tmp_path / "kg.csv")
    assert [p.name for p in paths] == ["kg_nodes.csv", "kg.csv"]


def test_unknown_format_is_refused(G):
    with pytest.raises(ValueError, match="graphml"):
        graph_export.export_graph(G, "dot")
